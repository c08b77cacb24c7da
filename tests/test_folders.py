"""No output folder past FOLDER_LIMIT entries: the search index's folders fan out into
hash-prefix sub-folders, listing pages go into folders of their dates, and search still finds
every article from the moved files (the site's own scripts under Node). The tiny build also
has the entry's tables in pieces (search/tables.py), as a million articles have them."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from newsarchive import folders
from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.render.paging import page_names, page_url
from newsarchive.search import tables
from newsarchive.search.query import run_search
from newsarchive.search.sharded import FANNED, FANNED_LENGTH, FanMemo, fan_out, meta_fan_key

from .linkcheck import broken_links

TINY = 40  # above a month folder's days (31), below 256: one hex digit a level
BASE = "https://example.org/news/"
# Folders whose entries are public URLs that a fan-out would change (docs/search-index.md,
# "Folder sizes"): a day's articles, one folder per tag or source. They grow with a day's
# news or the number of tags, not past the limit with the archive's age; so do a listing's
# pages that start on one day (paging.page_names).
PUBLIC = re.compile(
    r"\d{4}/\d{2}/\d{2}(/page)?|tags|sources|authors|(.+/)?page/(\d{4}/)?(\d{2}/)?\d{2}"
)


def entries(site: Path) -> dict[str, int]:
    """Every folder of the site (relative, "" for the root) and how many entries it holds."""
    found = {"": len(list(site.iterdir()))}
    for path in site.rglob("*"):
        if path.is_dir():
            found[path.relative_to(site).as_posix()] = len(list(path.iterdir()))
    return found


@pytest.fixture(scope="module")
def sites(reuters_source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same 600 Reuters articles built with the usual limit and with a tiny one."""
    config = Config(base_url=BASE, timezone="UTC", per_page=5)  # pages to fan out
    root = tmp_path_factory.mktemp("folders")
    build_site(config, reuters_source, root / "usual", cache_dir=root / "usual-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(folders, "FOLDER_LIMIT", TINY)
        patch.setattr(tables, "TABLE_INLINE", TINY)
        build_site(config, reuters_source, root / "tiny", cache_dir=root / "tiny-cache")
    return {"usual": root / "usual", "tiny": root / "tiny"}


def test_no_folder_exceeds_a_tiny_limit(sites: dict[str, Path]) -> None:
    usual, tiny = entries(sites["usual"]), entries(sites["tiny"])
    # Not vacuous: with the usual limit these folders are flat and past the tiny one.
    grown = ["search/p", "search/m", "search/x", "search/t"]
    assert all(usual[folder] > TINY for folder in grown), usual
    over = sorted(folder for folder, count in tiny.items() if count > TINY)
    assert over, "the public folders (days, tags) should still be over the tiny limit"
    assert [f for f in over if not PUBLIC.fullmatch(f)] == [], over
    # The fanned folders hold sub-folders of one hex digit (16 at most at this limit).
    for folder in ("search/p", "search/m", "search/x", "search/t"):
        subs = [p.name for p in (sites["tiny"] / folder).iterdir()]
        assert subs and all(re.fullmatch("[0-9a-f]", s) for s in subs), (folder, subs)

    # Every search file is the same, only moved (the entry aside), and the site's own
    # links, to the moved listing pages too, all resolve.
    def names(site: Path, under: str) -> Counter[str]:
        return Counter(p.name for p in (site / under).rglob("*.js"))

    for folder in ("search/p", "search/h", "search/t", "search/d", "search/m", "search/x"):
        assert names(sites["tiny"], folder) == names(sites["usual"], folder), folder
    assert names(sites["tiny"], "search/r") and not (sites["usual"] / "search/r").exists()
    assert broken_links(sites["tiny"], BASE) == []


def test_listing_pages_are_in_folders_of_their_dates(sites: dict[str, Path]) -> None:
    """The home listing's pages: page/<year>/<month>/<day>/<hhmm>/, the same at any limit."""
    found = sorted(
        p.parent.relative_to(sites["usual"]).as_posix()
        for p in (sites["usual"] / "page").rglob("index.html")
    )
    assert len(found) > TINY
    assert all(re.fullmatch(r"page/1987/\d{2}/\d{2}/\d{4}(-\d+)?", f) for f in found), found
    assert len({f.split("/")[1] for f in found}) == 1  # one year: page/ holds one folder
    tiny = sorted(
        p.parent.relative_to(sites["tiny"]).as_posix()
        for p in (sites["tiny"] / "page").rglob("index.html")
    )
    assert tiny == found
    some = found[len(found) // 2] + "/index.html"
    assert (sites["tiny"] / some).read_bytes() == (sites["usual"] / some).read_bytes()


QUERIES = [
    ("bank", {}),
    ("oil prices", {}),
    ("expor*", {}),
    ("*port", {}),
    ("wheet~1", {}),
    ('"bank of england"', {}),
    ("+trade -japan", {}),
    ("-oil", {}),
    ("profit", {"tag": "earn"}),
    ("", {"year": 1987}),
    ("grain", {"sort": "newest"}),
]


@pytest.mark.parametrize(("query", "options"), QUERIES, ids=[q or "browse" for q, _ in QUERIES])
def test_search_finds_the_same_in_fanned_folders(
    sites: dict[str, Path], query: str, options: dict
) -> None:
    tiny = run_search(sites["tiny"], query, **options)
    usual = run_search(sites["usual"], query, **options)
    assert tiny, query
    assert [(h.url, h.title, h.score) for h in tiny] == [(h.url, h.title, h.score) for h in usual]


def test_fan_digits_keep_every_folder_within_the_limit() -> None:
    rng = random.Random(18)
    keys = [f"{rng.getrandbits(40):010x}" for _ in range(5_000)]
    assert folders.fan_digits(keys, 5_000) == 0
    for limit in (16, 40, 300, 1_000):
        digits = folders.fan_digits(keys, limit)
        assert max(Counter(k[:digits] for k in keys).values()) <= limit
        assert digits == 0 or max(Counter(k[: digits - 1] for k in keys).values()) > limit
    # 265,000 posting shards at a million articles: 2 digits, about 1,000 files a folder.
    many = [f"{rng.getrandbits(40):010x}" for _ in range(265_000)]
    assert folders.fan_digits(many, 10_000) == 2


def test_fanned_paths_and_levels() -> None:
    assert [folders.level_width(n) for n in (16, 255, 256, 4_095, 4_096, 10_000)] == [
        1,
        1,
        2,
        2,
        3,
        3,
    ]
    assert folders.fanned("search/p/", "abcdef1234", 0, 3, "x.js") == "search/p/x.js"
    assert folders.fanned("search/p/", "abcdef1234", 2, 3, "x.js") == "search/p/ab/x.js"
    assert folders.fanned("search/p/", "abcdef1234", 4, 3, "x.js") == "search/p/abc/d/x.js"
    assert folders.fanned("search/m/", "abcdef1234", 3, 1, "x.js") == "search/m/a/b/c/x.js"


def test_page_names_are_their_oldest_articles_times() -> None:
    times = [datetime(1987, 3, 12, 9, 12, 5), datetime(1987, 3, 12, 9, 12, 50)]
    times += [datetime(1987, 3, 12, 9, 12, 59), datetime(1987, 3, 12, 9, 13), datetime(1988, 1, 2)]
    assert page_names(times) == (
        "1987/03/12/0912",
        "1987/03/12/0912-2",
        "1987/03/12/0912-3",
        "1987/03/12/0913",
        "1988/01/02/0000",
    )
    assert page_names(times[:1], "year") == ("03/12/0912",)
    assert page_names(times[:1], "month") == ("12/0912",)
    assert page_names(times[:2], "day") == ("0912", "0912-2")
    # As clocks go back, a local time comes again after others: still a name of its own.
    assert page_names([times[0], times[3], times[1]], "day") == ("0912", "0913", "0912-2")
    assert page_url("tags/oil/", "1987/03/12/0912") == "tags/oil/page/1987/03/12/0912/"


def test_meta_fan_key_spreads_a_groups_chunks() -> None:
    keys = {meta_fan_key("0123abcd", chunk)[:1] for chunk in range(64)}
    assert len(keys) == 16  # a group's 64 chunks land in every first digit
    assert meta_fan_key("ffffffff", 0) == f"{0xFFFFFFFF ^ 0x9E3779B1:08x}"


def test_fan_out_moves_only_the_folders_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {len(folder) for folder in FANNED.values()} == {FANNED_LENGTH}
    monkeypatch.setattr(folders, "FOLDER_LIMIT", 20)
    rng = random.Random(5)
    shards = {f"search/p/{rng.getrandbits(40):010x}.js": b"p" for _ in range(300)}
    metas = {f"search/m/{9 * i}-{c}-0123abcd.js": b"m" for i in range(3) for c in range(8)}
    files = {**shards, **metas, "search/terms-0a1b2c3d4e.js": b"t", "static/x.js": b"s"}
    fan = fan_out(files)
    assert fan == {"width": 1, "shard": 2, "head": 0, "tag": 0, "docs": 0, "meta": 1, "text": 0}
    assert len(files) == 300 + 24 + 2 and "search/terms-0a1b2c3d4e.js" in files
    for path in shards:
        name = path[len("search/p/") :]
        assert files[f"search/p/{name[0]}/{name[1]}/{name}"] == b"p"
    assert all(
        files[f"search/m/{meta_fan_key('0123abcd', c)[0]}/{9 * i}-{c}-0123abcd.js"] == b"m"
        for i in range(3)
        for c in range(8)
    )


def test_serves_fan_out_places_only_what_came(monkeypatch: pytest.MonkeyPatch) -> None:
    """FanMemo: rounds of files coming and going, across the limit both ways, give what a
    fan-out from scratch gives, and most rounds were placed from the memo."""
    monkeypatch.setattr(folders, "FOLDER_LIMIT", 20)
    rng = random.Random(11)

    def shard() -> str:
        return f"search/p/{rng.getrandbits(40):010x}.js"

    def meta() -> str:
        return f"search/m/{rng.randrange(99)}-{rng.randrange(8)}-{rng.getrandbits(32):08x}.js"

    made = {shard(): b"p" for _ in range(15)} | {meta(): b"m" for _ in range(30)}
    made["search/terms-0a1b2c3d4e.js"] = b"t"
    memo, seen = FanMemo(), set()
    for turn in range(200):
        growing = turn < 100  # then shrinking: the digits come down again
        gone = min(rng.randrange(0, 4 if growing else 8), len(made) - 1)
        for path in rng.sample(sorted(made), gone):
            del made[path]
        for _ in range(rng.randrange(0, 6 if growing else 3)):
            made[rng.choice((shard, meta))()] = b"x"
        fresh, kept = dict(made), dict(made)
        fan = fan_out(kept, keep=True, memo=memo)
        assert fan == fan_out(fresh) and kept == fresh
        seen.add((fan["shard"], fan["meta"]))
    assert memo.again_count > 100  # the fast path ran
    monkeypatch.setattr(folders, "FOLDER_LIMIT", 7)  # another limit: worked out afresh
    fresh, kept = dict(made), dict(made)
    assert fan_out(kept, keep=True, memo=memo) == fan_out(fresh) and kept == fresh
    assert {shard for shard, _ in seen} == {0, 1} and {0, 1} <= {meta for _, meta in seen}
