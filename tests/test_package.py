"""The package installs anywhere: a wheel built from the repository, installed (not editable)
into a fresh virtualenv, builds a complete site from any other folder.

The wheel is built as ``pip install .`` builds it, but offline (``--no-build-isolation``,
with the test extra's setuptools); the fresh virtualenv gets newsarchive's dependencies from
this one (a .pth line: no download), never newsarchive itself.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.search.query import run_search

from .conftest import REPO, SEEDS

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", out]
    proc = run(*pip, REPO)
    (found,) = out.glob("newsarchive-*.whl")
    return found, proc.stdout + proc.stderr


def test_wheel_builds_without_warnings_and_carries_the_theme_and_scripts(
    wheel: tuple[Path, str],
) -> None:
    path, log = wheel
    assert "warning" not in log.lower(), log
    names = set(run(sys.executable, "-m", "zipfile", "-l", path).stdout.split())
    for name in (
        "newsarchive/templates/base.html",
        "newsarchive/templates/partials/entry.html",
        "newsarchive/templates/locale/ru.po",
        "newsarchive/templates/locale/be.po",
        "newsarchive/static/style.css",
        "newsarchive/static/search-ui.js",
        "newsarchive/static/search-page.js",
        "newsarchive/search/vendor/lunr.js",
        "newsarchive/search/vendor/lunr.min.js",
        "newsarchive/search/vendor/lunr-languages/lunr.stemmer.support.js",
        "newsarchive/search/vendor/lunr-languages/lunr.ru.min.js",
        "newsarchive/search/vendor/lunr-languages/LICENSE",
        "newsarchive/render/worldatlas/countries-110m.json",
        "newsarchive/render/worldatlas/LICENSE",
        "newsarchive/templates/places.html",
        "newsarchive/templates/partials/place_map.html",
        "newsarchive/search/js/core/begin.js",
        "newsarchive/search/js/search-cli.js",
    ):
        assert name in names, name


def test_installed_wheel_builds_a_working_site_from_another_folder(
    wheel: tuple[Path, str], tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    target = Path(purelib.stdout.strip())
    # Dependencies from this environment; newsarchive only from the wheel.
    (target / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel[0])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = run(python, "-c", "import newsarchive; print(newsarchive.__file__)", cwd=elsewhere)
    assert located.stdout.startswith(str(target)), located.stdout

    articles = elsewhere / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (articles / seed.name).write_bytes(seed.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [venv / "bin" / "newsarchive", "build", "--source", "articles"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Built 1 article, "), proc.stdout
    site_dir = elsewhere / "site"
    for name in (
        "index.html",
        "404.html",
        "static/style.css",
        "static/search-core.js",
        "places/world.svg",
    ):
        assert (site_dir / name).is_file(), name
    assert "<h1" in (site_dir / "tags" / "index.html").read_text()
    assert "<circle" in (site_dir / "places" / "index.html").read_text()  # the map's data came too
    # The search works on what the installed package built (the site's own scripts).
    hits = run_search(site_dir, "Shoigu")
    title = next(SEEDS.glob("*.txt")).read_text().split("\n\n")[1].strip()
    assert [hit.title for hit in hits] == [title]
    # Nothing was written but the site and the rebuild state, beside the (absent) config.
    assert sorted(p.name for p in elsewhere.iterdir()) == [".newsarchive-cache", "articles", "site"]
    record, manifest, lock = sorted((elsewhere / ".newsarchive-cache").iterdir())
    assert record.name.startswith("last-build-site-") and record.suffix == ".json"
    assert manifest.name.startswith("manifest-site-") and manifest.suffix == ".json"
    assert lock.name.startswith("output-site-") and lock.suffix == ".lock"
