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
'use strict'

const path = require('path')
const lunr = require(path.resolve(__dirname, '..', '..', 'node_modules', 'lunr', 'lunr.js'))

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
    const idx = lunr(function () {
      this.ref(spec.ref)
      spec.fields.forEach(function (f) { this.field(f.name, { boost: f.boost }) }, this)
      spec.documents.forEach(function (doc) { this.add(doc) }, this)
    })
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
