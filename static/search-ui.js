/*
 * newsarchive search page: form, URL state, results, snippets and paging.
 *
 * Query logic lives in search-core.js (shared with the command line); this file only talks
 * to the DOM. Untrusted strings (titles, texts, tags, the query) are only ever set through
 * textContent and attributes, never parsed as HTML. State lives in the URL query
 * (q, tag, year, sort, page) via history.pushState, so links, reloads and Back all work,
 * also from file://. Every string it shows comes from the page's #search-text block, in the
 * site's language (the template translates them; plural forms are chosen with
 * Intl.PluralRules, counts grouped with Intl.NumberFormat).
 */
(function () {
  'use strict'

  var S = window.NewsArchiveSearch
  var app = document.getElementById('search-app')
  if (!app) return

  var root = app.getAttribute('data-root') || ''
  var perPage = parseInt(app.getAttribute('data-per-page'), 10) || 20
  var form = document.getElementById('search-form')
  var input = document.getElementById('search-q')
  var tagSelect = document.getElementById('search-tag')
  var yearSelect = document.getElementById('search-year')
  var sortSelect = document.getElementById('search-sort')
  var status = document.getElementById('search-status')
  var errorBox = document.getElementById('search-error')
  var list = document.getElementById('search-results')
  var pager = document.getElementById('search-pager')
  var help = app.querySelector('.search-help')
  var baseTitle = document.title
  var shown = [] // [{doc, terms, element}] for the snippets of the page on screen
  var renderCount = 0
  var lastKey = null
  var lastResult = null
  var optionKeys = new WeakMap() // select -> the options it holds, as fillSelect made them
  var locale = readLocale()

  /** The page's strings (search.html); English ones if the block is missing or broken. */
  function readLocale () {
    var node = document.getElementById('search-text')
    try {
      if (node) return JSON.parse(node.textContent)
    } catch (e) {}
    return { lang: 'en', text: {}, plurals: {} }
  }

  var ENGLISH = {
    unavailable: 'The search index could not be loaded, so search is not available.',
    allTags: 'All tags',
    allYears: 'All years',
    withCount: '{label} ({count})',
    previous: '← Previous',
    next: 'Next →',
    pageOf: 'Page {page} of {pages}',
    tagged: 'tagged “{tag}”',
    fromYear: 'from {year}',
    forQuery: 'for “{query}”',
    partFailed: 'Part of the search index could not be loaded: ',
    searchFailed: 'Something went wrong while searching: ',
    searching: 'Searching…',
    notUnderstood: 'Your search could not be understood.',
    engineReports: 'The search engine reports: {message}. See the search tips: a field needs ' +
      'a word after the colon (title:oil), and +, -, ~ and ^ must be attached to a word ' +
      '(+oil, -opec, oil~1).',
    empty: 'Type words to search the archive, or choose a tag or year.',
    noTag: 'There is no tag “{tag}”.',
    noneFound: 'No articles found',
    showing: ', showing {range}',
    limited: ' Some fuzzy or wildcard terms were limited, so results may be incomplete.'
  }

  /** The string `key` in the site's language, with {name} placeholders filled from `values`. */
  function t (key, values) {
    var text = (locale.text && locale.text[key]) || ENGLISH[key] || key
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole
    })
  }

  var numberFormat = null
  var pluralRules = null
  try {
    numberFormat = new Intl.NumberFormat(locale.lang)
    pluralRules = new Intl.PluralRules(locale.lang)
  } catch (e) {}

  function number (n) {
    return numberFormat ? numberFormat.format(n) : String(n)
  }

  /** "{n} articles" in the form the site's language uses for `n` (one, few, many, other). */
  function plural (key, n) {
    var forms = (locale.plurals && locale.plurals[key]) || {}
    var category = pluralRules ? pluralRules.select(n) : (n === 1 ? 'one' : 'other')
    var text = forms[category] || forms.other || (n === 1 ? '{n} article' : '{n} articles')
    return text.replace('{n}', number(n))
  }

  function formatDate (iso) {
    return S.formatDate(iso, locale.dates)
  }

  function el (name, className, text) {
    var node = document.createElement(name)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

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

  function readState () {
    var params = new URLSearchParams(window.location.search)
    return S.normalizeState({
      q: params.get('q'),
      tag: params.get('tag'),
      year: params.get('year'),
      sort: params.get('sort'),
      page: params.get('page')
    })
  }

  function queryString (state) {
    var params = new URLSearchParams()
    if (state.q) params.set('q', state.q)
    if (state.tag) params.set('tag', state.tag)
    if (state.year) params.set('year', state.year)
    if (state.sort !== S.SORTS[0]) params.set('sort', state.sort)
    if (state.page > 1) params.set('page', String(state.page))
    var text = params.toString()
    return text ? '?' + text : window.location.pathname
  }

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

  function formState () {
    return {
      q: input.value,
      tag: tagSelect.value,
      year: yearSelect.value,
      sort: sortSelect.value,
      page: 1
    }
  }

  /* ---- filters ---- */

  /**
   * Give `select` these options (after an "all" one) with `selected` chosen. The options
   * are built again only when they differ from the ones it has: every query redraws the
   * filters, and rebuilding hundreds of tag options each time was a good part of a query's
   * time on screen.
   */
  function fillSelect (select, allLabel, options, selected) {
    var found = options.some(function (option) { return option.value === selected })
    var rows = [['', allLabel]].concat(options.map(function (option) {
      return [option.value, option.label]
    }))
    if (selected && !found) rows.push([selected, selected])
    var key = JSON.stringify(rows)
    if (optionKeys.get(select) !== key) {
      var fragment = document.createDocumentFragment()
      rows.forEach(function (row) {
        var node = el('option', '', row[1])
        node.value = row[0]
        fragment.appendChild(node)
      })
      select.textContent = ''
      select.appendChild(fragment)
      optionKeys.set(select, key)
    }
    select.value = selected || ''
  }

  function fillFilters (state, result) {
    var tags = S.tags()
    var tagOptions
    var yearOptions
    var facets = result.facets
    if (facets && (facets.tags.length || facets.years.length)) {
      // Counts within the current results; years honour the tag filter and vice versa.
      // (The sharded index knows the count of the chosen tag only; others show no count.)
      tagOptions = facets.tags.map(function (pair) {
        var tag = tags[pair[0]]
        return { value: tag.slug, label: pair[1] === null ? tag.name : t('withCount', { label: tag.name, count: number(pair[1]) }) }
      })
      yearOptions = facets.years.map(function (pair) {
        return { value: String(pair[0]), label: t('withCount', { label: pair[0], count: number(pair[1]) }) }
      })
    } else {
      tagOptions = tags.map(function (tag) { return { value: tag.slug, label: tag.name } })
      yearOptions = S.years().map(function (y) { return { value: String(y), label: String(y) } })
    }
    var selectedTag = state.tag
    var tagNumber = S.findTag(state.tag)
    if (tagNumber >= 0) selectedTag = tags[tagNumber].slug
    fillSelect(tagSelect, t('allTags'), tagOptions, selectedTag)
    fillSelect(yearSelect, t('allYears'), yearOptions, state.year)
    sortSelect.value = state.sort
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
    var time = el('time', '', formatDate(doc.date))
    time.setAttribute('datetime', doc.date)
    meta.appendChild(time)
    if (doc.tags.length) {
      var tagList = el('span', 'search-result-tags')
      tagList.appendChild(document.createTextNode(' · '))
      doc.tags.forEach(function (number, i) {
        var tag = S.tag(number)
        if (i) tagList.appendChild(document.createTextNode(', '))
        var tagLink = el('a', 'search-result-tag', tag.name)
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
    var target = { q: state.q, tag: state.tag, year: state.year, sort: state.sort, page: page }
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

  function describeFilters (state) {
    var parts = []
    if (state.tag) {
      var found = S.findTag(state.tag)
      parts.push(t('tagged', { tag: found >= 0 ? S.tag(found).name : state.tag }))
    }
    if (state.year) parts.push(t('fromYear', { year: state.year }))
    return parts.length ? ' ' + parts.join(' ') : ''
  }

  function runSearch (state) {
    var key = JSON.stringify([state.q, state.tag, state.year, state.sort])
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
    fillSelect(tagSelect, t('allTags'), [], state.tag)
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
        if (next === hits.length) list.removeAttribute('aria-busy')
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
    fillFilters(state, result)

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
    var what = result.mode === 'query' ? ' ' + t('forQuery', { query: state.q.trim() }) : ''
    var filters = describeFilters(state)
    if (result.unknownTag) {
      status.textContent = t('noTag', { tag: state.tag })
    } else if (total === 0) {
      status.textContent = t('noneFound') + what + filters + '.'
    } else {
      var first = (state.page - 1) * perPage
      var last = Math.min(total, first + perPage)
      var range = first + 1 === last ? number(last) : number(first + 1) + '–' + number(last)
      status.textContent = plural('articles', total) + what + filters +
        (pages > 1 ? t('showing', { range: range }) : '') + '.'
      list.start = first + 1
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
    navigate(formState(), false)
  })
  ;[tagSelect, yearSelect, sortSelect].forEach(function (select) {
    select.addEventListener('change', function () { navigate(formState(), false) })
  })
  window.addEventListener('popstate', function () { render(readState()) })

  render(readState())
})()
