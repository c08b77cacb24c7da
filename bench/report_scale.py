"""The report's sections about scale: where a cold build's time and memory go (per stage of
build.py, from ``bench/stages.py``), the shape of the output a static host sees, and the
issue's targets at a million articles."""

from __future__ import annotations

from typing import Any

from .report import _get, mb, ms, seconds

STAGE_NOTES = """\
Each cold build runs through `bench/stages.py`: the same command line as `build.py build`,
with the functions `newsarchive/build.py` calls wrapped. "Seconds" is the time inside the
function (a stage called from another, like `related_articles` inside `build_archive`, is
subtracted from its caller); "RSS after" is the build process's resident set when the stage
returned (`/proc/self/statm`) and "peak so far" its largest yet (`getrusage`). The page
workers are forked when the pages are listed and render while this process writes the data
files, so `render pages` is only the wait for them after that; their peak is the largest
single worker's (`RUSAGE_CHILDREN`, known once they exit). A cold build makes the search
index in a child of its own from the model stage on (`newsarchive/searchfork.py`), so
`search child` is only the wait for it and its CPU counts with the workers'; a checkout
from before it made the index in this process (`site_assets`). Stage groups (the issue's
words): read, tag, model, related, render, search, write."""


def stage_rows(size: int, data: dict[str, Any]) -> list[str]:
    """One table of the stages of the median cold build at one size."""
    profile = _get(data, "newsarchive", "profile")
    if not profile:
        return []
    reached = "" if profile.get("status") == 0 else " (the build did not finish: the stages it did)"
    groups = profile.get("groups", {})
    cpu = ""
    if "cpu_seconds" in profile:
        cpu = (
            f"; CPU {seconds(profile['cpu_seconds'])} in the build process, "
            f"{seconds(profile['children_cpu_seconds'])} in its workers"
        )
    rows = [
        f"### {size:,} articles: {seconds(profile['seconds'])} "
        + ("in the build function, " if not reached else "until its last finished stage, ")
        + f"peak RSS {mb(profile['peak_rss'])} (largest page worker "
        f"{mb(profile['children_peak_rss'])}){cpu}{reached}",
        "",
        *([profile["note"], ""] if profile.get("note") else []),
        "| Stage (build.py) | Group | Seconds | Share | CPU seconds | RSS after | Peak so far |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = profile["seconds"] or 1
    for record in profile["stages"]:
        rows.append(
            f"| `{record['stage']}` | {groups.get(record['stage'], '')} | "
            f"{seconds(record['seconds'])} | {record['seconds'] / total:.0%} | "
            f"{seconds(record.get('cpu_seconds'))} | "
            f"{mb(record['rss'])} | {mb(record['peak_rss'])} |"
        )
    rows.append(
        f"| everything else (config, theme, salt, sitemap, assets, start-up) | | "
        f"{seconds(profile['other_seconds'])} | {profile['other_seconds'] / total:.0%} "
        "| | | |"
    )
    return [*rows, ""]


def group_totals(profile: dict[str, Any]) -> dict[str, float]:
    """Seconds per stage group (read, tag, ...), in build order."""
    totals: dict[str, float] = {}
    for record in profile["stages"]:
        group = profile.get("groups", {}).get(record["stage"], "other")
        totals[group] = totals.get(group, 0.0) + record["seconds"]
    return totals


def layout_row(size: int, data: dict[str, Any]) -> str | None:
    layout = _get(data, "newsarchive", "layout")
    if not layout:
        return None
    largest = ", ".join(f"`{f['path']}` {f['entries']:,}" for f in layout["largest"][:5])
    sitemap = layout["sitemap"]
    if sitemap["index"]:
        shape = (
            f"index of {sitemap['files']:,} sitemaps, {sitemap['urls']:,} URLs, "
            f"at most {sitemap['most']:,} in one"
        )
    else:
        shape = f"one sitemap, {sitemap['urls']:,} URLs"
    return f"| {size:,} | {layout['folders']:,} | {largest} | {layout['over_limit']:,} | {shape} |"


def targets(size: int, data: dict[str, Any]) -> list[str]:
    """The issue's targets at a million articles, each met or missed by how much."""
    ours = data.get("newsarchive") or {}
    serve = data.get("serve") or {}
    search = _get(data, "search", "newsarchive", "summary") or {}
    layout = ours.get("layout") or {}
    sitemap = layout.get("sitemap") or {}
    peak = _get(ours, "cold", "peak_rss")
    checks: list[tuple[str, str, bool | None]] = [
        ("cold build under 10 min", seconds(_get(ours, "cold", "seconds")), None),
        ("peak RSS under 6 GB (largest process of the build)", mb(peak), None),
        ("unchanged rebuild under 60 s", seconds(_get(ours, "rebuild", "seconds")), None),
        ("serve: edit → served under 3 s", seconds(_get(serve, "edit", "seconds")), None),
        ("search: first results under 150 kB gzip", mb(search.get("gzip_until_first")), None),
        ("search: median warm query under 60 ms", ms(search.get("warm_ms")), None),
    ]
    limits = [
        (_get(ours, "cold", "seconds"), 600),
        (peak, 6 * 10**9),
        (_get(ours, "rebuild", "seconds"), 60),
        (_get(serve, "edit", "seconds"), 3),
        (search.get("gzip_until_first"), 150_000),
        (search.get("warm_ms"), 60),
    ]
    checks = [
        (what, shown, None if value is None else value < limit)
        for (what, shown, _), (value, limit) in zip(checks, limits, strict=True)
    ]
    if "error" in ours:  # the cold build did not finish
        checks[0] = (checks[0][0], f"did not finish: {ours['error']}", False)
    if "error" in serve:  # no edit was served (the reason is under Failures)
        checks[3] = (checks[3][0], "failed (see Failures)", False)
    if sitemap:
        most = sitemap.get("most", sitemap.get("urls", 0))
        checks.append(
            (
                "`/sitemap.xml` an index, ≤ 50,000 URLs per sitemap",
                f"{'index' if sitemap['index'] else 'one urlset'}, {most:,} at most",
                bool(sitemap["index"]) and most <= 50_000,
            )
        )
    if layout:
        worst = layout["largest"][0]
        checks.append(
            (
                "no folder over 10,000 entries",
                f"largest `{worst['path']}` {worst['entries']:,}; "
                f"{layout['over_limit']:,} folder(s) over",
                layout["over_limit"] == 0,
            )
        )
    rows = [f"### Targets at {size:,} articles", ""]
    if serve.get("edits"):
        rows += [
            f"`serve`: {serve['edits']} title edit(s), as many publishes and retractions, "
            f"{serve['adds']} back-fill(s) and delete(s); the server built into "
            f"`{serve['out']}`"
            + (
                " (the measured site: its first build reused the pages)."
                if serve["out"] == "newsarchive-site"
                else "."
            ),
            "",
        ]
    rows += [
        "| Target | Measured | Met |",
        "| --- | ---: | --- |",
    ]
    for what, shown, met in checks:
        verdict = "not measured" if met is None else "yes" if met else "**no**"
        rows.append(f"| {what} | {shown} | {verdict} |")
    return [*rows, ""]


def render(sizes: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """The scale sections, or nothing for results from before they were measured."""
    lines: list[str] = []
    profiled = [(size, data) for size, data in sizes if _get(data, "newsarchive", "profile")]
    if profiled:
        lines += ["## Where a cold build's time and memory go", "", STAGE_NOTES, ""]
        lines += ["![Time and memory per stage](stages.svg)", ""]
        for size, data in profiled:
            lines += stage_rows(size, data)
    layouts = [row for size, data in sizes if (row := layout_row(size, data))]
    if layouts:
        lines += [
            "## The output as a static host sees it",
            "",
            "Entries (files and folders) in each folder of the output, from a walk of it; the "
            "issue asks for none above about 10,000.",
            "",
            "| Articles | Folders | Largest folders (entries) | Over 10,000 | `/sitemap.xml` |",
            "| ---: | ---: | --- | ---: | --- |",
            *layouts,
            "",
        ]
    for size, data in sizes:
        if size >= 1_000_000:
            lines += targets(size, data)
    return lines
