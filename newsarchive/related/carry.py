"""The last build's lists of related articles carried into this build's numbers, and the
changed rows' scores merged into them (``serve``, see :mod:`.update`); which rows then list
other articles than they did.

Rows are the archive's positions, which shift when articles come or go; what a list *is* is
its articles, known by their slots (:mod:`.update`), so a row whose articles are the same is
not made again by the model stage (:class:`Rows`, ``redone``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np
import scipy.sparse as sp

from .tfidf import ROUND, Top, as_lists, quantize


def union(n: int, *parts: np.ndarray) -> np.ndarray:
    """The sorted distinct rows of ``parts`` (numbers below ``n``), by a mask."""
    mask = np.zeros(n, dtype=bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask)


def differ(made: sp.csr_matrix, x: sp.csr_matrix, old: np.ndarray) -> np.ndarray:
    """Which rows of ``made`` differ from row ``old`` of ``x`` (-1: a new row, differs)."""
    differs = old < 0
    was = x[np.maximum(old, 0)]
    lengths = np.diff(made.indptr)
    differs |= lengths != np.diff(was.indptr)
    alike = np.flatnonzero(~differs)
    a, b = made[alike], was[alike]
    wrong = np.flatnonzero((a.indices != b.indices) | (a.data != b.data))
    differs[alike[np.searchsorted(a.indptr, wrong, side="right") - 1]] = True
    return differs


def carried(
    last: Top,
    old: np.ndarray,
    kept: np.ndarray,
    removed: np.ndarray,
    changed: np.ndarray,
    scores: sp.csr_matrix,
    limit: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The last build's lists (``last``, in its numbers) in the new numbers, without their
    gone or changed members; the rows that must be made again by a product (a full list
    lost a member, or a changed member now scores below the list's weakest, so an unknown
    row may now beat it); and the rows that lost members, to merge."""
    n, before = len(old), len(last[0])
    new_of_old = np.full(before + 1, -1, dtype=np.int64)  # [-1]: past the end of a list
    new_of_old[old[kept]] = kept
    was_cols, was_q = last[0][old[kept]], last[1][old[kept]]
    flag = np.zeros(before + 1, dtype=bool)
    flag[removed] = True
    lost = flag[was_cols]
    flag[:] = False
    flag[old[changed]] = True  # [-1] for the added ones: reset below
    flag[-1] = False
    moved = flag[was_cols]
    full = was_cols[:, -1] >= 0
    again = lost.any(axis=1) & full
    # A changed member's new score (symmetric: its row of ``scores``), against the weakest.
    at_row, at_rank = np.nonzero(moved & full[:, None])
    if len(at_row):
        member = new_of_old[was_cols[at_row, at_rank]]
        now = _scores_at(scores, np.searchsorted(changed, member), kept[at_row])
        weakest_q, weakest = was_q[at_row, -1], new_of_old[was_cols[at_row, -1]]
        below = (now < weakest_q) | ((now == weakest_q) & (member > weakest))
        again[at_row[below]] = True
    cols = np.full((n, limit), -1, dtype=np.int64)
    q = np.zeros((n, limit), dtype=np.int64)
    out = lost | moved
    cols[kept] = np.where(out, -1, new_of_old[was_cols])
    q[kept] = np.where(out, 0, was_q)
    redone = np.zeros(n, dtype=bool)
    redone[changed] = True
    again_rows = kept[again & ~redone[kept]]
    touched = kept[out.any(axis=1) & ~again & ~redone[kept]]
    return cols, q, again_rows, touched


def _scores_at(scores: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``scores[rows, cols]`` quantized (0 where there is no entry), looking only among the
    entries of the columns asked for: the rest are most of a changed row's scores."""
    asked = np.zeros(scores.shape[1], dtype=bool)
    asked[cols] = True
    at = np.flatnonzero(asked[scores.indices])
    n = np.int64(scores.shape[1])
    keys = (np.searchsorted(scores.indptr, at, side="right") - 1) * n + scores.indices[at]
    order = np.argsort(keys)
    keys, at = keys[order], at[order]
    wanted = rows * n + cols
    place = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    return np.where(keys[place] == wanted, quantize(scores.data[at[place]]), 0)


def merge(
    cols: np.ndarray,
    q: np.ndarray,
    scores: sp.csr_matrix,
    changed: np.ndarray,
    redone: np.ndarray,
    touched: np.ndarray,
    limit: int,
) -> None:
    """Merge the changed rows' scores (row ``changed[r]`` of ``scores`` against every row:
    symmetric, the same sum in the same order) into the lists of the rows not ``redone``,
    and close the gaps of the ``touched`` ones.

    A score that does not beat the weakest member of a full list that lost none cannot
    enter it, and is left out before sorting: a publish that moves an idf changes hundreds
    of rows, whose scores reach most of the archive, and almost none enter."""
    n = len(cols)
    # The least score each row could take (-1: none, the row is made whole), a little
    # below it as a float: the few entries at least that are then compared exactly.
    least = np.where(cols[:, -1] < 0, 0, q[:, -1])  # a short list takes any positive score
    least[touched] = 0
    least[redone] = -1
    bound = np.where(least < 0, np.inf, (least - 1) / ROUND).astype(scores.dtype)
    at = np.flatnonzero(scores.data >= bound[scores.indices])
    row = scores.indices[at].astype(np.int64)
    by = changed[np.searchsorted(scores.indptr, at, side="right") - 1]
    value = quantize(scores.data[at])
    weakest_q, weakest = q[row, -1], cols[row, -1]
    short = least[row] == 0
    beats = short | (value > weakest_q) | ((value == weakest_q) & (by < weakest))
    take = (value > 0) & beats
    by, row, value = by[take], row[take], value[take]
    rows = union(n, row, touched)
    if not len(rows):
        return
    mine = cols[rows] >= 0
    all_rows = np.concatenate((row, np.repeat(rows, mine.sum(axis=1))))
    all_cols = np.concatenate((by, cols[rows][mine]))
    all_q = np.concatenate((value, q[rows][mine]))
    order = np.lexsort((all_cols, -all_q, all_rows))
    all_rows, all_cols, all_q = all_rows[order], all_cols[order], all_q[order]
    rank = np.arange(len(all_rows)) - np.searchsorted(all_rows, all_rows)
    chosen = rank < limit
    cols[rows], q[rows] = -1, 0
    cols[all_rows[chosen], rank[chosen]] = all_cols[chosen]
    q[all_rows[chosen], rank[chosen]] = all_q[chosen]


def redone_rows(
    cols: np.ndarray,
    slot_of_row: np.ndarray,
    last_cols: np.ndarray,
    last_slot_of_row: np.ndarray,
    old: np.ndarray,
    kept: np.ndarray,
) -> np.ndarray:
    """The rows whose list names other articles (by slot) than their article's list did
    last time, and the new rows: every other row lists the very same articles, whatever
    their positions now."""
    now = np.where(cols >= 0, slot_of_row[cols], -1)
    was_cols = last_cols[old[kept]]
    was = np.where(was_cols >= 0, last_slot_of_row[was_cols], -1)
    same = np.zeros(len(cols), dtype=bool)
    same[kept] = (now[kept] == was).all(axis=1)
    return np.flatnonzero(~same)


class Rows(Sequence[tuple[int, ...]]):
    """Each row's best matches (a table, -1 past a list's end) as tuples, made when asked
    for: ``serve``'s model stage asks only for the rows that list other articles."""

    def __init__(self, columns: np.ndarray) -> None:
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, at: int) -> tuple[int, ...]: ...
    @overload
    def __getitem__(self, at: slice) -> list[tuple[int, ...]]: ...
    def __getitem__(self, at: int | slice) -> tuple[int, ...] | list[tuple[int, ...]]:
        if isinstance(at, slice):
            return as_lists(self.columns[at])
        return tuple(c for c in self.columns[at].tolist() if c >= 0)
