"""Sources and authors as listings (``sources/<slug>/``, ``authors/<slug>/``), made when some
article gives them (``Source:``, ``Author:``): the names grouped case-insensitively as tags
are, the most used spelling naming each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..dates import chronological_key
from ..grouping import Grouping, group_names
from ..model import Article

SECTIONS = ("sources", "authors")  # what each lists, in page order


@dataclass(frozen=True)
class Byline:
    """A source or an author and its articles, newest first; ``section`` "sources" or
    "authors"."""

    section: str
    name: str
    slug: str
    articles: tuple[Article, ...]

    @property
    def url(self) -> str:
        return f"{self.section}/{self.slug}/"


def _names(article: Article, section: str) -> tuple[str, ...]:
    """An article's source, or its author ("A and B" is one byline: kept whole)."""
    value = article.source if section == "sources" else article.author
    value = value.strip()
    return (value,) if value else ()


def bylines(
    articles: Sequence[Article], section: str, grouping: Grouping | None = None
) -> list[Byline]:
    """Every source (or author) of ``articles`` (newest first), by name. One that names
    every article (Reuters on all 20,841) has its listing too, a copy of the home page's:
    sending its address to the home page instead made every listing page appear or go when
    one article without a source came or went. ``grouping``: the last build's groups of
    this section (see :func:`.grouping.group_names`)."""
    groups = group_names(articles, _NAMES[section], grouping, chronological_key)
    return [Byline(section, name, slug, found) for name, slug, found in groups]


def _sources(article: Article) -> tuple[str, ...]:
    return _names(article, "sources")


def _authors(article: Article) -> tuple[str, ...]:
    return _names(article, "authors")


_NAMES = {"sources": _sources, "authors": _authors}


class BylineMemo:
    """Each section's groups of the last build, kept by ``serve`` and patched for the
    articles that changed (grouping the names again was a pass over every article for each
    section, each rebuild). ``keep=False`` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.groupings = {section: Grouping(keep) for section in SECTIONS}

    def find(self, articles: Sequence[Article]) -> dict[str, list[Byline]]:
        """Every section's bylines of ``articles`` (newest first), as :func:`bylines`."""
        return {s: bylines(articles, s, self.groupings[s]) for s in SECTIONS}
