"""Sources and authors as listings (``sources/<slug>/``, ``authors/<slug>/``), made when some
article gives them (``Source:``, ``Author:``): the names grouped case-insensitively as tags
are, the most used spelling naming each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, group_names

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
        """Its listing; the home page ("") for one that names every article."""
        return f"{self.section}/{self.slug}/" if self.slug else ""


def _names(article: Article, section: str) -> tuple[str, ...]:
    """An article's source, or its author ("A and B" is one byline: kept whole)."""
    value = article.source if section == "sources" else article.author
    value = value.strip()
    return (value,) if value else ()


def bylines(articles: Sequence[Article], section: str) -> list[Byline]:
    """Every source (or author) of ``articles`` (newest first), by name. One that names
    every article (a wire service's archive: Reuters on all 20,841) has no listing of its
    own (no slug): it would be the home page's again, a thousand pages over."""
    groups = group_names(articles, lambda article: _names(article, section))
    whole = len(articles)
    return [
        Byline(section, name, "" if len(found) == whole else slug, found)
        for name, slug, found in groups
    ]


def byline_urls(articles: Sequence[Article]) -> dict[tuple[str, str], str]:
    """(section, name case-folded) -> the listing's URL."""
    return {
        (section, byline.name.casefold()): byline.url
        for section in SECTIONS
        for byline in bylines(articles, section)
    }
