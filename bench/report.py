"""The results as Markdown: the same text is printed and written to ``bench/results.md``.

Ratios are always "newsarchive ÷ the alternative" for a cost (seconds, bytes, memory), shown
as "3.1× slower" / "2.0× less": above 1 we cost more, below 1 we cost less.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

NOTES = """\
How to read this: every time is wall-clock seconds, the median of the runs shown in
brackets (a measurement is repeated only while one run is shorter than {short:.0f} s).
"Cold" starts with no output folder and a fresh process, once the removal of the last output
has reached the disk (`sync`) and {caches} (see `bench/tools.py`: left alone, the last run's
deleted files made each next run slower);
"rebuild" runs the same build again with nothing changed. Peak RSS is the largest resident
set of the tool's process (from `wait4`), not of this benchmark. Ratios compare newsarchive
with the alternative: "3.0× slower" means newsarchive took three times as long.
Hugo, Pagefind and newsarchive (pages rendered by one process per core) use both cores;
Pelican and lunr run on one. newsarchive's rebuild reuses the pages and index files whose
inputs did not change (its manifest in its cache folder); its cold builds start without
its output folder, so without a trusted manifest.

Same page set everywhere: article pages at `/YYYY/MM/DD/slug/`, tag listings, year, month
and day listings and the home page, paginated 20 per page; slugs are fixed by the generator
so no tool renames or drops an article. Hugo: minimal layouts in `bench/hugo/`, tags as a
taxonomy, date listings as nested sections (`content/YYYY/MM/DD/`, one `_index.md` per
folder), Pagefind indexing only article bodies (`data-pagefind-body`) with a `tag` filter.
Pelican: settings and a minimal theme in `bench/pelican/` (`YEAR/MONTH/DAY_ARCHIVE_SAVE_AS`,
`TAG_SAVE_AS`, pagination of index, tag and period pages). Beyond that page set each tool
writes its own extras (our search page, 404, feeds and sitemap; Hugo's RSS, sitemap and
`page/1/` aliases; Pelican's Atom feeds).

Search in Chromium: headless Debian Chromium, a new context (empty cache) per query, both
sites served by the same plain static server on 127.0.0.1 without compression. "First
results" is the time from navigation start until the first result title is put into the
page (ours: `.search-result` after the whole index has loaded; Pagefind's default UI: the first
`.pagefind-ui__result-link`, after its worker has fetched the index chunks and that result's
fragment). Bytes are the bodies the server sent until that moment, and until the network was
idle (ours then also fetched snippet texts; Pagefind fetched the fragments of its first 5
results); "gzip" is the same files' `gzip -6` sizes, what a compressing host would send.
"Warm" is the next query of the list typed into the already loaded page, until its first
result is shown. Pagefind's UI runs with `debounceTimeoutMs: 0` (its default 300 ms typing
delay would be added to every query). lunr's query syntax wants `export*` for a prefix;
Pagefind matches prefixes by itself, so it gets `export`. lunr returns articles with any of
the words, Pagefind those with all of them, so result counts differ.
"""


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 10:
        return f"{value:.2f} s"
    if value < 100:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def mb(value: float | None) -> str:
    """Bytes in kB or MB (decimal), with three significant digits below 10 MB."""
    if value is None:
        return "–"
    if value < 100_000:
        return f"{value / 1000:,.1f} kB"
    if value < 10_000_000:
        return f"{value / 1_000_000:,.2f} MB"
    return f"{value / 1_000_000:,.1f} MB"


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def ratio(
    ours: float | None, theirs: float | None, more: str = "slower", less: str = "faster"
) -> str:
    """``ours / theirs`` as words: "3.1× slower" or "2.0× faster" (the inverse)."""
    if not ours or not theirs:
        return "–"
    r = ours / theirs
    if 0.95 <= r <= 1.05:
        return "same"
    return f"{r:.1f}× {more}" if r > 1 else f"{1 / r:.1f}× {less}"


def _timed(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "–"
    runs = entry.get("runs", 1)
    return f"{seconds(entry['seconds'])} ({runs})" if runs > 1 else seconds(entry["seconds"])


def _get(data: dict[str, Any] | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _problem(data: dict[str, Any] | None) -> str | None:
    if not data:
        return "not run"
    if "skipped" in data:
        said = str(data["skipped"])
        return said if said.startswith("not run") else f"skipped: {said}"
    if "error" in data:
        return f"failed: {data['error']}"
    return None


def _not_run(tool: str, earlier: Sequence[tuple[int, dict[str, Any]]]) -> str:
    """Why ``tool`` has no result at a size: how it failed (or why it was skipped) at the
    largest of the ``earlier`` (smaller) sizes where it did, the reason it was not run."""
    for smaller, data in reversed(earlier):
        said = _problem(data.get(tool))
        if said and said != "not run":
            return f"not run (at {smaller:,} articles: {said})"
    return "not run"


def build_rows(
    size: int, data: dict[str, Any], earlier: Sequence[tuple[int, dict[str, Any]]] = ()
) -> list[str]:
    """Cold build, rebuild, memory and output of every tool at one size; ``earlier``: the
    smaller sizes' results, in order, which say why a tool was not run at this one."""
    ours = data.get("newsarchive") or {}
    ours_cold = _get(ours, "cold", "seconds")
    ours_rebuild = _get(ours, "rebuild", "seconds")
    ours_rss = _get(ours, "cold", "peak_rss")
    rows: list[str] = []

    def row(name: str, cold: Any, rebuild: Any, written: Any, note: str = "") -> None:
        if cold is None:
            rows.append(f"| {size:,} | {name} | {note or '–'} | | | | | | | |")
            return
        rss = cold.get("peak_rss")
        is_ours = name.startswith("**newsarchive")
        cells = [
            f"{size:,}",
            name,
            _timed(cold),
            _timed(rebuild) if rebuild else "–",
            mb(rss),
            f"{written['files']:,}" if written else "–",
            mb(written["bytes"]) if written else "–",
            "" if is_ours else ratio(ours_cold, cold["seconds"]),
            "" if is_ours or not rebuild else ratio(ours_rebuild, rebuild["seconds"]),
            "" if is_ours else ratio(ours_rss, rss, "more", "less"),
        ]
        rows.append("| " + " | ".join(cells) + " |")

    def problem(tool: str) -> str | None:
        said = _problem(data.get(tool))
        return _not_run(tool, earlier) if said == "not run" else said

    if problem("newsarchive"):
        row("**newsarchive**", None, None, None, problem("newsarchive") or "")
    else:
        row("**newsarchive** (site + search index)", ours["cold"], ours["rebuild"], ours["written"])
    hugo = data.get("hugo_pagefind")
    if problem("hugo_pagefind"):
        row("Hugo + Pagefind", None, None, None, problem("hugo_pagefind") or "")
    else:
        assert hugo is not None
        row(
            "Hugo + Pagefind (together)",
            hugo["cold"]["together"],
            hugo["rebuild"]["together"],
            hugo["written"],
        )
        row(
            "Hugo alone (no search)",
            hugo["cold"]["hugo"],
            hugo["rebuild"]["hugo"],
            hugo["written_hugo"],
        )
        bundle = hugo["pagefind_bundle"]
        row(
            "Pagefind alone (index Hugo's output)",
            hugo["cold"]["pagefind"],
            hugo["rebuild"]["pagefind"],
            bundle,
        )
    pelican = data.get("pelican")
    if problem("pelican"):
        row("Pelican (no search)", None, None, None, problem("pelican") or "")
    else:
        assert pelican is not None
        row("Pelican (no search)", pelican["cold"], pelican.get("rebuild"), pelican["written"])
    lunr = data.get("plain_lunr") or {}
    for name in ("lunr.py", "lunr.js"):
        entry = lunr.get(name)
        label = f"plain {name} index only"
        if _problem(entry):
            row(label, None, None, None, _problem(entry) or "")
        else:
            assert entry is not None
            row(label, entry["build"], None, {"files": 1, "bytes": entry["index_bytes"]})
    return rows


# In the order devloop.measure_serve makes them.
SERVE_KINDS = ("edit", "publish", "retract", "add", "delete")


def serve_rows(size: int, data: dict[str, Any]) -> list[str]:
    serve = data.get("serve")
    problem = _problem(serve)
    if problem or serve is None:
        return [f"| {size:,} | {problem} | | | | | | | |"]

    def timed(kind: str) -> str:
        if kind not in serve:  # results of a run from before deletes were timed
            return "–"
        return f"{seconds(serve[kind]['seconds'])} ({len(serve[kind]['all_seconds'])})"

    # The server's own rebuild times, in the order of the changes (when every change made
    # exactly one rebuild; else all of them together).
    rebuilds = serve.get("rebuild_seconds") or []
    counts = [len(serve[k]["all_seconds"]) for k in SERVE_KINDS if k in serve]
    if len(rebuilds) == sum(counts):
        parts, at = [], 0
        for n in counts:
            parts.append(seconds(statistics.median(rebuilds[at : at + n])))
            at += n
        rebuild = " / ".join(parts)
    else:
        rebuild = seconds(statistics.median(rebuilds)) if rebuilds else "–"
    return [
        f"| {size:,} | {seconds(serve['startup_seconds'])} | "
        + " | ".join(timed(kind) for kind in SERVE_KINDS)
        + f" | {rebuild} | {mb(serve['peak_rss'])} |"
    ]


def index_rows(size: int, data: dict[str, Any]) -> list[str]:
    ours = _get(data, "newsarchive", "search")
    rows = []
    ours_gz = ours["index_gzip"] if ours else None
    if ours:
        what = (
            f"index parts ({ours['index_files']:,} files under `search/`; a query loads a few)"
            if ours.get("sharded")
            else "index + document list (`search/index.js`, `docs.js`), all loaded before "
            "the first result"
        )
        rows.append(
            f"| {size:,} | **newsarchive**: {what} | {mb(ours['index_bytes'])} | "
            f"{mb(ours['index_gzip'])} | |"
        )
        rows.append(
            f"| {size:,} | **newsarchive**: snippet texts ({ours['text_files']:,} files, loaded "
            f"per result page) | {mb(ours['text_bytes'])} | {mb(ours['text_gzip'])} | |"
        )
        rows.append(
            f"| {size:,} | **newsarchive**: lunr.js + search scripts | {mb(ours['script_bytes'])} "
            f"| {mb(ours['script_gzip'])} | |"
        )
    bundle = _get(data, "hugo_pagefind", "pagefind_bundle")
    if bundle:
        rows.append(
            f"| {size:,} | Pagefind bundle, every file ({bundle['files']:,} files; a query "
            f"loads a few) | {mb(bundle['bytes'])} | {mb(bundle['gzip'])} | "
            f"{ratio(ours_gz, bundle['gzip'], 'larger', 'smaller')} |"
        )
    for name in ("lunr.py", "lunr.js"):
        entry = _get(data, "plain_lunr", name)
        if entry and "index_bytes" in entry:
            rows.append(
                f"| {size:,} | plain {name} index (one JSON file) | {mb(entry['index_bytes'])} | "
                f"{mb(entry['index_gzip'])} | "
                f"{ratio(ours_gz, entry['index_gzip'], 'larger', 'smaller')} |"
            )
    return rows


def search_rows(size: int, data: dict[str, Any]) -> list[str]:
    search = data.get("search") or {}
    if _problem(search):
        return [f"| {size:,} | {_problem(search)} | | | | | | | |"]
    ours = _get(search, "newsarchive", "summary") or {}
    rows = []
    for name, label in (("newsarchive", "**newsarchive**"), ("pagefind", "Hugo + Pagefind UI")):
        s = _get(search, name, "summary") or {}
        if not s.get("queries"):
            rows.append(f"| {size:,} | {label} | no query showed results | | | | | | |")
            continue
        is_ours = name == "newsarchive"
        skipped = s.get("no_results", 0) + s.get("errors", 0)
        cells = [
            f"{size:,}",
            label,
            f"{s['queries']}" + (f" (+{skipped} without results/failed)" if skipped else ""),
            f"{mb(s['bytes_until_first'])} / {mb(s['gzip_until_first'])}",
            f"{ms(s['first_results_ms'])} / {ms(s['first_results_ms_max'])}",
            f"{mb(s['bytes_until_idle'])} / {mb(s['gzip_until_idle'])}",
            f"{ms(s['warm_ms'])} / {ms(s['warm_ms_max'])}",
        ]
        if is_ours:
            cells.append("")
        else:
            cells.append(
                "bytes (gzip) "
                + ratio(ours.get("gzip_until_first"), s["gzip_until_first"], "more", "fewer")
                + "; first results "
                + ratio(ours.get("first_results_ms"), s["first_results_ms"])
                + "; warm "
                + ratio(ours.get("warm_ms"), s["warm_ms"])
            )
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def query_rows(size: int, data: dict[str, Any]) -> list[str]:
    search = data.get("search") or {}
    ours = {r["query"]: r for r in _get(search, "newsarchive", "queries") or []}
    theirs = {r["query"]: r for r in _get(search, "pagefind", "queries") or []}
    rows = []
    for label in ours.keys() | theirs.keys():
        cells = [
            f"{size:,}",
            f"`{label}`",
            (ours.get(label) or theirs.get(label) or {}).get("kind", ""),
        ]
        for r in (ours.get(label), theirs.get(label)):
            if r is None or "error" in r:
                cells += ["error" if r else "–", "", "", ""]
                continue
            cells += [
                str(r["shown"]) if r["shown"] is not None else ("0" if not r["found"] else "?"),
                ms(r["first_results_ms"]),
                mb(r["until_first"]["gzip"]),
                ms(r["warm_ms"]),
            ]
        rows.append("| " + " | ".join(cells) + " |")
    order = {q: i for i, q in enumerate(ours or theirs)}
    return sorted(rows, key=lambda line: order.get(line.split("`")[1], 0))


def render(results: dict[str, Any]) -> str:
    """The whole report."""
    from . import report_scale  # it uses this module's formatting

    machine = results["machine"]
    settings = results["settings"]
    lines = [
        "# Benchmark: newsarchive against Hugo + Pagefind, Pelican and plain lunr",
        "",
        f"Run {results['date']} with `{results['command']}` "
        f"({results.get('total_seconds', 0) / 60:.0f} min in all).",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']:.0f} GB "
        f"memory, {machine['os']}.",
        "",
        "Versions: "
        + "; ".join(f"{name} {value}" for name, value in results["versions"].items())
        + ".",
        "",
        "Content: Reuters-21578 (`../shared/corpora/reuters21578/articles/`, "
        f"{results['corpus_articles']:,} articles); sets above that size repeat it with dates "
        "shifted by whole years and a title suffix.",
        "",
        NOTES.format(
            short=settings["short"],
            caches="the kernel's caches were dropped, so inputs are read from disk"
            if settings.get("drop_caches")
            else "with the kernel's caches as they were (not root: they could not be dropped)",
        ),
    ]
    sizes = [(int(k), v) for k, v in sorted(results["sizes"].items(), key=lambda kv: int(kv[0]))]
    lines += [
        "## Building the site",
        "",
        "| Articles | Tool | Cold build (runs) | Rebuild, nothing changed | Peak RSS "
        "| Files written | Bytes written | newsarchive vs this: cold | rebuild | memory |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for at, (size, data) in enumerate(sizes):
        lines += build_rows(size, data, sizes[:at])
    lines += [
        "",
        "## Editing with `build.py serve` (newsarchive)",
        "",
        "From closing the saved file to the changed page being served over HTTP (the watcher, "
        "its wait for the save's events to settle, the rebuild and writing what changed), "
        "median of the runs in "
        "brackets. The edit changes the title of an article in the middle of the archive (its "
        "URL moves). Publish adds an article dated after the newest (each one newer than the "
        "last), retract deletes them again, newest first (until the URL answers 404). Back-fill "
        "adds an article dated in the middle of the archive (near the edited one), and "
        "delete removes it again. "
        '"Rebuild" is the server\'s own build time, median for each kind in that order.',
        "",
        "| Articles | Start (first page served) | Edit one title → served (runs) | Publish "
        "one → served | Retract it → gone | Back-fill one → served | Delete it → gone "
        "| Rebuild | Peak RSS of the server |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, data in sizes:
        lines += serve_rows(size, data)
    lines += [
        "",
        "## Search index size",
        "",
        "| Articles | What | Raw | gzip -6 | newsarchive index vs this (gzip) |",
        "| ---: | --- | ---: | ---: | --- |",
    ]
    for size, data in sizes:
        lines += index_rows(size, data)
    # The queries of the sizes searched (a size may have been built only: none there).
    searched = (_get(data, "search", "newsarchive", "queries") or [] for _, data in sizes)
    queries = max(map(len, searched), default=0)
    lines += [
        "",
        f"## Search in Chromium ({queries} queries)",
        "",
        'Medians over the queries that showed results; "raw / gzip" bytes, "median / '
        'slowest" times.',
        "",
        "| Articles | Site | Queries | Bytes until first results | Time to first results "
        "| Bytes until network idle | Warm query | newsarchive vs this |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for size, data in sizes:
        lines += search_rows(size, data)
    lines += [
        "",
        "<details><summary>Every query</summary>",
        "",
        "Results shown by the page (ours: articles with any of the words; Pagefind: with "
        "all), time to first results, gzip bytes until then, and the warm time of the next "
        "query in the list, typed into that page.",
        "",
        "| Articles | Query | Kind | ours: results | first | gzip | warm | Pagefind: results "
        "| first | gzip | warm |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, data in sizes:
        lines += query_rows(size, data)
    lines += ["", "</details>", ""]
    lines += report_scale.render(sizes)
    failures = [
        f"- {size:,} {name}: {value['error']}"
        for size, data in sizes
        for name, value in data.items()
        if isinstance(value, dict) and "error" in value
    ]
    if failures:
        lines += ["## Failures", "", *failures, ""]
    return "\n".join(lines)
