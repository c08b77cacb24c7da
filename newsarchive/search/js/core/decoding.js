  /* ---- compact numbers: base64 of unsigned LEB128 varints (postings.py) ---- */

  var BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  var BASE64_VALUE = new Int16Array(128).fill(-1)
  for (var b = 0; b < 64; b++) BASE64_VALUE[BASE64.charCodeAt(b)] = b

  function decodeBase64 (text) {
    var length = text.length
    while (length && text.charAt(length - 1) === '=') length--
    var out = new Uint8Array(Math.floor(length * 3 / 4))
    var o = 0
    var bits = 0
    var value = 0
    for (var i = 0; i < length; i++) {
      value = (value << 6) | BASE64_VALUE[text.charCodeAt(i)]
      bits += 6
      if (bits >= 8) {
        bits -= 8
        out[o++] = (value >> bits) & 0xff
      }
    }
    return out
  }

  /** Call fn(n) for `count` varints from bytes[at] (all of them if count < 0); return the end. */
  function readVarints (bytes, at, count, fn) {
    while (count !== 0 && at < bytes.length) {
      var next = readOne(bytes, at)
      fn(next[0])
      at = next[1]
      count--
    }
    return at
  }

  /** One unsigned LEB128 varint at bytes[at]: [value, index after it]. */
  function readOne (bytes, at) {
    at = readInto(bytes, at, oneValue)
    return [oneValue[0], at]
  }
  var oneValue = new Float64Array(1)

  /**
   * out.length unsigned LEB128 varints from bytes[at] into out; the index after them.
   * One loop for a whole run: a call and an array per number slowed decoding common terms.
   */
  function readInto (bytes, at, out) {
    for (var i = 0; i < out.length; i++) {
      var value = 0
      var scale = 1
      var byte
      do {
        byte = bytes[at++]
        value += (byte & 0x7f) * scale
        scale *= 128
      } while (byte & 0x80)
      out[i] = value
    }
    return at
  }

  function skipVarints (bytes, at, count) {
    while (count-- > 0) {
      while (bytes[at++] & 0x80) { /* continuation byte */ }
    }
    return at
  }

  /** Byte offset of each term's record in a shard (computed once, on first use). */
  function shardOffsets (shard) {
    if (shard.offsets) return shard.offsets
    if (typeof shard.data === 'string') shard.data = decodeBase64(shard.data)
    var bytes = shard.data
    var fieldCount = entry.fields.length
    var offsets = new Array(shard.terms.length)
    var at = 0
    for (var t = 0; t < shard.terms.length; t++) {
      offsets[t] = at
      for (var f = 0; f < fieldCount; f++) {
        var read = readOne(bytes, at)
        at = skipVarints(bytes, read[1], read[0] * 3)
      }
    }
    shard.offsets = offsets
    return offsets
  }

  /**
   * lunr.js's weight of a posting, as lunr.Builder#createFieldVectors computes it, operation
   * for operation: BM25 of the term's frequency and the field's length, times the field's
   * boost (and the document's, always 1), rounded to thousandths.
   */
  function weightOf (idf, tf, length, average, boost) {
    var k1 = entry.bm25[0]
    var b = entry.bm25[1]
    var score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf)
    score *= boost
    score *= 1
    return Math.round(score * 1000) / 1000
  }

  /**
   * {docs, slots, weights: [[...] per field]} of a loaded term (or its head), documents
   * newest first (lunr's insertion order), by number and by slot. Shards store slots
   * (ascending) with the term's frequency and the field's length; a head also carries
   * the term's whole document count for the idf, which lunr.idf counts once per field.
   */
  function postingsOf (term, head) {
    var cached = head ? head.postings : postingCache[term]
    if (cached) return cached
    var shard = head ? head.shard : shards[shardKeyFor(term)]
    var at = shardOffsets(shard)[shard.at[term]]
    var bytes = shard.data
    var fieldCount = entry.fields.length
    var raw = []
    var withTerm = 0
    for (var f = 0; f < fieldCount; f++) {
      var read = readOne(bytes, at)
      var count = read[0]
      var values = new Float64Array(count * 3)
      at = readInto(bytes, read[1], values)
      raw.push(values)
      withTerm += count
    }
    if (head) withTerm = head.withTerm
    var n = entry.count
    var idf = Math.log(1 + Math.abs((n - withTerm + 0.5) / (withTerm + 0.5)))
    var out = { docs: [], slots: [], weights: [] }
    for (f = 0; f < fieldCount; f++) {
      values = raw[f]
      count = values.length / 3
      var average = entry.lengths[f] / n
      var boost = entry.boosts[f]
      var docs = new Int32Array(count)
      var slots = new Float64Array(count)
      var weights = new Float64Array(count)
      var slot = -1
      for (var i = 0; i < count; i++) {
        slot += values[i] + 1
        // Ascending slots, newest last: fill from the end.
        slots[count - 1 - i] = slot
        docs[count - 1 - i] = numberOf(slot)
        weights[count - 1 - i] = weightOf(idf, values[count + i], values[2 * count + i], average, boost)
      }
      out.docs.push(docs)
      out.slots.push(slots)
      out.weights.push(weights)
    }
    if (head) head.postings = out
    else postingCache[term] = out
    return out
  }

