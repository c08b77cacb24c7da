"""The entry's two tables that grow with the archive, in the entry while small, in pieces past
TABLE_INLINE rows: the table of posting shards (a row per shard) and the table of metadata
groups (a first slot, shift and hash per group).

At a million articles the two were 165 kB of the entry's 197 kB gzipped, loaded before any
first result. Cut into pieces of about the square root of their rows, the entry holds one
row per piece (its first term or first slot, and its file), and a query loads the piece
holding each of its terms and those holding the documents it shows: both grow with the
square root of the archive instead of with the archive.

Pieces are cut by content (:mod:`..chunking`), by a hash of each row's first term or slot,
so a new shard or group changes the piece that holds it (and the entry), not every later
piece. Each piece is a file ``search/r/<hash>.js`` named by its content.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ..chunking import cut_runs, hash_fraction, int_fraction
from .hashed import HashedFiles
from .leb128 import varints
from .scripts import b64, data_script, js_string

ROWS_DIR = "search/r/"

# Rows a table keeps in the entry; past this, it comes in pieces (about 2,300 shards at
# 100,000 Reuters articles, 4,300 shards and 15,600 metadata groups at a million).
TABLE_INLINE = 2_048
PIECE_ROWS_MIN = 16

# A metadata group: its first slot, its chunk shift and its hash (metadata.article_files).
Group = tuple[int, int, str]


def piece_rows(rows: int) -> int:
    """The mean rows of a piece: the power of two nearest the square root of ``rows`` (a
    power of two, so it changes only when the table grows or shrinks fourfold)."""
    ideal = math.sqrt(max(rows, 1))
    return max(PIECE_ROWS_MIN, 1 << round(math.log2(ideal)))


def cut_pieces(fractions: Sequence[float]) -> list[range]:
    """Rows cut into pieces: a piece ends after a row whose hash ``fractions[i]`` (in [0, 1))
    falls under 1 / the mean size, bounded to a quarter and four times the mean."""
    mean = piece_rows(len(fractions))
    ends = [f < 1 / mean for f in fractions]
    return cut_runs(ends, shortest=max(1, mean // 4), longest=4 * mean)


def _in_pieces(
    writer: HashedFiles,
    kind: str,
    rows: Sequence[Any],
    fractions: Sequence[float],
    script: Callable[[str, Sequence[Any]], bytes],
) -> list[list[Any]]:
    """Write ``rows`` in pieces (cut by their hashes ``fractions``); return the entry's
    [first term or slot, file] per piece. ``script(key, part)`` is a piece file's content."""
    pieces = []
    for run in cut_pieces(fractions):
        part = rows[run.start : run.stop]
        key = writer.add(
            ROWS_DIR,
            lambda k, p=part: script(k, p),
            inputs=(kind, tuple(tuple(row) for row in part)),
        )
        pieces.append([part[0][0], key])
    return pieces


def shard_table(writer: HashedFiles, rows: list[list[str]]) -> dict[str, object]:
    """The entry's fields for the table of shards (rows: first term, shard, head if any):
    ``shards`` (the rows) or ``shardPieces`` ([first term, file] per piece)."""
    if len(rows) <= TABLE_INLINE:
        return {"shards": rows}
    fractions = [hash_fraction(row[0].encode("utf-8", "surrogatepass")) for row in rows]
    return {
        "shardPieces": _in_pieces(
            writer,
            "shards",
            rows,
            fractions,
            lambda k, p: data_script("NewsArchiveSearch.addShardRows", p, js_string(k)),
        )
    }


def encode_groups(groups: Sequence[Group]) -> dict[str, str]:
    """Groups as search-core.js reads them: ``groups``, varints of (first slot minus the
    previous group's, shift) in base64; ``meta``, their hashes end to end."""
    table: list[int] = []
    previous = 0
    for first, shift, _ in groups:
        table += [first - previous, shift]
        previous = first
    encoded = bytearray()
    varints(table, encoded)
    return {"groups": b64(bytes(encoded)), "meta": "".join(key for _, _, key in groups)}


def group_table(writer: HashedFiles, groups: list[Group]) -> dict[str, object]:
    """The entry's fields for the table of metadata groups: ``groups`` and ``meta``
    (:func:`encode_groups`), or ``groupPieces`` ([first slot, file] per piece)."""
    if len(groups) <= TABLE_INLINE:
        return dict(encode_groups(groups))
    fractions = [int_fraction(first) for first, _, _ in groups]
    return {
        "groupPieces": _in_pieces(
            writer,
            "groups",
            groups,
            fractions,
            lambda k, p: data_script("NewsArchiveSearch.addGroups", encode_groups(p), js_string(k)),
        )
    }
