"""Where this build's sequence of objects differs from the last build's, found by identity
(every stage that ``serve`` patches finds its changes here).

serve's rule (see :mod:`newsarchive.incremental`) makes an unchanged article the very same
object build after build, so comparing two builds' article tuples object by object finds
an edit, an addition or a deletion. The comparison runs in C (``map`` of ``operator.is_not``),
a fraction of a millisecond at 20,000 articles, where a Python loop over every article was
milliseconds for each stage that kept something per article. A stage that keeps a value
per position then remakes only the values of the changed positions (:meth:`Changes.splice`).

One build asks about the same two archive tuples many times (the listing, paging, pages,
tag index, page keys and data files stages each compare the last build's articles with
this one's): :class:`_PairMemo` answers again from the first comparison. Tuples only, since
they cannot change after the comparison; the memo holds them so that their ids stay theirs.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, count, islice
from typing import Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")

MOST = 512  # changed positions beyond which a stage had better start afresh
MEMO_FROM = 1_024  # sequences shorter than this are compared again (cheaper than a memo)


@dataclass
class _PairMemo:
    """The last few comparisons of two tuples, by the tuples' identities (see the module's
    docstring); ``hits`` counts the answers given again (for tests)."""

    kept: int = 8
    found: dict[tuple[str, int, int], tuple[object, object, object]] = field(default_factory=dict)
    hits: int = 0

    def get(self, kind: str, old: Sequence[object], new: Sequence[object]) -> object | None:
        if type(old) is not tuple or type(new) is not tuple or len(old) < MEMO_FROM:
            return None
        row = self.found.get((kind, id(old), id(new)))
        if row is None or row[0] is not old or row[1] is not new:
            return None
        self.hits += 1
        return row[2]

    def put(self, kind: str, old: Sequence[object], new: Sequence[object], value: object) -> None:
        if type(old) is not tuple or type(new) is not tuple or len(old) < MEMO_FROM:
            return
        if len(self.found) >= self.kept:
            del self.found[next(iter(self.found))]
        self.found[(kind, id(old), id(new))] = (old, new, value)


MEMO = _PairMemo()


@dataclass(frozen=True)
class Span:
    """``old[old_start:old_stop]`` became ``new[start:stop]``; the rest is the same objects."""

    start: int
    stop: int
    old_start: int
    old_stop: int


@dataclass(frozen=True)
class Changes(Generic[T]):
    """``new`` against ``old``: the spans where they differ, ascending. Either every span is
    one position of sequences of one length (objects replaced in place), or there is one
    span (the common head and tail of sequences of different lengths kept)."""

    old: Sequence[T]
    new: Sequence[T]
    spans: tuple[Span, ...]

    @property
    def in_place(self) -> bool:
        """Whether every position holds what it held (only the objects differ)."""
        return len(self.old) == len(self.new)

    @property
    def positions(self) -> list[int]:
        """The new positions whose object changed."""
        return [i for span in self.spans for i in range(span.start, span.stop)]

    def old_position(self, position: int) -> int:
        """Where the object at an unchanged new ``position`` was in ``old``."""
        shift = 0
        for span in self.spans:
            if position < span.start:
                break
            shift = span.old_stop - span.stop
        return position + shift

    def replaced(self) -> list[T]:
        """What the old sequence held in the spans."""
        return [self.old[i] for span in self.spans for i in range(span.old_start, span.old_stop)]

    def replacing(self) -> list[T]:
        """What the new sequence holds in the spans."""
        return [self.new[i] for span in self.spans for i in range(span.start, span.stop)]

    def gone(self) -> list[T]:
        """The old objects that ``new`` does not hold (by identity)."""
        came = set(map(id, self.replacing()))
        return [item for item in self.replaced() if id(item) not in came]

    def came(self) -> list[T]:
        """The new objects that ``old`` did not hold (by identity)."""
        gone = set(map(id, self.replaced()))
        return [item for item in self.replacing() if id(item) not in gone]

    def moved(self) -> bool:
        """Whether an object both sequences hold in the spans changed places with another
        there (then who came and went says not enough to patch something ordered)."""
        came, gone = set(map(id, self.replacing())), set(map(id, self.replaced()))
        stayed_old = [item for item in self.replaced() if id(item) in came]
        stayed_new = [item for item in self.replacing() if id(item) in gone]
        return not all(map(operator.is_, stayed_old, stayed_new))

    def splice(self, values: Sequence[V], make: Callable[[int], V]) -> list[V]:
        """One value a new position: the old position's from ``values`` (parallel to
        ``old``) where the object is the same, ``make(position)`` where it changed."""
        if self.in_place:
            out = list(values)
            for span in self.spans:
                out[span.start] = make(span.start)
            return out
        (span,) = self.spans
        made = [make(i) for i in range(span.start, span.stop)]
        return spliced(values, span.old_start, span.old_stop, made)


def spliced(values: Sequence[V], start: int, stop: int, made: Sequence[V]) -> list[V]:
    """``values`` with ``[start:stop]`` replaced by ``made``: copied once, then the slice
    assigned (joining the slices on either side took each reference twice, three times the
    time: 5 ms a call for 100,000 values, on several stages of every rebuild)."""
    out = list(values)
    out[start:stop] = made
    return out


def changes(old: Sequence[T], new: Sequence[T], most: int = MOST) -> Changes[T] | None:
    """Where ``new`` differs from ``old`` object by object, or None when more than ``most``
    positions did (the caller starts afresh: then it costs what it did before)."""
    if len(old) == len(new):
        at = differing(old, new, most + 1)
        if len(at) > most:
            return None
        return Changes(old, new, tuple(Span(i, i + 1, i, i + 1) for i in at))
    head, tail = unchanged_ends(old, new)
    span = Span(head, len(new) - tail, head, len(old) - tail)
    if max(span.stop - span.start, span.old_stop - span.old_start) > most:
        return None
    return Changes(old, new, (span,))


def differing(old: Sequence[T], new: Sequence[T], most: int | None = None) -> list[int]:
    """The positions where two sequences of one length hold different objects (the first
    ``most`` of them), found in C."""
    found = MEMO.get("differing", old, new)
    if found is not None:
        limit, at = found  # type: ignore[misc]
        if limit is None or len(at) < limit or (most is not None and most <= limit):
            return at[:most]
    at = list(islice(compress(count(), map(operator.is_not, old, new)), most))
    MEMO.put("differing", old, new, (most, at))
    return at[:]


def unchanged_ends(old: Sequence[T], new: Sequence[T]) -> tuple[int, int]:
    """How many objects at the start and at the end (not overlapping) are the very same in
    both: what lies between is what changed (a stage that keeps one list of results)."""
    found = MEMO.get("ends", old, new)
    if found is not None:
        return found  # type: ignore[return-value]
    short = min(len(old), len(new))
    head = next(compress(count(), map(operator.is_not, old, new)), short)
    tail = next(compress(count(), map(operator.is_not, reversed(old), reversed(new))), short)
    ends = head, min(tail, short - head)
    MEMO.put("ends", old, new, ends)
    return ends
