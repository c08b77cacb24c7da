"""serve's shortcut for finding the source files: the watcher's paths instead of a walk."""

from __future__ import annotations

from pathlib import Path

from newsarchive.content.discovery import discover, rediscover


def _names(sources) -> list[str]:
    return [s.display for s in sources]


def test_rediscover_follows_edits_adds_and_deletes(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "2024").mkdir(parents=True)
    for name in ("a.txt", "2024/b.md", "2024/c.txt"):
        (source / name).write_text("x")
    before = discover(source)
    (source / "2024" / "d.txt").write_text("new")
    (source / "a.txt").write_text("edited")
    (source / "2024" / "c.txt").unlink()
    (source / "notes.log").write_text("not an article")
    (source / ".hidden.txt").write_text("hidden")
    changed = [
        source / "2024" / "d.txt",
        source / "a.txt",
        source / "2024" / "c.txt",
        source / "notes.log",
        source / ".hidden.txt",
        tmp_path / "templates" / "base.html",  # outside the source: not an article
    ]
    found = rediscover(source, before, [p.absolute() for p in changed])
    assert found is not None
    sources, fresh = found
    assert _names(sources) == _names(discover(source))
    assert source / "a.txt" in fresh and source / "2024" / "d.txt" in fresh


def test_rediscover_walks_again_when_a_folder_changes(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "old").mkdir(parents=True)
    (source / "old" / "a.txt").write_text("x")
    before = discover(source)
    (source / "new").mkdir()
    assert rediscover(source, before, [source / "new"]) is None  # a folder appeared
    (source / "old" / "a.txt").unlink()
    (source / "old").rmdir()
    assert rediscover(source, before, [source / "old"]) is None  # a folder went away
