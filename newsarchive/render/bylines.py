"""Sources and authors as listings (``sources/<slug>/``, ``authors/<slug>/``), made when some
article gives them (``Source:``, ``Author:``): the names grouped case-insensitively as tags
are, the most used spelling naming each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..grouping import group_names
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


def bylines(articles: Sequence[Article], section: str) -> list[Byline]:
    """Every source (or author) of ``articles`` (newest first), by name. One that names
    every article (Reuters on all 20,841) has its listing too, a copy of the home page's:
    sending its address to the home page instead made every listing page appear or go when
    one article without a source came or went."""
    groups = group_names(articles, lambda article: _names(article, section))
    return [Byline(section, name, slug, found) for name, slug, found in groups]
