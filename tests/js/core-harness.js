#!/usr/bin/env node
// Runs static/search-core.js as the search page does (in a vm context with the site's
// scripts and every text file loaded) and prints what the page would show for queries.
//
//   node core-harness.js SITE_DIR < {"queries": [{"q": ..., "tag": ..., ...}], "top": 5}
//   -> [{"total", "mode", "error", "facets", "hits": [{"url", "terms", "title", "snippet"}]}]
'use strict'

const fs = require('fs')
const path = require('path')
const vm = require('vm')

const site = process.argv[2]
const context = vm.createContext({ console })
const scripts = ['static/lunr.js', 'static/search-core.js', 'search/docs.js', 'search/index.js']
const textDir = path.join(site, 'search', 'text')
for (const name of fs.readdirSync(textDir)) scripts.push(path.join('search', 'text', name))
for (const rel of scripts) {
  const file = path.join(site, rel)
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file })
}
const S = context.NewsArchiveSearch

const input = JSON.parse(fs.readFileSync(0, 'utf8'))
const out = input.queries.map(function (params) {
  const result = S.search(params)
  return {
    total: result.total,
    mode: result.mode,
    error: result.error,
    unknownTag: result.unknownTag,
    facets: result.facets,
    hits: result.hits.slice(0, input.top || 5).map(function (hit) {
      const text = S.textOf(hit.doc)
      return {
        url: hit.doc.ref,
        terms: hit.terms,
        title: S.highlight(hit.doc.title, hit.terms),
        text: text,
        snippet: S.snippet(text, hit.terms, 240)
      }
    })
  }
})
process.stdout.write(JSON.stringify(out))
