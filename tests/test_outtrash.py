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
from newsarchive.output import SiteWriter

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
    real_replace, swaps = outtrash.Trash.replace, []
    real_exchange = outtrash.exchange

    def keep(self: outtrash.Trash, path: str) -> None:
        if os.path.exists(path):  # (a new file's path has nothing to keep)
            kept.append((path, Path(path).read_bytes()))
        real_keep(self, path)

    def replace(self: outtrash.Trash, new: str, path: str) -> None:
        if os.path.exists(path):
            kept.append((path, Path(path).read_bytes()))
        real_replace(self, new, path)

    def exchange(first: str, second: str) -> bool:
        swapped = real_exchange(first, second)
        swaps.append(swapped)
        return swapped

    def empty(self: outtrash.Trash) -> None:  # it holds the old files: those replaced, and more
        if self._made:
            held = [p.read_bytes() for p in Path(self.folder).iterdir()]
            if links:
                assert len(held) > len(kept) and all(data in held for _, data in kept)
            else:  # the first link failed: nothing more was tried
                assert held == []
        real_empty(self)

    monkeypatch.setattr(outtrash.Trash, "keep", keep)
    monkeypatch.setattr(outtrash.Trash, "replace", replace)
    monkeypatch.setattr(outtrash, "exchange", exchange)
    monkeypatch.setattr(outtrash.Trash, "empty", empty)
    if not links:  # the cache folder on another file system
        real_rename = os.rename

        def no_link(src: str, dst: str) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        def rename(src: str, dst: str) -> None:
            if ".trash-" in str(dst):
                no_link(src, dst)
            real_rename(src, dst)

        monkeypatch.setattr(outtrash.os, "link", no_link)
        monkeypatch.setattr(outtrash.os, "rename", rename)
    articles(source, 2, first=30, title="Late")  # added: pages replaced, search files too
    (source / "0003.txt").unlink()  # deleted: its page goes
    build_site(CONFIG, source, site, cache_dir=cache)
    outtrash.wait()
    assert kept  # the commit was in place, and replaced files
    if links and outtrash._EXCHANGE is not None:  # swapped out, not renamed over (Linux)
        assert swaps and all(swaps)
    else:  # one swap, whose old file could not be moved to the trash: none after
        assert len(swaps) <= 1
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


def test_a_commit_killed_between_a_swap_and_its_move_is_finished_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill after a new file was swapped with the old one, before the old one moved to the
    trash, leaves the old file at the new file's name: the next build must not put it back
    (the journal's inodes tell them apart)."""
    if outtrash._EXCHANGE is None:
        pytest.skip("no renameat2 here")
    source, site, cache = articles(tmp_path / "src", 30), tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    real_rename, swapped = outtrash.os.rename, []

    class Killed(BaseException):
        pass

    def exchange(first: str, second: str) -> bool:
        assert outtrash._EXCHANGE is not None
        swapped.append(outtrash.exchange.__wrapped__(first, second))  # type: ignore[attr-defined]
        if len(swapped) == 5:
            raise Killed  # the old file stays at the new file's name
        return swapped[-1]

    exchange.__wrapped__ = outtrash.exchange  # type: ignore[attr-defined]
    monkeypatch.setattr(outtrash, "exchange", exchange)
    articles(source, 2, first=30, title="Late")
    with pytest.raises(Killed):
        build_site(CONFIG, source, site, cache_dir=cache)
    monkeypatch.setattr(outtrash.os, "rename", real_rename)
    assert any(p.name.endswith(".newsarchive-new") for p in site.rglob("*"))
    SiteWriter(site, [], cache).abort()  # takes the lock, finishes the commit, releases
    assert not any(p.name.endswith(".newsarchive-new") for p in site.rglob("*"))
    assert files(site) == clean(source, tmp_path, "after")
    build_site(CONFIG, source, site, cache_dir=cache)  # and the next build trusts it
    assert files(site) == clean(source, tmp_path, "after")
