"""CPU time to render every page of an archive in this process, per template (no writing).

    PYTHONPATH=. .venv/bin/python bench/render_pages.py [--source DIR] [--rounds 3]
    PYTHONPATH=. .venv/bin/python bench/render_pages.py --workers /dev/shm/x --config archive.toml

Loads the archive as a build does (read, tags, model, related articles), then renders each
page job ``--rounds`` times over and prints each round's CPU seconds and, for the last, each
template's: the figure for changes to templates and the renderer, without the page workers,
the disk or the search index around it. The search and data pages are left out (they need
what the search stage makes). The first round also renders each listing entry once
(:meth:`.Renderer.entry` keeps them); later rounds reuse them.

With ``--workers DIR``, each round does the page workers' whole work instead, in this
process: every page rendered and written into a new site folder under DIR (removed after),
in the workers' order and task by task (each task starting with no listing entry, as a
forked one does), and prints the round's user and system CPU seconds.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import shutil
import time
from pathlib import Path

from newsarchive.build import _load
from newsarchive.config import Config, load_config
from newsarchive.incremental import BuildCache
from newsarchive.output import SiteWriter
from newsarchive.parallel import usable_cores
from newsarchive.render import workers
from newsarchive.render.pages import DATA_TEMPLATE, SEARCH_TEMPLATE, PageJob, page_jobs
from newsarchive.render.renderer import Renderer
from newsarchive.render.theme import Theme

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/reuters21578/articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=CORPUS, help="folder of articles")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is rendered")
    parser.add_argument("--workers", type=Path, help="render and write as page workers, here")
    parser.add_argument("--config", type=Path, help="archive.toml (default: the defaults)")
    args = parser.parse_args()
    gc.disable()  # as build_site does
    config = load_config(args.config) if args.config else Config()
    archive = _load(config, args.source, None, BuildCache.one_off(), jobs=1).archive
    renderer = Renderer(Theme.of(config).templates, config, archive, [])
    pages = [
        job
        for job in page_jobs(archive, config)
        if job.template not in (SEARCH_TEMPLATE, DATA_TEMPLATE)
    ]
    if args.workers:
        as_workers(renderer, pages, args.workers, args.rounds)
        return
    spent: collections.Counter[str] = collections.Counter()
    counts = collections.Counter(job.template for job in pages)
    for number in range(1, args.rounds + 1):
        spent.clear()
        for job in pages:
            started = time.process_time()
            renderer.render(job)
            spent[job.template] += time.process_time() - started
        print(f"round {number}: {sum(spent.values()):.2f} CPU s for {len(pages):,} pages")
    for template, seconds in spent.most_common():
        each = 1000 * seconds / counts[template]
        print(f"  {template:14s} {seconds:6.2f} s  {counts[template]:7,} pages  {each:.3f} ms each")


def as_workers(renderer: Renderer, pages: list[PageJob], folder: Path, rounds: int) -> None:
    """Each round: what the forked page workers of a cold build do, in this process."""
    order = workers.render_order(pages)
    ranges = workers.task_ranges(len(order), usable_cores())
    for number in range(1, rounds + 1):
        out, cache = folder / f"site-{os.getpid()}", folder / f"cache-{os.getpid()}"
        writer = SiteWriter(out, [], cache)
        writer.begin(len(order))
        workers._WORK = (renderer, writer, order)
        try:
            before = os.times()
            for bounds in ranges:
                renderer._entries.clear()  # a forked task starts with none
                workers._render_range(bounds)
            after = os.times()
        finally:
            workers._WORK = None
            writer.abort()
            shutil.rmtree(cache, ignore_errors=True)
        user, system = after.user - before.user, after.system - before.system
        print(
            f"round {number}: {user + system:.2f} CPU s (user {user:.2f}, system {system:.2f}) "
            f"for {len(order):,} pages in {len(ranges)} tasks"
        )


if __name__ == "__main__":
    main()
