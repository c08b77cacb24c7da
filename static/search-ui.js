/*
 * newsarchive search page: results, snippets, paging and events.
 *
 * Query logic lives in search-core.js (shared with the command line); the page's strings,
 * URL state and filters in search-page.js (loaded before this file); this file draws the
 * results. Untrusted strings (titles, texts, tags, the query) are only ever set through
 * textContent and attributes, never parsed as HTML. State lives in the URL query via
 * history.pushState, so links, reloads and Back all work, also from file://.
 */
(function () {
  'use strict'

  var S = window.NewsArchiveSearch
  var P = window.NewsArchiveSearchPage
  var app = document.getElementById('search-app')
  if (!app) return

  var root = app.getAttribute('data-root') || ''
  var perPage = parseInt(app.getAttribute('data-per-page'), 10) || 20
  var form = document.getElementById('search-form')
  var input = document.getElementById('search-q')
  var status = document.getElementById('search-status')
  var errorBox = document.getElementById('search-error')
  var list = document.getElementById('search-results')
  var pager = document.getElementById('search-pager')
  var help = app.querySelector('.search-help')
  var baseTitle = document.title
  var shown = [] // [{doc, terms, element}] for the snippets of the page on screen
  var renderCount = 0
  var lastKey = null
  var tablesAsked = false // loadTables has been asked for
  var lastResult = null

  var t = P.t
  var number = P.number
  var el = P.el

  function clear (node) {
    node.textContent = ''
  }

  function fail (message) {
    status.textContent = ''
    errorBox.textContent = message
    errorBox.hidden = false
  }

  if (!S || !S.ready()) {
    fail(t('unavailable'))
    return
  }

  // Index parts, metadata and texts load as <script> elements (works from file:// too).
  // Each element is removed once it has run: hundreds of them left in the page made adding
  // the next one slower.
  S.setLoader(function (path, done) {
    var script = document.createElement('script')
    script.src = root + path
    script.async = true
    script.onload = function () {
      script.remove()
      done(null)
    }
    script.onerror = function () {
      script.remove()
      done(new Error('could not load ' + path))
    }
    document.head.appendChild(script)
  })

  /* ---- URL state ---- */

  var readState = P.readState
  var queryString = P.queryString

  function navigate (state, moveFocus) {
    state = S.normalizeState(state)
    if (queryString(state) !== queryString(readState())) {
      try {
        window.history.pushState(null, '', queryString(state))
      } catch (e) {
        // Some browsers refuse history changes for file:// pages; the search still runs.
      }
    }
    render(state)
    if (moveFocus) {
      status.focus()
      if (status.scrollIntoView) status.scrollIntoView({ block: 'start' })
    }
  }

  /* ---- results ---- */

  function href (sitePath) {
    // "/1987/02/26/slug/" -> "../1987/02/26/slug/index.html" (relative, works from file://)
    return root + sitePath.replace(/^\//, '') + 'index.html'
  }

  function appendSegments (parent, segments) {
    segments.forEach(function (segment) {
      if (segment.mark) parent.appendChild(el('mark', '', segment.text))
      else parent.appendChild(document.createTextNode(segment.text))
    })
  }

  function fillSnippet (item) {
    var text = S.textOf(item.doc)
    if (text === undefined) return false
    var node = item.element
    clear(node)
    node.removeAttribute('aria-busy')
    if (!text) {
      node.hidden = true
      return true
    }
    var snip = S.snippet(text, item.terms, 240, item.doc.lang)
    if (snip.before) node.appendChild(document.createTextNode('… '))
    appendSegments(node, snip.segments)
    if (snip.after) node.appendChild(document.createTextNode(' …'))
    return true
  }

  function loadTexts (items) {
    items.forEach(function (item) {
      S.loadTexts([item.doc], function (error) {
        if (shown.indexOf(item) < 0) return // another search replaced the results
        if (error || !fillSnippet(item)) {
          item.element.removeAttribute('aria-busy')
          item.element.hidden = true
        }
      })
    })
  }

  function renderHit (hit) {
    var doc = hit.doc
    var item = el('li', 'search-result')
    var heading = el('h2', 'search-result-title')
    var snippet = el('p', 'search-result-snippet')
    // An article in another language than the page's says so (screen readers, hyphenation);
    // its date is formatted in the page's language, so the mark is on its own words only.
    if (doc.lang && doc.lang !== document.documentElement.lang) {
      heading.lang = doc.lang
      snippet.lang = doc.lang
    }
    var link = el('a')
    link.href = href(doc.ref)
    appendSegments(link, S.highlight(doc.title, hit.terms, 0, undefined, doc.lang))
    heading.appendChild(link)
    item.appendChild(heading)

    var meta = el('p', 'search-result-meta')
    var time = el('time', '', P.formatDate(doc.date))
    time.setAttribute('datetime', doc.date)
    meta.appendChild(time)
    if (doc.tags.length) {
      // The chips of listings (partials/entry.html): the same classes, spaces between.
      meta.appendChild(document.createTextNode(' · '))
      var tagList = el('span', 'tags search-result-tags')
      doc.tags.forEach(function (number, i) {
        var tag = S.tag(number)
        if (i) tagList.appendChild(document.createTextNode(' '))
        var tagLink = el('a', 'tag', tag.name)
        tagLink.href = root + 'tags/' + tag.slug + '/index.html'
        tagList.appendChild(tagLink)
      })
      meta.appendChild(tagList)
    }
    item.appendChild(meta)

    snippet.setAttribute('aria-busy', 'true')
    item.appendChild(snippet)
    var entry = { doc: doc, terms: hit.terms, element: snippet }
    shown.push(entry)
    return item
  }

  function pageLink (state, page, label, rel) {
    var link = el('a', 'search-pager-link', label)
    var target = P.atPage(state, page)
    link.href = queryString(S.normalizeState(target))
    link.rel = rel
    link.addEventListener('click', function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return
      }
      event.preventDefault()
      navigate(target, true)
    })
    return link
  }

  function renderPager (state, pages) {
    clear(pager)
    pager.hidden = pages <= 1
    if (pages <= 1) return
    if (state.page > 1) pager.appendChild(pageLink(state, state.page - 1, t('previous'), 'prev'))
    pager.appendChild(el('span', 'search-pager-current', t('pageOf', { page: number(state.page), pages: number(pages) })))
    if (state.page < pages) pager.appendChild(pageLink(state, state.page + 1, t('next'), 'next'))
  }

  /** Once, after the first results: the rest of the index's tables (search-core.js's
   * loadTables), so that the next query waits for no table piece. */
  function loadTables () {
    if (tablesAsked || !S.loadTables) return
    tablesAsked = true
    setTimeout(function () { S.loadTables(function () {}) }, 0)
  }

  function runSearch (state) {
    var key = JSON.stringify([state.q, state.tag, state.year, state.from, state.to, state.sort])
    // A partial result (a common word's head) holds only the first hits: redo it for later pages.
    var more = lastResult && lastResult.partial && lastResult.hits.length < state.page * perPage
    if (key !== lastKey || more) {
      lastResult = S.search(state)
      lastKey = key
    }
    return lastResult
  }

  /** The hits on the page `state.page` asks for (the last page if it asks for more). */
  function pageHits (state, result) {
    var pages = Math.max(1, Math.ceil(result.total / perPage))
    var page = Math.min(state.page, pages)
    return result.hits.slice((page - 1) * perPage, page * perPage)
  }

  function showFailure (state, message, error) {
    if (window.console) window.console.error(error)
    clear(list)
    shown = []
    list.removeAttribute('aria-busy')
    P.fillFilters(state, null)
    fail(message + (error && error.message ? error.message : error))
    renderPager(state, 0)
  }

  /**
   * Show `state`: load the index parts the query needs, then the titles of the page's
   * results, showing each result as soon as it and those above it have their titles (all at
   * once when everything is loaded already). The results list is aria-busy until the page is
   * complete; a newer render makes an older one's late callbacks do nothing.
   */
  function render (state) {
    var count = ++renderCount
    var drawn = false
    input.value = state.q
    var header = document.querySelector('.site-search input[name="q"]')
    if (header && header !== input) header.value = state.q
    document.title = state.q.trim() ? state.q.trim() + ' – ' + baseTitle : baseTitle
    list.setAttribute('aria-busy', 'true')
    var failed = false
    function loadFailed (error) {
      if (failed) return
      failed = true
      showFailure(state, t('partFailed'), error)
    }
    S.prepare(state, function (error) {
      if (count !== renderCount) return
      if (error) return loadFailed(error)
      var result
      try {
        result = runSearch(state)
      } catch (error) {
        return showFailure(state, t('searchFailed'), error)
      }
      var hits = pageHits(state, result)
      var ready = hits.map(function () { return false })
      var next = 0
      function flush () {
        if (!drawn) {
          drawn = true
          draw(state, result)
        }
        var added = []
        while (next < hits.length && ready[next]) {
          list.appendChild(renderHit(hits[next++]))
          added.push(shown[shown.length - 1])
        }
        loadTexts(added)
        if (next === hits.length) {
          list.removeAttribute('aria-busy')
          loadTables()
        }
      }
      if (!hits.length) return flush()
      function want (i) {
        S.prepareDocs([hits[i].doc], function (error) {
          if (count !== renderCount || failed) return
          if (error) return loadFailed(error)
          ready[i] = true
          if (ready[next]) flush()
          // The first result's file alone first: it is not kept waiting behind the others.
          if (i === 0) for (var j = 1; j < hits.length; j++) want(j)
        })
      }
      want(0)
    }, state.page * perPage)
    if (!drawn && count === renderCount) status.textContent = t('searching')
  }

  /** Everything of a result page but the results themselves (render() adds them). */
  function draw (state, result) {
    clear(list)
    shown = []
    errorBox.hidden = true
    errorBox.textContent = ''
    P.fillFilters(state, result)

    if (result.error) {
      status.textContent = t('notUnderstood')
      errorBox.textContent = t('engineReports', { message: result.error.message })
      errorBox.hidden = false
      if (help) help.open = true
      renderPager(state, 0)
      return
    }
    if (result.mode === 'empty') {
      status.textContent = t('empty')
      renderPager(state, 0)
      return
    }

    var total = result.total
    var pages = Math.max(1, Math.ceil(total / perPage))
    if (state.page > pages) state.page = pages
    // Quotes are left out here: the phrase's own notice follows.
    var what = result.mode === 'query' ? ' ' + t('forQuery', { query: state.q.replace(/"/g, '').trim() }) : ''
    var filters = P.describeFilters(state)
    if (result.stopWords) {
      status.textContent = t('tooCommon', { words: result.stopWords.join(' ') })
    } else if (result.unknownTag) {
      status.textContent = t('noTag', { tag: state.tag })
    } else if (total === 0) {
      status.textContent = t('noneFound') + what + filters + '.'
    } else {
      var first = (state.page - 1) * perPage
      var last = Math.min(total, first + perPage)
      var range = first + 1 === last ? number(last) : number(first + 1) + '–' + number(last)
      status.textContent = P.plural('articles', total) + what + filters +
        (pages > 1 ? t('showing', { range: range }) : '') + '.'
      list.start = first + 1
    }
    // lunr has no phrases: search-core.js keeps the hits of the words that hold the phrase.
    result.phrases.forEach(function (phrase) {
      status.textContent += ' ' + t('phrase', { phrase: phrase })
    })
    if (result.phraseChecked < result.phraseOf) {
      status.textContent += t('phraseChecked', { checked: number(result.phraseChecked), count: number(result.phraseOf) })
    }
    // search-core.js bounds fuzzy and wildcard terms so that no link can freeze the page.
    if (result.limited) {
      status.textContent += t('limited')
    }
    renderPager(state, pages)
  }

  /* ---- events ---- */

  form.addEventListener('submit', function (event) {
    event.preventDefault()
    navigate(P.formState(), false)
  })
  P.selects.concat(P.dates).forEach(function (select) {
    select.addEventListener('change', function () { navigate(P.formState(), false) })
  })
  window.addEventListener('popstate', function () { render(readState()) })

  render(readState())
})()
