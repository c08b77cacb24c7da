  return {
    SORTS: SORTS,
    setLoader: setLoader,
    setIndex: setIndex,
    setDocs: setDocs,
    setEntry: setEntry,
    addShard: addShard,
    addHead: addHead,
    addTerms: addTerms,
    addTag: addTag,
    addDocs: addDocs,
    addMeta: addMeta,
    addShardRows: addShardRows,
    addGroups: addGroups,
    addTexts: addTexts,
    ready: ready,
    // The language scripts the page loads after lunr.js (search-cli.js loads them too).
    scripts: function () { return ((entry || meta) && (entry || meta).scripts) || [] },
    sharded: function () { return entry !== null },
    prepare: prepare,
    prepareDocs: prepareDocs,
    loadTables: loadTables,
    normalizeState: normalizeState,
    findTag: findTag,
    search: search,
    describe: describe,
    tag: tag,
    tags: function () { return tagRows().map(function (t, i) { return tag(i) }) },
    years: function () {
      if (meta) return meta.years.slice()
      if (!entry) return []
      var seen = Object.create(null)
      return entry.years.map(function (run) { return run[0] })
        .filter(function (y) { return !seen[y] && (seen[y] = true) })
        .sort(function (a, b) { return b - a })
    },
    textOf: textOf,
    loadTexts: loadTexts,
    termOf: termOf,
    highlight: highlight,
    snippet: snippet,
    // How phrases are compared (quoted words: see phrases.js).
    phraseText: phraseText,
    containsPhrase: containsPhrase,
    formatDate: formatDate
  }
})
