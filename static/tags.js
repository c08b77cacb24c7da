// The /tags/ page's filter box and sort (progressive enhancement: without this script the
// page lists every tag by initial, and the tools stay hidden).
(function () {
  "use strict";
  var tools = document.querySelector(".tag-tools");
  var letters = document.querySelector(".tag-letters");
  if (!tools || !letters) return;
  var text = JSON.parse(document.getElementById("tags-text").textContent);
  var input = document.getElementById("tag-filter");
  var shown = tools.querySelector(".tag-shown");
  var jump = document.querySelector(".az-jump");
  var buttons = tools.querySelectorAll("button[data-sort]");
  var rules = new Intl.PluralRules(document.documentElement.lang || undefined);
  // Every tag once, in name order, with where it lives and what a filter compares.
  var items = Array.prototype.map.call(letters.querySelectorAll("li"), function (li) {
    return {
      li: li,
      home: li.parentNode,
      key: fold(li.querySelector("a").textContent),
      count: Number(li.getAttribute("data-count")),
    };
  });
  var byCount = document.createElement("ul");
  byCount.className = "tag-index tag-by-count";
  byCount.hidden = true;
  letters.parentNode.insertBefore(byCount, letters.nextSibling);

  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function say(n) {
    var form = text.shown[rules.select(n)] || text.shown.other;
    shown.textContent = form.replace("{n}", n.toLocaleString(document.documentElement.lang || undefined));
  }

  function filter() {
    var query = fold(input.value.trim());
    var n = 0;
    items.forEach(function (item) {
      var hit = !query || item.key.indexOf(query) !== -1;
      item.li.hidden = !hit;
      if (hit) n += 1;
    });
    letters.querySelectorAll(".tag-letter").forEach(function (section) {
      var empty = !section.querySelector("li:not([hidden])");
      section.hidden = empty;
      var link = jump.querySelector('a[href="#' + section.id + '"]');
      if (link) link.hidden = empty;
    });
    say(n);
  }

  function sort(how) {
    var counting = how === "count";
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-sort") === how));
    });
    if (counting) {
      items
        .slice()
        .sort(function (a, b) { return b.count - a.count; }) // stable: names stay in order
        .forEach(function (item) { byCount.appendChild(item.li); });
    } else {
      items.forEach(function (item) { item.home.appendChild(item.li); });
    }
    byCount.hidden = !counting;
    letters.hidden = counting;
    jump.hidden = counting;
  }

  input.addEventListener("input", filter);
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { sort(b.getAttribute("data-sort")); });
  });
  tools.hidden = false;
  filter();
})();
