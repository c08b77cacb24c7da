"""The README says what the code does: its table of archive.toml keys is the one the config
declares, and every ``build.py`` command it shows runs as written on a fresh clone's site."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from newsarchive.config import options_table

from .conftest import REPO, SEEDS, run_cli
from .test_theme import make_project

README = REPO / "README.md"
START = re.compile(r"^<!-- options:start\b.*-->\n", re.M)
END = "<!-- options:end -->"
REGENERATE = (
    "README.md's table of archive.toml keys differs from the config's declaration: replace "
    "the lines between <!-- options:start ... --> and <!-- options:end --> with the output of\n"
    "    .venv/bin/python -c 'from newsarchive.config import options_table as t; "
    'print(t(), end="")\''
)
# How the README starts a command: the virtualenv's Python (or any python) and build.py.
COMMAND = re.compile(r"^(?:\.venv/bin/)?python3? build\.py(?:\s|$)")


def readme_table(text: str) -> str:
    start = START.search(text)
    assert start and END in text[start.end() :], "README.md lost its options markers"
    return text[start.end() : text.index(END, start.end())]


def sh_commands(text: str) -> list[list[str]]:
    """The arguments of every ``build.py`` command in the README's ```sh blocks, in order
    (comments dropped; ``make`` and other commands are not ours to run here)."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            if COMMAND.match(line):
                commands.append(shlex.split(line, comments=True)[2:])
    return commands


def test_options_table_is_the_config_declaration() -> None:
    assert readme_table(README.read_text(encoding="utf-8")) == options_table(), REGENERATE


def test_readme_has_the_theme_example_the_theme_test_builds() -> None:
    """The README's worked example is tests/test_theme.py's make_project (built below)."""
    text = README.read_text(encoding="utf-8")
    for part in (
        'title = "Minsk Daily"',
        'source = "articles"',
        '<span class="tagline">Since 1991</span>',
        '<link rel="stylesheet" href="{{ asset(\'static/extra.css\') }}">\n{% block head %}',
        ".tagline { font-style: italic; }",
        "build.py build --config my-archive/archive.toml",
    ):
        assert part in text, part


def fresh_clone(root: Path) -> Path:
    """What a clone has that the README's commands read: seeds/ and archive.toml, plus the
    theme example's folder the README has the reader make (my-archive/), after `make site`
    (a build of seeds/ into site/)."""
    root.mkdir()
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copyfile(REPO / "archive.toml", root / "archive.toml")
    make_project(root / "my-archive")
    run(["build", "--quiet"], root)
    return root


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def test_every_build_py_command_in_the_readme_runs(tmp_path: Path) -> None:
    commands = sh_commands(README.read_text(encoding="utf-8"))
    subcommands = {(args or ["build"])[0] for args in commands}
    assert {"build", "serve", "search", "export-docs", "export-index"} <= subcommands
    clone = fresh_clone(tmp_path / "clone")
    ran = 0
    for args in commands:
        # `serve` runs until it is stopped and listens on a fixed port: not a command to
        # run unattended. Its options are only parsed (an unknown one fails), with --help.
        serving = bool(args) and args[0] == "serve"
        proc = run([*args, "--help"] if serving else args, clone)
        shown = shlex.join(["build.py", *args])
        assert proc.returncode == 0, f"{shown} exited {proc.returncode}:\n{proc.stderr}"
        if args and args[0] == "search":
            if "--json" in args:
                found = len(json.loads(proc.stdout))
            else:
                found = len(re.findall(r"^ +\d+\. ", proc.stdout, re.M))
            assert found >= 1, f"{shown} found nothing on the seeds site"
        ran += not serving
    assert ran >= 8
    assert (clone / "my-archive" / "site" / "static" / "extra.css").is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '```sh\n.venv/bin/python build.py search "a b" --json  # note\nmake site\n```\n',
            [["search", "a b", "--json"]],
        ),
        ("```text\npython build.py build\n```\n```sh\npython build.py\n```\n", [[]]),
    ],
)
def test_commands_are_read_from_sh_blocks_only(text: str, expected: list[list[str]]) -> None:
    assert sh_commands(text) == expected


def test_links_to_files_resolve() -> None:
    """Every relative link of the README and of docs/ names a file that is there."""
    pages = [README, *sorted((REPO / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
    assert broken == []


def test_architecture_lists_every_module() -> None:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "newsarchive").rglob("*.py"))
        if path.name != "__init__.py" and not re.search(rf"^ +{re.escape(path.name)} ", text, re.M)
    ]
    assert missing == [], "add them to docs/architecture.md's package tree"
