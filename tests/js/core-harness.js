#!/usr/bin/env node
// Runs the site's static/search-core.js as the search page does (the site's scripts in a vm context,
// index parts, titles and texts loaded on demand as newsarchive/search/js/search-cli.js loads them)
// and prints what the page would show for queries, all run in one context (warm, as when a
// reader searches again in the same page).
//
//   node core-harness.js SITE_DIR < {"queries": [{"q": ..., "tag": ..., ...}], "top": 5}
//   -> [{"total", "mode", "error", "facets", "stopWords", "phrases", "phraseChecked", "phraseOf",
//        "hits": [{"url", "lang", "terms", "title", "text", "snippet"}]}]
'use strict'

const fs = require('fs')
const { loadSite, sync } = require('../../newsarchive/search/js/search-cli.js')

const S = loadSite(process.argv[2], false)

const input = JSON.parse(fs.readFileSync(0, 'utf8'))
const out = input.queries.map(function (params) {
  sync(S.prepare, params, params.need)
  const result = S.search(params)
  const top = result.hits.slice(0, input.top || 5)
  sync(S.prepareDocs, input.all ? result.hits.map((hit) => hit.doc) : top.map((hit) => hit.doc))
  sync(S.loadTexts, top.map((hit) => hit.doc))
  return {
    total: result.total,
    partial: result.partial,
    mode: result.mode,
    error: result.error,
    unknownTag: result.unknownTag,
    facets: result.facets,
    stopWords: result.stopWords,
    phrases: result.phrases,
    phraseChecked: result.phraseChecked,
    phraseOf: result.phraseOf,
    results: input.all ? result.hits.map((hit) => [hit.doc.ref, hit.score]) : undefined,
    hits: top.map(function (hit) {
      const text = S.textOf(hit.doc)
      return {
        url: hit.doc.ref,
        lang: hit.doc.lang,
        terms: hit.terms,
        // With the document's language, as static/search-ui.js highlights.
        title: S.highlight(hit.doc.title, hit.terms, 0, undefined, hit.doc.lang),
        text: text,
        snippet: S.snippet(text, hit.terms, 240, hit.doc.lang)
      }
    })
  }
})
process.stdout.write(JSON.stringify(out))
