"""The tags that changed since the last build, and what shows them (serve).

In the reference format a tag comes from the archive-wide tags pass, whose cut is a share
of the archive: a new article can make a tag come or go, or change its kind, while every
article that carries it stays the very same object. An article's page key and its data
rows hold its tags' URLs and kinds, which the object does not, so they are made again for
the articles that carry a changed tag, and the pages whose key atoms hold those articles,
instead of for every article and page (4.6 s for one untagged publish at 20,841 articles).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Container, Iterable, Mapping, Sequence
from itertools import accumulate, chain, compress, count, repeat
from operator import itemgetter
from typing import Any

from ..model import Article, Tag

# Each tag's (name, slug, kind), in the archive's order.
TagState = tuple[tuple[str, str, str], ...]
NAME, SLUG, KIND = 0, 1, 2


def tag_state(tags: Iterable[Tag]) -> TagState:
    return tuple((tag.name, tag.slug, tag.kind) for tag in tags)


def changed_tags(old: TagState, new: TagState, fields: tuple[int, ...]) -> set[str]:
    """The tags (casefolded names) that came, went, or changed in ``fields`` (NAME, SLUG,
    KIND) from ``old`` to ``new``."""
    pick = itemgetter(*fields)
    before = {state[NAME].casefold(): pick(state) for state in old}
    after = {state[NAME].casefold(): pick(state) for state in new}
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def carrying(tags: Iterable[Tag], names: Container[str]) -> dict[int, Article]:
    """The articles that carry any of the tags named (casefolded), by id."""
    return {id(a): a for tag in tags if tag.name.casefold() in names for a in tag.articles}


def positions(items: Sequence[Any], ids: Container[int]) -> list[int]:
    """Where ``items`` holds one of the objects (by id), found in C."""
    return list(compress(count(), map(ids.__contains__, map(id, items))))


def showing(
    kept: Mapping[str, tuple[Any, tuple[Any, ...] | None, str]], ids: Container[int]
) -> set[str]:
    """The paths whose key atoms (``kept``: path -> (job, atoms, key)) hold one of the
    objects (by id), and those kept without atoms (their key was made from anything): every
    atom is looked at once, in C, and only the hits in Python."""
    paths = list(kept)
    atoms = list(map(itemgetter(1), kept.values()))
    some = list(map(operator.is_not, atoms, repeat(None)))
    found = set(compress(paths, map(operator.not_, some)))
    lists: list[tuple[Any, ...]] = list(compress(atoms, some))
    owners = list(compress(paths, some))
    ends = list(accumulate(map(len, lists)))
    flat = map(ids.__contains__, map(id, chain.from_iterable(lists)))
    found.update(owners[bisect_right(ends, at)] for at in compress(count(), flat))
    return found
