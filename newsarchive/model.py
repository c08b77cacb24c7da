"""The archive's structure: articles placed at URLs, ordered in time, grouped by tag and date.

Everything here is computed once from the parsed articles and then only read by the
render, feeds and search stages.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape
from itertools import groupby
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TypeVar

from slugify import slugify

from .config import KINDS
from .errors import Problem
from .languages.romanise import romanise_belarusian
from .memo import ObjectMemo

SLUG_MAX = 80
KIND_LABELS = {
    "person": ("Person", "People"),
    "place": ("Place", "Places"),
    "organisation": ("Organisation", "Organisations"),
    "topic": ("Topic", "Topics"),
    "": ("Tag", "Other tags"),
}


@dataclass(frozen=True)
class Article:
    """One parsed article. ``url`` is empty until the model places it.

    ``body_html`` is already safe to insert into a page (escaped plain text or sanitised
    Markdown); every other string is untrusted text that templates must escape.
    """

    path: str
    title: str
    posted: datetime
    html: str | None  # the body as safe HTML; None: ``body_text``'s paragraphs, escaped
    body_text: str
    summary: str
    credits: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    author: str = ""
    lang: str = ""
    slug: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    url: str = ""
    found_tags: int = 0  # how many of ``tags``, at the end, the tags stage found in the text
    # The file's path below the source folder, "/"-separated; "" means ``path``. URLs hash
    # this, never ``path`` (the folder as typed), so a moved archive keeps every URL.
    name: str = ""
    # Old site paths of this article (``Aliases:``): each answers with a redirect page.
    aliases: tuple[str, ...] = ()

    @property
    def source_name(self) -> str:
        return self.name or self.path

    @property
    def body_html(self) -> str:
        """The body as safe HTML. Plain text keeps none (``html`` None: a second copy of
        every body was 0.8 GB at a million articles): its paragraphs, escaped, in ``<p>``s."""
        if self.html is not None or not self.body_text:
            return self.html or ""
        return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in self.body_text.split("\n\n"))


@dataclass(frozen=True)
class Tag:
    """A tag and its articles, newest first. ``slug`` is unique across the archive."""

    name: str
    slug: str
    articles: tuple[Article, ...]
    kind: str = ""  # "person" | "place" | "organisation" | "topic" | "" (not known)

    @property
    def url(self) -> str:
        return f"tags/{self.slug}/"


@dataclass(frozen=True)
class Period:
    """A year, month or day and its articles, newest first; ``children`` are the next level down."""

    kind: str  # "year" | "month" | "day"
    year: int
    month: int = 0
    day: int = 0
    articles: tuple[Article, ...] = ()
    children: tuple[Period, ...] = ()

    @property
    def url(self) -> str:
        if self.kind == "year":
            return f"{self.year:04d}/"
        if self.kind == "month":
            return f"{self.year:04d}/{self.month:02d}/"
        return f"{self.year:04d}/{self.month:02d}/{self.day:02d}/"


@dataclass(frozen=True)
class Archive:
    """The whole site's content model: articles newest first, tags by name, years newest first.

    Complete when made (:func:`build_archive`): its lookups are made in ``__post_init__``
    and its mappings are read-only, so no stage changes what another stage reads.
    """

    articles: tuple[Article, ...]
    tags: tuple[Tag, ...]
    years: tuple[Period, ...]
    problems: tuple[Problem, ...] = ()
    drafts: int = 0
    # Each article's related articles by URL, best first (see related.related_articles).
    related: Mapping[str, tuple[Article, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    # Own tags the tags stage renamed ("usa" -> "United States"): old name -> tag name.
    renamed: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    _position: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _tag_slugs: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _tag_kinds: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookups = {
            "related": MappingProxyType(dict(self.related)),
            "renamed": MappingProxyType(dict(self.renamed)),
            "_position": MappingProxyType({a.url: i for i, a in enumerate(self.articles)}),
            "_tag_slugs": MappingProxyType({t.name.casefold(): t.slug for t in self.tags}),
            "_tag_kinds": MappingProxyType({t.name.casefold(): t.kind for t in self.tags}),
        }
        for name, value in lookups.items():
            object.__setattr__(self, name, value)  # the one way to set a frozen field

    def newer(self, article: Article) -> Article | None:
        i = self._position[article.url]
        return self.articles[i - 1] if i > 0 else None

    def older(self, article: Article) -> Article | None:
        i = self._position[article.url]
        return self.articles[i + 1] if i + 1 < len(self.articles) else None

    def tag_slug(self, name: str) -> str:
        """The unique slug of a tag, whichever spelling (case) an article used."""
        return self._tag_slugs[name.casefold()]

    def tag_kind(self, name: str) -> str:
        """The kind of tag: "person", "place", "organisation", "topic", or "" if unknown."""
        return self._tag_kinds.get(name.casefold(), "")

    def tags_by_kind(self, names: Iterable[str]) -> list[tuple[str, list[str]]]:
        """Tag names grouped by kind (see by_kind)."""
        return by_kind(names, self.tag_kind)


# What a redirect's old address may hold: no spaces, controls, or URL syntax (query,
# fragment, escapes, drive letters, backslashes), so it is one file path on every system.
_PATH_PART = re.compile(r"[^\s\x00-\x1f\x7f?#%:\\]+")


def site_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be an old address to redirect from, or None: a site path made of
    folders (``1987/03/12/old/``) or ending in an ``.html`` file; nothing absolute, hidden,
    ``..``, or where the site keeps files (a dot in a folder's name could be ``feed.xml``,
    and ``static/`` is the theme's)."""
    if not path or path.startswith("/") or "://" in path:
        return "is not a path inside the site (write it like 1987/03/12/old-title/)"
    parts = path.split("/")
    if not all(_PATH_PART.fullmatch(part) for part in [*parts[:-1], parts[-1] or "x"]):
        return "holds a space, '?', '#', '%', ':' or '\\' (not a plain site path)"
    if any(part.startswith(".") for part in parts):
        return "has a hidden or '..' part"
    if any("." in part for part in parts[:-1]) or parts[0] == "static":
        return "would clash with the site's own files"
    if parts[-1] and not parts[-1].endswith((".html", ".htm")):
        return "names a file that is not .html (end a folder with '/')"
    return None


T = TypeVar("T")


def by_kind(items: Iterable[T], kind_of: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """``items`` grouped by kind, in KINDS order, then those of no known kind ("")."""
    groups: dict[str, list[T]] = {kind: [] for kind in (*KINDS, "")}
    for item in items:
        groups[kind_of(item)].append(item)
    return [(kind, group) for kind, group in groups.items() if group]


def short_hash(text: str, length: int = 6) -> str:
    # surrogatepass: a file name that is not UTF-8 reaches here with lone surrogates.
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


@functools.lru_cache(maxsize=250_000)  # rebuilds in `serve` slugify the same titles again
def title_slug(text: str, lang: str = "") -> str:
    """ASCII slug (Cyrillic and other scripts transliterated); "" when nothing is left.
    Belarusian (``lang`` be) is romanised as Belarusian, not read as Russian."""
    if lang == "be":
        text = romanise_belarusian(text)
    return slugify(text, max_length=SLUG_MAX, word_boundary=True, save_order=True)


def make_slug(text: str, fallback: str) -> str:
    """ASCII slug (Cyrillic and other scripts transliterated); ``fallback`` hashed if empty."""
    return title_slug(text) or f"a-{short_hash(fallback)}"


def file_slug(name: str) -> str:
    """The slug of an article whose title has no letters or digits: its file's name (stable
    wherever the archive is), or a hash of its path below the source folder."""
    return title_slug(PurePosixPath(name).stem) or f"a-{short_hash(name)}"


def suffixed(base: str, text: str, taken: Container[str]) -> str:
    """``base-<hash of text>``, the hash as short as is free in ``taken`` (6 digits or more,
    then a counter): a suffix never lands on a name another item already has."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    for length in range(6, len(digest) + 1, 2):
        candidate = f"{base}-{digest[:length]}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{digest}-{number}" in taken:
        number += 1
    return f"{base}-{digest}-{number}"


def chronological_key(article: Article) -> tuple[datetime, str]:
    """Oldest first by the instant (two times in one zone compare by wall clock, wrong in
    the repeated hour when clocks go back), ties broken by the file's name below the source
    folder, so the order never depends on file-system order or where the archive is."""
    posted = article.posted
    instant = posted.astimezone(UTC) if posted.tzinfo else posted.replace(tzinfo=UTC)
    return (instant, article.source_name)


def place_articles(
    articles: Iterable[Article], before: ObjectMemo[Article] | None = None
) -> tuple[list[Article], list[Problem]]:
    """Give every article its URL ``YYYY/MM/DD/<slug>/``; return them newest first.

    Collisions: the earliest article (by time, then file name) keeps the plain slug; each
    later one gets a suffix hashed from its own path below the source folder (longer if an
    earlier article took that URL), so its URL does not depend on which newer articles
    exist or where the archive is, and adding newer articles never moves an existing one.
    A title (or ``slug``) with no letters or digits gives the file's name, with a warning.
    ``before`` (serve): the last build's placed copies, taken again when the same parsed
    article gets the same URL, so unchanged articles stay the same objects.
    """
    memo = before if before is not None else ObjectMemo[Article](keep=False)
    placed: list[Article] = []
    taken: dict[str, str] = {}
    warnings: list[Problem] = []
    for article in sorted(articles, key=chronological_key):
        wanted = article.slug or article.title
        lettered = title_slug(wanted, article.lang)
        slug = lettered or file_slug(article.source_name)
        when = article.posted
        plain = f"{when.year:04d}/{when.month:02d}/{when.day:02d}/{slug}"
        place = suffixed(plain, article.source_name, taken) if plain in taken else plain
        url = place + "/"
        if not lettered:
            what = "slug" if article.slug else "title"
            message = f"no letters or digits in the {what} {wanted!r} for a URL; named {url}"
            warnings.append(Problem(article.path, 1, message + " after the file", "warning"))
        if place != plain:
            message = f"same URL as {taken[plain]}; published at {url} instead"
            warnings.append(Problem(article.path, 1, message, "warning"))
        taken[place] = article.path
        kept = memo.find(article)
        if kept is None or kept.url != url:
            kept = replace(article, url=url)
        memo.keep(article, kept)
        placed.append(kept)
    memo.next_build()
    placed.reverse()
    return placed, warnings


def group_names(
    articles: Sequence[Article], names_of: Callable[[Article], Iterable[str]]
) -> list[tuple[str, str, tuple[Article, ...]]]:
    """(name, slug, articles) of every name ``names_of`` gives, compared case-insensitively;
    the most used spelling names it (ties: sorted); slugs unique, by case-folded name."""
    members: dict[str, list[Article]] = {}
    spellings: dict[str, dict[str, int]] = {}
    for article in articles:
        seen = set()
        for name in names_of(article):
            key = name.casefold()
            if key in seen:
                continue
            seen.add(key)
            members.setdefault(key, []).append(article)
            counts = spellings.setdefault(key, {})
            counts[name] = counts.get(name, 0) + 1
    out = []
    used: set[str] = set()
    for key in sorted(members):
        name = min(spellings[key], key=lambda s: (-spellings[key][s], s))
        slug = make_slug(name, key)
        if slug in used:
            slug = suffixed(slug, key, used)
        used.add(slug)
        out.append((name, slug, tuple(members[key])))
    return sorted(out, key=lambda t: (t[0].casefold(), t[0]))


def group_tags(articles: Sequence[Article], kinds: dict[str, str] | None = None) -> list[Tag]:
    """Tags compared case-insensitively (see group_names). ``kinds``: each tag's kind by its
    case-folded name (see tagging.tag_articles)."""
    kinds = kinds or {}
    groups = group_names(articles, lambda article: article.tags)
    return [Tag(name, slug, found, kinds.get(name.casefold(), "")) for name, slug, found in groups]


def group_periods(articles: Sequence[Article]) -> list[Period]:
    """Year -> month -> day archives, newest first, each keeping the articles' order.

    Grouped by value, not by runs: in time order a local date can repeat after another (a
    zone whose clocks go back over midnight), and one day must still be one page."""

    def build(kind: str, items: list[Article], y: int, m: int = 0, d: int = 0) -> Period:
        children: tuple[Period, ...] = ()
        if kind == "year":
            months = _grouped(items, lambda a: a.posted.month)
            children = tuple(build("month", group, y, mm) for mm, group in months)
        elif kind == "month":
            days = _grouped(items, lambda a: a.posted.day)
            children = tuple(build("day", group, y, m, dd) for dd, group in days)
        return Period(kind, y, m, d, tuple(items), children)

    return [build("year", group, y) for y, group in _grouped(articles, lambda a: a.posted.year)]


def _grouped(
    articles: Iterable[Article], key: Callable[[Article], int]
) -> list[tuple[int, list[Article]]]:
    """Runs of one key, merged when a key comes again (rare: see group_periods); newest
    first. Runs first because they cost a third of a dict per article (serve, 20,000)."""
    runs = [(value, list(run)) for value, run in groupby(articles, key)]
    if all(runs[i][0] > runs[i + 1][0] for i in range(len(runs) - 1)):
        return runs
    groups: dict[int, list[Article]] = {}
    for value, run in runs:
        groups.setdefault(value, []).extend(run)
    return sorted(groups.items(), reverse=True)


# Each article's related articles, as positions in the list given (newest first).
Relate = Callable[[Sequence[Article]], Sequence[tuple[int, ...]]]


def build_archive(
    articles: Iterable[Article],
    problems: Iterable[Problem] = (),
    drafts: int = 0,
    before: ObjectMemo[Article] | None = None,
    kinds: dict[str, str] | None = None,
    relate: Relate | None = None,
    renamed: Mapping[str, str] | None = None,
) -> Archive:
    """The model stage: place, order, group and relate every article that parsed
    (``before``: see place_articles; ``kinds``: see group_tags; ``relate``: the related
    articles of the placed articles, see :func:`newsarchive.related.related_articles`)."""
    placed, warnings = place_articles(articles, before)
    related = relate(placed) if relate is not None else ()
    return Archive(
        articles=tuple(placed),
        tags=tuple(group_tags(placed, kinds)),
        years=tuple(group_periods(placed)),
        problems=tuple(sorted([*problems, *warnings])),
        drafts=drafts,
        related={
            article.url: tuple(placed[i] for i in found)
            for article, found in zip(placed, related, strict=False)
            if found
        },
        renamed=renamed or {},
    )
