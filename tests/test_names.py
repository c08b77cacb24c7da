"""Odd file names and symbolic links: a name with a newline or bytes that are not UTF-8
stays one readable ``path:line:`` message, and a link leaving the source folder is never
read (an ``/etc/shadow`` link once had a line quoted into stderr and the browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.content.discovery import discover, rediscover
from newsarchive.errors import ArchiveError, Problem
from newsarchive.serve.livereload import sse_message
from newsarchive.serve.server import DevServer

from .conftest import article_text, run_cli
from .test_watch import EventStream

LEAVES = "skipped: a symbolic link leaving the source folder is not followed"
SECRET = "Posted: root:$6$SECRET:19000:0:99999:7:::\n\nroot\n"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("news/a.txt", "news/a.txt"),
        ("новости/статья.txt", "новости/статья.txt"),
        ("café it's.md", "café it's.md"),
        ("a\nb.txt", r"'a\nb.txt'"),
        ("a\tb\r.txt", r"'a\tb\r.txt'"),
        ("x\x1b[31m.txt", r"'x\x1b[31m.txt'"),
        ("c1\x85.txt", r"'c1\x85.txt'"),
        (os.fsdecode(b"\xff.txt"), r"'\udcff.txt'"),
    ],
)
def test_odd_names_are_quoted_where_messages_name_a_path(name: str, shown: str) -> None:
    assert str(Problem(name, 3, "bad date")) == f"{shown}:3: bad date"
    assert str(ArchiveError("bad", name)) == f"{shown}: bad"


def test_each_problem_stays_one_line_on_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    bad = "no header\n"
    (source / "a\nb.txt").write_text(bad)
    (source / "статья.txt").write_text(bad)
    (source / os.fsdecode(b"\xff-bad.txt")).write_bytes(bad.encode())
    (source / os.fsdecode(b"\xfe-good.txt")).write_text(article_text(title="Kept"))
    proc = run_cli("build", "--source", "articles", cwd=tmp_path)
    assert proc.returncode == 1
    *problems, summary = proc.stderr.splitlines()
    assert [line.split(":1: ")[0] for line in problems] == [
        r"'articles/a\nb.txt'",
        "articles/статья.txt",
        r"'articles/\udcff-bad.txt'",
    ]
    assert summary.startswith("Built 1 article, ") and summary.endswith("(3 files skipped)")


def test_sse_message_survives_undecodable_names() -> None:
    data = os.fsdecode(b"articles/\xff.txt") + ":1: bad"
    assert sse_message("error", data) == b"event: error\ndata: articles/\\udcff.txt:1: bad\n\n"


def test_live_reload_reports_an_undecodable_name(tmp_path: Path) -> None:
    """The browser's event stream carries the problem and keeps going."""
    source = tmp_path / "articles"
    source.mkdir()
    (source / "good.txt").write_text(article_text(title="Fine"))
    config = tmp_path / "archive.toml"
    config.write_text('source = "articles"\noutput = "site"\n')
    server = DevServer(config, port=0, quiet=0.05, heartbeat=0.2, watch_dirs=[])
    server.start()
    stream = EventStream(server.url, server.live.generation)
    try:
        bad = source / os.fsdecode(b"\xff.txt")
        bad.write_bytes(b"no header\n")
        assert r"/articles/\udcff.txt':1: missing 'Posted:'" in stream.wait_for("error")
        bad.write_text(article_text(title="Mended"))
        stream.wait_for("reload")
    finally:
        stream.close()
        server.stop()


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A source folder with links: a file and a folder outside it (whose content would be
    quoted in a message), a file and a loop inside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow.txt").write_text(SECRET)
    (outside / "more.txt").write_text(SECRET)
    source = tmp_path / "articles"
    (source / "inner").mkdir(parents=True)
    (source / "ok.txt").write_text(article_text(title="Fine"))
    (source / "inner" / "real.txt").write_text(article_text(title="Inner", posted="11.04.2023"))
    (source / "shadow.txt").symlink_to(outside / "shadow.txt")
    (source / "outside").symlink_to(outside, target_is_directory=True)
    (source / "up").symlink_to(tmp_path, target_is_directory=True)
    (source / "inner" / "same.txt").symlink_to(source / "inner" / "real.txt")
    (source / "inner" / "loop").symlink_to(source, target_is_directory=True)
    return source


def test_links_leaving_the_source_folder_are_skipped_never_read(linked: Path, build) -> None:
    result, _ = build(linked)
    assert result.articles == 3  # ok, inner/real and the link to it
    assert not any("SECRET" in str(p) for p in result.problems)
    skipped = [p for p in result.problems if p.message == LEAVES]
    assert [(p.path, p.level) for p in skipped] == [
        (str(linked / name), "warning") for name in ("outside", "shadow.txt", "up")
    ]
    assert str(skipped[1]) == f"{linked / 'shadow.txt'}:1: warning: {LEAVES}"


def test_a_source_folder_reached_by_a_link_is_inside_itself(linked: Path) -> None:
    alias = linked.parent / "alias"
    alias.symlink_to(linked, target_is_directory=True)
    found = {s.display: getattr(s, "refused", "") for s in discover(alias)}
    assert found[str(alias / "ok.txt")] == "" and found[str(alias / "inner/same.txt")] == ""
    assert found[str(alias / "shadow.txt")] == LEAVES


def test_rediscover_leaves_a_change_through_a_link_to_a_walk(linked: Path) -> None:
    before = discover(linked)
    (linked.parent / "outside" / "new.txt").write_text(SECRET)
    assert rediscover(linked, before, [linked / "outside" / "new.txt"]) is None
    found = rediscover(linked, before, [linked / "ok.txt"])
    assert found is not None and found[0] == before


def test_the_build_reads_an_undecodable_name(tmp_path: Path, build) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    (source / os.fsdecode(b"\xff.txt")).write_text(article_text(title="Bytes"))
    result, out = build(source, Config(base_url="https://example.org/"))
    assert result.articles == 1 and result.problems == []
    assert "Bytes" in (out / "index.html").read_text(encoding="utf-8")


def _walked(folder: Path) -> list[tuple[str, str]]:
    """What discover found when it asked each file with a stat of its own (os.walk)."""
    top, seen, found = os.path.realpath(folder), set(), []
    for root, dirs, names in os.walk(folder, followlinks=True):
        if os.path.realpath(root) in seen:
            dirs[:] = []
            continue
        seen.add(os.path.realpath(root))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            real = os.path.realpath(os.path.join(root, name))
            inside = real == top or real.startswith(top + os.sep)
            if os.path.islink(os.path.join(root, name)) and not inside:
                dirs.remove(name)
                found.append((os.path.join(root, name), "refused"))
        for name in names:
            path = os.path.join(root, name)
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in {".txt", ".md"}:
                continue
            real = os.path.realpath(path)
            inside = real == top or real.startswith(top + os.sep)
            if os.path.islink(path) and os.path.exists(real) and not inside:
                found.append((path, "refused"))
            elif os.path.isfile(path):
                found.append((path, ""))
    return sorted(found)


def test_discover_finds_what_a_stat_of_each_file_finds(tmp_path: Path) -> None:
    """Files are told apart by their folder's listing, not a stat each: the same sources
    as asking each one, through links inside and out, broken ones, loops and a FIFO."""
    folder, outside = tmp_path / "in", tmp_path / "out"
    for name in ("a/x.txt", "a/.hidden.txt", "a/y.MD", "d/e/deep.md", "d/.h/z.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("Posted: 01.01.2024 10:00:00\n\nT\n\nB\n")
    (outside / "o").mkdir(parents=True)
    (outside / "secret.txt").write_text("x")
    (folder / "b").symlink_to(folder / "a")  # a folder inside, by a link: walked once
    (folder / "loop").symlink_to(folder)
    (folder / "away").symlink_to(outside / "o")
    (folder / "f.txt").symlink_to(outside / "secret.txt")
    (folder / "in.txt").symlink_to(folder / "a" / "x.txt")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    (folder / "d" / "dir.txt").mkdir()
    os.mkfifo(folder / "d" / "pipe.txt")
    got = [(str(s.path), "refused" if s.refused else "") for s in discover(folder)]
    assert got == _walked(folder)
    assert (str(folder / "f.txt"), "refused") in got and (str(folder / "in.txt"), "") in got
    assert not any("pipe" in path or "broken" in path or "dir.txt" in path for path, _ in got)
