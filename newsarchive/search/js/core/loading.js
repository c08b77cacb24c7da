  /* ---- loading files ---- */

  /** fn(path, done): run the site-relative script `path`, then done(error or null). */
  function setLoader (fn) {
    loader = fn
  }

  function loadFile (path, callback) {
    var file = files[path]
    if (file && (file.done || file.error)) return callback(file.error)
    if (file) return file.waiters.push(callback)
    if (!loader) return callback(new Error('no script loader to load ' + path))
    file = files[path] = { done: false, error: null, waiters: [callback] }
    loader(path, function (error) {
      if (file.done || file.error) return
      if (error) {
        file.error = error
        delete files[path] // a later search may try again
      } else {
        file.done = true
      }
      var waiters = file.waiters
      file.waiters = []
      waiters.forEach(function (fn) { fn(file.error) })
    })
  }

  /** Load every path (in parallel), then callback(first error or null). */
  function loadFiles (paths, callback) {
    var remaining = paths.length
    var failed = null
    if (!remaining) return callback(null)
    paths.forEach(function (path) {
      loadFile(path, function (error) {
        if (error && !failed) failed = error
        if (--remaining === 0) callback(failed)
      })
    })
  }

  /**
   * The path of the file `name` of the sharded index's folder `kind` (a key of entry.paths),
   * placed by the hex `key`: past a folder limit, the files of a folder are fanned out into
   * sub-folders named by the first entry.fan[kind] digits of their key, entry.fan.width to a
   * level (sharded.py's fan_out, folders.py's fanned).
   */
  function fanned (kind, key, name) {
    var digits = entry.fan[kind]
    var width = entry.fan.width
    var path = entry.paths[kind]
    for (var i = 0; i < digits; i += width) path += key.slice(i, Math.min(i + width, digits)) + '/'
    return path + name + '.js'
  }

  /** What places a metadata file: its group's hash mixed with its chunk (sharded.py's meta_fan_key). */
  function metaFanKey (key, chunk) {
    var mixed = (parseInt(key, 16) ^ Math.imul(chunk + 1, 0x9E3779B1)) >>> 0
    return ('0000000' + mixed.toString(16)).slice(-8)
  }

  /* ---- data registration (called by the generated scripts) ---- */

  function shortRef (number) {
    var letters = ''
    do {
      letters = String.fromCharCode(97 + number % 26) + letters
      number = Math.floor(number / 26)
    } while (number > 0)
    return letters
  }

  var refs = [] // document number -> short ref, computed once

  function refOf (number) {
    return refs[number] || (refs[number] = shortRef(number))
  }

  function refNumber (ref) {
    var number = 0
    for (var i = 0; i < ref.length; i++) number = number * 26 + ref.charCodeAt(i) - 97
    return number
  }

  function setIndex (data) {
    serializedIndex = data
    index = null
  }

  function setDocs (data) {
    meta = data
    multiReady = false
    docs = data.docs.map(function (row, i) {
      return {
        i: i,
        ref: row[0],
        title: row[1],
        date: row[2],
        year: parseInt(row[2].slice(0, 4), 10),
        tags: row[3],
        lang: row[4] || data.language // a row names its language when not the archive's
      }
    })
    // The index refers to documents by short letter refs (monolithic.py short_ref).
    docsByRef = Object.create(null)
    docs.forEach(function (doc, i) { docsByRef[shortRef(i)] = doc })
    indexTags(data.tags)
  }

  function setEntry (data) {
    entry = data
    multiReady = false
    // Rows come as [name, count, file, slug]; the slug is left out when it is the name.
    entry.tags = data.tags.map(function (row) {
      return [row[0], row.length > 3 ? row[3] : row[0], row[1], row[2]]
    })
    indexTags(entry.tags)
    yearByNumber = null
    // A packed array from the start: one filled at random numbers was slow (a dictionary).
    docObjects = []
    for (var d = 0; d < entry.count; d++) docObjects.push(null)
    slotOf = []
    numberBySlot = new Map()
    yearDocs = Object.create(null)
    newestFirst = null
    rowPieces = Object.create(null)
    groupTable = data.groups === undefined ? null : readGroups(data.groups, data.meta)
    groupPieceFirsts = !data.groupPieces ? null
      : Float64Array.from(data.groupPieces, function (piece) { return piece[0] })
  }

  /** A table of metadata groups (tables.py encode_groups): `groups`, varints of (first slot
   * - the previous group's, shift) pairs; `meta`, their hashes end to end. */
  function readGroups (groups, meta) {
    var table = []
    readVarints(decodeBase64(groups), 0, -1, function (value) { table.push(value) })
    var firsts = new Float64Array(table.length / 2)
    var shifts = new Float64Array(table.length / 2)
    var first = 0
    for (var g = 0; g < firsts.length; g++) {
      first += table[2 * g]
      firsts[g] = first
      shifts[g] = Math.pow(2, table[2 * g + 1])
    }
    return { firsts: firsts, shifts: shifts, meta: meta }
  }

  /** A piece of the table of shards: its rows, as entry.shards holds them. */
  function addShardRows (key, rows) {
    rowPieces[key] = rows
  }

  /** A piece of the table of metadata groups. */
  function addGroups (key, data) {
    rowPieces[key] = readGroups(data.groups, data.meta)
  }

  function rowsPath (key) { return entry.paths.rows + key + '.js' }

  /**
   * Load every piece of the entry's tables not loaded yet, then callback(error or null).
   * search-ui.js asks once a query's results are all shown: a reader who searches again
   * then waits for no round of pieces (about 190 kB gzipped at a million articles, where
   * the first results needed 92 kB; nothing for an archive whose tables are in the entry).
   */
  function loadTables (callback) {
    var paths = []
    ;[entry && entry.shardPieces, entry && entry.groupPieces].forEach(function (pieces) {
      (pieces || []).forEach(function (piece) {
        if (!rowPieces[piece[1]]) paths.push(rowsPath(piece[1]))
      })
    })
    loadFiles(paths, callback)
  }

  /** The document number of a slot (a new one the first time: at most entry.count). */
  function numberOf (slot) {
    var number = numberBySlot.get(slot)
    if (number === undefined) {
      number = slotOf.length
      slotOf.push(slot)
      numberBySlot.set(slot, number)
    }
    return number
  }

  /** Call fn(slot) for each slot of delta varints (postings.py deltas), ascending. */
  function readSlots (encoded, fn) {
    var slot = -1
    readVarints(decodeBase64(encoded), 0, -1, function (gap) {
      slot += gap + 1
      fn(slot)
    })
  }

  function indexTags (tags) {
    tagsBySlug = Object.create(null)
    tags.forEach(function (tag, i) { tagsBySlug[tag[1]] = i })
  }

  function addShard (key, data) {
    var at = Object.create(null)
    data[0].forEach(function (term, i) { at[term] = i })
    shards[key] = { terms: data[0], at: at, data: data[1], offsets: null }
  }

  function addHead (key, data) {
    var shard = { terms: [data[0]], at: Object.create(null), data: data[4], offsets: null }
    shard.at[data[0]] = 0
    heads[key] = { term: data[0], count: data[1], years: data[2], withTerm: data[3], shard: shard }
  }

  function addTerms (list) {
    allTerms = list
  }

  function addTag (slug, encoded) {
    var list = []
    readSlots(encoded, function (slot) { list.push(numberOf(slot)) })
    tagDocs[slug] = list.reverse() // newest first
  }

  /** One run of entry.years: its first slot and its documents' slots (offsets from it). */
  function addDocs (first, encoded) {
    var list = []
    readSlots(encoded, function (offset) { list.push(first + offset) })
    yearDocs[first] = list
  }

  /** The document numbers of `year` (every year: null), newest first; their files
   * (docsPaths) must be loaded. */
  function yearNumbers (year) {
    var out = []
    for (var r = entry.years.length - 1; r >= 0; r--) {
      var run = entry.years[r]
      if (year !== null && run[0] !== year) continue
      var list = yearDocs[run[1]]
      for (var i = list.length - 1; i >= 0; i--) out.push(numberOf(list[i]))
    }
    return out
  }

  /** Every document number, newest first (every year's file must be loaded). */
  function allNumbers () {
    if (newestFirst === null) newestFirst = Int32Array.from(yearNumbers(null))
    return newestFirst
  }

  /** The files of the years' documents not loaded yet: `year`'s, or every year's (null). */
  function docsPaths (year) {
    var paths = []
    entry.years.forEach(function (run, r) {
      if ((year === null || run[0] === year) && !yearDocs[run[1]]) {
        paths.push(fanned('docs', entry.docs[r], entry.docs[r]))
      }
    })
    return paths
  }

  function addMeta (name, data) {
    metaChunks[name] = data
    var parts = name.split('-')
    var place = placeOf(Number(parts[0])) // the group's first slot (its piece is loaded)
    var base = place.first + Number(parts[1]) * place.shift
    data.docs.forEach(function (row, i) {
      var number = numberBySlot.get(base + data.at[i])
      var doc = number === undefined ? null : docObjects[number]
      if (doc) fillDoc(doc, row, name, i)
    })
  }

  function addTexts (chunk, list) {
    texts[chunk] = list
  }

  function ready () {
    return entry !== null || (meta !== null && (index !== null || serializedIndex !== null))
  }

  function tagRows () {
    return entry ? entry.tags : meta ? meta.tags : []
  }

