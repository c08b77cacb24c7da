  /* ---- documents of the sharded form ---- */

  function fillDoc (doc, row, chunk, at) {
    var url = row[0]
    var date = row[2]
    // metadata.py leaves out the /YYYY/MM/DD/ that the date gives.
    if (url.charAt(0) !== '/') {
      url = '/' + date.slice(0, 4) + '/' + date.slice(5, 7) + '/' + date.slice(8, 10) + '/' + url
    }
    doc.ref = url
    doc.title = row[1]
    doc.date = row[2]
    doc.tags = row[3].map(function (slug) { return tagsBySlug[slug] })
    doc.lang = row[4] || entry.language // named when not the archive's language
    doc.chunk = chunk // its metadata (and text) chunk, and its row there
    doc.row = at
  }

  /** Position of the last of the ascending `values` at or before `value` (0 if none). */
  function lastAtMost (values, value) {
    var lo = 0
    var hi = values.length - 1
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1
      if (values[mid] <= value) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** The key of the piece of entry.groupPieces holding a slot's group. */
  function groupPieceKey (slot) {
    return entry.groupPieces[lastAtMost(groupPieceFirsts, slot)][1]
  }

  /**
   * The metadata chunk of a slot: {name: 'F-C', chunk: C, base: C's first slot, first: F,
   * shift, key: the group's hash}; null while the piece of groups holding it is not loaded
   * (groupPieceKey).
   */
  function placeOf (slot) {
    var table = groupTable || rowPieces[groupPieceKey(slot)]
    if (!table) return null
    var g = lastAtMost(table.firsts, slot)
    var first = table.firsts[g]
    var shift = table.shifts[g]
    var chunk = Math.floor((slot - first) / shift)
    var width = entry.hashSize
    return {
      name: first + '-' + chunk,
      chunk: chunk,
      base: first + chunk * shift,
      first: first,
      shift: shift,
      key: table.meta.slice(g * width, (g + 1) * width)
    }
  }

  var yearByNumber = null // document number -> year (sharded), filled on first use

  function yearOfNumber (number) {
    if (yearByNumber === null) yearByNumber = new Int16Array(entry.count)
    return yearByNumber[number] || (yearByNumber[number] = yearOfSlot(slotOf[number]))
  }

  /** The year of a slot: entry.years holds [year, first slot, last slot] runs, oldest first. */
  function yearOfSlot (slot) {
    var runs = entry.years
    var lo = 0
    var hi = runs.length - 1
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1
      if (runs[mid][1] <= slot) lo = mid
      else hi = mid - 1
    }
    return runs[lo][0]
  }

  /** The doc object of a document number; ref, title, date, tags once its chunk is loaded. */
  function docAt (number) {
    var doc = docObjects[number]
    if (doc) return doc
    var slot = slotOf[number]
    doc = docObjects[number] = {
      i: number,
      ref: undefined,
      title: undefined,
      date: undefined,
      year: yearOfSlot(slot),
      tags: [],
      lang: undefined
    }
    var place = placeOf(slot)
    var chunk = place && metaChunks[place.name]
    if (chunk) {
      var at = chunk.at.indexOf(slot - place.base)
      fillDoc(doc, chunk.docs[at], place.name, at)
    }
    return doc
  }

  function metaPath (place) {
    return fanned('meta', metaFanKey(place.key, place.chunk), place.name + '-' + place.key)
  }

  function tagPath (number) {
    var key = entry.tags[number][3]
    return fanned('tag', key, key)
  }

  function tagFlagsOf (number) {
    var slug = entry.tags[number][1]
    if (!tagFlags[slug]) {
      var flags = new Uint8Array(entry.count)
      tagDocs[slug].forEach(function (n) { flags[n] = 1 })
      tagFlags[slug] = flags
    }
    return tagFlags[slug]
  }

