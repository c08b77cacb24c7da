"""One linear build: read every article, model the archive, then render and write it all.

The order is the whole design: nothing is written until everything has been read and
placed, and nothing replaces the previous site until everything has been written.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from . import feeds, search
from .config import Config
from .content import Source, SourceCache, discover, read_sources, rediscover
from .errors import Problem
from .model import Archive, Article, ObjectMemo, build_archive
from .output import Manifest, SiteWriter
from .postings import DocumentTerms, ShardState, document_terms
from .related import RelatedCache, related_articles
from .render import SEARCH_TEMPLATE, ArticleKeys, KeyMemo, PageJob, PageKeys, Renderer, page_jobs
from .tagging import TagMemo, tag_articles
from .textpipe import get_language

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
STATIC = PROJECT_ROOT / "static"

P = ParamSpec("P")
R = TypeVar("R")

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
    # Files written or deleted (a rebuild reuses the rest of the previous site).
    changed: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class BuildCache:
    """What ``serve`` keeps between builds: parse results by file, and each article's index
    terms by the digest of its file. (Pages are reused through the output's manifest.)"""

    sources: SourceCache = field(default_factory=SourceCache)
    terms: dict[str, DocumentTerms] = field(default_factory=dict)
    shards: ShardState = field(default_factory=ShardState)
    manifest: Manifest | None = None  # of the site this process built last
    # The source folder's files at the last build, and the paths the watcher saw change
    # since (None: unknown, walk the folder again; set on each build). See rediscover.
    found: tuple[Path, list[Source]] | None = None
    changed: set[Path] | None = None
    tagging: TagMemo = field(default_factory=TagMemo)  # see tagging.tag_articles
    related: RelatedCache = field(default_factory=RelatedCache)  # see related.py
    placed: ObjectMemo[Article] = field(default_factory=ObjectMemo)  # see place_articles
    page_keys: KeyMemo | None = None  # see render.PageKeys.keys
    article_keys: ArticleKeys | None = None  # see render.PageKeys
    digests: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # see SiteWriter
    sitemap: tuple[tuple[str, ...], list[tuple[str, bytes]]] = ((), [])  # (site URL, pages)
    feeds: dict[bytes, bytes] = field(default_factory=dict)  # inputs' key -> feed


@dataclass
class Loaded:
    """The read and model stages' result: the archive and each article file's digest."""

    archive: Archive
    digests: dict[str, str]


def load_archive(config: Config, source: Path, progress: Progress | None = None) -> Archive:
    """Read and model every article below ``source`` (the first half of a build)."""
    return _load(config, source, progress).archive


def _load(
    config: Config,
    source: Path,
    progress: Progress | None,
    cache: BuildCache | None = None,
    jobs: int = 1,
) -> Loaded:
    found = None
    if cache is not None and cache.changed is not None and cache.found is not None:
        folder, previous = cache.found
        found = rediscover(source, previous, cache.changed) if folder == source else None
    sources, fresh = found if found is not None else (discover(source), None)
    if cache is not None:
        cache.found, cache.changed = (source, sources), set()
    total = len(sources)
    step = (lambda done: progress("read", done, total)) if progress else None
    read = read_sources(
        sources,
        config.tz,
        config.summary_length,
        step,
        cache.sources if cache else None,
        fresh,
    )
    placed = cache.placed if cache is not None else None
    tags_step = (lambda done, total: progress("tags", done, total)) if progress else None
    articles, kinds = tag_articles(
        read.articles,
        config.tag_rules,
        config.auto_tags,
        cache.tagging if cache else None,
        jobs,
        tags_step,
    )
    archive = build_archive(articles, read.problems, len(read.drafts), placed, kinds)
    return Loaded(archive, read.digests)


def _relate(archive: Archive, limit: int, cache: RelatedCache | None) -> None:
    """Each article page's related articles (the model's last step; see related.py)."""
    articles = archive.articles
    for article, found in zip(articles, related_articles(articles, limit, cache), strict=True):
        if found:
            archive.related[article.url] = tuple(articles[i] for i in found)


def build_salt(config: Config, templates: Path, static: Path) -> str:
    """A digest of every input that is not an article: configuration, templates, our code.

    Page keys and the search key start from it, so changing any of these rebuilds all.
    """
    h = hashlib.sha1(repr(config).encode())
    code = Path(__file__).resolve().parent
    for folder, pattern in ((templates, "*"), (code, "*.py")):
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def default_jobs() -> int:
    """Worker processes for a build: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _collector_paused(build: Callable[P, R]) -> Callable[P, R]:
    """Pause the cyclic garbage collector during a build.

    A build allocates millions of objects that live until it ends (terms, postings, pages);
    at 100,000 articles the collector scanning them again and again took seconds of every
    rebuild in ``serve``. Reference counting still frees everything else as it goes.
    """

    @functools.wraps(build)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
def build_site(
    config: Config,
    source: Path,
    out: Path,
    progress: Progress | None = None,
    templates: Path = TEMPLATES,
    static: Path = STATIC,
    jobs: int = 1,
    cache: BuildCache | None = None,
) -> BuildResult:
    """Build the whole site of ``source`` into ``out``; raises ArchiveError on fatal problems.

    Pages whose inputs did not change since the build that made ``out`` are reused, and so
    is the search index when no article changed (see :mod:`newsarchive.output`). ``jobs`` > 1
    renders and writes pages in that many forked worker processes while this one builds the
    search index. ``cache`` keeps parse results and index terms for the next build
    (``serve``). The output is the same byte for byte whichever way it was made.
    """
    started = time.perf_counter()
    loaded = _load(config, source, progress, cache, jobs)
    archive = loaded.archive
    _relate(archive, config.related, cache.related if cache else None)
    salt = build_salt(config, templates, static)

    writer = SiteWriter(
        out,
        [source, templates, static],
        cache.manifest if cache else None,
        cache.digests if cache else None,
    )
    try:
        renderer = Renderer(templates, config, archive, [])
        pages = page_jobs(archive, config)
        keys = PageKeys(archive, salt, loaded.digests, cache.article_keys if cache else None)
        page_keys, memo = keys.keys(pages, cache.page_keys if cache else None)
        if cache is not None:
            cache.page_keys = memo
        todo = _pages_to_render(writer, pages, page_keys)
        total = sum(1 for job in todo if job.template == "article.html")

        def step(done: int) -> None:
            if progress:
                progress("write", done, total)

        search_key = keys.digest([salt, config.search_index, archive.articles, archive.tags]).hex()
        with _PageWriter(renderer, writer, todo, page_keys, jobs, step) as rendering:
            reused = _reusable_search(writer, search_key)
            assets = reused or search.site_assets(
                archive,
                config,
                _terms(archive, loaded, config.language, cache),
                cache.shards if cache else None,
            )
            rendering.wait()
        renderer.env.globals["search_scripts"] = assets.scripts
        for job in pages:
            if job.template == SEARCH_TEMPLATE:
                writer.write(*renderer.render(job))
        _write_feeds(writer, config, archive, keys, cache)
        for path, data in _sitemap(config, pages, cache):
            writer.write(path, data)
        writer.write(*feeds.robots(config))
        _write_search(writer, assets, search_key)
        writer.copy_tree(static, "static/")
        writer.commit()
        if cache is not None:
            cache.manifest, cache.digests = writer.manifest, writer.digests
            cache.article_keys = keys.articles
            keys.articles[1].next_build()
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
        changed=len(writer.changed),
    )


def _pages_to_render(
    writer: SiteWriter, pages: Sequence[PageJob], keys: dict[str, str]
) -> list[PageJob]:
    """Keep the previous site's pages whose key did not change; the others, to render."""
    reuse = {path for path, key in keys.items() if writer.reusable(path, key)}
    todo = [job for job in pages if job.path in keys and job.path not in reuse]
    writer.begin(len(todo))
    for path in sorted(reuse):
        writer.reuse(path, keys[path])
    return todo


def _write_feeds(
    writer: SiteWriter,
    config: Config,
    archive: Archive,
    keys: PageKeys,
    cache: BuildCache | None,
) -> None:
    """The Atom feeds; ``serve`` keeps each by its inputs (about 450 for Reuters)."""
    kept: dict[bytes, bytes] = {}
    for feed in feeds.feed_list(config, archive):
        inputs = keys.digest([keys.salt, feed.path, feed.title, feed.page, feed.newest(config)])
        data = cache.feeds.get(inputs) if cache else None
        kept[inputs] = data = data or feed.render(config)
        writer.write(feed.path, data)
    if cache is not None:
        cache.feeds = kept


def _sitemap(
    config: Config, pages: Sequence[PageJob], cache: BuildCache | None
) -> list[tuple[str, bytes]]:
    """The sitemap files; serve's last ones while the site URL and the pages are the same."""
    paths = (config.site_url, *(job.path for job in pages))
    if cache is not None and cache.sitemap[0] == paths:
        return cache.sitemap[1]
    files = list(feeds.sitemap(config, paths[1:]))
    if cache is not None:
        cache.sitemap = (paths, files)
    return files


def _write_search(writer: SiteWriter, assets: search.SearchAssets, key: str) -> None:
    """The search files, new or kept, and what the manifest needs to keep them next time."""
    for path, data in sorted(assets.files.items()):
        writer.write(path, data)
    for path in assets.reused:
        writer.reuse(path)
    writer.manifest.search = key
    writer.manifest.search_files = sorted([*assets.files, *assets.reused])
    writer.manifest.search_scripts = assets.scripts


def _reusable_search(writer: SiteWriter, key: str) -> search.SearchAssets | None:
    """The previous site's search files, when they were made from the same inputs."""
    old = writer.previous
    if old is None or old.search != key or not old.search_scripts:
        return None
    if not all(path in old.files and (writer.out / path).is_file() for path in old.search_files):
        return None
    return search.SearchAssets(scripts=list(old.search_scripts), reused=list(old.search_files))


def _terms(
    archive: Archive, loaded: Loaded, code: str, cache: BuildCache | None
) -> list[DocumentTerms]:
    """Each article's index terms, from the cache where its file did not change."""
    language = get_language(code)
    if cache is None:
        return [document_terms(a, language) for a in archive.articles]
    kept: dict[str, DocumentTerms] = {}
    out = []
    for article in archive.articles:
        digest = f"{code}:{loaded.digests[article.path]}"
        terms = cache.terms.get(digest) or document_terms(article, language)
        kept[digest] = terms
        out.append(terms)
    cache.terms = kept
    return out


# What forked page workers render: set before the pool forks, so they inherit it instead of
# receiving the archive through a pipe. Tasks then only name a range of ``pages``.
_WORK: tuple[Renderer, SiteWriter, Sequence[PageJob]] | None = None
# Pages per task: small enough to balance the workers, big enough that handing out tasks
# costs little.
_TASK_PAGES = 250


def _render_range(start: int, end: int) -> tuple[list[tuple[str, int]], int]:
    """In a worker: render and write pages[start:end]; their paths and sizes, and the
    number of articles among them (for progress)."""
    assert _WORK is not None
    renderer, writer, pages = _WORK
    done, articles = [], 0
    for job in pages[start:end]:
        path, data = renderer.render(job)
        writer.write(path, data, key="")  # recorded again, with its key, by the parent
        done.append((path, len(data)))
        articles += job.template == "article.html"
    return done, articles


class _PageWriter:
    """Renders and writes pages, in ``jobs`` forked processes or (jobs == 1) in ``wait()``."""

    def __init__(
        self,
        renderer: Renderer,
        writer: SiteWriter,
        pages: Sequence[PageJob],
        keys: dict[str, str],
        jobs: int,
        step: Callable[[int], None],
    ):
        self.renderer, self.writer, self.pages, self.keys = renderer, writer, pages, keys
        self.step = step
        self.pool: ProcessPoolExecutor | None = None
        self.tasks: list[Future[tuple[list[tuple[str, int]], int]]] = []
        if jobs > 1 and len(pages) > _TASK_PAGES and not writer.in_place:
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
                path, data = self.renderer.render(job)
                self.writer.write(path, data, key=self.keys[path])
                if job.template == "article.html":
                    done += 1
                    if done % 200 == 0:
                        self.step(done)
            self.step(done)
            return
        for task in self.tasks:  # in order, so an error is the first page's that failed
            written, articles = task.result()
            for path, size in written:
                self.writer.record(path, size, self.keys[path])
                self.writer.changed.append(path)
            done += articles
            self.step(done)

    def __exit__(self, *exc: object) -> None:
        global _WORK
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _WORK = None
