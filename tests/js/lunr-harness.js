#!/usr/bin/env node
// Reference side of the Python tests: runs stock lunr.js 2.3.9 (node_modules/lunr) on JSON
// read from stdin and prints JSON results, so the tests compare Python against lunr.js itself.
//
//   node lunr-harness.js words     {"words": [...]}          -> [[term, ...], ...]
//   node lunr-harness.js tokenize  {"texts": [...]}          -> [{"tokens": [...], "terms": [...]}]
//   node lunr-harness.js lower     {}                        -> [[codePoint, lowered], ...]
//   node lunr-harness.js log       {"values": [...]}         -> [Math.log(v), ...]
//   node lunr-harness.js build     {"export": {...}, "queries": [...]}
//        -> {"index": "<JSON.stringify(idx)>", "results": {query: [[ref, score], ...] | {"error": msg}}}
//
// build takes export-docs' JSON: each document is indexed with its own language's pipeline
// (lunr-languages from node_modules; newsarchive's languages.js for be, uk, zh, ja, ko and
// for a mixed archive's search pipeline), as docs/search.md describes.
'use strict'

const fs = require('fs')
const path = require('path')
const MODULES = path.resolve(__dirname, '..', '..', 'node_modules')
const LANGUAGES_JS = path.resolve(__dirname, '..', '..', 'newsarchive', 'search', 'js', 'languages.js')
const lunr = require(path.join(MODULES, 'lunr', 'lunr.js'))

const defaultPipeline = new lunr.Pipeline()
defaultPipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer)

function terms (text) {
  return defaultPipeline.run(lunr.tokenizer(text)).map(String)
}

const commands = {
  words (input) {
    return input.words.map(terms)
  },
  tokenize (input) {
    return input.texts.map(function (text) {
      const tokens = lunr.tokenizer(text).map(function (t) {
        return { str: t.toString(), position: t.metadata.position, index: t.metadata.index }
      })
      return { tokens: tokens, terms: terms(text) }
    })
  },
  lower () {
    const out = []
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue
      const s = String.fromCodePoint(c)
      const lowered = s.toLowerCase()
      if (lowered !== s) out.push([c, lowered])
    }
    return out
  },
  log (input) {
    return input.values.map(Math.log)
  },
  build (input) {
    const spec = input.export
    const codes = spec.languages || ['en']
    let idx
    if (codes.length === 1 && codes[0] === 'en') {
      idx = lunr(function () {
        this.ref(spec.ref)
        spec.fields.forEach(function (f) { this.field(f.name, { boost: f.boost }) }, this)
        spec.documents.forEach(function (doc) { this.add(doc) }, this)
      })
    } else {
      idx = buildWithLanguages(spec, codes)
    }
    const results = {}
    for (const q of input.queries || []) {
      try {
        results[q] = idx.search(q).map(function (r) { return [r.ref, r.score] })
      } catch (e) {
        if (!(e instanceof lunr.QueryParseError)) throw e
        results[q] = { error: e.message }
      }
    }
    return { index: JSON.stringify(idx), results: results }
  }
}

/** lunr-languages' plugins of these languages (and languages.js) plugged into lunr, as a
 * page loads their scripts. */
function loadLanguages (codes) {
  const plug = function (file) {
    const plugin = require(file)
    if (typeof plugin === 'function') plugin(lunr)
  }
  plug(path.join(MODULES, 'lunr-languages', 'lunr.stemmer.support.js'))
  codes.forEach(function (code) {
    const file = path.join(MODULES, 'lunr-languages', 'lunr.' + code + '.js')
    if (code !== 'en' && fs.existsSync(file)) plug(file)
  })
  plug(LANGUAGES_JS)
}

/**
 * Each document indexed with its language's pipeline (lunr's Builder has one pipeline:
 * it is swapped before each add); searched with the one language's search pipeline, or,
 * for a mixed archive, with languages.js's multiSearch(codes).
 */
function buildWithLanguages (spec, codes) {
  loadLanguages(codes)
  // {pipeline, searchPipeline} as this.use(lunr[code]) sets them (lunr's own for 'en').
  const pipelines = {}
  codes.forEach(function (code) { pipelines[code] = lunr.newsarchive.pipelines(code) })
  const builder = new lunr.Builder()
  builder.ref(spec.ref)
  spec.fields.forEach(function (f) { builder.field(f.name, { boost: f.boost }) })
  if (codes.length === 1) {
    builder.searchPipeline = pipelines[codes[0]].searchPipeline
  } else {
    builder.searchPipeline = new lunr.Pipeline()
    builder.searchPipeline.add(lunr.newsarchive.multiSearch(codes))
  }
  spec.documents.forEach(function (doc) {
    builder.pipeline = pipelines[doc.lang || codes[0]].pipeline
    builder.add(doc)
  })
  return builder.build()
}

const command = commands[process.argv[2]]
if (!command) {
  process.stderr.write('usage: lunr-harness.js ' + Object.keys(commands).join('|') + ' < input.json\n')
  process.exit(1)
}
const chunks = []
process.stdin.on('data', function (c) { chunks.push(c) })
process.stdin.on('end', function () {
  const raw = Buffer.concat(chunks).toString('utf8')
  process.stdout.write(JSON.stringify(command(raw ? JSON.parse(raw) : {})))
})
