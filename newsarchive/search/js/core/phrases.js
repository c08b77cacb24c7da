
  /* ---- quoted phrases, stop-word queries and the date range ---- */

  // lunr.js has no phrases. A query's "quoted words" (those the index keeps) go to lunr as
  // words; of its hits, those that matched a term of every one of them (what `+word` would
  // ask, but `+` finds nothing in a mixed archive as soon as one language's form of the word
  // is not in the index) are kept, in lunr's order, when their title, a tag or their text
  // holds the phrase (texts are the snippet texts: the body, up to documents.py's
  // SNIPPET_TEXT_LIMIT). A hit's score depends only on the query's terms, so these are the
  // scores and order lunr gives `+word +word`. At most PHRASE_CHECKS documents are read:
  // past that, search() says how many were.
  var PHRASE_CHECKS = 1000
  var QUOTED = /"([^"]*)("|$)/g
  var LUNR_SYNTAX = /[:*~^]/g
  var NOT_WORD = null
  var EDGES = null // what is not a letter or digit at either end of a word
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/

  function notWord () {
    if (NOT_WORD === null) {
      try {
        NOT_WORD = new RegExp('[^\\p{L}\\p{N}\\p{M}]+', 'gu')
        EDGES = new RegExp('^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$', 'gu')
      } catch (e) {
        // Without Unicode classes: Latin, Greek, Cyrillic and CJK letters count as letters.
        var letters = '0-9A-Za-z\\u00c0-\\u024f\\u0370-\\u04ff\\u3040-\\u9fff\\uac00-\\ud7af'
        NOT_WORD = new RegExp('[^' + letters + ']+', 'g')
        EDGES = new RegExp('^[^' + letters + ']+|[^' + letters + ']+$', 'g')
      }
    }
    return NOT_WORD
  }

  /** Text as phrases are compared: lower case, every run of non-letters one space. */
  function phraseText (text) {
    return str(text).toLowerCase().replace(notWord(), ' ').trim()
  }

  /** Whether `text` holds the normalised `phrase` as whole words (anywhere, in CJK). */
  function containsPhrase (text, phrase) {
    if (!phrase) return true
    var normal = phraseText(text)
    if (CJK.test(phrase)) return normal.indexOf(phrase) >= 0
    return (' ' + normal + ' ').indexOf(' ' + phrase + ' ') >= 0
  }

  /**
   * Whether the index leaves a query word out in every language of the archive (a stop
   * word: lunr's search pipeline only stems, so `the` would be looked up and found nowhere).
   */
  function dropped (word) {
    var data = entry || meta
    var codes = data.languages ? Object.keys(data.languages) : [data.language]
    var lower = word.toLowerCase()
    return codes.every(function (code) { return builderPipelineOf(code).runString(lower).length === 0 })
  }

  /**
   * A query's phrases and the lunr query that stands for it: {lunr, phrases: [{text, words,
   * terms}]} with text as typed, words normalised (phraseText) and terms, per word the index
   * keeps, the terms lunr looks up for it. Without quotes, lunr is `q` itself.
   */
  var phraseCache = Object.create(null)
  function readPhrases (q) {
    q = str(q)
    if (q.indexOf('"') < 0) return { lunr: q, phrases: [] }
    if (phraseCache[q]) return phraseCache[q]
    var phrases = []
    notWord() // sets EDGES
    var rest = q.replace(QUOTED, function (whole, inside) {
      var words = []
      var terms = []
      inside.split(/[\s-]+/).forEach(function (word) {
        word = word.replace(LUNR_SYNTAX, '').replace(EDGES, '').toLowerCase()
        if (!word || dropped(word)) return
        words.push(word)
        terms.push(queryPipeline().runString(word))
      })
      var normal = phraseText(inside)
      if (normal) phrases.push({ text: inside.trim(), words: normal, terms: terms })
      return ' ' + words.join(' ') + ' '
    })
    var out = { lunr: rest.replace(/\s+/g, ' ').trim(), phrases: phrases }
    phraseCache[q] = out
    return out
  }

  /**
   * The words of a query that searches nothing because the index leaves out every one of
   * its words (stop words: `the`, `of the`; in a mixed archive, words every language's
   * pipeline drops), or null. A query lunr cannot parse is not one.
   */
  function stopWordsOf (q) {
    var lib = lunrLib()
    var query = new lib.Query(entry ? entry.fields : getIndex().fields)
    try {
      new lib.QueryParser(q.replace(/"/g, ' '), query).parse()
    } catch (error) {
      return null
    }
    if (!query.clauses.length) return null
    var kept = query.clauses.some(function (clause) {
      return !clause.usePipeline || !dropped(clause.term)
    })
    if (kept) return null
    var words = query.clauses.map(function (clause) { return clause.term }).filter(function (word) {
      return /\w/.test(word) || phraseText(word) !== ''
    })
    return words.length ? words : null
  }

  /** The search pipeline of queries (the loaded index's, sharded: the entry's). */
  function queryPipeline () {
    return entry ? getSearchPipeline() : getIndex().pipeline
  }

  /** The hits that matched a term of every word of the phrases: those with all the words. */
  function withAllWords (hits, phrases) {
    return hits.filter(function (hit) {
      var matched = hit.terms
      return phrases.every(function (phrase) {
        return phrase.terms.every(function (terms) {
          return terms.some(function (term) { return matched.indexOf(term) >= 0 })
        })
      })
    })
  }

  /** Documents to read for the phrase check: the first PHRASE_CHECKS hits. */
  function phraseCandidates (hits) {
    return hits.length > PHRASE_CHECKS ? hits.slice(0, PHRASE_CHECKS) : hits
  }

  /** Whether a (prepared, text loaded) doc holds every phrase in its title, a tag or text. */
  function docHasPhrases (doc, phrases) {
    var rows = tagRows()
    var text = textOf(doc)
    return phrases.every(function (phrase) {
      return containsPhrase(doc.title, phrase.words) ||
        containsPhrase(text, phrase.words) ||
        doc.tags.some(function (t) { return containsPhrase(rows[t][0], phrase.words) })
    })
  }

  /** Load the metadata and texts of these hits' docs (two rounds when sharded). */
  function preparePhraseDocs (hits, callback) {
    var list = hits.map(function (hit) { return hit.doc })
    if (!entry) return loadTexts(list, callback)
    prepareDocs(list, function (error) {
      if (error) return callback(error)
      loadTexts(hits.map(function (hit) { return hit.doc }), callback)
    })
  }

  /* The date range: from and to are days (YYYY-MM-DD), the articles' own (as shown). */

  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/
  // Time zones are within 14 hours of UTC: a document further than this from both ends of
  // the range is in or out by its slot (UTC) alone; one nearer needs its date's own day.
  var NEAR = 14 * 3600 * 1000
  var slotBase = null

  function dayValue (value) {
    var match = DAY.exec(str(value).trim())
    if (!match) return ''
    var time = Date.UTC(+match[1], +match[2] - 1, +match[3])
    return isNaN(time) || new Date(time).toISOString().slice(0, 10) !== match[0] ? '' : match[0]
  }

  function inDays (day, state) {
    return (!state.from || day >= state.from) && (!state.to || day <= state.to)
  }

  /** The range as UTC times: [low, high) of its first and last day. */
  function rangeEnds (state) {
    return {
      low: state.from ? Date.parse(state.from + 'T00:00:00Z') : -Infinity,
      high: state.to ? Date.parse(state.to + 'T00:00:00Z') + 86400000 : Infinity
    }
  }

  function nearEnd (time, ends) {
    return Math.abs(time - ends.low) < NEAR || Math.abs(time - ends.high) < NEAR
  }

  /** The UTC time of a document (sharded: from its slot). */
  function timeOf (number) {
    return slotEpoch() + slotOf[number] * 1000
  }

  /** Of these hits (sharded), those near an end of the range whose dates are not loaded. */
  function nearRangeEnds (hits, state) {
    var ends = rangeEnds(state)
    return hits.filter(function (hit) {
      return nearEnd(timeOf(hit.number), ends) && docAt(hit.number).date === undefined
    })
  }

  /** Milliseconds (UTC) of a slot's second 0: the decade of the oldest article's UTC year,
   * found from the first year run (its year is the article's own, within a year of UTC's). */
  function slotEpoch () {
    if (slotBase === null) {
      var first = entry.years[0]
      var decade = first[0] - first[0] % 10
      var year = new Date(Date.UTC(decade, 0, 1) + first[1] * 1000).getUTCFullYear()
      if (Math.abs(year - first[0]) > 1) decade -= 10
      slotBase = Date.UTC(decade, 0, 1)
    }
    return slotBase
  }

  /** A test of document numbers for the state's range, or null without one. Sharded, a
   * document near an end is judged by its UTC time until its date is loaded (prepare()). */
  function rangeTest (state) {
    if (!state.from && !state.to) return null
    if (!entry) return function (number) { return inDays(docs[number].date.slice(0, 10), state) }
    var ends = rangeEnds(state)
    return function (number) {
      var time = timeOf(number)
      if (nearEnd(time, ends)) {
        var date = docAt(number).date
        if (date) return inDays(date.slice(0, 10), state)
      }
      return time >= ends.low && time < ends.high
    }
  }
