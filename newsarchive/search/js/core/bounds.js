
  /* ---- bounds: how much a fuzzy or wildcard term may cost ---- */

  // lunr.js expands `term~N` and wildcards without limit. Its automaton for N edits grows as
  // (term length)^(N+1) (zzzzzzzzzzzzzzzzzzzz~6 ran 47 s and needs gigabytes), and its
  // intersection with the index follows every way a pattern can match, so one shared
  // /search/?q= link could freeze a reader's tab. As Lucene and Elasticsearch do:
  // `fuzziness: AUTO` edits by term length, never more than 2 (LevenshteinAutomata), a cap on
  // the terms one clause may expand to (max_expansions), and a cap on the work of a query.
  // Within these bounds results are exactly lunr.js's; beyond them they are cut, and the
  // result says so (`limited`). See docs/search-index.md.
  var MAX_EDITS = 2
  // Index terms one wildcard or fuzzy term may match: more than any two-letter prefix has in
  // the 59,888 terms of the Reuters corpus (the most: 1,* with 1,693; co* 1,034).
  var MAX_EXPANSIONS = 2000
  // Steps of lunr's automata (frames of TokenSet.fromFuzzyString, pairs of nodes visited by
  // TokenSet#intersect) a query may take in all, about 1,000 a millisecond at worst: half a
  // second. A leading wildcard over the Reuters vocabulary (*port) takes 160,000, a fuzzy
  // term of 50 characters with 2 edits 350,000.
  var MAX_STEPS = 500000
  // Index terms all of a query's clauses may expand to together (Lucene's maxClauseCount).
  var MAX_QUERY_EXPANSIONS = 10000

  /** A query's allowance of work, shared by its clauses; `limited` once a bound cut one. */
  function Work () {
    this.steps = MAX_STEPS
    this.expansions = 0
    this.limited = false
  }

  /** The edit distance lunr may use for `term`: Lucene's AUTO (none up to 2 characters, 1 up
   * to 5, then 2), never more than asked. */
  function editsFor (term, asked) {
    var length = term.length
    return Math.min(asked, length <= 2 ? 0 : length <= 5 ? 1 : MAX_EDITS)
  }

  var framesMemo = Object.create(null)

  /** Frames lunr.TokenSet.fromFuzzyString pops for a term of this length: they depend on
   * nothing else (no edit, insertion, deletion, substitution, transposition). */
  function fuzzyFrames (length, edits) {
    var key = length + ',' + edits
    if (key in framesMemo) return framesMemo[key]
    var count = 1
    if (length > 0) count += fuzzyFrames(length - 1, edits)
    if (edits > 0) {
      count += fuzzyFrames(length, edits - 1)
      var shorter = fuzzyFrames(length - 1 < 0 ? 0 : length - 1, edits - 1)
      if (length > 1) count += 2 * shorter // deletion, transposition
      if (length >= 1) count += shorter // substitution
    }
    framesMemo[key] = count
    return count
  }

  /**
   * The edit distance lunr may use for `term` asked with `asked` edits: editsFor(), and fewer
   * while lunr's automaton would not fit in `work` (whose steps it then takes). A term longer
   * than the longest index term (`longest`) by more than its edits matches nothing at any
   * distance: it gets 0, an automaton of one path.
   */
  function boundedEdits (term, asked, longest, work) {
    if (term.length - asked > longest) return 0 // as lunr: nothing
    var edits = editsFor(term, asked)
    if (edits < asked) work.limited = true
    if (term.length - edits > longest) return 0
    while (edits > 0 && fuzzyFrames(term.length, edits) > work.steps) {
      edits--
      work.limited = true
    }
    work.steps -= fuzzyFrames(term.length, edits)
    return edits
  }

  /** Bound a parsed lunr query before lunr expands it: each fuzzy clause gets the edits
   * boundedEdits() allows the terms the search pipeline makes of it. */
  function boundQuery (query, pipeline, longest, work) {
    query.clauses.forEach(function (clause) {
      if (!('editDistance' in clause)) return
      var terms = clause.usePipeline
        ? pipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term]
      var asked = clause.editDistance
      terms.forEach(function (term) {
        clause.editDistance = Math.min(clause.editDistance, boundedEdits(term, asked, longest, work))
      })
    })
    return query
  }

  /**
   * lunr.Index#search(q) on `index` within `work`: lunr's own Index#query, with the parsed
   * query bounded before lunr expands it and the index's token set bounding its expansions.
   * `longest`: the length of the index's longest term.
   */
  function boundedSearch (index, q, longest, work) {
    var lib = lunrLib()
    var bounded = new lib.Index({
      invertedIndex: index.invertedIndex,
      fieldVectors: index.fieldVectors,
      tokenSet: boundedTokenSet(index.tokenSet, work),
      fields: index.fields,
      pipeline: index.pipeline
    })
    return bounded.query(function (query) {
      new lib.QueryParser(q, query).parse()
      boundQuery(query, index.pipeline, longest, work)
    })
  }

  /**
   * lunr.TokenSet#intersect (lunr.js 2.3.9) of `tokenSet` with a clause's `qSet`, as lunr
   * does it step for step (so its terms come in lunr's order), stopping when `work` has no
   * steps left; then its terms, at most MAX_EXPANSIONS of them and MAX_QUERY_EXPANSIONS in all.
   */
  function boundedTerms (tokenSet, qSet, work) {
    var lib = lunrLib()
    var output = new lib.TokenSet()
    var stack = [{ qNode: qSet, output: output, node: tokenSet }]
    while (stack.length) {
      if (--work.steps < 0) {
        work.limited = true
        break
      }
      var frame = stack.pop()
      var qEdges = Object.keys(frame.qNode.edges)
      var nEdges = Object.keys(frame.node.edges)
      for (var q = 0; q < qEdges.length; q++) {
        var qEdge = qEdges[q]
        for (var n = 0; n < nEdges.length; n++) {
          var nEdge = nEdges[n]
          if (nEdge !== qEdge && qEdge !== '*') continue
          var node = frame.node.edges[nEdge]
          var qNode = frame.qNode.edges[qEdge]
          var final = node.final && qNode.final
          var next = frame.output.edges[nEdge]
          if (next) {
            next.final = next.final || final
          } else {
            next = new lib.TokenSet()
            next.final = final
            frame.output.edges[nEdge] = next
          }
          stack.push({ qNode: qNode, output: next, node: node })
        }
      }
    }
    var terms = output.toArray()
    var room = Math.min(MAX_EXPANSIONS, MAX_QUERY_EXPANSIONS - work.expansions)
    if (terms.length > room) {
      work.limited = true
      terms = terms.slice(0, Math.max(0, room))
    }
    work.expansions += terms.length
    return terms
  }

  /** The index terms a (bounded) clause matches: lunr's own expansion, within `work`. */
  function expandClause (tokenSet, clause, work) {
    return boundedTerms(tokenSet, lunrLib().TokenSet.fromClause(clause), work)
  }

  /** A token set for lunr.Index#query whose intersections stay within `work`. */
  function boundedTokenSet (tokenSet, work) {
    return {
      intersect: function (qSet) {
        var terms = boundedTerms(tokenSet, qSet, work)
        return { toArray: function () { return terms } }
      }
    }
  }

  /** The length of the longest of `terms`. */
  function longestOf (terms) {
    var most = 0
    for (var i = 0; i < terms.length; i++) if (terms[i].length > most) most = terms[i].length
    return most
  }
