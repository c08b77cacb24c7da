/*
 * newsarchive search page: its words, its URL state and its filters.
 *
 * search-ui.js (loaded after this file) draws the results and handles events; this file owns
 * what both need to agree on: the strings of the page's #search-text block (in the site's
 * language: plural forms with Intl.PluralRules, counts with Intl.NumberFormat), the state in
 * the URL query (q, tag, year, from, to, sort, page) and the form's filters. Untrusted
 * strings are only ever set through textContent and attributes.
 */
(function () {
  'use strict'

  var S = window.NewsArchiveSearch // used once a search runs: search-ui.js checks it is there
  var app = document.getElementById('search-app')
  if (!app) return

  // The form's fields: #search-q, #search-tag, ... (search.html).
  var field = {}
  ;['q', 'tag', 'year', 'from', 'to', 'sort'].forEach(function (name) {
    field[name] = document.getElementById('search-' + name)
  })
  var tagSelect = field.tag
  var yearSelect = field.year
  var fromInput = field.from
  var toInput = field.to
  var sortSelect = field.sort
  var input = field.q
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
    fromDay: 'from {day}',
    toDay: 'until {day}',
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
    limited: ' Some fuzzy or wildcard terms were limited, so results may be incomplete.',
    tooCommon: '“{words}” is too common to search for; try other words.',
    phrase: 'Showing articles containing the phrase “{phrase}”.',
    phraseChecked: ' The phrase was looked for in the first {checked} of the {count} articles with all its words.'
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

  /* ---- URL state ---- */

  var KEYS = ['q', 'tag', 'year', 'from', 'to', 'sort', 'page']

  function readState () {
    var params = new URLSearchParams(window.location.search)
    var state = {}
    KEYS.forEach(function (key) { state[key] = params.get(key) })
    return S.normalizeState(state)
  }

  function queryString (state) {
    var params = new URLSearchParams()
    ;['q', 'tag', 'year', 'from', 'to'].forEach(function (key) {
      if (state[key]) params.set(key, state[key])
    })
    if (state.sort !== S.SORTS[0]) params.set('sort', state.sort)
    if (state.page > 1) params.set('page', String(state.page))
    var text = params.toString()
    return text ? '?' + text : window.location.pathname
  }

  function formState () {
    return {
      q: input.value,
      tag: tagSelect.value,
      year: yearSelect.value,
      from: fromInput.value,
      to: toInput.value,
      sort: sortSelect.value,
      page: 1
    }
  }

  /** `state` at another page. */
  function atPage (state, page) {
    var target = {}
    KEYS.forEach(function (key) { target[key] = state[key] })
    target.page = page
    return target
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

  /** The filters as `state` and `result` (with facets: counts of the current results) say. */
  function fillFilters (state, result) {
    var tags = S.tags()
    var tagOptions
    var yearOptions
    var facets = result && result.facets
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
    fromInput.value = state.from
    toInput.value = state.to
    sortSelect.value = state.sort
  }

  /** The filters in words, for the status line (" tagged “oil” from 1987"). */
  function describeFilters (state) {
    var parts = []
    if (state.tag) {
      var found = S.findTag(state.tag)
      parts.push(t('tagged', { tag: found >= 0 ? S.tag(found).name : state.tag }))
    }
    if (state.year) parts.push(t('fromYear', { year: state.year }))
    if (state.from) parts.push(t('fromDay', { day: formatDate(state.from) }))
    if (state.to) parts.push(t('toDay', { day: formatDate(state.to) }))
    return parts.length ? ' ' + parts.join(' ') : ''
  }

  window.NewsArchiveSearchPage = {
    t: t,
    number: number,
    plural: plural,
    formatDate: formatDate,
    el: el,
    readState: readState,
    queryString: queryString,
    formState: formState,
    atPage: atPage,
    fillSelect: fillSelect,
    fillFilters: fillFilters,
    describeFilters: describeFilters,
    selects: [tagSelect, yearSelect, sortSelect],
    dates: [fromInput, toInput]
  }
})()
