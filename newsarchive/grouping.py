"""Articles grouped by the names they give (tags, sources, authors), compared
case-insensitively: :func:`group_names`.

``serve`` keeps a :class:`Grouping` for each kind of name, so that a rebuild after a few
articles changed patches the last groups instead of going over every article again (at
20,000 articles each pass took 15 to 20 ms, and a rebuild made three). Groups whose
articles did not change keep their very tuple, so later stages see them as unchanged at once.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .changes import MOST, changes
from .model import Article
from .slugs import make_slug, suffixed

Names = Callable[[Article], Iterable[str]]
Group = tuple[str, str, tuple[Article, ...]]  # (name, slug, articles in the order given)

# Past this many articles come or gone, a rebuild groups every article again.
FEW_CHANGED = 256


@dataclass
class Grouping:
    """The last build's groups of one kind of name, kept by ``serve`` (``keep=False``:
    nothing is kept). ``members`` and ``spellings`` are by case-folded name; ``rows`` are
    (name, slug, key) in the order given out."""

    keep: bool = True
    given: list[Article] = field(default_factory=list)
    members: dict[str, list[Article]] = field(default_factory=dict)
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    found: dict[str, tuple[Article, ...]] = field(default_factory=dict)

    def groups(self) -> list[Group]:
        return [(name, slug, self.found[key]) for name, slug, key in self.rows]


def group_names(
    articles: Sequence[Article],
    names_of: Names,
    grouping: Grouping | None = None,
    order: Callable[[Article], Any] | None = None,
) -> list[Group]:
    """(name, slug, articles) of every name ``names_of`` gives, compared case-insensitively;
    the most used spelling names it (ties: sorted); slugs unique, by case-folded name.

    ``grouping`` (serve): the last build's groups of the same ``names_of``, patched when a
    few articles came or went and the others kept their order; else grouped again.
    ``order``: a key that ``articles`` are sorted by, descending, no two alike (the
    archive's, :func:`.dates.chronological_key`): a patch then finds an article's place in
    its groups by a search, where it looked up where every article is (at a million
    articles, a pass over all of them for each kind of name, each rebuild)."""
    state = grouping if grouping is not None else Grouping(keep=False)
    if not (state.given and _patched(state, articles, names_of, order)):
        state.members, state.spellings = _group_all(articles, names_of)
        state.found = {key: tuple(found) for key, found in state.members.items()}
        state.rows = _rows(state.spellings)
    out = state.groups()
    if state.keep:
        state.given = list(articles)
    else:
        state.members, state.spellings, state.rows, state.found = {}, {}, [], {}
    return out


def came_and_gone(
    old: Sequence[Article], new: Sequence[Article], most: int = MOST, ordered: bool = True
) -> tuple[list[Article], list[Article]] | None:
    """The objects ``new`` holds that ``old`` did not, and those it no longer holds (by
    identity, see :mod:`.changes`); None when more than ``most`` came or went, or (``ordered``)
    when the others are not in the same order. Unlike one span, this finds few scattered
    changes where the lengths differ too: a new untagged article moves the found tags of a
    few others anywhere in the archive."""
    found = changes(old, new, most)
    if found is not None:
        return None if ordered and found.moved() else (found.came(), found.gone())
    if abs(len(old) - len(new)) > most:
        return None
    was, now = set(map(id, old)), set(map(id, new))  # in C, as changes() is
    stays_new = list(map(was.__contains__, map(id, new)))
    stays_old = list(map(now.__contains__, map(id, old)))
    came = list(itertools.compress(new, map(operator.not_, stays_new)))
    gone = list(itertools.compress(old, map(operator.not_, stays_old)))
    if len(came) > most or len(gone) > most:
        return None
    if ordered:
        kept = list(itertools.compress(old, stays_old))
        kept_now = list(itertools.compress(new, stays_new))
        if len(kept) != len(kept_now) or not all(map(operator.is_, kept, kept_now)):
            return None
    return came, gone


def _keys(article: Article, names_of: Names) -> list[tuple[str, str]]:
    """(case-folded name, spelling) of each name of an article, the first spelling of each."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in names_of(article):
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append((key, name))
    return out


def _group_all(
    articles: Iterable[Article], names_of: Names
) -> tuple[dict[str, list[Article]], dict[str, dict[str, int]]]:
    """Every article in its groups (members and spelling counts by case-folded name), in
    one loop with no call per article: a cold build groups every article."""
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
    return members, spellings


def _rows(spellings: dict[str, dict[str, int]]) -> list[tuple[str, str, str]]:
    """(name, slug, key) of every group: named by its most used spelling, slugs made unique
    in the order of the keys, sorted by name."""
    out = []
    used: set[str] = set()
    for key in sorted(spellings):
        name = _name(spellings[key])
        slug = make_slug(name, key)
        if slug in used:
            slug = suffixed(slug, key, used)
        used.add(slug)
        out.append((name, slug, key))
    return sorted(out, key=lambda t: (t[0].casefold(), t[0]))


def _name(counts: dict[str, int]) -> str:
    return min(counts, key=lambda s: (-counts[s], s))


def _patched(
    state: Grouping,
    articles: Sequence[Article],
    names_of: Names,
    order: Callable[[Article], Any] | None,
) -> bool:
    """Patch the last groups for the articles that came and went, if they are few and the
    others kept their order; else False, with the state untouched. The articles are
    distinct objects (the model's)."""
    found = came_and_gone(state.given, articles, FEW_CHANGED)
    if found is None:
        return False
    came, gone = found
    changed: set[str] = set()
    members, spellings = state.members, state.spellings
    for article in gone:
        for key, name in _keys(article, names_of):
            changed.add(key)
            if order is not None:
                _remove(members[key], article, order)
            counts = spellings[key]
            counts[name] -= 1
            if not counts[name]:
                del counts[name]
    if order is None:  # a pass over each changed group, and where every article is now
        gone_ids = set(map(id, gone))
        for key in changed:
            members[key] = [article for article in members[key] if id(article) not in gone_ids]
        order = _by_position(articles) if came else None
    for article in came:
        for key, name in _keys(article, names_of):
            changed.add(key)
            group = members.setdefault(key, [])
            group.insert(first_not_after(group, article, order), article)  # type: ignore[arg-type]
            counts = spellings.setdefault(key, {})
            counts[name] = counts.get(name, 0) + 1
    renamed = False
    names = {key: name for name, _, key in state.rows}
    for key in changed:
        if not members[key]:
            del members[key], spellings[key], state.found[key]
            renamed = True
            continue
        state.found[key] = tuple(members[key])
        renamed = renamed or names.get(key) != _name(spellings[key])
    if renamed:  # a group came, went or changed its name: slugs and order again
        state.rows = _rows(spellings)
    return True


def first_not_after(group: list[Article], article: Article, order: Callable[[Article], Any]) -> int:
    """Where ``article`` goes in ``group`` (sorted by ``order``, descending: newest first
    by :func:`.dates.chronological_key`): the first member whose key is not greater than
    its own (a binary search)."""
    wanted, low, high = order(article), 0, len(group)
    while low < high:
        middle = (low + high) // 2
        if order(group[middle]) > wanted:
            low = middle + 1
        else:
            high = middle
    return low


def _remove(group: list[Article], article: Article, order: Callable[[Article], Any]) -> None:
    """Take ``article`` (the very object) out of ``group``, where ``order`` says it is."""
    at = first_not_after(group, article, order)
    if at < len(group) and group[at] is article:
        del group[at]
    else:  # (not sorted as ``order`` said)
        group[:] = [member for member in group if member is not article]


def _by_position(articles: Sequence[Article]) -> Callable[[Article], int]:
    """An order key of ``articles`` as given (descending): minus each one's position."""
    position = dict(zip(map(id, articles), range(len(articles)), strict=True))
    return lambda article: -position[id(article)]
