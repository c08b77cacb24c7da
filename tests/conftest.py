"""Shared fixtures: tiny article folders written per test, and the real corpora."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsarchive.config import Config

if TYPE_CHECKING:
    from newsarchive.build import BuildResult

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


CORPORA_VARIABLE = "NEWSARCHIVE_CORPORA"
REQUIRE_VARIABLE = "NEWSARCHIVE_REQUIRE_CORPORA"
# Fixtures that read a corpus: a test using any of them (directly or through other fixtures)
# is marked ``corpus`` when collected. Tests reading it another way carry the mark themselves.
CORPUS_FIXTURES = frozenset({"reuters_dir", "reuters_source"})
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def corpora_root() -> Path:
    """``../shared/corpora`` beside the repo, or $NEWSARCHIVE_CORPORA."""
    return Path(os.environ.get(CORPORA_VARIABLE, REPO.parent / "shared" / "corpora"))


def reuters_path() -> Path:
    return corpora_root() / "reuters21578" / "articles"


@functools.cache
def corpus_missing() -> str | None:
    """Why the corpus cannot be used (one line), or None when it is there."""
    path = reuters_path()
    if path.is_dir() and any(path.glob("*.txt")):
        return None
    return f"corpus not found at {path}: set {CORPORA_VARIABLE} to the folder of the public corpora"


def require_corpus() -> None:
    """Skip the running test when the corpus is missing, or fail it when
    $NEWSARCHIVE_REQUIRE_CORPORA is 1 (CI: corpus tests must never pass by skipping)."""
    reason = corpus_missing()
    if reason is None:
        return
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE}=1)", pytrace=False)
    pytest.skip(reason)


_running: list[pytest.Item] = []  # the test last set up: the one running


def reuters_articles() -> Path:
    """The Reuters-21578 articles, for a test marked ``corpus`` (else this fails, so an
    unmarked test cannot slip into the runs that leave the corpus out)."""
    item = _running[0] if _running else None
    assert item is None or item.get_closest_marker("corpus"), (
        f"{item.nodeid} reads the corpus: mark it @pytest.mark.corpus or use a corpus fixture"
    )
    require_corpus()
    return reuters_path()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CORPUS_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture: a test needing a missing corpus skips (or fails) at once.
    _running[:] = [item]
    if item.get_closest_marker("corpus"):
        require_corpus()


@pytest.fixture(scope="session")
def reuters_dir() -> Path:
    return reuters_articles()


LUNR_HARNESS = REPO / "tests" / "js" / "lunr-harness.js"


def node_json(script: Path, args: list[str], payload: dict) -> Any:
    """Run a Node script with JSON on stdin and return its JSON output (the lunr.js side)."""
    node = shutil.which("node")
    assert node, "node (Node.js) is required: make test installs it"
    result = subprocess.run(
        [node, str(script), *args],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def article_text(
    title: str = "A title",
    posted: str = "10.04.2023 13:13:00",
    body: str = "First paragraph.\n\nSecond paragraph.",
    **headers: str,
) -> str:
    lines = [f"Posted: {posted}"] + [f"{k.capitalize()}: {v}" for k, v in headers.items()]
    return "\n".join(lines) + f"\n\n{title}\n\n{body}\n"


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``build.py`` with these arguments, as a user runs it from ``cwd``."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own empty folder. A Config made in a test has the current
    folder as its folder, so the build's cache folder (.newsarchive-cache) lands there and
    never in the project."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def write_articles(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write ``{relative name: text or bytes}`` into a fresh source folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        source = tmp_path / "articles"
        source.mkdir(exist_ok=True)
        for name, content in files.items():
            path = source / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return source

    return write


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., tuple[BuildResult, Path]]:
    """Build ``source`` into ``tmp_path/site`` (or ``out``) with the given config."""

    def run(source: Path, config: Config | None = None, out: Path | None = None):
        from newsarchive.build import build_site

        out = out or tmp_path / "site"
        result = build_site(config or Config(base_url="https://example.org/news/"), source, out)
        return result, out

    return run


REUTERS_SAMPLE = 600


@pytest.fixture(scope="session")
def reuters_source(reuters_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first few hundred Reuters articles (by NEWID), as a source folder."""
    files = sorted(reuters_dir.glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    source = tmp_path_factory.mktemp("reuters-source")
    for path in files[:REUTERS_SAMPLE]:
        shutil.copyfile(path, source / path.name)
    return source
