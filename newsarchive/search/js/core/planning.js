  /* ---- planning a sharded query: which files its terms need ---- */

  function getSearchPipeline () {
    if (searchPipeline === null) searchPipeline = lunrReady().Pipeline.load(entry.searchPipeline)
    return searchPipeline
  }

  /** Position of the row of `table` (rows [first term, ...], ascending) whose range holds
   * `term`, or -1 (before the first term). */
  function rowPosition (table, term) {
    var lo = 0
    var hi = table.length - 1
    var found = -1
    while (lo <= hi) {
      var mid = (lo + hi) >> 1
      if (table[mid][0] <= term) {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found
  }

  /** The key of the piece of entry.shardPieces holding `term`'s row (tables.py). */
  function shardPieceKey (term) {
    return entry.shardPieces[Math.max(0, rowPosition(entry.shardPieces, term))][1]
  }

  /** The row of the table of shards whose range holds `term`: null before the first term;
   * undefined while its piece is not loaded (missingPieces). */
  function shardRow (term) {
    var table = entry.shards || rowPieces[shardPieceKey(term)]
    if (!table) return undefined
    var position = rowPosition(table, term)
    return position < 0 ? null : table[position]
  }

  function shardKeyFor (term) {
    var row = shardRow(term)
    return row ? row[1] : null
  }

  /** The rows of the table of shards from the one holding `prefix` to the last that may
   * hold terms starting with it (their pieces loaded: missingPieces). */
  function prefixTable (prefix) {
    if (entry.shards) return entry.shards
    var rows = []
    prefixPieceKeys(prefix).forEach(function (key) { rows.push.apply(rows, rowPieces[key]) })
    return rows
  }

  /** Keys of the pieces whose rows prefixShardKeys reads: the one holding `prefix`, and
   * each next one that starts with it. */
  function prefixPieceKeys (prefix) {
    var pieces = entry.shardPieces
    var first = Math.max(0, rowPosition(pieces, prefix))
    var keys = [pieces[first][1]]
    for (var i = first + 1; i < pieces.length && pieces[i][0].slice(0, prefix.length) === prefix; i++) {
      keys.push(pieces[i][1])
    }
    return keys
  }

  /** Keys of the shards that may hold terms starting with `prefix`. */
  function prefixShardKeys (prefix) {
    var table = prefixTable(prefix)
    var first = Math.max(0, rowPosition(table, prefix))
    var keys = []
    for (var i = first; i < table.length; i++) {
      if (i > first && table[i][0].slice(0, prefix.length) !== prefix) break
      keys.push(table[i][1])
    }
    return keys
  }

  /** Paths of the pieces of the table of shards the plan's terms need and that are not
   * loaded yet ([] with the table in the entry, or once they are). */
  function missingPieces (plan) {
    if (entry.shards) return []
    var paths = []
    var seen = Object.create(null)
    function needPiece (key) {
      if (!rowPieces[key] && !seen[key]) {
        seen[key] = true
        paths.push(rowsPath(key))
      }
    }
    plan.items.forEach(function (item) {
      if (item.kind === 'plain') {
        needPiece(shardPieceKey(item.term))
      } else if (item.kind === 'prefix') {
        prefixPieceKeys(item.prefix).forEach(needPiece)
      } else if (allTerms !== null) {
        expand(item, plan.work).forEach(function (term) { needPiece(shardPieceKey(term)) })
      }
    })
    return paths
  }

  function shardPath (key) { return fanned('shard', key, key) }

  /**
   * The plan of a query: its lunr clauses, each term (after lunr's search pipeline) with how
   * its matches are found: 'plain' (the term itself), 'prefix' (every term starting with the
   * part before a trailing *) or 'all' (leading or inner wildcards, edit distance: lunr's
   * own TokenSet intersection over every term, within the plan's `work`: bounds.js). Throws
   * lunr's QueryParseError.
   */
  function planFor (q) {
    if (plans[q]) return plans[q]
    var lib = lunrLib()
    var query = new lib.Query(entry.fields)
    new lib.QueryParser(q, query).parse()
    var items = []
    var single = query.clauses.length === 1 && query.clauses[0]
    query.clauses.forEach(function (clause) {
      var terms = clause.usePipeline
        ? getSearchPipeline().runString(clause.term, { fields: clause.fields })
        : [clause.term]
      terms.forEach(function (term) {
        var star = term.indexOf('*')
        var item = { term: term, kind: 'plain', expansions: null }
        if ('editDistance' in clause) {
          item.kind = 'all'
          item.editDistance = clause.editDistance
        } else if (star === 0 || (star > 0 && !/^[^*]*\*+$/.test(term))) {
          item.kind = 'all'
        } else if (star > 0) {
          item.kind = 'prefix'
          item.prefix = term.slice(0, star)
        }
        items.push(item)
      })
    })
    var plan = { items: items, negated: query.isNegated(), single: null, work: new Work() }
    // One plain term over every field with boost 1, not prohibited: a head may answer it.
    if (single && items.length === 1 && items[0].kind === 'plain' && single.boost === 1 &&
        single.fields.length === entry.fields.length &&
        single.presence !== lib.Query.presence.PROHIBITED) plan.single = items[0]
    var keys = Object.keys(plans)
    if (keys.length > 50) delete plans[keys[0]]
    plans[q] = plan
    return plan
  }

  /** Terms of the term list matching an 'all' item, by lunr's own automata within `work`. */
  function expand (item, work) {
    if (item.expansions) return item.expansions
    if (allTermSet === null) {
      allTermSet = lunrLib().TokenSet.fromArray(allTerms)
      longestTerm = longestOf(allTerms)
    }
    var clause = { term: item.term }
    if ('editDistance' in item) {
      clause.editDistance = boundedEdits(item.term, item.editDistance, longestTerm, work)
    }
    item.expansions = expandClause(allTermSet, clause, work)
    return item.expansions
  }

  /** The entry's shard row of a one-term plan when that shard has a head, else null. */
  function headRow (plan) {
    if (!plan.single) return null
    var row = shardRow(plan.single.term)
    return row && row.length > 2 ? row : null
  }

  /** Whether the head answers this state: relevance order, no filter, the first `need` hits. */
  function headAnswers (state, need) {
    // A phrase or date range filters the hits: a head's first ones may not be the first left.
    return !state.tag && !state.year && !state.from && !state.to && state.q.indexOf('"') < 0 &&
      state.sort === 'relevance' && need <= entry.headSize
  }

  /** The loaded head to answer a plan from (when its shard is not loaded), or null. */
  function usableHead (plan, state) {
    var row = headRow(plan)
    if (!row || shards[row[1]] || !heads[row[2]] || !headAnswers(state, 0)) return null
    return heads[row[2]]
  }

  /** Paths still to load before the plan's terms are all known, or [] when ready. */
  function missingForPlan (plan, useHead) {
    var paths = missingPieces(plan) // they tell which shards (and heads) the terms are in
    if (paths.length) return paths
    var seen = Object.create(null)
    var row = useHead ? headRow(plan) : null
    if (row) {
      if (!shards[row[1]] && !heads[row[2]]) paths.push(fanned('head', row[2], row[2]))
      return paths
    }
    function needShard (key) {
      if (key !== null && !shards[key] && !seen[key]) {
        seen[key] = true
        paths.push(shardPath(key))
      }
    }
    // Only prohibited clauses: lunr scores every document.
    if (plan.negated) paths.push.apply(paths, docsPaths(null))
    plan.items.forEach(function (item) {
      if (item.kind === 'plain') {
        needShard(shardKeyFor(item.term))
      } else if (item.kind === 'prefix') {
        prefixShardKeys(item.prefix).forEach(needShard)
      } else if (allTerms === null) {
        var path = entry.paths.terms + entry.terms + '.js'
        if (!seen[path]) paths.push(path)
        seen[path] = true
      } else {
        expand(item, plan.work).forEach(function (term) { needShard(shardKeyFor(term)) })
      }
    })
    return paths
  }

  /** Every index term the plan touches, each once, once its shards are loaded. */
  function planTerms (plan) {
    var set = Object.create(null)
    plan.items.forEach(function (item) {
      if (item.kind === 'plain') {
        var key = shardKeyFor(item.term)
        if (key !== null && item.term in shards[key].at) set[item.term] = true
      } else if (item.kind === 'prefix') {
        var prefix = item.prefix
        prefixShardKeys(prefix).forEach(function (key) {
          shards[key].terms.forEach(function (term) {
            if (term.slice(0, prefix.length) === prefix) set[term] = true
          })
        })
      } else {
        expand(item, plan.work).forEach(function (term) { set[term] = true })
      }
    })
    return Object.keys(set).sort()
  }

  /**
   * A lunr.Index holding only `terms` (sorted): their postings, documents in the original
   * order (letter refs, as the monolithic index), and for every document field they occur in
   * a field vector with just their weights. When every clause is prohibited lunr scores all
   * documents, so then every document field gets one. Term numbers are positions in `terms`:
   * lunr only uses them to line up vectors and to order the dot product's sum, so scores
   * equal the whole index's up to that order of adding (a few units in the last place).
   */
  function partialIndex (terms, negated, head) {
    var lib = lunrLib()
    var fields = entry.fields
    var fieldVectors = {}
    var inverted = Object.create(null)
    var d, f
    if (negated) {
      var all = allNumbers()
      for (var r = 0; r < all.length; r++) {
        d = all[r]
        for (f = 0; f < fields.length; f++) fieldVectors[fields[f] + '/' + refOf(d)] = new lib.Vector([])
      }
    }
    terms.forEach(function (term, termIndex) {
      var postings = postingsOf(term, head)
      var posting = { _index: termIndex }
      for (var f = 0; f < fields.length; f++) {
        var byRef = {}
        var list = postings.docs[f]
        var weights = postings.weights[f]
        var prefix = fields[f] + '/'
        for (var i = 0; i < list.length; i++) {
          var ref = refOf(list[i])
          byRef[ref] = NO_METADATA
          var vector = fieldVectors[prefix + ref] || (fieldVectors[prefix + ref] = new lib.Vector([]))
          // Terms come in term-number order, so every vector's elements stay sorted.
          vector.elements.push(termIndex, weights[i])
        }
        posting[fields[f]] = byRef
      }
      inverted[term] = posting
    })
    return new lib.Index({
      invertedIndex: inverted,
      fieldVectors: fieldVectors,
      tokenSet: lib.TokenSet.fromArray(terms),
      fields: fields,
      pipeline: getSearchPipeline()
    })
  }

