"""Where the posting shards are cut (:func:`cut_shards`), and serve's rebuilds: the last
build's runs of terms, cut again only around the terms whose postings changed.

Shards are cut by content: whether a run ends after a term
depends on that term, its size and the next term's size, and on how big the run has grown
since it began. So past the changed terms, once a run begins at the very term an old run
began at, every later cut falls where it fell, up to the next change: the runs between are
the last build's, and their files too. Cutting every term again (its hash, its size, the
runs) was a pass over 60,000 terms at 20,000 articles on each rebuild.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..chunking import cut_sized, hash_fraction


def cut_point(term: str, size: int, target: int) -> bool:
    """Whether a shard ends after ``term``: with probability size / target, decided by a hash
    of the term, so the decision depends on no other term."""
    return term_fraction(term) < size / target


@functools.lru_cache(maxsize=1 << 20)  # serve rebuilds ask again for the same terms
def term_fraction(term: str) -> float:
    return hash_fraction(term.encode("utf-16-le", "surrogatepass"))


def cut_shards(terms: Sequence[str], sizes: Sequence[int], target: int) -> list[range]:
    """Split sorted terms into runs (ranges of positions) of about ``target`` bytes.

    Content-defined: a run ends after a term chosen by :func:`cut_point`, so inserting or
    removing a term changes at most the run that holds it (and a neighbour when that term
    was a cut point). A term of at least half the target has a shard of its own, so a common
    word never brings others along; no run grows beyond twice the target.
    """
    size = np.asarray(sizes, dtype=np.int64)
    big = 2 * size >= target
    ends = big.copy()
    ends[:-1] |= big[1:]
    fractions = np.fromiter(map(term_fraction, terms), dtype=np.float64, count=len(terms))
    ends |= fractions < size / target  # as cut_point, each term at once
    return cut_sized(ends, sizes, 2 * target)


@dataclass(frozen=True)
class ShardRun:
    """A posting shard as the last build cut it: its terms (the first and how many), its
    file, and its name in the entry's table (from the term before it)."""

    first: str
    count: int
    key: str
    file: tuple[str, bytes]
    before: str  # the last term of the run before ("" for the first run)
    separator: str  # the table's name for the run (shards.separator, in code points)


@dataclass
class ShardMemo:
    """serve's runs, cut after the postings update numbered ``serial`` at ``target``."""

    serial: int = -1
    target: int = 0
    runs: list[ShardRun] = field(default_factory=list)


# A run of positions in the sorted terms, with the last build's run it is (None: new).
Plan = list[tuple[range, ShardRun | None]]


def recut(
    terms: Sequence[str],
    records: Mapping[str, bytes],
    old: Sequence[ShardRun],
    changed: Iterable[str],
    target: int,
) -> Plan:
    """The runs :func:`cut_shards` cuts ``terms`` into at ``target``, given the
    last build's runs ``old`` at the same target and the terms whose records changed,
    came or went since (``changed``); the runs no change reaches are ``old``'s."""
    firsts = [run.first for run in old]
    pending = sorted(changed)
    plan: Plan = []
    n = len(terms)
    pos = k = c = 0
    while pos < n:
        # A change may move the end of the run before the one holding it (a run ends
        # before a big term): the old runs up to that one stand.
        d = len(old) if c == len(pending) else max(bisect.bisect_right(firsts, pending[c]) - 2, k)
        for run in old[k:d]:
            plan.append((range(pos, pos + run.count), run))
            pos += run.count
        k = d
        while pos < n:  # cut until a run begins where an old one began, past the changes
            end = _run_end(terms, records, pos, target)
            plan.append((range(pos, end + 1), None))
            pos = end + 1
            if pos == n:
                break
            term = terms[pos]
            while c < len(pending) and pending[c] < term:
                c += 1
            b = bisect.bisect_left(firsts, term, k)
            if b < len(old) and firsts[b] == term:
                k = b
                break
    return plan


def _run_end(terms: Sequence[str], records: Mapping[str, bytes], start: int, target: int) -> int:
    """The last position of the run beginning at ``start``: the rule of cut_shards (a big
    term ends a run and the run before it; a hash under size / target ends one; a run
    ends once it reaches twice the target), item by item."""
    longest, total, n = 2 * target, 0, len(terms)
    size = len(records[terms[start]])
    for j in range(start, n):
        total += size
        following = len(records[terms[j + 1]]) if j + 1 < n else 0
        if (
            2 * size >= target
            or 2 * following >= target
            or term_fraction(terms[j]) < size / target
            or total >= longest
        ):
            return j
        size = following
    return n - 1
