"""The render stage: the archive model in, HTML pages out, as ``(path, bytes)`` pairs.

Every link inside the site is relative (``../../tags/x/index.html``), so one build works at
the root of a host, under a sub-path and opened from disk. Absolute URLs (canonical,
Open Graph) come from ``base_url``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from markupsafe import Markup

from .config import Config
from .content import credit_parts
from .model import (
    KIND_LABELS,
    Archive,
    Article,
    ObjectMemo,
    Period,
    Tag,
    by_kind,
    hash_fraction,
)

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


@dataclass(frozen=True)
class Pagination:
    """One page of a listing, counted from the oldest so that pages stay put as news arrives.

    Page ``k`` of ``pages`` (at ``base/page/k/``) holds the ``k``-th oldest run of articles
    that :func:`page_runs` cuts; the front page (at ``base``, number ``pages``) holds the
    newest runs, at least ``per_page`` articles (all, in a short listing). A new article then
    changes the front page only (and, once a run has left it, adds one page): newest-first
    numbering would move every article of the listing to another page.

    What a page shows must come from ``key_parts`` alone (the page's key): an older page
    shows neither the listing's count nor its number of pages, only whether the one or two
    pages after it are the front page.
    """

    base: str
    number: int
    pages: int
    items: Sequence[Article]
    count: int

    @property
    def front(self) -> bool:
        return self.number == self.pages

    def key_parts(self) -> tuple[Any, ...]:
        if self.front:
            return (self.base, self.number, self.pages, self.count)
        return (self.base, self.number, min(self.pages, self.number + 4), -1)

    def url(self, number: int) -> str:
        return self.base if number >= self.pages else f"{self.base}page/{number}/"

    def label(self, number: int) -> str:
        return "Latest" if number >= self.pages else str(number)

    @property
    def path(self) -> str:
        return self.url(self.number)

    @property
    def newer(self) -> str | None:
        return None if self.front else self.url(self.number + 1)

    @property
    def older(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def numbers(self) -> list[int | None]:
        """Pages to link, newest first: the front page, two either side of this one and page
        1; None for a gap. (Computed here: a template loop over every page of a long listing
        was a quadratic share of the build.)"""
        near = range(min(self.pages, self.number + 2), max(1, self.number - 2) - 1, -1)
        out: list[int | None] = []
        for i in sorted({self.pages, 1, *near}, reverse=True):
            if out and (out[-1] or 0) - i > 1:
                out.append(None)
            out.append(i)
        return out


@functools.lru_cache(maxsize=1 << 20)  # serve asks again for the same articles
def _cut_fraction(url: str) -> float:
    return hash_fraction(url.encode())


def run_ends(articles: Iterable[Article], per_page: int) -> frozenset[int]:
    """The ids of the articles a page run may end after (the hash test of page_runs), for
    a build to test each article once rather than once per listing it is on."""
    chance = 1 / (per_page - max(1, per_page // 2) + 1)
    return frozenset(id(a) for a in articles if _cut_fraction(a.url) < chance)


def page_runs(
    articles: Sequence[Article], per_page: int, ends: frozenset[int] | None = None
) -> list[Sequence[Article]]:
    """Cut ``articles`` (oldest first) into runs of about ``per_page``: content-defined.

    A run ends after an article whose URL hashes under 1 / (per_page - shortest + 1), once it
    holds at least ``shortest`` (half a page), or at twice ``per_page``. Where a run ends
    depends on the articles near it, not on how many are older, so an article back-filled
    into (or deleted from) the middle of a listing changes the page that holds it, not every
    newer page; about one time in thirty it starts or ends a run, and the newer pages of
    that listing are numbered again. Fixed-size pages would all shift by one article.
    """
    shortest, longest = max(1, per_page // 2), 2 * per_page
    if ends is None:
        ends = run_ends(articles, per_page)
    runs: list[Sequence[Article]] = []
    start = 0
    for end, article in enumerate(articles, 1):
        size = end - start
        if (size >= shortest and id(article) in ends) or size >= longest:
            runs.append(articles[start:end])
            start = end
    if start < len(articles):
        runs.append(articles[start:])
    return runs


def paginate(
    base: str, articles: Sequence[Article], per_page: int, ends: frozenset[int] | None = None
) -> Iterator[Pagination]:
    """The pages of a listing of ``articles`` (newest first): the front page, then older.
    ``ends``: :func:`run_ends` of the archive, if known."""
    count = len(articles)
    runs = page_runs(articles[::-1], per_page, ends)
    pages, held = len(runs), 0  # the front page takes the newest runs, a page's worth
    while pages > 1 and held + len(runs[pages - 1]) < per_page:
        held += len(runs[pages - 1])
        pages -= 1
    pages = max(pages, 1)
    newest = [a for run in runs[pages - 1 :] for a in run][::-1]
    yield Pagination(base, pages, pages, newest, count)
    for number in range(pages - 1, 0, -1):
        yield Pagination(base, number, pages, runs[number - 1][::-1], count)


def _tags_by_kind(tags: Iterable[Tag]) -> list[tuple[str, list[Tag]]]:
    return by_kind(tags, operator.attrgetter("kind"))


def relative_root(path: str) -> str:
    """Prefix from the page at ``path`` (e.g. ``tags/x/index.html``) back to the site root."""
    return "../" * path.count("/")


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def format_date(value: datetime, with_time: bool = False) -> str:
    """Locale-independent, so builds are identical everywhere: ``10 April 2023, 13:13``."""
    text = f"{value.day} {month_name(value.month)} {value.year}"
    return f"{text}, {value:%H:%M}" if with_time else text


def period_title(period: Period) -> str:
    if period.kind == "year":
        return str(period.year)
    if period.kind == "month":
        return f"{month_name(period.month)} {period.year}"
    return f"{period.day} {month_name(period.month)} {period.year}"


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script> element: ``<``, ``>`` and ``&`` escaped so text cannot close it."""
    data = {k: v for k, v in data.items() if v is not None}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, checked against their source's checksum: ``serve``
    makes a Renderer per rebuild, and compiling the templates again was 30 ms of each."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


class Renderer:
    """Jinja2 environment plus the helpers templates use; renders one page at a time."""

    def __init__(
        self, templates: Path, config: Config, archive: Archive, search_scripts: list[str]
    ):
        self.config = config
        self.archive = archive
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_BYTECODE,
        )
        self.env.filters.update(date=format_date, month_name=month_name, groupby_kind=_tags_by_kind)
        self.env.globals.update(
            config=config,
            archive=archive,
            period_title=period_title,
            credit_parts=credit_parts,
            json_ld=json_ld,
            search_scripts=search_scripts,
            tag_url=self.tag_url,
            tag_kind=archive.tag_kind,
            tags_by_kind=archive.tags_by_kind,
            kind_labels=KIND_LABELS,
            entry=self.entry,
        )
        # Each article's listing entry, rendered once with a placeholder for the way back to
        # the site root: an article appears in five or more listings (home, tags, year, month,
        # day), and rendering its entry again in each was most of the listings' cost.
        self._entries: dict[str, str] = {}

    def tag_url(self, name: str) -> str:
        return f"tags/{self.archive.tag_slug(name)}/"

    def entry(self, item: Article, root: str) -> Markup:
        """The listing entry of ``item`` on a page whose way back to the root is ``root``."""
        html = self._entries.get(item.url)
        if html is None:
            html = self._entries[item.url] = self.env.get_template("partials/entry.html").render(
                item=item, link=_link_from(ROOT_MARK)
            )
        return Markup(html.replace(ROOT_MARK, root))

    def render(self, job: PageJob) -> tuple[str, bytes]:
        return self.page(job.template, job.path, job.root, **job.context)

    def page(
        self, template: str, path: str, root: str | None = None, **context: Any
    ) -> tuple[str, bytes]:
        """Render ``template`` as the file ``path``; links in it are made relative to it."""
        root = relative_root(path) if root is None else root

        def asset(target: str) -> str:
            return root + target

        html = self.env.get_template(template).render(
            root=root, link=_link_from(root), asset=asset, page_path=path, **context
        )
        return path, html.encode("utf-8")


# Stands for a page's way back to the root in cached entries; control characters never occur
# in article text (content.py drops them), so it cannot clash with anything a page shows.
ROOT_MARK = "\x00root\x00"


def _link_from(root: str) -> Callable[[str], str]:
    """``link(target)`` for a page at ``root``: the relative URL of a site path (a folder's
    ``index.html``, so links also work from file://)."""

    def link(target: str) -> str:
        return f"{root}{target}index.html" if not target or target.endswith("/") else root + target

    return link


@dataclass(frozen=True)
class PageJob:
    """One page to render: template, output path and context (``root`` as in Renderer.page)."""

    template: str
    path: str
    context: dict[str, Any]
    root: str | None = None


def page_jobs(archive: Archive, config: Config) -> list[PageJob]:
    """Every HTML page of the site, in a fixed order (the order is part of determinism)."""
    paging = (config.per_page, run_ends(archive.articles, config.per_page))
    jobs = _listing("index.html", "", archive.articles, paging)
    for article in archive.articles:
        context = {
            "article": article,
            "newer": archive.newer(article),
            "older": archive.older(article),
            "related": archive.related.get(article.url, ()),
        }
        jobs.append(PageJob(ARTICLE_TEMPLATE, article.url + "index.html", context))
    jobs.append(PageJob("tags.html", "tags/index.html", {"tags": archive.tags}))
    for tag in archive.tags:
        jobs += _listing("tag.html", tag.url, tag.articles, paging, tag=tag)
    for year in archive.years:
        jobs += _period(year, paging)
    jobs.append(PageJob("archive.html", "archive/index.html", {"years": archive.years}))
    jobs.append(PageJob(SEARCH_TEMPLATE, "search/index.html", {}))
    # A 404 page is served at any depth, so its links start from base_url's path instead.
    jobs.append(PageJob("404.html", "404.html", {}, root=urlsplit(config.site_url).path))
    return jobs


# The page keys of a build, for the next (PageKeys.keys): salt, tags, path -> (what the
# page was made from, see _atoms; key).
KeyMemo = tuple[str, tuple[tuple[str, str, str], ...], dict[str, tuple[tuple[Any, ...], str]]]


def _atoms(job: PageJob, value_key: Callable[[Any], bytes]) -> tuple[Any, ...] | None:
    """What a page's key is made from, flat: articles (compared by identity), strings,
    numbers and the keys of periods (``value_key``: computed once a build for each); None
    when its context holds anything else (its key is always computed)."""
    if job.template == ARTICLE_TEMPLATE:  # most pages: their articles (page_jobs)
        context = job.context
        return (context["article"], context["newer"], context["older"], *context["related"])
    atoms: list[Any] = [job.template, job.root]
    for name, value in job.context.items():
        kind = type(value)
        atoms.append(name)
        if kind is Article or value is None:
            atoms.append(value)
        elif kind is Pagination:
            atoms += (*value.key_parts(), len(value.items), *value.items)
        elif kind is Tag:
            atoms += (value.name, value.slug, value.kind, len(value.articles))
        elif kind is Period:
            atoms.append(value_key(value))
        else:
            return None
    return tuple(atoms)


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Articles the same objects, everything else equal."""
    if len(old) == len(new) and all(map(operator.is_, old, new)):
        return True  # the usual case, and the cheap test
    return len(old) == len(new) and all(
        a is b or (type(a) is not Article and type(b) is not Article and a == b)
        for a, b in zip(old, new, strict=True)
    )


# Article keys of a build for the next (serve): the tags' (name, slug, kind), and the keys by the
# very article object (an unchanged article stays the same object, see place_articles).
ArticleKeys = tuple[tuple[tuple[str, str, str], ...], ObjectMemo[bytes]]


class PageKeys:
    """A fingerprint of what each page is made from, so that a rebuild renders only the pages
    whose inputs changed (and reuses the rest of the previous site).

    It must cover everything a template can show: ``salt`` covers the configuration, the
    templates and this code; an article is its source file's digest, its URL and its tags'
    URLs; a tag or period what listings show of it (name, URL, article count, children);
    a pagination its position and items. Any other kind of context value is refused, so a
    template given something new cannot be served stale.
    """

    def __init__(
        self,
        archive: Archive,
        salt: str,
        digests: dict[str, str],
        articles: ArticleKeys | None = None,
    ):
        self.archive, self.salt, self.digests = archive, salt, digests
        self._memo: dict[int, bytes] = {}
        # serve: the last build's article keys, while every tag keeps its URL.
        tags = tuple((tag.name, tag.slug, tag.kind) for tag in archive.tags)
        if articles is None or articles[0] != tags:
            articles = (tags, ObjectMemo())
        self.articles = articles

    def article(self, article: Article) -> bytes:
        return self.articles[1].get(article, lambda: self._article(article))

    def _article(self, article: Article) -> bytes:
        tag_urls = [f"{self.archive.tag_slug(t)}:{self.archive.tag_kind(t)}" for t in article.tags]
        parts = [self.digests[article.path], article.url, *tag_urls]
        return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).digest()

    def value(self, value: Any) -> bytes:
        kind = type(value)
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass")
        if kind is int:
            return b"i%d" % value
        if value is None:
            return b"-"
        if kind is list or kind is tuple:  # not memoised: a temporary's id gets reused
            return self.digest(value)
        # Archive objects live as long as this PageKeys, so their ids are theirs alone.
        memo = self._memo.get(id(value))
        if memo is not None:
            return memo
        if kind is Article:
            key = self.article(value)
        elif kind is Pagination:
            key = self.digest([*value.key_parts(), value.items])
        elif kind is Tag:
            key = self.digest([value.name, value.slug, value.kind, len(value.articles)])
        elif kind is Period:
            key = self.digest([value.url, len(value.articles), list(value.children)])
        else:
            raise TypeError(f"no page key for {kind.__name__}")
        self._memo[id(value)] = key
        return key

    def digest(self, values: Iterable[Any]) -> bytes:
        value = self.value
        parts = [item if type(item) is bytes else value(item) for item in values]
        lengths = b"".join([len(part).to_bytes(4, "big") for part in parts])
        return hashlib.sha1(lengths + b"".join(parts)).digest()

    def keys(
        self, jobs: Iterable[PageJob], before: KeyMemo | None = None
    ) -> tuple[dict[str, str], KeyMemo]:
        """Every page's key but the search page's, and what the next build may reuse.

        ``before``, the last build's memo (serve): a page whose context holds the very same
        article objects (model.place_articles keeps unchanged ones) and otherwise equal
        values keeps its key, when the salt and every tag's URL and kind (which article keys
        include) are the same as then.
        """
        tags = tuple((tag.name, tag.slug, tag.kind) for tag in self.archive.tags)
        previous = before[2] if before is not None and before[:2] == (self.salt, tags) else {}
        out: dict[str, str] = {}
        kept: dict[str, tuple[tuple[Any, ...], str]] = {}
        for job in jobs:
            if job.template == SEARCH_TEMPLATE:
                continue
            atoms = _atoms(job, self.value)
            old = previous.get(job.path)
            if atoms is not None and old is not None and _same(old[0], atoms):
                key = old[1]
            else:
                key = self.key(job)
            if atoms is not None:
                kept[job.path] = (atoms, key)
            out[job.path] = key
        return out, (self.salt, tags, kept)

    def key(self, job: PageJob) -> str:
        """The page's fingerprint (hex). Contexts are built in a fixed order (page_jobs)."""
        parts: list[Any] = [self.salt, job.template, job.path, job.root]
        for name, value in job.context.items():
            parts.append(name)
            parts.append(self.value(value))
        return self.digest(parts).hex()


# The one page that names the search index's files, known only once the index is built.
SEARCH_TEMPLATE = "search.html"
ARTICLE_TEMPLATE = "article.html"


# Articles per page and the run_ends of the archive.
Paging = tuple[int, frozenset[int]]


def _listing(
    template: str,
    base: str,
    articles: Sequence[Article],
    paging: Paging,
    **context: Tag | Period,
) -> list[PageJob]:
    """A listing's pages. Only the front page gets its tag or period whole (count, children);
    older pages get it without articles, so that their keys, like their text, stay the same
    while newer articles arrive (see Pagination)."""
    older = {name: _bare(value) for name, value in context.items()}
    return [
        PageJob(
            template,
            page.path + "index.html",
            {"pagination": page, **(context if page.front else older)},
        )
        for page in paginate(base, articles, *paging)
    ]


def _bare(value: Tag | Period) -> Tag | Period:
    if type(value) is Period:
        return replace(value, articles=(), children=())
    return replace(value, articles=())


def _period(period: Period, paging: Paging) -> list[PageJob]:
    jobs = _listing("period.html", period.url, period.articles, paging, period=period)
    for child in period.children:
        jobs += _period(child, paging)
    return jobs
