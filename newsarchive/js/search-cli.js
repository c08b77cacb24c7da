#!/usr/bin/env node
/*
 * Search a built newsarchive site from the command line with the site's own scripts.
 *
 *   node search-cli.js [--tag=SLUG|NAME] [--year=YYYY] [--sort=relevance|newest|oldest]
 *                      [--limit=N] [--] SITE_DIR QUERY
 *
 * Loads SITE_DIR/static/lunr.js, static/search-core.js, search/docs.js and search/index.js
 * into one vm context (the same code the search page runs), and prints a JSON array of
 * {url, title, date, tags, score} in rank order. Options take the --name=value form so a
 * query may start with "-"; everything after "--" is positional.
 *
 * Exit status: 0 success, 1 usage or site error, 2 lunr cannot parse the query.
 */
'use strict'

const fs = require('fs')
const path = require('path')
const vm = require('vm')

const SCRIPTS = ['static/lunr.js', 'static/search-core.js', 'search/docs.js', 'search/index.js']
const OPTIONS = ['tag', 'year', 'sort', 'limit']
const SORTS = ['relevance', 'newest', 'oldest']

class UsageError extends Error {}

function parseArgs (argv) {
  const options = {}
  const positional = []
  let onlyPositional = false
  for (const arg of argv) {
    if (!onlyPositional && arg === '--') {
      onlyPositional = true
    } else if (!onlyPositional && arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      if (!OPTIONS.includes(name) || eq < 0) throw new UsageError(`unknown option ${arg}`)
      options[name] = arg.slice(eq + 1)
    } else {
      positional.push(arg)
    }
  }
  if (positional.length !== 2) throw new UsageError('expected SITE_DIR and QUERY')
  if (options.sort !== undefined && !SORTS.includes(options.sort)) {
    throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`)
  }
  if (options.year !== undefined && !/^\d{1,4}$/.test(options.year)) {
    throw new UsageError('--year must be a year such as 1987')
  }
  if (options.limit !== undefined && !/^\d+$/.test(options.limit)) {
    throw new UsageError('--limit must be a non-negative integer')
  }
  return { site: positional[0], query: positional[1], options }
}

function loadSite (site) {
  const context = vm.createContext({
    console: {
      log: (...a) => process.stderr.write(a.join(' ') + '\n'),
      warn: (...a) => process.stderr.write(a.join(' ') + '\n'),
      error: (...a) => process.stderr.write(a.join(' ') + '\n')
    }
  })
  for (const rel of SCRIPTS) {
    const file = path.join(site, rel)
    let code
    try {
      code = fs.readFileSync(file, 'utf8')
    } catch (e) {
      throw new UsageError(`${file}: cannot read (${e.code || e.message}); build the site first`)
    }
    vm.runInContext(code, context, { filename: file })
  }
  if (!context.NewsArchiveSearch || !context.NewsArchiveSearch.ready()) {
    throw new UsageError(`${site}: the search scripts did not load an index`)
  }
  return context.NewsArchiveSearch
}

function main () {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`search-cli: ${e.message}\n`)
    return 1
  }
  let search
  try {
    search = loadSite(args.site)
  } catch (e) {
    process.stderr.write(`${e.message}\n`)
    return 1
  }
  const { tag, year, sort, limit } = args.options
  const result = search.search({ q: args.query, tag, year, sort })
  if (result.unknownTag) {
    process.stderr.write(`unknown tag: ${tag}\n`)
    return 1
  }
  if (result.error) {
    const where = result.error.start === undefined
      ? ''
      : ` (at characters ${result.error.start}-${result.error.end})`
    process.stderr.write(`${result.error.message}${where}\n`)
    return 2
  }
  let hits = result.hits
  if (limit !== undefined) hits = hits.slice(0, Number(limit))
  process.stdout.write(JSON.stringify(hits.map(search.describe)) + '\n')
  return 0
}

process.exitCode = main()
