"""Odd file names and symbolic links: a name with a newline or bytes that are not UTF-8
stays one readable ``path:line:`` message, and a link leaving the source folder is never
read (an ``/etc/shadow`` link once had a line quoted into stderr and the browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.errors import ArchiveError, Problem
from newsarchive.serve.livereload import sse_message
from newsarchive.serve.server import DevServer

from .conftest import article_text, run_cli
from .test_watch import EventStream


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
    assert summary.startswith("Built 1 article, 3 skipped")


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


def test_the_build_reads_an_undecodable_name(tmp_path: Path, build) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    (source / os.fsdecode(b"\xff.txt")).write_text(article_text(title="Bytes"))
    result, out = build(source, Config(base_url="https://example.org/"))
    assert result.articles == 1 and result.problems == []
    assert "Bytes" in (out / "index.html").read_text(encoding="utf-8")
