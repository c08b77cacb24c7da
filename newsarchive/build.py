"""One linear build: read every article, model the archive, then render and write it all.

The order is the whole design: nothing is written until everything has been read and
placed, and nothing replaces the previous site until everything has been written.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds, search
from .config import Config
from .content import discover, read_sources
from .errors import Problem
from .model import Archive, build_archive
from .output import SiteWriter
from .render import SEARCH_TEMPLATE, PageJob, Renderer, page_jobs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
STATIC = PROJECT_ROOT / "static"

# (stage name, items done so far, total items); the CLI turns this into a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    """What a build did, for the CLI summary and for tests."""

    articles: int = 0
    drafts: int = 0
    tags: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    # Source file -> site-relative URL of every article, so `serve` can follow a page whose
    # URL changed (an edited title changes the slug).
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def load_archive(config: Config, source: Path, progress: Progress | None = None) -> Archive:
    """Read and model every article below ``source`` (the first half of a build)."""
    sources = discover(source)
    total = len(sources)
    step = (lambda done: progress("read", done, total)) if progress else None
    read = read_sources(sources, config.tz, config.summary_length, step)
    return build_archive(read.articles, read.problems, drafts=len(read.drafts))


def default_jobs() -> int:
    """Worker processes for a build: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_site(
    config: Config,
    source: Path,
    out: Path,
    progress: Progress | None = None,
    templates: Path = TEMPLATES,
    static: Path = STATIC,
    jobs: int = 1,
) -> BuildResult:
    """Build the whole site of ``source`` into ``out``; raises ArchiveError on fatal problems.

    ``jobs`` > 1 renders and writes pages in that many forked worker processes while this
    one builds the search index; the output is the same byte for byte.
    """
    started = time.perf_counter()
    archive = load_archive(config, source, progress)

    writer = SiteWriter(out, inputs=[source, templates, static])
    try:
        renderer = Renderer(templates, config, archive, [])
        pages = page_jobs(archive, config)
        total = sum(1 for job in pages if job.template == "article.html")

        def step(done: int) -> None:
            if progress:
                progress("write", done, total)

        later = [job for job in pages if job.template == SEARCH_TEMPLATE]
        now = [job for job in pages if job.template != SEARCH_TEMPLATE]
        with _PageWriter(renderer, writer, now, jobs, step) as rendering:
            assets = search.site_assets(archive, config)
            rendering.wait()
        renderer.env.globals["search_scripts"] = assets.scripts
        for job in later:
            writer.write(*renderer.render(job))
        paths = [job.path for job in pages]
        for path, data in feeds.site_feeds(config, archive):
            writer.write(path, data)
        for path, data in feeds.sitemap(config, paths):
            writer.write(path, data)
        writer.write(*feeds.robots(config))
        for path, data in sorted(assets.files.items()):
            writer.write(path, data)
        writer.copy_tree(static, "static/")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return BuildResult(
        articles=len(archive.articles),
        drafts=archive.drafts,
        tags=len(archive.tags),
        pages=len(pages),
        files=len(writer.paths),
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
        problems=list(archive.problems),
        urls={article.path: article.url for article in archive.articles},
    )


# What forked page workers render: set before the pool forks, so they inherit it instead of
# receiving the archive through a pipe. Tasks then only name a range of ``pages``.
_WORK: tuple[Renderer, SiteWriter, Sequence[PageJob]] | None = None
# Pages per task: small enough to balance the workers, big enough that handing out tasks
# costs little.
_TASK_PAGES = 250


def _render_range(start: int, end: int) -> tuple[list[str], int, int]:
    """In a worker: render and write pages[start:end]; the paths, bytes and articles done."""
    assert _WORK is not None
    renderer, writer, pages = _WORK
    writer.paths, writer.bytes = [], 0
    articles = 0
    for job in pages[start:end]:
        writer.write(*renderer.render(job))
        articles += job.template == "article.html"
    return writer.paths, writer.bytes, articles


class _PageWriter:
    """Renders and writes pages, in ``jobs`` forked processes or (jobs == 1) in ``wait()``."""

    def __init__(
        self,
        renderer: Renderer,
        writer: SiteWriter,
        pages: Sequence[PageJob],
        jobs: int,
        step: Callable[[int], None],
    ):
        self.renderer, self.writer, self.pages, self.step = renderer, writer, pages, step
        self.pool: ProcessPoolExecutor | None = None
        self.tasks: list[Future[tuple[list[str], int, int]]] = []
        if jobs > 1 and len(pages) > _TASK_PAGES:
            global _WORK
            _WORK = (renderer, writer, pages)
            self.pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
            self.tasks = [
                self.pool.submit(_render_range, start, start + _TASK_PAGES)
                for start in range(0, len(pages), _TASK_PAGES)
            ]

    def __enter__(self) -> _PageWriter:
        return self

    def wait(self) -> None:
        done = 0
        if self.pool is None:
            for job in self.pages:
                self.writer.write(*self.renderer.render(job))
                if job.template == "article.html":
                    done += 1
                    if done % 200 == 0:
                        self.step(done)
            self.step(done)
            return
        for task in self.tasks:  # in order, so an error is the first page's that failed
            paths, size, articles = task.result()
            self.writer.paths += paths
            self.writer.bytes += size
            done += articles
            self.step(done)

    def __exit__(self, *exc: object) -> None:
        global _WORK
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _WORK = None
