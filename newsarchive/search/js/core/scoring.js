  /**
   * lunr.Index#query (lunr.js 2.3.9) run on the loaded postings of `terms` (sorted) without
   * building an index: the same clauses, expansions (lunr's TokenSet intersection: the
   * plan's for 'all' items, else over `terms`, bounded by bounds.js), required and
   * prohibited sets per field, query vectors of summed boosts and field scores (the dot
   * product with the document's weights over the vector's magnitude), added up per document
   * and sorted (stably) by score; results start in the order lunr first matches documents.
   * Field vectors and refs of tens of thousands of documents were most of a common query's
   * time. Returns {numbers, scores, ranked: positions in lunr's order, count, matched,
   * context, limited}, or null when lunr would throw (a required clause that gives no
   * term): the caller then lets lunr itself run. With `only` (flags by document number) the
   * results are only those documents; `matched` counts lunr's results all the same.
   */
  function scoreQuery (q, plan, terms, head, only) {
    var lib = lunrLib()
    var presence = lib.Query.presence
    var fields = entry.fields
    var fieldCount = fields.length
    var n = entry.count
    var query = new lib.Query(fields)
    new lib.QueryParser(q, query).parse()
    var tokenSet = lib.TokenSet.fromArray(terms)
    var work = new Work()
    var itemAt = 0 // plan.items has an item per clause and pipeline term, in this order
    var numberOf = Object.create(null)
    var postings = terms.map(function (term, t) {
      numberOf[term] = t
      return null
    })
    // Query vectors: summed boosts by field and term number (inVector: lunr has an element).
    var boosts = []
    var inVector = []
    for (var f = 0; f < fieldCount; f++) {
      boosts.push(new Float64Array(terms.length))
      inVector.push(new Uint8Array(terms.length))
    }
    var pairs = [] // term number, field: each matched pair once, in lunr's order
    var pairDone = Object.create(null)
    var matched = 0 // s.order[0, matched): documents in the order lunr first matches them
    var requiredClauses = 0
    var requiredSet = new Uint8Array(fieldCount) // lunr's requiredMatches[field] is defined
    var noneRequired = false // a required term matched no index term: no results
    var hasProhibited = false
    var s = scratchFor(n, fieldCount)
    try {
      for (var c = 0; c < query.clauses.length; c++) {
        var clause = query.clauses[c]
        var isRequired = clause.presence === presence.REQUIRED
        var isProhibited = clause.presence === presence.PROHIBITED
        var clauseFields = clause.fields.map(function (name) { return fields.indexOf(name) })
        var clauseTerms = clause.usePipeline
          ? getSearchPipeline().runString(clause.term, { fields: clause.fields })
          : [clause.term]
        var items = plan.items.slice(itemAt, itemAt += clauseTerms.length)
        for (var m = 0; m < clauseTerms.length; m++) {
          clause.term = clauseTerms[m]
          var item = items[m]
          var expanded = item.kind === 'all' ? item.expansions : expandClause(tokenSet, clause, work)
          if (expanded.length === 0 && isRequired) {
            clauseFields.forEach(function (f) { requiredSet[f] = 1 })
            noneRequired = true
            break
          }
          for (var j = 0; j < expanded.length; j++) {
            var t = numberOf[expanded[j]]
            var termPostings = postings[t] || (postings[t] = postingsOf(expanded[j], head))
            for (var k = 0; k < clauseFields.length; k++) {
              f = clauseFields[k]
              var list = termPostings.docs[f]
              if (isRequired || isProhibited) s.touched.push(list)
              if (isRequired) {
                countOnce(list, s.requiredHits, s.requiredStamp, c + 1)
                requiredSet[f] = 1
              }
              if (isProhibited) {
                hasProhibited = true
                flagAll(list, s.prohibited)
                continue
              }
              boosts[f][t] += clause.boost
              inVector[f][t] = 1
              if (pairDone[t * fieldCount + f]) continue
              pairDone[t * fieldCount + f] = true
              pairs.push(t, f)
              matched = appendNew(list, s.seen, s.order, matched)
            }
          }
        }
        if (isRequired) {
          for (k = 0; k < clauseFields.length; k++) {
            if (!requiredSet[clauseFields[k]]) return null // lunr: undefined.intersect()
          }
          requiredClauses++
        }
      }
      var prohibited = hasProhibited ? s.prohibited : null
      if (query.isNegated()) {
        // lunr scores every document field (0: the query vectors are empty), in index order.
        var every = allNumbers()
        var found = new Int32Array(n)
        var count = 0
        var all = 0
        for (var r = 0; r < every.length; r++) {
          var d = every[r]
          if (prohibited && prohibited[d]) continue
          all++
          if (!only || only[d]) found[count++] = d
        }
        var ranked = new Int32Array(count)
        for (var i = 0; i < count; i++) ranked[i] = i
        return {
          numbers: found,
          scores: new Float64Array(count),
          ranked: ranked,
          count: count,
          matched: all,
          context: null,
          limited: work.limited
        }
      }
      var scoring = noneRequired ? 0 : matched // documents that may be results
      // Dot products in ascending term number (lunr.Vector#dot's order), over magnitudes.
      var magnitudes = []
      for (f = 0; f < fieldCount; f++) {
        var sumOfSquares = 0
        for (t = 0; t < terms.length; t++) {
          if (!inVector[f][t]) continue
          var boost = boosts[f][t]
          sumOfSquares += boost * boost
          list = postings[t].docs[f]
          if (list.length && scoring) addProducts(list, postings[t].weights[f], boost, s.dots[f])
        }
        magnitudes.push(Math.sqrt(sumOfSquares))
      }
      var out = {
        numbers: new Int32Array(scoring),
        scores: new Float64Array(scoring),
        ranked: null,
        count: 0,
        matched: 0,
        context: { terms: terms, postings: postings, pairs: pairs },
        limited: work.limited
      }
      collectScores(s, scoring, requiredClauses, prohibited, only, magnitudes, out)
      out.ranked = rankByScore(out.scores, out.count)
      return out
    } finally {
      clearScratch(s, matched)
    }
  }

  // The loops of scoreQuery over postings, as small functions: every query runs them, so
  // the engine optimises them early (a page runs only a few queries).

  /** Count each document of `list` once per clause (stamp). */
  function countOnce (list, counts, stamps, stamp) {
    for (var i = 0; i < list.length; i++) {
      var d = list[i]
      if (stamps[d] !== stamp) {
        stamps[d] = stamp
        counts[d]++
      }
    }
  }

  function flagAll (list, flags) {
    for (var i = 0; i < list.length; i++) flags[list[i]] = 1
  }

  /** Append the documents of `list` not seen yet to order[length...]; the new length. */
  function appendNew (list, seen, order, length) {
    for (var i = 0; i < list.length; i++) {
      var d = list[i]
      if (seen[d] === 0) {
        seen[d] = 1
        order[length++] = d
      }
    }
    return length
  }

  function addProducts (list, weights, boost, dot) {
    for (var i = 0; i < list.length; i++) dot[list[i]] += boost * weights[i]
  }

  /** lunr's results among the first `matched` of s.order: out.numbers and out.scores (the
   * field scores added up; a field without the query's terms adds 0), out.count of them,
   * out.matched before the `only` filter. */
  function collectScores (s, matched, requiredClauses, prohibited, only, magnitudes, out) {
    var count = 0
    var all = 0
    var order = s.order
    var requiredHits = s.requiredHits
    var dots = s.dots
    var fieldCount = dots.length
    for (var r = 0; r < matched; r++) {
      var d = order[r]
      if (requiredClauses && requiredHits[d] !== requiredClauses) continue
      if (prohibited && prohibited[d]) continue
      all++
      if (only && !only[d]) continue
      var score = 0
      for (var f = 0; f < fieldCount; f++) score += dots[f][d] / magnitudes[f] || 0
      out.numbers[count] = d
      out.scores[count++] = score
    }
    out.count = count
    out.matched = all
  }

  var scratch = null // per-document work arrays of scoreQuery, all 0 between queries

  function scratchFor (n, fieldCount) {
    if (scratch && scratch.seen.length === n) return scratch
    scratch = {
      seen: new Uint8Array(n),
      order: new Int32Array(n),
      requiredHits: new Uint16Array(n),
      requiredStamp: new Uint16Array(n),
      prohibited: new Uint8Array(n),
      dots: [],
      touched: [] // postings lists whose documents' required and prohibited marks are set
    }
    for (var f = 0; f < fieldCount; f++) scratch.dots.push(new Float64Array(n))
    return scratch
  }

  function clearScratch (s, matched) {
    var i, d
    for (i = 0; i < matched; i++) {
      d = s.order[i]
      s.seen[d] = 0
      for (var f = 0; f < s.dots.length; f++) s.dots[f][d] = 0
    }
    s.touched.forEach(function (list) {
      for (i = 0; i < list.length; i++) {
        d = list[i]
        s.requiredHits[d] = s.requiredStamp[d] = s.prohibited[d] = 0
      }
    })
    s.touched = []
  }

  /**
   * Positions 0..count-1 of `scores`, highest score first and equal ones in position order
   * (what lunr's stable results.sort gives): each position goes to the bucket of its score
   * among the distinct scores, which a typed array sorts natively. Sorting tens of thousands
   * of results with a comparator took longer than scoring them.
   */
  function rankByScore (scores, count) {
    var sorted = scores.slice(0, count).sort()
    var distinct = new Float64Array(count)
    var u = 0
    for (var i = count - 1; i >= 0; i--) {
      if (u === 0 || sorted[i] !== distinct[u - 1]) distinct[u++] = sorted[i]
    }
    var bucket = new Int32Array(count)
    var starts = new Int32Array(u + 1)
    for (i = 0; i < count; i++) {
      var score = scores[i]
      var lo = 0
      var hi = u - 1
      while (lo < hi) {
        var mid = (lo + hi) >> 1
        if (distinct[mid] > score) lo = mid + 1
        else hi = mid
      }
      bucket[i] = lo
      starts[lo + 1]++
    }
    for (i = 0; i < u; i++) starts[i + 1] += starts[i]
    var ranked = new Int32Array(count)
    for (i = 0; i < count; i++) ranked[starts[bucket[i]]++] = i
    return ranked
  }

  /** Position of `slot` in a descending list, or -1. */
  function findSlot (list, slot) {
    var lo = 0
    var hi = list.length - 1
    while (lo <= hi) {
      var mid = (lo + hi) >> 1
      if (list[mid] === slot) return mid
      if (list[mid] > slot) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /**
   * The terms of lunr's match data for a document of scoreQuery: those of the field it was
   * first matched in, in the order matched, then new ones of its other fields (as
   * lunr.MatchData#combine adds them; the keys of an object, as lunr's).
   */
  function matchedTerms (context, number) {
    if (!context) return []
    var byField = []
    var fieldOrder = []
    var pairs = context.pairs
    var slot = slotOf[number]
    for (var p = 0; p < pairs.length; p += 2) {
      var t = pairs[p]
      var f = pairs[p + 1]
      if (findSlot(context.postings[t].slots[f], slot) < 0) continue
      if (!byField[f]) {
        byField[f] = []
        fieldOrder.push(f)
      }
      byField[f].push(context.terms[t])
    }
    var metadata = Object.create(null)
    fieldOrder.forEach(function (f) {
      byField[f].forEach(function (term) { metadata[term] = true })
    })
    return Object.keys(metadata)
  }

