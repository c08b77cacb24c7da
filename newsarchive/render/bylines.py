"""Sources and authors as listings (``sources/<slug>/``, ``authors/<slug>/``), made when some
article gives them (``Source:``, ``Author:``): the names grouped case-insensitively as tags
are, the most used spelling naming each."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import compress, count, repeat

from ..model import Article
from ..placing import group_names
from .changes import changes

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


class BylineMemo:
    """Each section's bylines of the last build, kept by ``serve``: when the articles were
    only replaced in place by ones with the same source and author (an edit), the bylines
    are the last build's with the new objects in their lists, where grouping the names
    again (:func:`bylines`) was a pass over every article for each section, each rebuild.
    ``keep=False`` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self._articles: Sequence[Article] = ()
        self._found: dict[str, list[Byline]] = {}

    def find(self, articles: Sequence[Article]) -> dict[str, list[Byline]]:
        """Every section's bylines of ``articles`` (newest first), as :func:`bylines`."""
        found = self._edited(articles) if self._found else None
        if found is None:
            found = {section: bylines(articles, section) for section in SECTIONS}
        if self.keeping:
            self._articles, self._found = articles, found
        return found

    def _edited(self, articles: Sequence[Article]) -> dict[str, list[Byline]] | None:
        then = self._articles
        found = changes(then, articles)
        if found is None or not found.in_place:
            return None
        at = found.positions
        if any(_names(then[i], s) != _names(articles[i], s) for i in at for s in SECTIONS):
            return None  # another source or author: its spelling may name the byline
        out = {}
        for section, group in self._found.items():
            group = list(group)
            where = {byline.name.casefold(): k for k, byline in enumerate(group)}
            for i in at:
                for name in _names(articles[i], section):
                    k = where[name.casefold()]
                    listed = group[k].articles
                    j = next(compress(count(), map(operator.is_, listed, repeat(then[i]))))
                    listed = (*listed[:j], articles[i], *listed[j + 1 :])
                    group[k] = replace(group[k], articles=listed)
            out[section] = group
        return out
