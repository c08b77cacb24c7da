"""Which objects of this build's sequence are the very same as the last build's, however
many places changed (serve's page keys and data rows).

:func:`.changes.changes` holds the changes of sequences of different lengths in one span,
from the first change to the last: a publish changes article pages and listing pages far
apart, and an untagged one can retag a few old articles (the archive-wide tags pass), so
that span was most of the sequence and every value was made again. Here the runs of the
very same objects are compared in C, and only where they part is Python used; only the
pairs matter for being right (each pairs the very same object), so a change that fools the
rules below only makes more values again.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Container, Hashable, Sequence
from dataclasses import dataclass
from itertools import compress, count, islice, repeat
from typing import Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class Matching(Generic[T]):
    """``new`` against ``old``: the runs of the very same objects, and the positions of
    either matched with nothing (changed, new or gone), ascending."""

    old: Sequence[T]
    new: Sequence[T]
    runs: list[tuple[int, int, int]]  # (new start, old start, length)
    came: list[int]  # new positions
    went: list[int]  # old positions

    @property
    def in_place(self) -> bool:
        """Whether every unchanged object is where it was (only some were replaced)."""
        return len(self.old) == len(self.new) and all(i == j for i, j, _ in self.runs)

    @property
    def first(self) -> int:
        """The first new position past the unchanged head."""
        head = self.runs[0] if self.runs else (0, 0, 0)
        return head[2] if head[:2] == (0, 0) else 0

    def splice(self, values: Sequence[V], make: Callable[[int], V]) -> list[V]:
        """One value a new position: the old position's from ``values`` (parallel to
        ``old``) where the object is the same, ``make(position)`` elsewhere."""
        out: list[V] = []
        at = 0
        for i, j, length in self.runs:
            out += map(make, range(at, i))
            out += values[j : j + length]
            at = i + length
        out += map(make, range(at, len(self.new)))
        return out


def matching(
    old: Sequence[T],
    new: Sequence[T],
    most: int,
    key: Callable[[T], Hashable],
    known: Container[Hashable] | None = None,
) -> Matching[T] | None:
    """The very same objects of ``old`` and ``new`` in order, or None past ``most`` changed
    positions (the caller starts afresh). Where the runs part, objects of one ``key`` are a
    replacement; else, with ``known`` (the old keys), a new key came and an old object went;
    without, the objects before the nearer of them found further on in the other sequence
    came or went, and the two are a replacement otherwise."""
    runs: list[tuple[int, int, int]] = []
    came: list[int] = []
    went: list[int] = []
    at_new, at_old = iter(new), iter(old)
    i = j = 0
    n, m = len(new), len(old)
    while True:
        at_new.__setstate__(i)  # type: ignore[attr-defined]  # (a list iterator's position)
        at_old.__setstate__(j)  # type: ignore[attr-defined]
        run = next(compress(count(), map(operator.is_not, at_new, at_old)), None)
        if run is None:  # one of them ended
            run = min(n - i, m - j)
        if run:
            runs.append((i, j, run))
        i, j = i + run, j + run
        if i == n or j == m:
            came += range(i, n)
            went += range(j, m)
            break
        item, was = new[i], old[j]
        if key(item) == key(was):
            came.append(i)
            went.append(j)
            i, j = i + 1, j + 1
        elif known is not None:
            if key(item) in known:
                went.append(j)
                j += 1
            else:
                came.append(i)
                i += 1
        else:  # the nearer of: the old object further on in new, the new one in old
            room = most - len(came) - len(went)
            ahead = _find(new, i + 1, was, room)
            behind = _find(old, j + 1, item, room)
            if ahead is not None and (behind is None or ahead - i <= behind - j):
                came += range(i, ahead)
                i = ahead
            elif behind is not None:
                went += range(j, behind)
                j = behind
            else:
                came.append(i)
                went.append(j)
                i, j = i + 1, j + 1
        if len(came) + len(went) > most:
            return None
    if len(came) + len(went) > most:
        return None
    return Matching(old, new, runs, came, went)


def _find(items: Sequence[T], start: int, item: T, most: int) -> int | None:
    """Where ``item`` is (the very object) in ``items[start : start + most]``, in C."""
    at = iter(items)
    at.__setstate__(start)  # type: ignore[attr-defined]
    found = compress(count(start), map(operator.is_, islice(at, most), repeat(item)))
    return next(found, None)
