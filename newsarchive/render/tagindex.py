"""What the tag pages show besides their articles, computed once a build: the ``/tags/``
index (the most used tags of each kind, then every tag under its initial) and each tag's
"often with" tags (those its articles carry most besides it)."""

from __future__ import annotations

import heapq
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..changes import changes
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


class PairCounts:
    """How often each two tags are on one article, kept between the builds of ``serve``:
    a build counts again only the articles that are not the same objects as last time
    (and takes away the ones gone), and ranks again only the tags whose counts moved.
    ``keep=False`` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self._counted: dict[int, tuple[Article, tuple[str, ...]]] = {}
        self._pairs: dict[str, Counter[str]] = {}
        self._names: dict[str, str] = {}  # each tag's name by its case-folded name
        self._best: dict[str, tuple[str, ...]] = {}  # case-folded names, most first
        self._articles: Sequence[Article] = ()  # those counted, while kept

    def count(self, articles: Sequence[Article]) -> set[str]:
        """Bring the counts to ``articles``; the case-folded tags whose counts changed.
        Only the articles that came or went since the last count are looked at, found by
        identity in C (:func:`.changes.changes`): a pass over every article was a Python
        loop of 20,000 steps a rebuild."""
        moved: set[str] = set()
        found = changes(self._articles, articles) if self._articles else None
        came = found.came() if found is not None else articles
        before = self._counted
        now = before if found is not None else {}
        for article in came:
            old = before.get(id(article))
            if old is not None and old[0] is article:
                now[id(article)] = old
                continue
            own = tuple(sorted({name.casefold() for name in article.tags[:PAIRS_OF_FIRST]}))
            self._add(own, 1, moved)
            now[id(article)] = (article, own)
        gone = found.gone() if found is not None else None
        if gone is None:  # each counted article that is not in ``now``
            gone = [a for key, (a, _own) in before.items() if now.get(key, (None,))[0] is not a]
        for article in gone:
            self._add(before[id(article)][1], -1, moved)
            if now is before:
                del now[id(article)]
        self._counted = now
        if self.keeping:
            self._articles = articles
        return moved

    def _add(self, own: tuple[str, ...], step: int, moved: set[str]) -> None:
        pairs = self._pairs
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                for x, y in ((a, b), (b, a)):
                    row = pairs.get(x)
                    if row is None:
                        row = pairs[x] = Counter()
                    count = row[y] + step
                    if count:
                        row[y] = count
                    else:
                        del row[y]
                moved.add(a)
                moved.add(b)

    def often_with(
        self, tags: Sequence[Tag], articles: Sequence[Article]
    ) -> dict[str, tuple[Tag, ...]]:
        """Each tag's (by slug) tags that its articles carry most besides it, most first (ties
        by name), from each article's first tags (PAIRS_OF_FIRST), so a build's cost grows
        with its articles, not with tags squared."""
        moved = self.count(articles)
        by_key = {tag.name.casefold(): tag for tag in tags}
        names = {key: tag.name for key, tag in by_key.items()}
        if names != self._names:  # a name's spelling decides ties: rank every tag again
            moved = set(names)
        out: dict[str, tuple[Tag, ...]] = {}
        best = {}
        for key, tag in by_key.items():
            found = self._best.get(key) if key not in moved else None
            if found is None:
                row = self._pairs.get(key, {})
                top = heapq.nsmallest(OFTEN_WITH, row.items(), key=lambda p: (-p[1], names[p[0]]))
                found = tuple(name for name, _n in top)
            best[key] = found
            out[tag.slug] = tuple(by_key[name] for name in found)
        if self.keeping:
            self._names, self._best = names, best
        else:
            self._counted, self._pairs = {}, {}
        return out


def often_with(tags: Sequence[Tag], articles: Sequence[Article]) -> dict[str, tuple[Tag, ...]]:
    """:meth:`PairCounts.often_with` with nothing kept (one build)."""
    return PairCounts(keep=False).often_with(tags, articles)
