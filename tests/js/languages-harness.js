#!/usr/bin/env node
// Reference side of the language parity tests: lunr.js (node_modules/lunr), the vendored
// lunr-languages files and newsarchive's js/languages.js, run on the words of a JSON file.
//
//   node languages-harness.js IN.json OUT.json
//     IN:  {"code": "ru", "words": [...]}            one language's pipelines
//          {"codes": ["en", "ru"], "words": [...]}   the mixed-language search function
//     OUT: {"index": [[term, ...], ...], "search": [[term, ...], ...]}  (index: one language)
//   node languages-harness.js --data                  the data of js/languages.js, as JSON
'use strict'

const fs = require('fs')
const path = require('path')

const root = path.resolve(__dirname, '..', '..')
const search = path.join(root, 'newsarchive', 'search')
const lunr = require(path.join(root, 'node_modules', 'lunr', 'lunr.js'))
const vendor = path.join(search, 'vendor', 'lunr-languages')
require(path.join(vendor, 'lunr.stemmer.support.js'))(lunr)
for (const name of fs.readdirSync(vendor)) {
  if (/^lunr\.[a-z]{2}\.js$/.test(name)) require(path.join(vendor, name))(lunr)
}
require(path.join(search, 'js', 'languages.js'))(lunr)

function termsOf (pipeline, word) {
  return pipeline.run(lunr.tokenizer(word)).map(String)
}

if (process.argv[2] === '--data') {
  process.stdout.write(JSON.stringify(lunr.newsarchive._data))
} else {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const out = {}
  if (input.codes) {
    const multi = new lunr.Pipeline()
    multi.add(lunr.newsarchive.multiSearch(input.codes))
    out.search = input.words.map(function (word) { return termsOf(multi, word) })
  } else {
    const pipelines = lunr.newsarchive.pipelines(input.code)
    out.index = input.words.map(function (word) { return termsOf(pipelines.pipeline, word) })
    out.search = input.words.map(function (word) { return termsOf(pipelines.searchPipeline, word) })
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(out))
}
