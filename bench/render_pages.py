"""CPU time to render every page of an archive in this process, per template (no writing).

    PYTHONPATH=. .venv/bin/python bench/render_pages.py [--source DIR] [--rounds 3]

Loads the archive as a build does (read, tags, model, related articles), then renders each
page job ``--rounds`` times over and prints each round's CPU seconds and, for the last, each
template's: the figure for changes to templates and the renderer, without the page workers,
the disk or the search index around it. The search and data pages are left out (they need
what the search stage makes). The first round also renders each listing entry once
(:meth:`.Renderer.entry` keeps them); later rounds reuse them.
"""

from __future__ import annotations

import argparse
import collections
import gc
import time
from pathlib import Path

from newsarchive.build import _load
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.render.pages import DATA_TEMPLATE, SEARCH_TEMPLATE, page_jobs
from newsarchive.render.renderer import Renderer
from newsarchive.render.theme import Theme

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/reuters21578/articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=CORPUS, help="folder of articles")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is rendered")
    args = parser.parse_args()
    gc.disable()  # as build_site does
    config = Config()
    archive = _load(config, args.source, None, BuildCache.one_off(), jobs=1).archive
    renderer = Renderer(Theme.of(config).templates, config, archive, [])
    pages = [
        job
        for job in page_jobs(archive, config)
        if job.template not in (SEARCH_TEMPLATE, DATA_TEMPLATE)
    ]
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


if __name__ == "__main__":
    main()
