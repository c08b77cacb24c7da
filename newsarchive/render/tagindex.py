"""What the tag pages show besides their articles, computed once a build: the ``/tags/``
index (the most used tags of each kind, then every tag under its initial) and each tag's
"often with" tags (those its articles carry most besides it)."""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Article, Tag, by_kind

TOP_PER_KIND = 20  # the most used tags of each kind, first on /tags/
OFTEN_WITH = 8  # "often with" tags on a tag page
# Tags of an article counted together, at most: an article with 30 tags would otherwise add
# 435 pairs, and a million articles with many tags make the count slow, not better.
PAIRS_OF_FIRST = 12


@dataclass(frozen=True)
class Initial:
    """The tags whose names start with one letter: ``label`` ("A", "Б", "#"), ``anchor`` its
    id on the page."""

    label: str
    anchor: str
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class TagIndex:
    """The ``/tags/`` page: the most used tags by kind (count first) with the kind's number
    of tags, and all by initial."""

    top: tuple[tuple[str, tuple[Tag, ...], int], ...]
    initials: tuple[Initial, ...]


def _letter(name: str) -> str:
    """A name's initial, without its accent ("Ö" under "O"); digits and signs are "#"."""
    for char in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(char):
            continue
        return char.upper() if char.isalpha() else "#"
    return "#"


def _anchor(label: str) -> str:
    """An ASCII id: ``tags-a``; ``tags-u0431`` for a letter of another script; ``tags-other``."""
    if label == "#":
        return "tags-other"
    return f"tags-{label.lower()}" if label.isascii() else f"tags-u{ord(label.lower()):04x}"


def _order(label: str) -> tuple[int, str]:
    """ "#" first, then Latin letters, then other scripts' letters by code point."""
    return (0 if label == "#" else 1 if label.isascii() else 2, label)


def _most_used(tag: Tag) -> tuple[int, str]:
    return (-len(tag.articles), tag.name)


def tag_index(tags: Sequence[Tag]) -> TagIndex:
    """The /tags/ page's groups (once a build: there is one such page)."""
    top = tuple(
        (kind, tuple(sorted(group, key=_most_used)[:TOP_PER_KIND]), len(group))
        for kind, group in by_kind(tags, lambda t: t.kind)
    )
    letters: dict[str, list[Tag]] = {}
    for tag in tags:  # already by name
        letters.setdefault(_letter(tag.name), []).append(tag)
    initials = tuple(
        Initial(label, _anchor(label), tuple(letters[label]))
        for label in sorted(letters, key=_order)
    )
    return TagIndex(top, initials)


def often_with(tags: Sequence[Tag], articles: Iterable[Article]) -> dict[str, tuple[Tag, ...]]:
    """Each tag's (by slug) tags that its articles carry most besides it, most first (ties by
    name): one pass counting the pairs in each article's first tags (PAIRS_OF_FIRST), so a
    build's cost grows with its articles, not with tags squared."""
    position = {tag.name.casefold(): i for i, tag in enumerate(tags)}
    pairs: list[Counter[int]] = [Counter() for _ in tags]
    for article in articles:
        own = sorted({position[name.casefold()] for name in article.tags[:PAIRS_OF_FIRST]})
        for i, a in enumerate(own):
            row = pairs[a]
            for b in own[i + 1 :]:
                row[b] += 1
                pairs[b][a] += 1
    out: dict[str, tuple[Tag, ...]] = {}
    for tag, row in zip(tags, pairs, strict=True):
        best = heapq.nsmallest(OFTEN_WITH, row.items(), key=lambda p: (-p[1], tags[p[0]].name))
        out[tag.slug] = tuple(tags[i] for i, _n in best)
    return out
