  /* ---- texts and snippets ---- */

  /** A doc's text chunk: its number's (monolithic), its metadata chunk's (sharded). */
  function chunkOf (doc) {
    return entry ? doc.chunk : Math.floor(doc.i / meta.chunkSize)
  }

  /** The path of a doc's text file (sharded: its metadata chunk must be loaded). */
  function textPathOf (doc) {
    var chunk = chunkOf(doc)
    if (!entry) return meta.textPath + chunk + '.js'
    return entry.paths.text + chunk + '-' + metaChunks[chunk].text + '.js'
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

  /** The indexed term of one word, as the index builder made it (trimmer, stop words, stemmer). */
  function termOf (word) {
    var lower = word.toLowerCase()
    if (lower in termCache) return termCache[lower]
    if (builderPipeline === null) {
      builderPipeline = lunrLib().Pipeline.load((entry || meta).pipeline)
    }
    var out = builderPipeline.runString(lower)
    var term = out.length ? out[0] : null
    termCache[lower] = term
    return term
  }

  function termSet (terms) {
    var set = Object.create(null)
    ;(terms || []).forEach(function (t) { if (t) set[t] = true })
    return set
  }

  /**
   * Split text[from, to) into segments {text, mark}; mark is true for the letters of words
   * whose indexed term is one of the matched terms (surrounding punctuation unmarked).
   */
  function highlight (text, terms, from, to) {
    var set = terms && !Array.isArray(terms) ? terms : termSet(terms)
    from = from || 0
    to = to === undefined ? text.length : to
    var part = text.slice(from, to)
    var segments = []
    var last = 0
    var match
    WORD.lastIndex = 0
    while ((match = WORD.exec(part)) !== null) {
      var term = termOf(match[0])
      if (term && set[term]) {
        var lead = (LEADING_NON_WORD.exec(match[0]) || [''])[0].length
        var trail = (TRAILING_NON_WORD.exec(match[0]) || [''])[0].length
        var start = match.index + lead
        var end = match.index + match[0].length - trail
        if (end > start) {
          if (start > last) segments.push({ text: part.slice(last, start), mark: false })
          segments.push({ text: part.slice(start, end), mark: true })
          last = end
        }
      }
    }
    if (last < part.length) segments.push({ text: part.slice(last), mark: false })
    return segments
  }

  /**
   * A snippet of about `length` characters around the first matched word (or the start of
   * the text): {segments, before, after}; before/after say whether text was cut there.
   * White space runs (paragraph breaks) become single spaces.
   */
  function snippet (text, terms, length) {
    length = length || 240
    var set = termSet(terms)
    var hitAt = -1
    var match
    WORD.lastIndex = 0
    while ((match = WORD.exec(text)) !== null) {
      var term = termOf(match[0])
      if (term && set[term]) {
        hitAt = match.index
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
    var segments = highlight(text, set, start, end).map(function (s) {
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

