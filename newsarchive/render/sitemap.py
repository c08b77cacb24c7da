"""Files for crawlers: ``sitemap.xml`` (an index of sitemaps past 50,000 URLs, as the
protocol requires) and ``robots.txt``."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, repeat

from ..changes import MOST
from ..config import Config
from .feeds import xml_text
from .listing import PageJob
from .pages import REDIRECT_TEMPLATE

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the protocol allows
_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap(config: Config, pages: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` listing every HTML page; an index of numbered files past 50,000 URLs."""
    urls = sorted(_urls(pages))
    return _files(config, urls, _escaped(urls))


def page_paths(pages: Sequence[PageJob]) -> list[str]:
    """The paths of the pages a sitemap lists: all but redirects (taken in C: a rebuild in
    serve asks for every page's)."""
    listed = map(
        operator.ne, map(operator.attrgetter("template"), pages), repeat(REDIRECT_TEMPLATE)
    )
    return list(compress(map(operator.attrgetter("path"), pages), listed))


class SitemapMemo:
    """serve's sitemap files of the last build, with the paths they list (as a set) and
    their URLs sorted and escaped: a rebuild whose pages changed (an edited title moves its
    page, a new article adds pages) takes out the URLs gone and puts in the new ones, found
    by set differences in C, where sorting and escaping every URL again was most of the
    sitemap's time (and a new article's pages lie apart in page order: its own, its
    listings' new pages)."""

    def __init__(self) -> None:
        self._site = ""
        self._paths: list[str] = []
        self._set: set[str] | None = None  # _paths, when distinct (as the writer has them)
        self._urls: list[str] = []  # sorted
        self._escaped: list[str] = []  # parallel to _urls
        self._files: list[tuple[str, bytes]] = []

    def files(self, config: Config, paths: list[str]) -> list[tuple[str, bytes]]:
        """The sitemap files of the pages at ``paths`` (:func:`page_paths`)."""
        same = self._site == config.site_url and bool(self._files)
        if same and paths == self._paths:
            return self._files
        now = set(paths)
        distinct = len(now) == len(paths)  # (a page twice: the writer refuses it later)
        was = self._set if same and distinct else None
        gone, came = (was - now, now - was) if was is not None else (now, now)
        if was is not None and len(gone) + len(came) <= MOST:
            self._move(sorted(_urls(gone)), sorted(_urls(came)))
        else:
            self._urls = sorted(_urls(paths))
            self._escaped = _escaped(self._urls)
        self._files = list(_files(config, self._urls, self._escaped))
        self._site, self._paths = config.site_url, paths
        self._set = now if distinct else None
        return self._files

    def _move(self, gone: list[str], came: list[str]) -> None:
        urls, escaped = self._urls, self._escaped
        for url in gone:
            at = bisect.bisect_left(urls, url)
            del urls[at], escaped[at]
        for url in came:
            at = bisect.bisect_right(urls, url)
            urls.insert(at, url)
            escaped.insert(at, xml_text(url))


def _urls(pages: Iterable[str]) -> Iterator[str]:
    return (p.removesuffix("index.html").lstrip("/") for p in pages if p != "404.html")


def _escaped(urls: list[str]) -> list[str]:
    """Each URL escaped, in one pass (serve's first build escapes every page's)."""
    escaped = xml_text("\n".join(urls)).split("\n")
    return escaped if len(escaped) == len(urls) else [xml_text(u) for u in urls]


def _files(config: Config, urls: list[str], escaped: list[str]) -> Iterator[tuple[str, bytes]]:
    site = xml_text(config.site_url)
    step = SITEMAP_LIMIT
    chunks = [escaped[i : i + step] for i in range(0, len(urls), step)] or [[]]
    if len(chunks) == 1:
        yield "sitemap.xml", _urlset(site, chunks[0])
        return
    # One file at a time: all of them at once were 230 MB more at a million articles.
    names = [f"sitemap-{i + 1}.xml" for i in range(len(chunks))]
    for name, chunk in zip(names, chunks, strict=True):
        yield name, _urlset(site, chunk)
    index = (
        _HEAD
        + f"<sitemapindex {_NS}>\n"
        + "".join(
            f"  <sitemap><loc>{xml_text(config.absolute(n))}</loc></sitemap>\n" for n in names
        )
        + "</sitemapindex>\n"
    )
    yield "sitemap.xml", index.encode("utf-8")


def _urlset(site: str, escaped: Sequence[str]) -> bytes:
    """A sitemap file of these escaped URLs (joined in C: one line a page)."""
    lines = f"  <url><loc>{site}" + f"</loc></url>\n  <url><loc>{site}".join(escaped)
    lines = lines + "</loc></url>\n" if escaped else ""
    return (_HEAD + f"<urlset {_NS}>\n" + lines + "</urlset>\n").encode("utf-8")


def robots(config: Config) -> tuple[str, bytes]:
    return (
        "robots.txt",
        f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n".encode(),
    )
