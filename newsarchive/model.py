"""The archive's structure: articles placed at URLs, ordered in time, grouped by tag and date.

Everything here is computed once from the parsed articles and then only read by the
render, feeds and search stages.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from types import MappingProxyType
from typing import TypeVar

from .config import KINDS
from .errors import Problem

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
    # How many words ``body_text`` has, counted by the reader as it split the text (in the
    # read forks of a cold build: the data files' count was a split of every text, 15 s of
    # this process at a million articles); -1: not counted (see word_count).
    words: int = -1

    @property
    def word_count(self) -> int:
        """How many words ``body_text`` has (split on white space)."""
        return self.words if self.words >= 0 else len(self.body_text.split())

    @property
    def source_name(self) -> str:
        return self.name or self.path

    def replaced(self, **changes: object) -> Article:
        """``dataclasses.replace(self, **changes)`` without a call of ``__init__``: there is
        no ``__post_init__`` nor an ``init=False`` field, so a copy of the fields is the same
        article. The tags and model stages copy every article so (3.8 µs by replace, 0.7 so)."""
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"not fields of an article: {sorted(unknown)}")
        copy = object.__new__(Article)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        if "body_text" in changes and "words" not in changes:
            copy.__dict__["words"] = -1  # counted again when asked
        return copy

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
            "_position": MappingProxyType(dict(zip(map(_URL, self.articles), itertools.count()))),
            "_tag_slugs": MappingProxyType({t.name.casefold(): t.slug for t in self.tags}),
            "_tag_kinds": MappingProxyType({t.name.casefold(): t.kind for t in self.tags}),
        }
        for name, value in lookups.items():
            object.__setattr__(self, name, value)  # the one way to set a frozen field

    @property
    def positions(self) -> Mapping[str, int]:
        """Each article's URL -> its place in ``articles``."""
        return self._position

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


T = TypeVar("T")


def by_kind(items: Iterable[T], kind_of: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """``items`` grouped by kind, in KINDS order, then those of no known kind ("")."""
    groups: dict[str, list[T]] = {kind: [] for kind in (*KINDS, "")}
    for item in items:
        groups[kind_of(item)].append(item)
    return [(kind, group) for kind, group in groups.items() if group]


_URL = operator.attrgetter("url")
