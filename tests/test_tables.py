"""The entry's tables in pieces (search/tables.py): past TABLE_INLINE rows, the table of
posting shards and the table of metadata groups come in files of about sqrt(rows) rows, and
search finds exactly what it finds with them in the entry, loading only the pieces its terms
and its results are in.

No corpus: a generated archive, with shards and groups made small so that both tables have
many rows (tests/test_folders.py and the browser's test_folders_search.py run the Reuters
articles with pieces too)."""

from __future__ import annotations

import base64
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsarchive.config import Config
from newsarchive.placing import build_archive
from newsarchive.search import metadata, shards, tables
from newsarchive.search.assets import site_assets
from newsarchive.search.query import run_search

from .test_search import article, write_site
from .test_shards import loaded, read_scripts, read_varints

CONFIG = Config(timezone="UTC")
SIZE = 400
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))


def generated_articles(count: int) -> list:
    """Articles over three years whose words follow a long tail, as news does: a few words
    in most articles (their shards get heads), many in a few."""
    rng = random.Random(6)
    vocabulary = [_word(rng) for _ in range(1_500)]
    pick = lambda: vocabulary[min(int(rng.paretovariate(0.8)) - 1, 1_499)]  # noqa: E731
    out = []
    for n in range(count):
        day = f"{2019 + n % 3}-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}"
        title = " ".join(pick() for _ in range(4)).capitalize() + f" {n}"
        body = " ".join(pick() for _ in range(60)) + "."
        out.append(article(title, day, (vocabulary[n % 7],), body))
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same archive with its tables in the entry ("inline") and in pieces ("pieces")."""
    archive = build_archive(generated_articles(SIZE))
    root = tmp_path_factory.mktemp("tables")
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        # Small shards and groups: tables of many rows from a few hundred articles.
        patch.setattr(shards, "SHARD_TARGET_MIN", 256)
        patch.setattr(metadata, "META_GROUP", 8)
        patch.setattr(metadata, "META_GROUP_MIN", 2)
        for name, inline in (("inline", 1_000_000), ("pieces", 4)):
            patch.setattr(tables, "TABLE_INLINE", inline)
            patch.setattr(tables, "PIECE_ROWS_MIN", 2)
            out[name] = write_site(site_assets(archive, CONFIG), root / name)
    return out


def entry_of(site: Path) -> dict[str, Any]:
    ((name, data),) = read_scripts(list((site / "search").glob("entry-*.js")))
    assert name == "setEntry"
    return data


def pieces_of(site: Path) -> dict[str, list[Any]]:
    """Each piece file's key and what it registers: [function, key, data]."""
    calls = read_scripts(sorted((site / "search" / "r").glob("*.js")))
    return {key: [function, data] for function, key, data in calls}


def test_pieces_hold_exactly_the_entrys_rows(sites: dict[str, Path]) -> None:
    inline, pieced = entry_of(sites["inline"]), entry_of(sites["pieces"])
    assert "shardPieces" not in inline and "groupPieces" not in inline
    assert not {"shards", "groups", "meta"} & set(pieced)
    files = pieces_of(sites["pieces"])
    # Not vacuous: both tables have many rows and several pieces.
    assert len(inline["shards"]) > 40 and len(pieced["shardPieces"]) > 4
    assert len(pieced["groupPieces"]) > 4
    rows = []
    for first, key in pieced["shardPieces"]:
        function, part = files[key]
        assert function == "addShardRows" and part[0][0] == first
        rows += part
    assert rows == inline["shards"]
    firsts: list[int] = []
    meta = ""
    for first, key in pieced["groupPieces"]:
        function, part = files[key]
        numbers = read_varints(base64.b64decode(part["groups"]))
        assert function == "addGroups" and numbers[0] == first
        piece_firsts = [sum(numbers[0 : i + 1 : 2]) for i in range(0, len(numbers), 2)]
        firsts += piece_firsts
        meta += part["meta"]
        assert len(part["meta"]) == len(piece_firsts) * inline["hashSize"]
    numbers = read_varints(base64.b64decode(inline["groups"]))
    assert firsts == [sum(numbers[0 : i + 1 : 2]) for i in range(0, len(numbers), 2)]
    assert meta == inline["meta"]
    # Every other index file is the same.
    for folder in ("p", "h", "t", "d", "m", "x"):
        assert sorted(p.name for p in (sites["inline"] / "search" / folder).glob("*.js")) == sorted(
            p.name for p in (sites["pieces"] / "search" / folder).glob("*.js")
        ), folder


def _vocabulary_sample() -> list[str]:
    words = " ".join(a.body_text for a in generated_articles(SIZE)).rstrip(".").split()
    common = [w for w, _ in Counter(words).most_common(3)]
    rare = sorted(set(words))[::97][:4]
    return common + rare


def queries() -> list[tuple[str, dict[str, Any]]]:
    common, *_ = words = _vocabulary_sample()
    return [
        *((word, {}) for word in words),
        (f"{words[0]} {words[4]}", {}),
        (f"{common[:3]}*", {}),
        (f"*{common[-3:]}", {}),
        (f"{common[:-1]}x~1", {}),
        (f'"{words[0]} {words[1]}"', {}),
        (f"+{words[0]} -{words[5]}", {}),
        (f"-{words[6]}", {}),
        (words[1], {"year": 2020}),
        (words[0], {"sort": "newest"}),
        ("", {"year": 2021}),
    ]


@pytest.mark.parametrize(("query", "options"), queries(), ids=lambda v: str(v) or "browse")
def test_search_finds_the_same_with_pieces(
    sites: dict[str, Path], query: str, options: dict[str, Any]
) -> None:
    pieced = run_search(sites["pieces"], query, **options)
    inline = run_search(sites["inline"], query, **options)
    assert pieced, query
    same = [(h.url, h.title, h.score) for h in inline]
    assert [(h.url, h.title, h.score) for h in pieced] == same


def test_a_word_loads_only_the_pieces_it_needs(sites: dict[str, Path]) -> None:
    """One word: the piece of shards holding it (before its shard), and the pieces of groups
    holding its first results (before their metadata), and no other piece."""
    site = sites["pieces"]
    pieced = entry_of(site)
    files = pieces_of(site)
    group_pieces = {key for _, key in pieced["groupPieces"]}
    for word in _vocabulary_sample():
        trace = loaded(site, word, "--limit=5")
        read = [f.removeprefix("search/r/").removesuffix(".js") for f in trace if "/r/" in f]
        position = max(i for i, (first, _) in enumerate(pieced["shardPieces"]) if first <= word)
        holder = pieced["shardPieces"][position][1]
        assert read[0] == holder and any(row[0] <= word for row in files[holder][1]), word
        rest = read[1:]
        assert rest and set(rest) <= group_pieces and len(set(rest)) == len(rest), word
        assert len(rest) <= 5 < len(group_pieces)
        # The shard (or head) comes after its piece, the metadata after theirs.
        postings = [i for i, f in enumerate(trace) if f.startswith(("search/p/", "search/h/"))]
        assert trace.index(f"search/r/{holder}.js") < min(postings)
        meta_at = [i for i, f in enumerate(trace) if f.startswith("search/m/")]
        assert meta_at and max(trace.index(f"search/r/{k}.js") for k in rest) < min(meta_at)


def test_piece_sizes_grow_with_the_square_root() -> None:
    assert [tables.piece_rows(n) for n in (1, 300, 2_279, 4_337, 15_600)] == [16, 16, 64, 64, 128]


def test_pieces_are_cut_by_content() -> None:
    """Every row in one piece, in order, within the bounds; a removed row changes the piece
    that held it (and at most one neighbour), not every later piece."""
    rng = random.Random(3)
    fractions = [rng.random() for _ in range(5_000)]
    runs = tables.cut_pieces(fractions)
    mean = tables.piece_rows(len(fractions))
    assert [i for run in runs for i in run] == list(range(len(fractions)))
    assert all(len(run) <= 4 * mean for run in runs)
    assert all(len(run) >= mean // 4 for run in runs[:-1])
    assert mean / 2 < len(fractions) / len(runs) < 2 * mean

    def contents(values: list[float]) -> set[tuple[float, ...]]:
        return {tuple(values[i] for i in run) for run in tables.cut_pieces(values)}

    before = contents(fractions)
    for gone in rng.sample(range(len(fractions)), 20):
        after = contents(fractions[:gone] + fractions[gone + 1 :])
        assert len(after - before) <= 2 and len(before - after) <= 2
