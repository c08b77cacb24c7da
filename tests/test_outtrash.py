"""An in-place commit moves the files it replaces or deletes into a trash folder that a thread
empties after it (outtrash.py): the site is a clean build's, nothing is left in the cache
folder, and where hard links cannot be made the commit replaces and deletes as before."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from newsarchive import outtrash
from newsarchive.build import build_site
from newsarchive.manifest import output_id
from newsarchive.outlock import recover

from .test_outlock import CONFIG, articles, clean, files


def _trash(cache: Path) -> list[str]:
    return sorted(n for n in os.listdir(cache) if ".trash-" in n)


@pytest.mark.parametrize("links", [True, False])
def test_added_and_deleted_articles_are_committed_through_the_trash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    source, site, cache = articles(tmp_path / "src", 30), tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    kept: list[tuple[str, bytes]] = []
    real_keep, real_empty = outtrash.Trash.keep, outtrash.Trash.empty

    def keep(self: outtrash.Trash, path: str) -> None:
        if os.path.exists(path):  # (a new file's path has nothing to keep)
            kept.append((path, Path(path).read_bytes()))
        real_keep(self, path)

    def empty(self: outtrash.Trash) -> None:  # it holds the old files: those replaced, and more
        if self._made:
            held = [p.read_bytes() for p in Path(self.folder).iterdir()]
            if links:
                assert len(held) > len(kept) and all(data in held for _, data in kept)
            else:  # the first link failed: nothing more was tried
                assert held == []
        real_empty(self)

    monkeypatch.setattr(outtrash.Trash, "keep", keep)
    monkeypatch.setattr(outtrash.Trash, "empty", empty)
    if not links:  # the cache folder on another file system

        def no_link(src: str, dst: str) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(outtrash.os, "link", no_link)
    articles(source, 2, first=30, title="Late")  # added: pages replaced, search files too
    (source / "0003.txt").unlink()  # deleted: its page goes
    build_site(CONFIG, source, site, cache_dir=cache)
    outtrash.wait()
    assert kept  # the commit was in place, and replaced files
    assert files(site) == clean(source, tmp_path, "after")
    assert _trash(cache) == []


def test_recover_removes_the_trash_of_a_dead_build_only(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    name = f".{output_id(site.resolve())}"
    dead = subprocess_pid()
    for pid in (dead, os.getpid()):
        folder = cache / f"{name}.trash-{pid}-3"
        folder.mkdir(parents=True)
        (folder / "1").write_bytes(b"old")
    recover(site.resolve(), None, [(cache, name, False)])
    assert _trash(cache) == [f"{name}.trash-{os.getpid()}-3"]  # its thread empties it
    shutil.rmtree(cache / f"{name}.trash-{os.getpid()}-3")


def subprocess_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)
