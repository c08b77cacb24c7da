"""Shared fixtures: tiny article folders written per test, and the real corpora."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsarchive.config import Config

if TYPE_CHECKING:
    from newsarchive.build import BuildResult

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def corpora_root() -> Path:
    """``../shared/corpora`` beside the repo (or $NEWSARCHIVE_CORPORA); missing is a failure."""
    root = Path(os.environ.get("NEWSARCHIVE_CORPORA", REPO.parent / "shared" / "corpora"))
    assert root.is_dir(), f"corpora not found at {root}: set NEWSARCHIVE_CORPORA"
    return root


def reuters_articles() -> Path:
    """The Reuters-21578 articles; missing is an error, not a skip, so CI cannot pass vacuously."""
    path = corpora_root() / "reuters21578" / "articles"
    assert path.is_dir() and any(path.glob("*.txt")), f"Reuters corpus missing at {path}"
    return path


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
