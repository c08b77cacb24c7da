"""The benchmark's scale helpers: memory limit, stage profile, output checks, skip logic."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bench import measure, report_scale, run, stages, tools
from bench.measure import MemoryWatch
from bench.measure import run as run_child


def test_memory_watch_kills_a_child_tree_past_the_limit(tmp_path: Path) -> None:
    grow = "import time\nx = bytearray(300 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\n"
    grow += "time.sleep(30)\n"
    started = time.perf_counter()
    done = run_child(
        [sys.executable, "-c", grow], timeout=60, log_dir=tmp_path, memory_limit=150 * 2**20,
        check=False,
    )  # fmt: skip
    assert done.out_of_memory == 150 * 2**20
    assert not done.ok and not done.timed_out
    assert time.perf_counter() - started < 20
    assert done.describe_failure().startswith("out of memory: over the 0 GB limit")


def test_memory_watch_leaves_a_small_child_alone(tmp_path: Path) -> None:
    # The child lives past a few of the watch's polls: one that ended before the first (a
    # loaded machine starts the watch late) had no peak to show.
    child = f"import time\nprint('ok')\ntime.sleep({3 * MemoryWatch.INTERVAL})\n"
    done = run_child(
        [sys.executable, "-c", child], timeout=60, log_dir=tmp_path, memory_limit=2**30,
    )  # fmt: skip
    assert done.ok and done.out_of_memory == 0
    assert 0 < done.session_peak < 2**30


def test_memory_watch_counts_shared_pages_once_and_reads_them_seldom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked children share their parent's pages: their resident sets add up past the
    limit, their proportional sizes do not, and those decide (no kill). The costly
    proportional sum is read once while the memory left under the limit would last (here,
    at a slow GROWTH, longer than the child lives), not at every poll."""
    grow = "import os, time\nx = bytearray(200 * 2**20)\nx[::4096] = b'1' * len(x[::4096])\n"
    grow += "kids = [os.fork() for _ in range(1)]\nkids += [os.fork()] if kids[0] else []\n"
    grow += "time.sleep(2.0)\n[os.waitpid(k, 0) for k in kids if k]\n"
    read: list[bool] = []
    real = measure.session_memory

    def counted(session: int, proportional: bool = True) -> int:
        read.append(proportional)
        return real(session, proportional)

    monkeypatch.setattr(measure, "session_memory", counted)
    monkeypatch.setattr(MemoryWatch, "GROWTH", 2**20)  # 1 MB a second: the sum lasts 5 s
    limit = 400 * 2**20
    done = run_child(
        [sys.executable, "-c", grow], timeout=60, log_dir=tmp_path, memory_limit=limit,
    )  # fmt: skip
    assert done.ok and done.out_of_memory == 0
    assert 200 * 2**20 < done.session_peak < limit  # the pages once, not three times
    assert read.count(False) >= 5  # the cheap resident sums at every poll
    assert read.count(True) == 1


def test_profile_subtracts_a_nested_stage_from_its_caller() -> None:
    profile = stages.Profile()
    inner = profile.wrap("inner", lambda: time.sleep(0.4))

    def outer_body() -> None:
        time.sleep(0.1)
        inner()

    profile.wrap("outer", outer_body)()
    names = [r["stage"] for r in profile.records]
    assert names == ["inner", "outer"]
    inner_s, outer_s = (r["seconds"] for r in profile.records)
    # Upper bounds only by comparison: a loaded machine stretches every sleep (0.2 s took
    # 0.302 s beside two test runs). Not subtracted, the outer time would hold the inner's.
    assert inner_s >= 0.4 and outer_s >= 0.1
    assert outer_s < inner_s
    assert profile.records[1]["rss"] > 0 and profile.records[1]["peak_rss"] > 0


def _sitemap(urls: int) -> bytes:
    body = "".join(f"<url><loc>http://127.0.0.1:8000/a{i}/</loc></url>" for i in range(urls))
    return f"<urlset>{body}</urlset>".encode()


def test_site_layout_counts_entries_and_reads_a_sitemap_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "big").mkdir(parents=True)
    for i in range(12):
        (site / "big" / f"{i}.html").write_text("x")
    (site / "small").mkdir()
    (site / "small" / "a.html").write_text("x")
    (site / "sitemap-1.xml").write_bytes(_sitemap(3))
    (site / "sitemap-2.xml").write_bytes(_sitemap(5))
    locs = "".join(
        f"<sitemap><loc>http://127.0.0.1:8000/sitemap-{n}.xml</loc></sitemap>" for n in (1, 2)
    )
    (site / "sitemap.xml").write_text(f"<sitemapindex>{locs}</sitemapindex>")
    layout = tools.site_layout(site)
    assert layout["folders"] == 3
    assert layout["largest"][0] == {"path": "big", "entries": 12}
    assert layout["over_limit"] == 0
    assert layout["sitemap"] == {"index": True, "files": 2, "urls": 8, "most": 5}


def test_a_plain_sitemap_is_not_an_index(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_bytes(_sitemap(4))
    assert tools.sitemap_shape(tmp_path) == {"index": False, "urls": 4, "files": 1}


def test_a_tool_that_failed_at_a_smaller_size_is_not_run_at_a_larger() -> None:
    previous = {
        100_000: {"hugo_pagefind": {"cold": {}}},
        200_000: {"hugo_pagefind": {"error": "ToolFailed: pagefind: out of memory"}},
    }
    assert run.failed_below(previous, 200_000, "hugo_pagefind") is None
    why = run.failed_below(previous, 1_000_000, "hugo_pagefind")
    assert why == "failed at 200,000 articles (ToolFailed: pagefind: out of memory)"


def test_a_time_out_at_a_smaller_size_in_earlier_results_skips_pelican() -> None:
    history = [
        {"sizes": {"200000": {}}},
        {"date": "d", "sizes": {"100000": {"pelican": {"timed_out": "did not finish"}}}},
    ]
    assert run.timed_out_before(history, 20_000, "pelican") is None
    assert run.timed_out_before(history, 200_000, "pelican") == (
        "at 100,000 articles: did not finish"
    )
    carried = [{"sizes": {"200000": {"pelican": {"timed_out": "at 100,000 articles: x"}}}}]
    assert run.timed_out_before(carried, 1_000_000, "pelican") == "at 100,000 articles: x"


def test_million_run_defaults() -> None:
    args = run.parse_args(["--million"])
    assert args.size_list == [200_000, 1_000_000]
    assert args.out.name == "results-1m.md" and args.timeout == 3600
    assert run.parse_args([]).size_list == [1_000, 20_000, 100_000]
    assert run.serve_edits(600) == (1, 1)
    assert run.serve_edits(10)[0] == run.serve_edits(100)[0] > 1


def test_targets_say_which_are_missed() -> None:
    data = {
        "newsarchive": {
            "cold": {"seconds": 700.0, "peak_rss": 5 * 10**9},
            "rebuild": {"seconds": 30.0},
            "layout": {
                "largest": [{"path": "search/x", "entries": 40_000}],
                "over_limit": 3,
                "sitemap": {"index": True, "files": 30, "urls": 1_400_000, "most": 50_000},
            },
        },
        "serve": {"edit": {"seconds": 2.0}},
    }
    rows = "\n".join(report_scale.targets(1_000_000, data))
    assert "| cold build under 10 min | 700 s | **no** |" in rows
    assert "| peak RSS under 6 GB (largest process of the build) | 5,000.0 MB | yes |" in rows
    assert "| unchanged rebuild under 60 s | 30.0 s | yes |" in rows
    assert "first results under 150 kB gzip | – | not measured |" in rows
    assert "largest `search/x` 40,000; 3 folder(s) over | **no** |" in rows
    assert "index, 50,000 at most | yes |" in rows


def test_a_cold_build_that_did_not_finish_fails_its_target() -> None:
    data = {"newsarchive": {"error": "killed at 12 GB", "cold": {"seconds": 900.0}}}
    rows = "\n".join(report_scale.targets(1_000_000, data))
    assert "| cold build under 10 min | did not finish: killed at 12 GB | **no** |" in rows
    profile = {
        "seconds": 900.0,
        "status": None,
        "peak_rss": 10**9,
        "children_peak_rss": 0,
        "other_seconds": 1.0,
        "groups": {"read_sources": "read"},
        "stages": [{"stage": "read_sources", "seconds": 5.0, "rss": 10**9, "peak_rss": 10**9}],
    }
    table = "\n".join(report_scale.stage_rows(1_000_000, {"newsarchive": {"profile": profile}}))
    assert "(the build did not finish: the stages it did)" in table
    assert "| `read_sources` | read | 5.00 s | 1% | – | 1,000.0 MB | 1,000.0 MB |" in table


def test_search_bytes_counts_every_index_file_in_subfolders_too(tmp_path: Path) -> None:
    """Past a folder's limit the index files fan out into subfolders (search.sharded); the
    bench's sizes count them there, and heads and document lists too."""
    site = tmp_path / "site"
    for name in ("entry-1.js", "terms-1.js", "p/a.js", "p/3/b.js", "h/c.js", "t/d.js"):
        (site / "search" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / name).write_bytes(b"x" * 10)
    for name in ("m/1/e.js", "d/f.js", "x/g.js", "x/4/h.js", "x/4/i.js"):
        (site / "search" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / name).write_bytes(b"y" * 7)
    (site / "static").mkdir()
    for name in ("lunr.min.js", "search-core.js", "search-page.js", "search-ui.js"):
        (site / "static" / name).write_bytes(b"z")
    sizes = tools.search_bytes(site)
    assert sizes["sharded"] and sizes["index_files"] == 8 and sizes["index_bytes"] == 74
    assert sizes["text_files"] == 3 and sizes["text_bytes"] == 21


def test_merge_keeps_the_parts_a_run_skipped_and_replaces_those_it_measured() -> None:
    last = {"articles": 5, "newsarchive": {"cold": 1}, "serve": {"error": "killed"}}
    data = {"articles": 5, "newsarchive": {"cold": 2}, "search": {"chromium": "x"}}
    assert run.keep_skipped(data, last) == ["serve"]
    assert data == {
        "articles": 5,
        "newsarchive": {"cold": 2},
        "search": {"chromium": "x"},
        "serve": {"error": "killed"},
    }


def test_a_tool_not_run_at_a_size_says_why_from_a_smaller_one() -> None:
    """The report's row of a tool left out at a size (the bench does not run a tool past a
    size where it failed) says how it failed or why it was skipped below."""
    from bench import report

    earlier = [
        (100_000, {"hugo_pagefind": {"error": "out of time"}}),
        (200_000, {"hugo_pagefind": {"error": "out of memory"}, "pelican": {"skipped": "slow"}}),
    ]
    rows = report.build_rows(1_000_000, {}, earlier)
    assert "| Hugo + Pagefind | not run (at 200,000 articles: failed: out of memory) |" in rows[1]
    assert "| Pelican (no search) | not run (at 200,000 articles: skipped: slow) |" in rows[2]
    assert "| **newsarchive** | not run |" in rows[0]
    assert "| Hugo + Pagefind | not run |" in report.build_rows(1_000_000, {})[1]
