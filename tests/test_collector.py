"""serve and the cyclic garbage collector: a build leaves its archive to reference counting,
and serve freezes what a build leaves, so no collection walks it on the way to the page."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.model import Archive, Article, Tag
from newsarchive.serve.collector import FULL_COLLECTION_EVERY, collector_frozen_after

from .conftest import article_text


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the interpreter's collector as the test found it."""
    enabled = gc.isenabled()
    yield
    gc.set_debug(0)
    gc.garbage.clear()
    gc.unfreeze()
    if enabled:
        gc.enable()


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "articles"
    source.mkdir()
    for n in range(12):
        tags = "Oil, Iran" if n % 2 else "Gold"
        text = article_text(f"Story {n}", f"{n + 1:02d}.04.2023 10:00:00", tags=tags)
        (source / f"a{n}.txt").write_text(text, encoding="utf-8")
    return source


def test_a_build_leaves_no_archive_in_reference_cycles(tmp_path: Path, collector: None) -> None:
    """jinja's environment is a reference cycle that keeps copies of the globals; the
    renderer gives it the archive only weakly, so the archive of a finished build is
    freed by reference counting, not left for a collection (in serve, one per rebuild)."""
    source, out, cache = _source(tmp_path), tmp_path / "site", BuildCache()
    config = Config(base_url="https://example.org/")
    gc.collect()
    build_site(config, source, out, cache=cache, cache_dir=tmp_path / "cache")
    (source / "a3.txt").write_text(article_text("Story three, edited"), encoding="utf-8")
    build_site(config, source, out, cache=cache, cache_dir=tmp_path / "cache")
    gc.set_debug(gc.DEBUG_SAVEALL)
    found = gc.collect()
    left = [o for o in gc.garbage if type(o) in (Archive, Tag, Article)]
    assert found > 0  # jinja's own cycles are there: the test sees garbage at all
    assert left == []


def test_serve_freezes_what_a_build_leaves(tmp_path: Path, collector: None) -> None:
    """After a build the objects it left are frozen (no collection walks them); the
    collector is as it was; every FULL_COLLECTION_EVERY builds the cycles frozen since
    are collected for real."""
    gc.unfreeze()
    gc.enable()
    kept = []
    with collector_frozen_after(2):
        assert not gc.isenabled()
        kept.append([[n] for n in range(1000)])
        cycle: list[object] = []
        cycle.append(cycle)  # garbage that only the collector frees
        del cycle
    assert gc.isenabled() and gc.get_freeze_count() > 1000
    for builds in range(3, FULL_COLLECTION_EVERY):
        with collector_frozen_after(builds):
            pass
    gc.set_debug(gc.DEBUG_SAVEALL)
    with collector_frozen_after(FULL_COLLECTION_EVERY):
        collected = list(gc.garbage)
    assert any(type(o) is list and o and o[0] is o for o in collected)  # the cycle, freed
    assert gc.get_freeze_count() > 1000  # and what is alive, frozen again


def test_serve_collects_the_first_builds_cycles(collector: None) -> None:
    """The first build (every page rendered: a cycle of jinja's for many) is collected at
    once, before what is alive is frozen; the cycle is freed, the living kept and frozen."""
    gc.unfreeze()
    gc.enable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    kept = []
    with collector_frozen_after(1):
        kept.append([[n] for n in range(1000)])
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert not gc.garbage
    assert any(type(o) is list and o and o[0] is o for o in gc.garbage)  # freed at the end
    assert gc.isenabled() and gc.get_freeze_count() > 1000 and kept[0][999] == [999]
