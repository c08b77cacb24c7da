"""One linear build: read every article, model the archive, then render and write it all.

The order is the whole design: nothing is written until everything has been read and
placed, and nothing replaces the previous site until everything has been written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds, search
from .config import Config
from .content import discover, read_sources
from .errors import Problem
from .model import Archive, build_archive
from .output import SiteWriter
from .render import Renderer, render_pages

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


def build_site(
    config: Config,
    source: Path,
    out: Path,
    progress: Progress | None = None,
    templates: Path = TEMPLATES,
    static: Path = STATIC,
) -> BuildResult:
    """Build the whole site of ``source`` into ``out``; raises ArchiveError on fatal problems."""
    started = time.perf_counter()
    archive = load_archive(config, source, progress)
    assets = search.site_assets(archive, config)

    writer = SiteWriter(out, inputs=[source, templates, static])
    try:
        renderer = Renderer(templates, config, archive, assets.scripts)
        done = 0
        total = len(archive.articles)

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress and (done % 200 == 0 or done == total):
                progress("write", done, total)

        pages = []
        for path, data in render_pages(renderer, step):
            writer.write(path, data)
            pages.append(path)
        for path, data in feeds.site_feeds(config, archive):
            writer.write(path, data)
        for path, data in feeds.sitemap(config, pages):
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
