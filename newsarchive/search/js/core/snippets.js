  /* ---- texts and snippets ---- */

  /** A doc's text chunk: its number's (monolithic), its metadata chunk's (sharded). */
  function chunkOf (doc) {
    return entry ? doc.chunk : Math.floor(doc.i / meta.chunkSize)
  }

  /** The path of a doc's text file (sharded: its metadata chunk must be loaded). */
  function textPathOf (doc) {
    var chunk = chunkOf(doc)
    if (!entry) return meta.textPath + chunk + '.js'
    var key = metaChunks[chunk].text
    return fanned('text', key, chunk + '-' + key)
  }

  /** The article text of a document, or undefined while its text file is not loaded. */
  function textOf (doc) {
    var list = texts[chunkOf(doc)]
    return list ? list[entry ? doc.row : doc.i % meta.chunkSize] : undefined
  }

  /** Load the texts of these docs (prepared ones), then callback(error or null). */
  function loadTexts (docList, callback) {
    var paths = []
    var seen = Object.create(null)
    docList.forEach(function (doc) {
      var chunk = chunkOf(doc)
      if (!(chunk in texts) && !seen[chunk]) {
        seen[chunk] = true
        paths.push(textPathOf(doc))
      }
    })
    loadFiles(paths, callback)
  }

  /** The index pipeline of a language (the archive's when lang is not given). */
  function builderPipelineOf (lang) {
    var data = entry || meta
    lang = lang || data.language
    if (!(lang in builderPipelines)) {
      var labels = (data.languages && data.languages[lang]) || data.pipeline
      builderPipelines[lang] = lunrLib().Pipeline.load(labels)
    }
    return builderPipelines[lang]
  }

  /**
   * The indexed terms of one word, as the index builder made them (trimmer, stop words,
   * stemmer; several for a CJK run, in pairs), with the pipeline of the document's language
   * `lang` (default: the archive's).
   */
  function termsOf (word, lang) {
    lang = lang || (entry || meta).language
    var cache = termCaches[lang] || (termCaches[lang] = Object.create(null))
    var lower = word.toLowerCase()
    if (lower in cache) return cache[lower]
    var out = builderPipelineOf(lang).runString(lower)
    cache[lower] = out
    return out
  }

  /** The indexed term of one word (its first, for a CJK run), or null. */
  function termOf (word, lang) {
    var terms = termsOf(word, lang)
    return terms.length ? terms[0] : null
  }

  /**
   * The [start, end) spans of a word to mark for the matched terms in `set`: the word less
   * what the trimmer takes off its ends, when its term matched; for a word of several terms
   * (a CJK run), where each matched term stands in it, overlapping spans joined.
   */
  function spansOf (word, lang, set) {
    var terms = termsOf(word, lang)
    if (terms.length < 2) {
      if (!terms.length || !terms[0] || !set[terms[0]]) return []
      var cut = trimmed(word, lang)
      return word.length - cut[1] > cut[0] ? [[cut[0], word.length - cut[1]]] : []
    }
    var lower = word.toLowerCase()
    if (lower.length !== word.length) return []
    var found = []
    terms.forEach(function (term) {
      if (!term || !set[term]) return
      for (var at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
        found.push([at, at + term.length])
      }
    })
    found.sort(function (a, b) { return a[0] - b[0] })
    var spans = []
    found.forEach(function (span) {
      var previous = spans[spans.length - 1]
      if (previous && span[0] <= previous[1]) previous[1] = Math.max(previous[1], span[1])
      else spans.push(span)
    })
    return spans
  }

  /**
   * [lead, trail]: the characters a language's trimmer takes off the ends of a word, which
   * a highlight leaves unmarked. lunr's own trimmer drops \W (ASCII) runs; lunr-languages'
   * (and languages.js's) drop what is not a letter of their language, so the span is what
   * the trimmer leaves of the word.
   */
  function trimmed (word, lang) {
    var data = entry || meta
    var labels = (lang && data.languages && data.languages[lang]) || data.pipeline
    var label = labels[0]
    if (label === 'trimmer' || !/^trimmer-/.test(label)) {
      return [(LEADING_NON_WORD.exec(word) || [''])[0].length,
        (TRAILING_NON_WORD.exec(word) || [''])[0].length]
    }
    var lower = word.toLowerCase()
    var lib = lunrLib()
    var kept = String(lib.Pipeline.registeredFunctions[label](new lib.Token(lower, {})))
    var lead = kept && lower.length === word.length ? lower.indexOf(kept) : -1
    return lead < 0 ? [word.length, 0] : [lead, word.length - lead - kept.length]
  }

  function termSet (terms) {
    var set = Object.create(null)
    ;(terms || []).forEach(function (t) { if (t) set[t] = true })
    return set
  }

  /**
   * Split text[from, to) into segments {text, mark}; mark is true for the letters of words
   * whose indexed term is one of the matched terms (surrounding punctuation unmarked), and
   * for the matched pairs of a CJK run.
   * `lang`: the document's language (doc.lang), whose pipeline made its terms.
   */
  function highlight (text, terms, from, to, lang) {
    var set = terms && !Array.isArray(terms) ? terms : termSet(terms)
    from = from || 0
    to = to === undefined ? text.length : to
    var part = text.slice(from, to)
    var segments = []
    var last = 0
    var match
    WORD.lastIndex = 0
    while ((match = WORD.exec(part)) !== null) {
      var spans = spansOf(match[0], lang, set)
      for (var k = 0; k < spans.length; k++) {
        var start = match.index + spans[k][0]
        var end = match.index + spans[k][1]
        if (start > last) segments.push({ text: part.slice(last, start), mark: false })
        segments.push({ text: part.slice(start, end), mark: true })
        last = end
      }
    }
    if (last < part.length) segments.push({ text: part.slice(last), mark: false })
    return segments
  }

  /**
   * A snippet of about `length` characters around the first matched word (or the start of
   * the text): {segments, before, after}; before/after say whether text was cut there.
   * White space runs (paragraph breaks) become single spaces. `lang` as for highlight.
   */
  function snippet (text, terms, length, lang) {
    length = length || 240
    var set = termSet(terms)
    var hitAt = -1
    var match
    WORD.lastIndex = 0
    while ((match = WORD.exec(text)) !== null) {
      var spans = spansOf(match[0], lang, set)
      if (spans.length) {
        // A CJK run is one "word" of a whole sentence: start at the match within it.
        hitAt = match.index + (termsOf(match[0], lang).length > 1 ? spans[0][0] : 0)
        break
      }
    }
    var start = 0
    if (hitAt > length / 3) {
      start = hitAt - Math.floor(length / 3)
      while (start < hitAt && !/\s/.test(text.charAt(start - 1))) start++
    }
    var end = Math.min(text.length, start + length)
    if (end < text.length) {
      var cut = end
      while (cut > start && !/\s/.test(text.charAt(cut))) cut--
      if (cut > Math.max(start, hitAt)) end = cut
    }
    var segments = highlight(text, set, start, end, lang).map(function (s) {
      return { text: s.text.replace(/\s+/g, ' '), mark: s.mark }
    })
    if (segments.length) {
      segments[0].text = segments[0].text.replace(/^ /, '')
      var lastSegment = segments[segments.length - 1]
      lastSegment.text = lastSegment.text.replace(/ $/, '')
    }
    return { segments: segments, before: start > 0, after: end < text.length }
  }

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December']
  var ENGLISH_DATE = { parts: [['d'], ' ', ['MMMM'], ' ', ['y']], months: MONTHS }

  /**
   * "26 February 1987": the site's own date format (render.i18n.Dates.date), as written.
   * `format` (the search page's, from the site's language) holds CLDR's long date as parts,
   * literal text or [field], and the month names: "26 февраля 1987 г.". English without it.
   */
  function formatDate (iso, format) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '')
    if (!m) return str(iso)
    var f = format && format.parts && format.months ? format : ENGLISH_DATE
    var year = parseInt(m[1], 10)
    var month = parseInt(m[2], 10)
    var day = parseInt(m[3], 10)
    var fields = {
      d: String(day),
      dd: m[3],
      M: String(month),
      MM: m[2],
      MMM: f.months[month - 1],
      MMMM: f.months[month - 1],
      LLLL: f.months[month - 1],
      y: String(year),
      yyyy: m[1]
    }
    return f.parts.map(function (part) {
      if (typeof part === 'string') return part
      return Object.prototype.hasOwnProperty.call(fields, part[0]) ? fields[part[0]] : ''
    }).join('')
  }

