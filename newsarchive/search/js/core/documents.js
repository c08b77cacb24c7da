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

  /** The metadata chunk of a slot: {name: 'F-C', group (its number), base: C's first slot}. */
  function placeOf (slot) {
    var lo = 0
    var hi = groupFirsts.length - 1
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1
      if (groupFirsts[mid] <= slot) lo = mid
      else hi = mid - 1
    }
    var first = groupFirsts[lo]
    var chunk = Math.floor((slot - first) / groupShifts[lo])
    var base = first + chunk * groupShifts[lo]
    return { name: first + '-' + chunk, chunk: chunk, group: lo, base: base }
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
    var chunk = metaChunks[place.name]
    if (chunk) {
      var at = chunk.at.indexOf(slot - place.base)
      fillDoc(doc, chunk.docs[at], place.name, at)
    }
    return doc
  }

  function metaPath (place) {
    var width = entry.hashSize
    var key = entry.meta.slice(place.group * width, (place.group + 1) * width)
    return fanned('meta', metaFanKey(key, place.chunk), place.name + '-' + key)
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

