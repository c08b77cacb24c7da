"""serve when the source folder itself goes away, comes back or is replaced."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from newsarchive.serve.server import DevServer
from newsarchive.serve.watching import Watcher, WatchFilter

from .conftest import article_text
from .test_watch import EventStream, FakeBuilder, get, project


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_watcher_follows_the_folder_at_the_roots_name(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    root.mkdir()
    seen: list[str] = []
    lock = threading.Lock()

    def notify(path: str, complete: bool) -> None:
        with lock:
            seen.append(path)

    def reported(path: Path) -> Callable[[], bool]:
        return lambda: str(path) in seen

    watcher = Watcher(WatchFilter.create([root]), notify, interval=3600)  # checked by hand
    watcher.start()
    try:
        assert watcher.check() == []
        shutil.rmtree(root)
        assert watcher.check() == [root]
        assert watcher.check() == []  # reported once, not at every check while missing
        root.mkdir()
        assert watcher.check() == [root]
        (root / "new.txt").write_text("x")
        assert wait_until(reported(root / "new.txt"))

        # Replaced by a move: the old folder, now elsewhere, is no longer watched.
        root.rename(tmp_path / "old")
        (tmp_path / "fresh").mkdir()
        (tmp_path / "fresh").rename(root)
        assert watcher.check() == [root]
        seen.clear()
        (tmp_path / "old" / "stale.txt").write_text("x")
        (root / "current.txt").write_text("x")
        assert wait_until(reported(root / "current.txt"))
        assert str(root / "stale.txt") not in seen
    finally:
        watcher.stop(5)


def test_the_last_good_site_stays_while_the_source_folder_is_gone(tmp_path: Path) -> None:
    """``rm -rf articles; cp -r backup articles`` with the real build."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.txt").write_text(article_text("Alpha story"))
    (articles / "two.txt").write_text(article_text("Beta story", posted="11.04.2023 09:00:00"))
    config = tmp_path / "archive.toml"
    config.write_text('title = "Test archive"\nsource = "articles"\noutput = "site"\n')
    server = DevServer(config, port=0, quiet=0.1, heartbeat=0.2)
    server.start()
    try:
        home = get(server.url)
        assert "Alpha story" in home and "Beta story" in home
        stream = EventStream(server.url, server.live.generation)
        shutil.copytree(articles, tmp_path / "backup")
        shutil.rmtree(articles)
        assert "source folder not found" in stream.wait_for("error", contains="source folder")
        time.sleep(1)  # the folder stays away for a while: every check finds it missing
        assert get(server.url) == home

        (tmp_path / "backup" / "two.txt").write_text(article_text("Gamma story"))
        shutil.copytree(tmp_path / "backup", articles)
        stream.wait_for("reload")
        assert wait_until(lambda: "Gamma story" in get(server.url))
        assert "Alpha story" in get(server.url)

        # And the new folder is watched: an edit in it shows.
        (articles / "one.txt").write_text(article_text("Delta story"))
        assert wait_until(lambda: "Delta story" in get(server.url))
        stream.close()
    finally:
        server.stop()


def test_a_source_folder_replaced_by_a_move_is_followed(tmp_path: Path) -> None:
    """The source lies outside the config's folder, so only the check can notice."""
    (tmp_path / "project").mkdir()
    config = project(tmp_path / "project")
    source = tmp_path / "elsewhere" / "articles"
    source.parent.mkdir()
    (tmp_path / "project" / "articles").rename(source)
    server = DevServer(config, source, port=0, quiet=0.05, watch_dirs=[], builder=FakeBuilder())
    server.start()
    try:
        assert "<h1>First</h1>" in get(server.url)
        replacement = tmp_path / "elsewhere" / "new"
        replacement.mkdir()
        (replacement / "title.txt").write_text("Second")
        source.rename(tmp_path / "elsewhere" / "old")
        replacement.rename(source)
        assert wait_until(lambda: "<h1>Second</h1>" in get(server.url))
        (source / "title.txt").write_text("Third")
        assert wait_until(lambda: "<h1>Third</h1>" in get(server.url))
    finally:
        server.stop()


def test_polling_does_not_walk_into_links(tmp_path: Path) -> None:
    """Where inotify cannot start, serve polls; the poll must not follow a folder link out of
    the source folder (a link to / would make every poll walk the disk)."""
    root = tmp_path / "articles"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    seen: list[str] = []
    events: list[str] = []
    watcher = Watcher(
        WatchFilter.create([root]), lambda path, _: seen.append(path), events.append, 3600
    )

    def refuse() -> None:
        raise OSError(28, "inotify watch limit reached")

    watcher._observer.start = refuse  # type: ignore[method-assign]
    watcher.start()
    try:
        assert any("polling for changes" in e for e in events)
        time.sleep(1.2)  # the first poll takes its snapshot
        (outside / "far.txt").write_text("x")
        (root / "near.txt").write_text("x")
        assert wait_until(lambda: str(root / "near.txt") in seen, timeout=10)
        time.sleep(1.2)
        assert not any("far.txt" in path for path in seen)
    finally:
        watcher.stop(5)
