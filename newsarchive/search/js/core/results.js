  /* ---- state, filters and sorting ---- */

  function str (value) {
    return value === undefined || value === null ? '' : String(value)
  }

  /** Normalised search state: {q, tag, year, from, to, sort, page}; unknown values fall back
   * to defaults (from and to: YYYY-MM-DD days). */
  function normalizeState (params) {
    params = params || {}
    var sort = str(params.sort)
    var page = parseInt(str(params.page), 10)
    var year = str(params.year).trim()
    return {
      q: str(params.q),
      tag: str(params.tag).trim(),
      year: /^\d{1,4}$/.test(year) ? String(parseInt(year, 10)) : '',
      from: dayValue(params.from),
      to: dayValue(params.to),
      sort: SORTS.indexOf(sort) >= 0 ? sort : SORTS[0],
      page: page > 0 ? page : 1
    }
  }

  /** The tag number for a slug, or for a name compared case-insensitively; -1 if unknown. */
  function findTag (value) {
    if (!value || !ready()) return -1
    if (value in tagsBySlug) return tagsBySlug[value]
    var lower = value.toLowerCase()
    var rows = tagRows()
    for (var i = 0; i < rows.length; i++) {
      if (rows[i][0].toLowerCase() === lower) return i
    }
    return -1
  }

  function isParseError (error) {
    var lib = root.lunr
    return !!error && ((lib && error instanceof lib.QueryParseError) || error.name === 'QueryParseError')
  }

  /**
   * Load what search(params) needs (the monolithic form: only the texts a phrase is checked
   * in), then callback(error or null). A query lunr cannot parse is not an error here: search() reports it. `need`: how
   * many of the first hits must be exact (all when left out); a one-word query for a very
   * common term then loads only the term's head, and search() marks its result `partial`
   * (every count is right, but only the first hits are there).
   */
  function prepare (params, callback, need) {
    if (!ready()) return callback(new Error('the search index is not loaded'))
    var state = normalizeState(params)
    var plan = null
    var phrases = null
    if (state.q.trim()) {
      try {
        phrases = readPhrases(state.q)
        plan = !phrases.lunr ? null : entry ? planFor(phrases.lunr) : true
      } catch (error) {
        if (!isParseError(error)) return callback(error)
      }
    }
    var tagNumber = state.tag ? findTag(state.tag) : -1
    if (!entry) return plan && phrases.phrases.length ? phraseStep() : callback(null)
    var useHead = plan !== null && need !== undefined && headAnswers(state, need)
    // Browsing without a (known) tag lists documents by year, or all of them.
    var browse = !state.q.trim() && tagNumber < 0 && (state.tag || state.year || state.from || state.to)
    function step () {
      var paths = plan ? missingForPlan(plan, useHead) : []
      if (tagNumber >= 0 && !tagDocs[entry.tags[tagNumber][1]]) paths.push(tagPath(tagNumber))
      if (browse) paths.push.apply(paths, docsPaths(state.year ? parseInt(state.year, 10) : null))
      if (!paths.length) return rangeStep()
      loadFiles(paths, function (error) {
        if (error) return callback(error)
        step() // terms of fuzzy and wildcard queries are known once the term list is in
      })
    }
    // Documents near either end of the date range: their own day is in their metadata.
    function rangeStep () {
      var next = plan && phrases.phrases.length ? phraseStep : function () { callback(null) }
      if (!state.from && !state.to || (state.q.trim() && !plan)) return next()
      var hits
      try {
        hits = plan
          ? queryHits(phrases.lunr, state, {}, tagNumber >= 0 ? tagFlagsOf(tagNumber) : null)
          : browseHits(tagNumber >= 0 ? tagNumber : null, state.year ? parseInt(state.year, 10) : null)
      } catch (error) {
        return callback(isParseError(error) ? null : error)
      }
      var near = nearRangeEnds(hits, state)
      if (!near.length) return next()
      prepareDocs(near.map(function (hit) { return hit.doc }), function (error) {
        return error ? callback(error) : next()
      })
    }
    // The documents a phrase is checked in: lunr's hits for its words.
    function phraseStep () {
      var hits
      try {
        hits = phraseCandidates(withAllWords(rangedHits(phrases.lunr, state), phrases.phrases))
      } catch (error) {
        return callback(isParseError(error) ? null : error)
      }
      preparePhraseDocs(hits, callback)
    }
    step()
  }

  /** lunr's hits of a query within the state's tag (sharded) and date range. */
  function rangedHits (q, state, partial) {
    var tagNumber = state.tag ? findTag(state.tag) : null
    var only = entry && tagNumber !== null && tagNumber >= 0 ? tagFlagsOf(tagNumber) : null
    var hits = queryHits(q, state, partial || {}, only)
    var inRange = rangeTest(state)
    return inRange ? hits.filter(function (hit) { return inRange(hit.number) }) : hits
  }

  /** Load the titles, dates and tags of these docs (sharded form), then callback(error or null). */
  function prepareDocs (docList, callback) {
    if (!entry) return callback(null)
    var pieces = []
    var paths = []
    var seen = Object.create(null)
    docList.forEach(function (doc) {
      var slot = slotOf[doc.i]
      var place = placeOf(slot)
      var name = place ? place.name : groupPieceKey(slot)
      if (seen[name] || (place && metaChunks[name])) return
      seen[name] = true
      if (place) paths.push(metaPath(place))
      else pieces.push(rowsPath(name))
    })
    if (!pieces.length) return loadFiles(paths, callback)
    // Pieces of the table of groups name the metadata files of the rest: then those.
    loadFiles(pieces.concat(paths), function (error) {
      return error ? callback(error) : prepareDocs(docList, callback)
    })
  }

  function sortHits (hits, sort, browsing) {
    // Newest first: by ascending number (monolithic), by descending slot (sharded).
    var age = entry ? function (hit) { return -slotOf[hit.number] } : function (hit) { return hit.number }
    if (sort === 'newest' || (sort === 'relevance' && browsing)) {
      return hits.sort(function (a, b) { return age(a) - age(b) })
    }
    if (sort === 'oldest') return hits.sort(function (a, b) { return age(b) - age(a) })
    return hits // lunr's order: score, highest first
  }

  /** Year and tag counts of the hits; `any`: the query found documents (with or without the
   * tag filter's). hasTag and yearOf take document numbers. */
  function facets (hits, tagNumber, year, hasTag, yearOf, any) {
    var years = Object.create(null)
    var tags = Object.create(null)
    var countTag = function (t) { tags[t] = (tags[t] || 0) + 1 }
    for (var i = 0; i < hits.length; i++) {
      var hit = hits[i]
      var hitYear = yearOf(hit.number)
      var tagOk = tagNumber === null || hasTag(hit.number)
      var yearOk = year === null || hitYear === year
      if (tagOk) years[hitYear] = (years[hitYear] || 0) + 1
      if (yearOk && !entry) hit.doc.tags.forEach(countTag)
      if (yearOk && entry && tagNumber !== null && tagNumber >= 0 && tagOk) countTag(tagNumber)
    }
    var tagCounts
    if (!entry) {
      tagCounts = Object.keys(tags).map(Number).sort(function (a, b) { return a - b })
        .map(function (t) { return [t, tags[t]] })
    } else {
      // Sharded: only the chosen tag's documents are loaded, so only its count is known.
      tagCounts = !any ? [] : entry.tags.map(function (row, t) {
        return [t, t === tagNumber ? tags[t] || 0 : null]
      })
    }
    return {
      years: Object.keys(years).map(Number).sort(function (a, b) { return b - a })
        .map(function (y) { return [y, years[y]] }),
      tags: tagCounts
    }
  }

  function getIndex () {
    if (index === null) {
      if (serializedIndex === null) throw new Error('the search index is not loaded')
      index = lunrReady().Index.load(serializedIndex)
      indexLongest = longestOf(Object.keys(index.invertedIndex))
      serializedIndex = null
    }
    return index
  }

  /** A hit of a query: {doc, score, terms}; terms (the matched index terms, for highlighting)
   * are read from lunr's match data only when asked for, as a page shows few of many hits. */
  function Hit (doc, result) {
    this.doc = doc
    this.number = doc.i
    this.score = result.score
    this.matchData = result.matchData
  }
  Object.defineProperty(Hit.prototype, 'terms', {
    get: function () { return Object.keys(this.matchData.metadata) }
  })

  /** A hit of scoreQuery (or a sharded browse): its doc object is made, and its terms are
   * found in the query's postings, only when asked for (a page shows few of many hits). */
  function ScoredHit (number, score, context) {
    this.number = number
    this.score = score
    this.context = context
  }
  Object.defineProperty(ScoredHit.prototype, 'doc', {
    get: function () { return docAt(this.number) }
  })
  Object.defineProperty(ScoredHit.prototype, 'terms', {
    get: function () { return matchedTerms(this.context, this.number) }
  })

  /** lunr's results as hits; throws lunr's QueryParseError. With a head, `partial` gets
   * {count, years} of all the hits, of which `hits` are the first. Sharded, with `only`
   * (flags by document number: a tag's) hits are only those documents, and partial.any
   * says whether lunr found any document at all. partial.limited: a bound of bounds.js cut
   * a fuzzy or wildcard term. */
  function queryHits (q, state, partial, only) {
    var hits = []
    var work = new Work()
    if (!entry) {
      var whole = getIndex() // sets indexLongest
      boundedSearch(whole, q, indexLongest, work).forEach(function (r) {
        var doc = docsByRef[r.ref]
        if (doc) hits.push(new Hit(doc, r))
      })
      partial.limited = work.limited
      return hits
    }
    var plan = planFor(q)
    var head = usableHead(plan, state)
    var terms
    if (head) {
      partial.count = head.term === plan.single.term ? head.count : 0
      partial.years = head.term === plan.single.term ? head.years : []
      terms = partial.count ? [head.term] : []
    } else if (missingForPlan(plan, false).length) {
      throw new Error('search data not loaded: call prepare() first')
    } else {
      terms = planTerms(plan)
    }
    var scored = scoreQuery(q, plan, terms, head, only)
    if (scored === null) {
      var results = boundedSearch(partialIndex(terms, plan.negated, head), q, longestOf(terms), work)
      partial.limited = plan.work.limited || work.limited
      partial.any = results.length > 0
      results.forEach(function (r) {
        var number = refNumber(r.ref)
        if (!only || only[number]) hits.push(new Hit(docAt(number), r))
      })
      return hits
    }
    partial.any = scored.matched > 0
    partial.limited = plan.work.limited || scored.limited
    for (var i = 0; i < scored.count; i++) {
      var at = scored.ranked[i]
      hits.push(new ScoredHit(scored.numbers[at], scored.scores[at], scored.context))
    }
    return hits
  }

  /** Every document (browsing by filters only), as hits in archive order. */
  function browseHits (tagNumber, year) {
    var list = []
    if (!entry) return docs.map(function (doc) { return { doc: doc, number: doc.i, score: 0, terms: [] } })
    if (tagNumber !== null && tagNumber >= 0) {
      list = tagDocs[entry.tags[tagNumber][1]]
    } else {
      list = yearNumbers(year)
    }
    return Array.prototype.map.call(list, function (number) { return new ScoredHit(number, 0, null) })
  }

  /**
   * Run a search. Returns {state, mode, hits, total, limited, error, unknownTag, facets}:
   * mode is 'empty' (nothing asked), 'query' (lunr query) or 'browse' (only filters);
   * hits are {doc, score, terms} in the requested order, all of them (the caller pages);
   * limited: a fuzzy or wildcard term was cut to bound the query's work (bounds.js), so
   * hits may be missing;
   * error is {message, start, end} when lunr cannot parse the query. With the sharded form,
   * call prepare(params) first; facets.tags then counts only the chosen tag (others null).
   */
  function search (params) {
    var state = normalizeState(params)
    var result = {
      state: state,
      mode: 'empty',
      hits: [],
      total: 0,
      partial: false,
      limited: false,
      error: null,
      unknownTag: false,
      facets: null,
      stopWords: null, // the words of a query of stop words only
      phrases: [], // the quoted phrases as typed
      phraseChecked: 0, // how many of ...
      phraseOf: 0 // ... lunr's hits for their words the phrases were looked for in
    }
    if (!ready()) throw new Error('the search metadata is not loaded')
    var tagNumber = state.tag ? findTag(state.tag) : null
    var year = state.year ? parseInt(state.year, 10) : null
    result.unknownTag = tagNumber === -1
    var hits
    var partial = {}
    if (state.q.trim()) {
      try {
        var read = readPhrases(state.q)
        result.stopWords = stopWordsOf(state.q)
        if (result.stopWords) {
          result.mode = 'query'
          return result
        }
        if (!read.lunr) return result
        // Sharded: documents without the chosen tag count in no facet and are no hit, so
        // they are left out at once (most of a common word's hits, with a small tag).
        hits = rangedHits(read.lunr, state, partial)
        if (read.phrases.length) hits = phraseHits(hits, read.phrases, result)
      } catch (error) {
        if (!isParseError(error)) throw error
        result.error = { message: error.message, start: error.start, end: error.end }
        return result
      }
      result.mode = 'query'
      result.limited = !!partial.limited
    } else if (tagNumber !== null || year !== null || state.from || state.to) {
      result.mode = 'browse'
      hits = browseHits(tagNumber, year)
      var inRange = rangeTest(state)
      if (inRange) hits = hits.filter(function (hit) { return inRange(hit.number) })
    } else {
      return result
    }
    // By document number: sharded hits make their doc objects only when asked for.
    var hasTag
    if (tagNumber === null || tagNumber < 0) {
      hasTag = function () { return false }
    } else if (entry) {
      var flags = tagFlagsOf(tagNumber)
      hasTag = function (number) { return flags[number] === 1 }
    } else {
      hasTag = function (number) { return docs[number].tags.indexOf(tagNumber) >= 0 }
    }
    var yearOf = entry ? yearOfNumber : function (number) { return docs[number].year }
    var any = partial.any === undefined ? hits.length > 0 : partial.any
    result.facets = facets(hits, tagNumber, year, hasTag, yearOf, any)
    if (partial.years) {
      // A head: the first hits only, with the counts of all of them.
      result.partial = true
      result.facets.years = partial.years
      result.total = partial.count
      result.hits = hits
      return result
    }
    if (tagNumber !== null || year !== null) {
      hits = hits.filter(function (hit) {
        return (tagNumber === null || hasTag(hit.number)) && (year === null || yearOf(hit.number) === year)
      })
    }
    result.hits = sortHits(hits, state.sort, result.mode === 'browse')
    result.total = hits.length
    return result
  }

  /** The hits whose documents hold the phrases (of the first PHRASE_CHECKS), in their order. */
  function phraseHits (hits, phrases, result) {
    hits = withAllWords(hits, phrases)
    var candidates = phraseCandidates(hits)
    result.phrases = phrases.map(function (phrase) { return phrase.text })
    result.phraseChecked = candidates.length
    result.phraseOf = hits.length
    return candidates.filter(function (hit) {
      if (textOf(hit.doc) === undefined || hit.doc.title === undefined) {
        throw new Error('search texts not loaded: call prepare() first')
      }
      return docHasPhrases(hit.doc, phrases)
    })
  }

  /** Plain data of a hit, as the command line prints it (its doc must be prepared). */
  function describe (hit) {
    var rows = tagRows()
    return {
      url: hit.doc.ref,
      title: hit.doc.title,
      date: hit.doc.date,
      tags: hit.doc.tags.map(function (t) { return rows[t][0] }),
      score: hit.score
    }
  }

  function tag (number) {
    var row = tagRows()[number]
    return { name: row[0], slug: row[1] }
  }

