#!/usr/bin/env node
/*
 * Search a built newsarchive site from the command line with the site's own scripts.
 *
 *   node search-cli.js [--tag=SLUG|NAME] [--year=YYYY] [--sort=relevance|newest|oldest]
 *                      [--limit=N] [--trace=1] [--] SITE_DIR QUERY
 *
 * Runs the scripts the search page names (lunr.js, static/search-core.js and either
 * search/entry-<hash>.js or search/docs.js + search/index.js, then the language scripts
 * these name) in one vm context, the same code the page runs. Index parts are loaded the way the page loads them, on demand: here
 * "loading a script" is reading it and running it in the context. Prints a JSON array of
 * {url, title, date, tags, score} in rank order. Options take the --name=value form so a
 * query may start with "-"; everything after "--" is positional. --trace=1 lists every
 * site file read, in order, on stderr ("loaded: search/p/....js"). When a bound on fuzzy or
 * wildcard terms cut the query (search-core.js bounds), a line beginning "note:" says so on
 * stderr.
 *
 * Exit status: 0 success, 1 usage or site error, 2 lunr cannot parse the query.
 */
'use strict'

const fs = require('fs')
const path = require('path')
const vm = require('vm')

const MONOLITHIC = ['static/lunr.js', 'static/search-core.js', 'search/docs.js', 'search/index.js']
const OPTIONS = ['tag', 'year', 'sort', 'limit', 'trace']

// As the search page says it.
const LIMITED = 'note: some fuzzy or wildcard terms were limited, so results may be incomplete'

class UsageError extends Error {}

/** What the search page says of phrases and stop words, as note lines. */
function notes (result) {
  const out = []
  if (result.stopWords) {
    out.push(`note: "${result.stopWords.join(' ')}" is too common to search for; try other words`)
  }
  for (const phrase of result.phrases) {
    out.push(`note: showing articles containing the phrase "${phrase}"`)
  }
  if (result.phraseChecked < result.phraseOf) {
    out.push(`note: the phrase was looked for in the first ${result.phraseChecked} of the ` +
      `${result.phraseOf} articles with all its words`)
  }
  return out
}

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
  if (options.year !== undefined && !/^\d{1,4}$/.test(options.year)) {
    throw new UsageError('--year must be a year such as 1987')
  }
  if (options.limit !== undefined && !/^\d+$/.test(options.limit)) {
    throw new UsageError('--limit must be a non-negative integer')
  }
  return { site: positional[0], query: positional[1], options }
}

/** The data scripts of the page: the sharded entry (named by its hash) or the monolithic pair. */
function pageScripts (site) {
  let names = []
  try {
    names = fs.readdirSync(path.join(site, 'search')).filter((n) => /^entry-[0-9a-f]+\.js$/.test(n))
  } catch (e) {
    names = []
  }
  if (names.length > 1) {
    // Leftovers of an older build: the search page names the current one.
    let html = ''
    try {
      html = fs.readFileSync(path.join(site, 'search', 'index.html'), 'utf8')
    } catch (e) {}
    names = names.filter((n) => html.includes('search/' + n + '"'))
  }
  if (names.length === 1) return ['static/lunr.min.js', 'static/search-core.js', 'search/' + names[0]]
  return MONOLITHIC
}

function loadSite (site, trace) {
  const context = vm.createContext({
    console: {
      log: (...a) => process.stderr.write(a.join(' ') + '\n'),
      warn: (...a) => process.stderr.write(a.join(' ') + '\n'),
      error: (...a) => process.stderr.write(a.join(' ') + '\n')
    }
  })
  function run (rel) {
    const file = path.join(site, rel)
    const code = fs.readFileSync(file, 'utf8')
    if (trace) process.stderr.write(`loaded: ${rel}\n`)
    vm.runInContext(code, context, { filename: file })
  }
  for (const rel of pageScripts(site)) {
    try {
      run(rel)
    } catch (e) {
      if (!e.code) throw e
      throw new UsageError(`${path.join(site, rel)}: cannot read (${e.code}); build the site first`)
    }
  }
  const search = context.NewsArchiveSearch
  if (!search || !search.ready()) {
    throw new UsageError(`${site}: the search scripts did not load an index`)
  }
  // The language scripts (lunr-languages, search-languages.js) the index names: the page
  // loads them before search-core.js; nothing runs a pipeline before the first search.
  for (const rel of search.scripts()) {
    try {
      run(rel)
    } catch (e) {
      if (!e.code) throw e
      throw new UsageError(`${path.join(site, rel)}: cannot read (${e.code}); build the site first`)
    }
  }
  search.setLoader(function (rel, done) {
    try {
      run(rel)
    } catch (e) {
      return done(e)
    }
    done(null)
  })
  return search
}

/** Call a prepare-style function of the core and return its result (the loader is synchronous). */
function sync (fn, params, ...rest) {
  let outcome = null
  fn(params, function (error) { outcome = { error } }, ...rest)
  if (outcome === null) throw new Error('search data did not load synchronously')
  if (outcome.error) throw outcome.error
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
  const { tag, year, sort, limit, trace } = args.options
  let search
  try {
    search = loadSite(args.site, trace !== undefined && trace !== '0')
  } catch (e) {
    process.stderr.write(`${e.message}\n`)
    return 1
  }
  if (sort !== undefined && !search.SORTS.includes(sort)) {
    process.stderr.write(`search-cli: --sort must be one of ${search.SORTS.join(', ')}\n`)
    return 1
  }
  const params = { q: args.query, tag, year, sort }
  let result
  try {
    // With --limit only that many first hits are needed (a common word may then load only
    // its head, as the page does for a page of results).
    sync(search.prepare, params, limit === undefined ? undefined : Number(limit))
    result = search.search(params)
  } catch (e) {
    process.stderr.write(`${args.site}: ${e.message}\n`)
    return 1
  }
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
  try {
    sync(search.prepareDocs, hits.map((hit) => hit.doc))
  } catch (e) {
    process.stderr.write(`${args.site}: ${e.message}\n`)
    return 1
  }
  process.stdout.write(JSON.stringify(hits.map(search.describe)) + '\n')
  if (result.limited) process.stderr.write(LIMITED + '\n')
  for (const line of notes(result)) process.stderr.write(line + '\n')
  return 0
}

if (require.main === module) process.exitCode = main()

module.exports = { loadSite, sync }
