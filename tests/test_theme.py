"""A site overrides the default theme file by file: its own templates/ and static/ first.

This is the README's worked example ("Customising the theme"): a changed header and an
extra CSS file, built with the command line from the archive's own folder.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from newsarchive.config import load_config
from newsarchive.render.theme import Theme
from newsarchive.resources import STATIC, TEMPLATES

from .conftest import REPO, SEEDS, run_cli

HEADER = '<a class="site-title" href="{{ link(\'\') }}">{{ config.title }}</a>'


def make_project(root: Path) -> Path:
    """An archive folder as the README shows it: archive.toml, articles/, templates/base.html
    (the default one, with a tagline in the header and one more stylesheet), static/extra.css.
    """
    root.mkdir()
    (root / "archive.toml").write_text('title = "Minsk Daily"\nsource = "articles"\n')
    (root / "articles").mkdir()
    for seed in SEEDS.glob("*.txt"):
        (root / "articles" / seed.name).write_bytes(seed.read_bytes())
    (root / "templates").mkdir()
    base = (TEMPLATES / "base.html").read_text()
    assert HEADER in base and "{% block head %}" in base
    base = base.replace(HEADER, HEADER + '\n    <span class="tagline">Since 1991</span>')
    extra = '<link rel="stylesheet" href="{{ asset(\'static/extra.css\') }}">\n'
    base = base.replace("{% block head %}", extra + "{% block head %}")
    (root / "templates" / "base.html").write_text(base)
    (root / "static").mkdir()
    (root / "static" / "extra.css").write_text(".tagline { font-style: italic; }\n")
    return root


def build(project: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "-q", cwd=project)


def test_own_templates_and_static_files_replace_the_default_ones(tmp_path: Path) -> None:
    project = make_project(tmp_path / "archive")
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:  # every page extends base.html: the site's own
        html = page.read_text()
        assert '<span class="tagline">Since 1991</span>' in html, page
        assert 'static/extra.css">' in html, page
    assert (site / "static" / "extra.css").read_text() == ".tagline { font-style: italic; }\n"
    # What the site does not override comes from the default theme.
    assert (site / "static" / "style.css").read_bytes() == (STATIC / "style.css").read_bytes()
    assert 'id="search-app"' in (site / "search" / "index.html").read_text()

    # A change to an override is a change to every page it is part of.
    base = project / "templates" / "base.html"
    base.write_text(base.read_text().replace("Since 1991", "Since 1992"))
    assert build(project).returncode == 0
    assert all("Since 1992" in page.read_text() for page in pages)


def test_theme_folders_of_a_config(tmp_path: Path) -> None:
    project = make_project(tmp_path / "archive")
    theme = Theme.of(load_config(project / "archive.toml"))
    assert theme.templates == (project / "templates", TEMPLATES)
    assert theme.static == (project / "static", STATIC)
    # Folders named in archive.toml; a folder that does not exist is no override.
    (project / "archive.toml").write_text('templates = "theme/html"\nstatic = "nowhere"\n')
    (project / "theme" / "html").mkdir(parents=True)
    theme = Theme.of(load_config(project / "archive.toml"))
    assert theme.templates == (project / "theme" / "html", TEMPLATES)
    assert theme.static == (STATIC,)
    # The repository's own archive.toml names the default theme itself: no override.
    assert Theme.of(load_config(REPO / "archive.toml")) == Theme()
