// The same monolithic index built by lunr.js itself under Node (the usual way to "add lunr"):
// node plain_lunr.js documents.jsonl index.json. lunr.js comes from the project's node_modules.
'use strict'
const fs = require('fs')
const path = require('path')
const lunr = require(path.join(__dirname, '..', 'node_modules', 'lunr'))

const [documentsPath, indexPath] = process.argv.slice(2)
const documents = fs.readFileSync(documentsPath, 'utf8').split('\n').filter(Boolean).map(JSON.parse)
const index = lunr(function () {
  this.ref('url')
  this.field('title', { boost: 10 })
  this.field('body')
  this.field('tags')
  documents.forEach(function (doc) { this.add(doc) }, this)
})
fs.writeFileSync(indexPath, JSON.stringify(index))
