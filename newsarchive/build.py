"""One linear build: read every article, find its tags, model and relate the archive, then
render and write it all.

The order is the whole design: nothing is written until everything has been read and
placed, and nothing replaces the previous site until everything has been written. What a
build keeps for the next (``serve``) is in :mod:`.incremental`; this module only orders the
stages.
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import ParamSpec, TypeVar

from .config import Config
from .content.discovery import Source
from .content.reader import read_sources
from .incremental import BuildCache
from .inputs import (
    LastBuild,
    build_salt,
    forget_last,
    inputs_digest,
    left_as_built,
    load_last,
    save_last,
    sources_digest,
)
from .model import Archive
from .output import SiteWriter
from .placing import build_archive
from .related import related_rows
from .render import feeds, sitemap, worldmap
from .render.datafiles import DataFile, write_data
from .render.keys import PageKeys
from .render.pages import (
    ARTICLE_TEMPLATE,
    DATA_TEMPLATE,
    SEARCH_TEMPLATE,
    PageJob,
    page_jobs,
)
from .render.redirects import archive_redirects, redirect_jobs, subject_redirects
from .render.renderer import Renderer
from .render.theme import Theme
from .render.workers import PageWriter
from .result import BuildResult
from .search.assets import site_assets
from .search.scripts import SearchAssets
from .searchfork import SearchFork
from .tags.stage import prepare as prepare_tags
from .tags.stage import tag_articles

P = ParamSpec("P")
R = TypeVar("R")

# (stage name, items done so far, total items); the CLI turns this into a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class Loaded:
    """The read, tags and model stages' result: the archive and each article file's digest."""

    archive: Archive
    digests: dict[str, str]
    sources: bytes | None = None  # inputs.sources_digest of the stats the reads took


def load_archive(config: Config, source: Path, progress: Progress | None = None) -> Archive:
    """Read and model every article below ``source`` (the first half of a build, without
    related articles)."""
    return _load(config, source, progress, BuildCache.one_off(), jobs=1, relate=False).archive


def _load(
    config: Config,
    source: Path,
    progress: Progress | None,
    cache: BuildCache,
    jobs: int,
    relate: bool = True,
    found: tuple[list[Source], set[Path] | None] | None = None,
    grouped: Callable[[Archive], None] | None = None,
    theme: Theme | None = None,
    record: bool = False,
) -> Loaded:
    """``record``: digest the stats the reads took, for the inputs record (a one-off build
    with no record to check; one that checked has stat'ed every source already)."""
    sources, fresh = found if found is not None else cache.discover(source)
    total = len(sources)
    step = (lambda done: progress("read", done, total)) if progress else None
    read = read_sources(
        sources,
        config.tz,
        config.summary_length,
        step,
        cache.sources,
        fresh,
        root=source,
        language=config.site_language,
        jobs=jobs,
        meanwhile=functools.partial(_meanwhile, config, theme),
    )
    # Digested at once: the stats (70 MB at a million articles) are not kept to the peak.
    stated = sources_digest(sources, read.stats) if record and read.stats is not None else None
    read.stats = None
    tags_step = (lambda done, total: progress("tags", done, total)) if progress else None
    articles, kinds, renamed = tag_articles(
        read.articles,
        config.tag_rules,
        config.auto_tags,
        cache.tagging,
        jobs,
        tags_step,
        config.site_language,
    )
    related = functools.partial(related_rows, limit=config.related, cache=cache.related)
    archive = build_archive(
        articles,
        read.problems,
        len(read.drafts),
        cache.placed,
        kinds,
        related if relate else None,
        renamed,
        grouped,
    )
    return Loaded(archive, read.digests, stated)


def _meanwhile(config: Config, theme: Theme | None) -> None:
    """What this process makes while forked processes read the files (it would only wait
    for them): what the tags stage needs, and the pages' compiled templates (``theme``'s)."""
    prepare_tags(config.tag_rules, config.auto_tags)
    if theme is not None:
        Renderer.compile_templates(theme.templates, config)


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
    theme: Theme | None = None,
    jobs: int = 1,
    cache: BuildCache | None = None,
    cache_dir: Path | None = None,
    waiting: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the whole site of ``source`` into ``out``; raises ArchiveError on fatal problems.

    Pages whose inputs did not change since the build that made ``out`` are reused, and so
    is the search index when no article changed (see :mod:`newsarchive.output`). ``jobs`` > 1
    renders and writes pages in that many forked worker processes while this one builds the
    search index. ``theme``: by default the site's own templates and static files over the
    default theme (:class:`.render.theme.Theme`). ``cache`` keeps what this build made for
    the next in memory (``serve``, see :mod:`.incremental`); ``cache_dir`` (by default
    ``config.cache_dir``) holds the manifest that lets the next build reuse pages. The
    output is the same byte for byte whichever way it was made. One build at a time writes
    ``out``: ``waiting`` is told when this one waits for another (see :mod:`.outlock`).
    """
    started = time.perf_counter()
    theme = theme if theme is not None else Theme.of(config)
    cache = cache if cache is not None else BuildCache.one_off()
    cache_dir = cache_dir if cache_dir is not None else config.path(config.cache_dir)
    found = cache.discover(source)
    salt = build_salt(config, theme)
    folders = [source, *theme.folders]
    writer = SiteWriter(out, folders, cache_dir, cache.manifest, cache.digests, waiting)
    searching = SearchFork.wanted(config, writer, cache.keep, jobs)
    try:
        # serve knows what changed from its watcher. A one-off build checks every input
        # first when the site has a record of the build that made it; else (a cold build)
        # the reads take each file's stat as they go, for the next build's record.
        last = None if cache.keep else load_last(cache_dir, out)
        inputs = None
        if last is not None:
            inputs = inputs_digest(salt, theme, source, sources_digest(found[0]))
        check = (lambda done, total: progress("check", done, total)) if progress else None
        if last is not None and last.inputs == inputs and left_as_built(writer, last, check):
            writer.abort()  # nothing was written: this releases the lock
            return _unchanged(last, writer, started)
        loaded = _load(
            config,
            source,
            progress,
            cache,
            jobs,
            found=found,
            grouped=searching.start if searching else None,
            theme=theme,
            record=not cache.keep and inputs is None,
        )
        if not cache.keep and inputs is None:
            stated = loaded.sources or sources_digest(found[0])
            inputs = inputs_digest(salt, theme, source, stated)
        del found  # a million sources' paths are half a gigabyte: read, they are not needed
        archive = loaded.archive
        renderer = Renderer(theme.templates, config, archive, [])
        pages = page_jobs(archive, config, cache.jobs, cache.pairs, cache.article_jobs)
        wanted = [*archive_redirects(archive), *subject_redirects(archive)]
        redirects, refused = redirect_jobs(wanted, pages, cache.real_paths)
        pages += redirects
        keys = PageKeys(archive, salt, loaded.digests, cache.article_keys, cache.keep)
        page_keys, kept_keys = keys.keys(pages, cache.page_keys)
        if cache.keep:  # every page's atoms, for serve's next build; a one-off drops them
            cache.page_keys = kept_keys
        del kept_keys
        todo = _pages_to_render(writer, pages, page_keys)
        total = sum(1 for job in todo if job.template == ARTICLE_TEMPLATE)

        def step(done: int) -> None:
            if progress:
                progress("write", done, total)

        # Every article and tag, once for both keys below (a pass over the archive each).
        contents = keys.digest([archive.articles, archive.tags])
        search_key = keys.digest([salt, config.search_index, contents]).hex()
        data_files: list[DataFile] = []
        # While forked workers render pages, this process makes the search index (unless a
        # child of its own makes it, see searchfork) and the data files (after the render
        # they were a serial second at 20,000 articles).
        with PageWriter(renderer, writer, todo, page_keys, jobs, step) as rendering:
            # A one-off build into a new folder writes the index files as they are made
            # (they were a gigabyte at a million articles); serve keeps them for the next
            # build, and in place they wait for the commit anyway. A cold build makes them
            # in a child meanwhile (searchfork): this process writes the data files first.
            write = None if cache.keep or writer.in_place else writer.write
            if searching is None:
                # serve's first build makes the index's state even where the last site's
                # files could be kept: else its first edit made all of it (6.6 s and 230 MB
                # more at 20,841 articles: see docs/memory.md).
                empty = (
                    cache.keep and config.search_index == "sharded" and not cache.shards.language
                )
                reused = None if empty else _reusable_search(writer, search_key)
                assets = reused or site_assets(archive, config, cache.shards, write, writer.move)
            if config.data:
                data_key = keys.digest([salt, "data", contents]).hex()
                data_files = write_data(writer, config, archive, data_key, cache.data_rows)
            if searching is not None:
                assets = searching.result()
            rendering.wait()
        renderer.set_global("search_scripts", assets.scripts)
        for job in pages:
            if job.template == SEARCH_TEMPLATE:
                writer.write(*renderer.render(job))
            elif job.template == DATA_TEMPLATE:
                writer.write(*renderer.page(job.template, job.path, files=data_files))
        _write_feeds(writer, config, archive, salt, cache)
        for path, data in _sitemap(config, pages, cache):
            writer.write(path, data)
        writer.write(*sitemap.robots(config))
        writer.write(worldmap.OUTLINE_PATH, worldmap.outline_svg())
        _write_search(writer, assets, search_key)
        writer.copy_tree(theme.static, "static/")
        forget_last(cache_dir, out)  # it described the site this commit replaces
        writer.commit()
        problems = sorted([*archive.problems, *refused])
        if inputs is not None:
            counts = len(archive.articles), archive.drafts, len(archive.tags), len(pages)
            token = writer.manifest.token()
            save_last(cache_dir, out, LastBuild(inputs, token, *counts, tuple(problems)))
        if cache.keep:
            cache.manifest, cache.digests = writer.manifest, writer.digests
            cache.article_keys = keys.articles
            keys.articles[1].next_build()
    except BaseException:
        if searching is not None:
            searching.close()
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
        problems=problems,
        archive=archive,
        changed=len(writer.changed),
    )


def _unchanged(last: LastBuild, writer: SiteWriter, started: float) -> BuildResult:
    """What a build with nothing to do reports: what the build that made the site did."""
    stamps = writer.previous.stamps if writer.previous else {}
    return BuildResult(
        articles=last.articles,
        drafts=last.drafts,
        tags=last.tags,
        pages=last.pages,
        files=len(stamps),
        bytes=sum(stamp[0] for stamp in stamps.values()),
        seconds=time.perf_counter() - started,
        problems=list(last.problems),
        unchanged=True,
    )


def _pages_to_render(
    writer: SiteWriter, pages: Sequence[PageJob], keys: dict[str, str]
) -> list[PageJob]:
    """Keep the previous site's pages whose key did not change; the others, to render
    (picked in C: in serve, a few among every page)."""
    reuse, others = writer.reusable_pages(keys)
    render = set(others)
    todo = list(compress(pages, map(render.__contains__, map(attrgetter("path"), pages))))
    writer.begin(len(todo))
    writer.reuse_pages(reuse)
    return todo


def _write_feeds(
    writer: SiteWriter, config: Config, archive: Archive, salt: str, cache: BuildCache
) -> None:
    """The Atom feeds; ``serve`` keeps each while its newest articles are the same objects
    (about 640 for Reuters: their digests were a pass over 30,000 article keys a rebuild),
    and gives them to the writer at once, which keeps the very bytes it wrote last without
    a look at each file (one feed a tag: 7,576 for 20,841 articles without tag lines)."""
    kept: dict[str, bytes] = {}
    for feed in feeds.feed_list(config, archive):
        inputs = (salt, feed.title, feed.page, tuple(feed.newest(config)))
        data = cache.feeds.get(feed.path, inputs, feed.render, config)
        if cache.keep:
            kept[feed.path] = data
        else:  # one at a time: a million articles' feeds are hundreds of megabytes
            writer.write(feed.path, data)
    cache.feeds.next_build()
    if kept:
        writer.write_all(kept)


def _sitemap(
    config: Config, pages: Sequence[PageJob], cache: BuildCache
) -> Iterable[tuple[str, bytes]]:
    """The sitemap files: serve's last ones brought up to date (sitemap.SitemapMemo); a
    one-off build makes them one at a time, as they are written."""
    paths = sitemap.page_paths(pages)
    if not cache.keep:
        return sitemap.sitemap(config, paths)
    return cache.sitemap.files(config, paths)


def _write_search(writer: SiteWriter, assets: SearchAssets, key: str) -> None:
    """The search files, new or kept, and what the manifest needs to keep them next time."""
    writer.write_all(assets.files)
    for path in assets.reused:
        writer.reuse(path)
    writer.manifest.search = key
    more = [*assets.reused, *assets.written]
    writer.manifest.search_files = writer.search_list(assets.files, more)
    writer.manifest.search_scripts = assets.scripts


def _reusable_search(writer: SiteWriter, key: str) -> SearchAssets | None:
    """The previous site's search files, when they were made from the same inputs."""
    old = writer.previous
    if old is None or old.search != key or not old.search_scripts:
        return None
    if not all(path in old.files and writer.intact(path) for path in old.search_files):
        return None
    return SearchAssets(scripts=list(old.search_scripts), reused=list(old.search_files))
