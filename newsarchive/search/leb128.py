"""Unsigned LEB128 varints (7 bits a byte, low first, high bit = more follows), the
numbers of every binary search file: a few at a time (:func:`varints`, serve's patched
postings and the lists), or whole arrays at once in numpy (:func:`encode`, a one-off
build's postings, where a Python loop over each number was a fifth of the search stage).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def varints(numbers: Iterable[int], out: bytearray) -> None:
    """Append the varints of ``numbers`` (unsigned) to ``out``."""
    append = out.append
    for n in numbers:
        while n >= 0x80:
            append((n & 0x7F) | 0x80)
            n >>= 7
        append(n)


# A uint64 takes at most ten 7-bit bytes.
MOST_BYTES = 10


def encode(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The varints of ``values`` (unsigned, at most 64 bits), one after the other, and where
    each starts (one more: the end)."""
    values = values.astype(np.uint64, copy=False)
    sizes = np.ones(len(values), dtype=np.int64)
    for k in range(1, MOST_BYTES):
        longer = values >= np.uint64(1 << (7 * k))
        if not longer.any():
            break
        sizes += longer
    starts = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    out = np.empty(int(starts[-1]), dtype=np.uint8)
    at, rest, left = starts[:-1], values, sizes
    while len(rest):
        out[at] = (rest & np.uint64(0x7F)).astype(np.uint8) | np.where(left > 1, 0x80, 0)
        more = left > 1
        at, rest, left = at[more] + 1, rest[more] >> np.uint64(7), left[more] - 1
    return out.tobytes(), starts


def decode(data: bytes) -> np.ndarray:
    """The numbers of :func:`encode`'s bytes (of :func:`varints`'), as uint64."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return np.zeros(0, dtype=np.uint64)
    ends = np.flatnonzero(raw < 0x80)
    starts = np.concatenate(([0], ends[:-1] + 1))
    shifts = np.arange(len(raw)) - np.repeat(starts, ends - starts + 1)
    parts = (raw & 0x7F).astype(np.uint64) << (7 * shifts).astype(np.uint64)
    return np.add.reduceat(parts, starts)
