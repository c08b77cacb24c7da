"""The command line as a user runs it: exit codes, `path:line: message`, the summary."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from newsarchive.cli import main

from .conftest import REPO, SEEDS, article_text


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_seeds_with_summary(tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = run(
        "build",
        "--source",
        str(SEEDS),
        "--out",
        str(out),
        "--config",
        str(REPO / "archive.toml"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"Built 1 articles, \d+ tags, ", proc.stdout)
    assert f"-> {out}" in proc.stdout
    assert (out / "index.html").is_file()


def test_default_command_is_build_and_bad_files_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    (source / "ok.txt").write_text(article_text(title="Fine"))
    (source / "broken.txt").write_text("Posted: 99.99.2023\n\nTitle\n")
    (tmp_path / "archive.toml").write_text('source = "articles"\noutput = "public"\n')
    proc = run(cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("articles/broken.txt:1: unparseable date '99.99.2023'")
    assert "Built 1 articles, 1 skipped" in proc.stderr
    assert (tmp_path / "public/2023/04/10/fine/index.html").is_file()


def test_bad_config_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text('timezone = "Nowhere/Land"\n')
    proc = run("build", "--source", str(SEEDS), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: archive.toml: 'timezone': unknown time zone 'Nowhere/Land'"
    )
    assert not (tmp_path / "site").exists()


def test_help_for_every_command() -> None:
    runner = CliRunner()
    for command in ([], ["build"], ["serve"], ["search"], ["export-docs"], ["export-index"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, result.output
        assert "--help" in result.output
    assert "--port" in runner.invoke(main, ["serve", "--help"]).output
    assert "--json" in runner.invoke(main, ["search", "--help"]).output


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    proc = run(
        "build", "--quiet", "--source", str(SEEDS), "--out", str(tmp_path / "s"), cwd=tmp_path
    )
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


def test_refuses_foreign_output_folder(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "keep.txt").write_text("mine")
    proc = run("build", "--source", str(SEEDS), "--out", str(tmp_path / "docs"), cwd=tmp_path)
    assert proc.returncode == 1 and "not created by newsarchive" in proc.stderr
    assert (tmp_path / "docs" / "keep.txt").read_text() == "mine"
