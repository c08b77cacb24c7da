"""Rebuilds that reuse the previous site: the bytes on disk must equal a full build's.

One folder is rebuilt after each change with a BuildCache (as ``serve`` does); after each
change a fresh build of the same sources goes to a new folder. The two must hold the same
files with the same bytes, and the rebuild must have touched only a few of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from newsarchive.build import BuildResult, build_site
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.output import manifest_path

CONFIG = Config(timezone="UTC", per_page=10)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def mtimes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()
    }


@pytest.fixture
def source(reuters_source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(reuters_source, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _article(title: str, posted: str, tags: str, body: str) -> str:
    return f"Posted: {posted}\nTags: {tags}\n\n{title}\n\n{body}\n"


def _changes(source: Path) -> list[tuple[str, Callable[[], None], float]]:
    """(what, change, most of the site's files the rebuild may write or delete).

    An edit rewrites its page, its neighbours', the listings it is on, the index shards
    of its terms (their new names, and the old ones deleted) and its metadata group."""
    names = sorted(p.name for p in source.glob("*.txt"))
    middle, other, gone = (source / names[i] for i in (len(names) // 2, 7, 11))

    def body() -> None:
        text = middle.read_text(encoding="utf-8")
        middle.write_text(text + "\nA new closing paragraph about wheat exports.\n", "utf-8")

    def title() -> None:
        lines = other.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if i > 1 and line.strip() and ":" not in line)
        lines[at] = "An edited headline about zebras"
        other.write_text("\n".join(lines), encoding="utf-8")

    def add_newest() -> None:
        (source / "zz-new.txt").write_text(
            _article("Newest story", "01.01.1990 10:00:00", "usa, zebras", "Fresh news."), "utf-8"
        )

    def add_oldest() -> None:
        (source / "aa-old.txt").write_text(
            _article("Oldest story", "01.01.1980 10:00:00", "archive", "Old news."), "utf-8"
        )

    def back_fill() -> None:
        posted = middle.read_text(encoding="utf-8").split("\n")[0].removeprefix("Posted: ")
        (source / "zz-back-filled.txt").write_text(
            _article("Back-filled story", posted, "usa, zebras", "Late news of wheat."), "utf-8"
        )

    def delete() -> None:
        gone.unlink()

    def broken() -> None:
        (source / "broken.txt").write_bytes(b"Posted: not a date\n\nTitle\n\nBody\n")

    def retag() -> None:
        _edit(middle, "Tags: ", "Tags: Zebra Crossing, ")

    return [
        ("nothing", lambda: None, 0.0),
        ("body edit", body, 0.1),
        # The pages that list the article as related show its title too (about 20 here).
        ("title edit (the URL moves)", title, 0.12),
        ("new newest article", add_newest, 0.3),
        # Index documents keep their numbers (slots, from their dates) and listing pages
        # their runs (render.page_runs), wherever an article comes or goes.
        ("new oldest article", add_oldest, 0.1),
        ("back-filled article", back_fill, 0.1),  # dated in the middle of the archive
        # This one ended a page run: one listing's newer pages are numbered again.
        ("deleted article", delete, 0.15),
        ("broken file", broken, 0.0),
        ("new tag", retag, 0.1),
    ]


def _stamps(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p.absolute(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


@pytest.mark.parametrize("told", [False, True], ids=["walk", "watcher-paths"])
def test_rebuilds_equal_full_builds(source: Path, tmp_path: Path, told: bool) -> None:
    """``told``: the build is given the changed paths, as serve's watcher gives them, and
    reads only those files again (content.rediscover); otherwise it walks the folder."""
    site = tmp_path / "site"
    cache = BuildCache()
    first = build_site(CONFIG, source, site, cache=cache)
    assert first.ok and first.changed == first.files
    for number, (what, change, share) in enumerate(_changes(source)):
        stamps = _stamps(source)
        change()
        now = _stamps(source)
        if told:
            assert cache.changed is not None
            cache.changed |= {p for p in stamps.keys() | now.keys() if stamps.get(p) != now.get(p)}
        else:
            cache.changed = None
        before = mtimes(site)
        result: BuildResult = build_site(CONFIG, source, site, cache=cache)
        full = build_site(CONFIG, source, tmp_path / f"full-{number}")
        assert files(site) == files(tmp_path / f"full-{number}"), what
        assert (result.files, result.bytes, result.pages) == (full.files, full.bytes, full.pages)
        assert result.changed <= share * result.files + 1, (what, result.changed)
        after = mtimes(site)
        touched = {p for p in after if before.get(p) != after[p]}
        assert len(touched) <= result.changed + 1, what  # + the marker


def test_unchanged_rebuild_touches_nothing(source: Path, tmp_path: Path) -> None:
    """Without a cache too (a second `build.py build`): nothing is rendered or written."""
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    before = mtimes(site)
    again = build_site(CONFIG, source, site, jobs=2)
    assert again.changed == 0
    after = mtimes(site)
    assert {p for p in after if before.get(p) != after[p]} <= {".newsarchive"}


def test_untrusted_manifest_means_a_full_build(source: Path, tmp_path: Path) -> None:
    """A page changed by hand (or a manifest from another folder) is not reused blindly:
    the marker names the manifest's digest, so a different manifest is ignored."""
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    manifest = manifest_path(CONFIG.path(CONFIG.cache_dir), site)
    manifest.write_bytes(manifest.read_bytes().replace(b'"pages":{', b'"pages":{"x":["y",1],'))
    page = next(site.glob("1987/*/*/*/index.html"))
    page.write_text("tampered")
    result = build_site(CONFIG, source, site)
    assert result.changed == result.files
    assert page.read_text() != "tampered"


def test_config_change_rebuilds_every_page(source: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    other = Config(timezone="UTC", per_page=10, title="Another title")
    result = build_site(other, source, site)
    assert result.changed >= result.pages
    build_site(other, source, tmp_path / "full")
    assert files(site) == files(tmp_path / "full")
    assert not [n for n in os.listdir(tmp_path) if ".tmp-" in n or ".old-" in n]
