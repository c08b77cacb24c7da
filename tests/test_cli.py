"""The command line as a user runs it: exit codes, `path:line: message`, the summary."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from newsarchive.cli import main
from newsarchive.languages import supported_list

from .conftest import REPO, SEEDS, article_text, run_cli

run = run_cli


def test_build_seeds_with_summary(tmp_path: Path) -> None:
    out = tmp_path / "site"
    cache = tmp_path / "cache"
    command = ["build", "--source", str(SEEDS), "--out", str(out), "--cache-dir", str(cache)]
    proc = run(*command, "--config", str(REPO / "archive.toml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"Built 1 article, \d+ tags, \d+ pages \(\d+ files, ", proc.stdout)
    assert f"-> {out}" in proc.stdout
    assert (out / "index.html").is_file()
    # The build wrote its output folder and its cache folder (the manifest, the record of
    # the last build's inputs and the output folder's lock file), nothing else.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]
    kept = sorted(p.name.split("-")[0] for p in cache.iterdir())
    assert kept == ["last", "manifest", "output"]


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
    assert "Built 1 article, " in proc.stderr and "(1 file skipped)" in proc.stderr
    assert (tmp_path / "public/2023/04/10/fine/index.html").is_file()
    # The rebuild state is kept in the cache folder beside archive.toml.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".newsarchive-cache",
        "archive.toml",
        "articles",
        "public",
    ]


def test_warnings_are_counted_and_the_first_ten_shown(tmp_path: Path) -> None:
    """Twelve articles with the same title on the same day: eleven URL warnings."""
    source = tmp_path / "articles"
    source.mkdir()
    for n in range(12):
        (source / f"twin-{n:02d}.txt").write_text(article_text(title="Twin"))
    out = ["--source", str(source), "--out", str(tmp_path / "site")]
    proc = run("build", *out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    shown = [line for line in proc.stderr.splitlines() if "warning: same URL" in line]
    assert len(shown) == 10
    assert "(11 warnings, 10 shown; --verbose for all)" in proc.stdout
    proc = run("build", "--verbose", *out, cwd=tmp_path)
    assert len([line for line in proc.stderr.splitlines() if "warning:" in line]) == 11
    assert proc.stdout.rstrip().endswith(" (11 warnings)")
    proc = run("build", "--quiet", *out, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    for n in range(3):
        (source / f"twin-{n}.txt").write_text(article_text(title="Twin"))
    (source / "broken.txt").write_text("Posted: 99.99.2023\n\nTitle\n")
    proc = run("build", "-q", "--source", str(source), "--out", str(tmp_path / "s"), cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"{source / 'broken.txt'}:1: unparseable date '99.99.2023' (expected DD.MM.YYYY "
        "HH:MM:SS, DD.MM.YYYY HH:MM, DD.MM.YYYY or ISO 8601)"
    ]


def test_bad_config_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text('timezone = "Nowhere/Land"\n')
    proc = run("build", "--source", str(SEEDS), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: archive.toml:1: 'timezone': unknown time zone 'Nowhere/Land'"
    )
    assert not (tmp_path / "site").exists()


def test_unknown_language_is_named_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text('language = "xx"\n')
    proc = run("build", "--source", str(SEEDS), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"error: archive.toml:1: 'language': unknown language 'xx' ({supported_list()})"
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


def test_every_bad_config_key_is_an_error_line(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text('per_page = 0\ntimezone = "Mars/Olympus"\n')
    proc = run("build", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "error: archive.toml:1: 'per_page' must be at least 1",
        "error: archive.toml:2: 'timezone': unknown time zone 'Mars/Olympus'",
    ]
