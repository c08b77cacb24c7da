"""Where serve's rebuild spends its time: each stage of ``build_site``, one title edit at a time.

Copies the corpus to a temporary folder, builds it once with a ``BuildCache`` (as ``serve``
keeps one), then edits one title at a time and rebuilds, timing the stages build.py calls.
Prints the median rebuild and each stage's mean. To compare two checkouts, run it with
``PYTHONPATH`` set to each (the code measured is the ``newsarchive`` imported):

    PYTHONPATH=/path/to/old/checkout python bench/rebuild_stages.py
    python bench/rebuild_stages.py --edits 16
    python bench/rebuild_stages.py --profile rebuilds.prof   # cProfile of the rebuilds only
    python bench/rebuild_stages.py --change publish          # a new article each time

``--change``: ``edit`` (a title, undone before the next), ``publish`` (a new article a minute
newer than the newest, a copy of one in the middle as bench/devloop.py makes), ``retract``
(those deleted, newest first), ``backfill`` (new ones dated among the middle's, shifting
every newer one), ``delete`` (those deleted). ``--untagged``: new articles without a tag
line, as the reference format's are (their tags come from the archive-wide pass);
``--strip-tags``: the corpus's own articles without them too.
``--run-end``: each new article named so that a page run of every listing it is on may
end after it (render/paging.py), the case that cuts listings again: about one in eleven
back-fills at 20 a page, one of the slowest.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import newsarchive
import newsarchive.build as build
import newsarchive.output as output
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.render import paging

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/reuters21578/articles"
STAGES = ("read_sources", "tag_articles", "build_archive", "site_assets", "page_jobs")
STAGES += ("_pages_to_render",)
# The related stage as build.py calls it: related_rows, or related_articles before it was.
RELATED = ("related_rows", "related_articles")
CHANGES = ("edit", "publish", "retract", "backfill", "delete")
OPTIONAL = ("write_data", "redirect_jobs", "_write_feeds", "_sitemap", "_write_search")


def timed(spent: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return wrapper


def outermost(
    spent: dict[str, float], name: str, fn: Callable[..., Any], depth: list[int]
) -> Callable[..., Any]:
    """:func:`timed` for a function that calls itself: only calls made at ``depth`` 0 count
    (a caller that should not count raises it, see :func:`hiding`)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[name] += time.perf_counter() - started

    return wrapper


def hiding(fn: Callable[..., Any], depth: list[int]) -> Callable[..., Any]:
    """``fn``, during which :func:`outermost` counts nothing."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            depth[0] -= 1

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of articles")
    parser.add_argument("--edits", type=int, default=16, help="title edits to time")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the rebuilds here")
    parser.add_argument("--change", choices=CHANGES, default="edit", help="what each change is")
    parser.add_argument("--untagged", action="store_true", help="new articles without tags")
    parser.add_argument("--run-end", action="store_true", help="new articles that end runs")
    parser.add_argument(
        "--strip-tags", action="store_true", help="the corpus without its Tags: lines"
    )
    args = parser.parse_args()
    spent: dict[str, float] = collections.defaultdict(float)
    for name in STAGES:
        setattr(build, name, timed(spent, name, getattr(build, name)))
    output.SiteWriter.commit = timed(spent, "commit", output.SiteWriter.commit)
    related = next(name for name in RELATED if hasattr(build, name))
    setattr(build, related, timed(spent, "related_articles", getattr(build, related)))
    for name in OPTIONAL:  # stages a checkout may not have
        if hasattr(build, name):
            setattr(build, name, timed(spent, name, getattr(build, name)))
    # The digests of build_site (every article and tag, the search and data keys) and of
    # the feeds; not the ones page keys make.
    depth = [0]
    build.PageKeys.keys = timed(spent, "page keys", hiding(build.PageKeys.keys, depth))
    build.PageKeys.digest = outermost(spent, "keys.digest", build.PageKeys.digest, depth)
    build.PageWriter.wait = timed(spent, "render pages", build.PageWriter.wait)
    with tempfile.TemporaryDirectory() as work:
        source, out = Path(work) / "articles", Path(work) / "site"
        shutil.copytree(args.corpus, source)
        if args.strip_tags:
            _strip_tags(source)
        cache, config = BuildCache(), Config()
        build.build_site(config, source, out, cache=cache, cache_dir=Path(work) / "cache")
        files = sorted(source.glob("*.txt"))
        changes = _changes(args, cache, source, files)
        if args.change in ("retract", "delete"):  # the articles to delete, built once
            for path, _text in changes:
                path.write_text(_text, encoding="utf-8")
            cache.changed = {path for path, _ in changes}
            build.build_site(config, source, out, cache=cache, cache_dir=Path(work) / "cache")
            changes = [(path, "") for path, _ in reversed(changes)]  # the newest first
        spent.clear()
        times = []
        profiler = cProfile.Profile() if args.profile else None
        for n, (path, text) in enumerate(changes):
            undo = path.read_text(encoding="utf-8") if args.change == "edit" else ""
            if text:
                path.write_text(text, encoding="utf-8")
            else:
                path.unlink()
            cache.changed = {path, *(p for p, _ in changes[:n])} if undo else {path}
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            build.build_site(config, source, out, cache=cache, cache_dir=Path(work) / "cache")
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - started)
            if undo:  # an edit is undone before the next
                path.write_text(undo, encoding="utf-8")
    if profiler:
        profiler.dump_stats(args.profile)  # times under the profiler are longer
    print(f"newsarchive from {Path(newsarchive.__file__).parent}")
    median = statistics.median(times)
    print(f"{len(times)} rebuilds of {len(files):,} articles: median {median:.3f} s", end="")
    print(f", slowest {max(times):.3f} s")  # (a back-fill that starts a run cuts it again)
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:18s} {seconds / len(times) * 1000:7.1f} ms")


def _strip_tags(source: Path) -> None:
    """Every article without its ``Tags:`` line, as the reference format has none: then
    the tags stage finds every article's tags (its archive-wide pass reads them all)."""
    for path in source.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").split("\n")
        head = lines.index("")
        kept = [line for line in lines[:head] if not line.startswith("Tags:")]
        path.write_text("\n".join([*kept, *lines[head:]]), encoding="utf-8")


def _changes(
    args: argparse.Namespace, cache: BuildCache, source: Path, files: list[Path]
) -> list[tuple[Path, str]]:
    """Each change as (file, its new text); "" deletes it (retract and delete build their
    new files first, then delete them)."""
    if args.change == "edit":
        edits = []
        for n, path in enumerate(files[len(files) * 3 // 4 :][: args.edits]):
            lines = path.read_text(encoding="utf-8").split("\n")
            title = lines.index("") + 1  # the title follows the header's blank line
            lines[title] += f" (edited {n})"
            edits.append((path, "\n".join(lines)))
        return edits
    given = cache.placed.given  # the model's, oldest first
    middle = given[len(given) // 2]
    model = (source / middle.path).read_text(encoding="utf-8").split("\n")
    body = model[model.index("") + 2 :]  # after the title and its blank line
    tags = [line for line in model[: model.index("")] if line.startswith("Tags:")]
    if args.untagged:
        tags = []
    made = []
    for n in range(args.edits):
        if args.change in ("publish", "retract"):  # a minute newer than the newest, as devloop
            posted = given[-1].posted.astimezone(UTC) + timedelta(minutes=n + 1)
        else:  # back-fills at times of their own near the middle, as devloop's
            posted = middle.posted.astimezone(UTC) + timedelta(seconds=97 * n + 31)
        header = [f"Posted: {posted.strftime('%d.%m.%Y %H:%M:%S')}", *tags]
        text = "\n".join([*header, "", f"Bench new story {n}", "", *body])
        name = f"zz-{args.change}-{n:04d}.txt"
        if args.run_end:  # the first such name whose hash is under the run-end chance
            chance = paging.run_end_chance(Config().per_page)
            tries = (f"zz-{args.change}-{n:04d}-{k}.txt" for k in range(10_000))
            name = next(t for t in tries if paging._cut_fraction(t, posted) < chance)
        made.append((source / name, text))
    return made


if __name__ == "__main__":
    main()
