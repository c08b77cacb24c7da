"""Scenario 8: the Nu Html Checker (vnu, the W3C validator's engine) reports no error on
every page of the seeds/ site and of the Reuters sample site, including the search page as
the browser shows it after JavaScript has filled in the results.

Each set is one vnu run (one JVM start, about 2 s); a deliberately broken page rides along
in every run, so a checker that silently checks nothing cannot pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page

from newsarchive.build import build_site
from newsarchive.config import load_config

from ..langsite import build_language_site
from .conftest import REPO, SEEDS, Served, wait_for_search_results

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANARY = (
    '<!DOCTYPE html><html lang="en"><head><title>canary</title></head>'
    "<body><p><span>unclosed</p></body></html>\n"
)


def vnu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """Check ``files`` in one vnu run; errors grouped by file, as ``line:col: message``."""
    java = shutil.which("java")
    assert java, "java missing: make test installs a Java runtime for the Nu Html Checker"
    assert VNU.is_file(), f"{VNU} missing: run npm ci (make test does)"
    args = [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json"]
    run = subprocess.run(
        [*args, "--stdout", *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert run.stdout.strip(), f"vnu printed nothing (exit {run.returncode}): {run.stderr}"
    errors: dict[Path, list[str]] = {}
    for message in json.loads(run.stdout)["messages"]:
        if message["type"] == "info":
            continue
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(path, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


def check(files: list[Path], canary_dir: Path, root: Path) -> None:
    """Validate ``files`` plus the canary: only the canary may have errors."""
    canary = canary_dir / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    errors = vnu_errors([*files, canary])
    assert any("span" in e for e in errors.pop(canary.resolve(), [])), "vnu missed the canary"
    report = [
        f"{path.relative_to(root) if path.is_relative_to(root) else path}:{line}"
        for path, lines in sorted(errors.items())
        for line in lines
    ]
    assert not report, f"{len(report)} HTML errors in {len(errors)} pages:\n" + "\n".join(
        report[:40]
    )


@pytest.mark.parametrize("language", ["en", "ru", "be"])
def test_every_page_of_the_seeds_site_is_valid(tmp_path: Path, language: str) -> None:
    """The seeds' site; in Russian and Belarusian, with tests/data/languages' articles."""
    if language == "en":
        out = tmp_path / "site"
        config = load_config(REPO / "archive.toml")
        result = build_site(config, SEEDS, out, cache_dir=tmp_path / "cache")
        assert result.ok, result.errors
    else:
        out = build_language_site(tmp_path, language, per_page=3)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 8, pages  # home, article, tags, archive, search, 404, year/month/day
    check(pages, tmp_path, out.resolve())


def test_every_page_of_the_reuters_site_and_the_rendered_search_are_valid(
    site: Path, http_page: tuple[Page, Served], tmp_path: Path
) -> None:
    page, served = http_page
    rendered = []
    # With a tag; with a phrase and a date range (their notices, the dates' values).
    for n, query in enumerate(("q=oil&tag=crude", "q=%22oil+prices%22&from=1987-03-01")):
        page.goto(served.url + "search/index.html?" + query)
        wait_for_search_results(page)
        rendered.append(tmp_path / f"search-rendered-{n}.html")
        rendered[-1].write_text(page.content(), encoding="utf-8")
        assert "search-result-snippet" in rendered[-1].read_text("utf-8")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 300, len(pages)  # every article and listing of the sample
    check([*pages, *rendered], tmp_path, site.resolve())
