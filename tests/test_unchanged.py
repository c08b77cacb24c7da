"""A build whose inputs all match the last one's, into a site left as it was built, does
nothing and reports what that build reported (issue 18: an unchanged rebuild of a million
articles under 60 s). Any changed input, or a changed output file, builds again."""

from __future__ import annotations

import dataclasses
import os
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

import newsarchive.build as build_module
from newsarchive.build import BuildResult, build_site
from newsarchive.config import Config
from newsarchive.incremental import BuildCache
from newsarchive.inputs import load_last
from newsarchive.render.theme import Theme
from newsarchive.resources import STATIC, TEMPLATES

from .conftest import run_cli
from .test_outlock import CONFIG, articles, clean, files


def _stats(site: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: what a write would change."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in site.rglob("*")
        if p.is_file()
    }


def _counts(result: BuildResult) -> tuple:
    return (result.articles, result.drafts, result.tags, result.pages, result.files, result.bytes)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The source folders whose articles a build read (the front half of the build)."""
    seen: list[Path] = []
    real = build_module._load

    def counted(config: Config, source: Path, *args, **kwargs):
        seen.append(source)
        return real(config, source, *args, **kwargs)

    monkeypatch.setattr(build_module, "_load", counted)
    return seen


def _source(tmp_path: Path) -> Path:
    source = articles(tmp_path / "src", 30)
    (source / "draft.md").write_text("---\ntitle: D\ndate: 2001-01-01\ndraft: true\n---\nBody.\n")
    (source / "broken.txt").write_text("no header at all\n", encoding="utf-8")
    return source


def test_a_build_with_nothing_changed_reads_nothing_and_writes_nothing(
    tmp_path: Path, loads: list[Path]
) -> None:
    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    first = build_site(CONFIG, source, site, cache_dir=cache)
    assert not first.unchanged and first.errors and first.drafts == 1
    before, stats = files(site), _stats(site)
    steps: list[tuple[str, int, int]] = []
    second = build_site(CONFIG, source, site, cache_dir=cache, progress=lambda *s: steps.append(s))
    assert second.unchanged and len(loads) == 1  # no article read the second time
    assert steps == [("check", second.files, second.files)]  # every file of the site stat'ed
    assert _counts(second) == _counts(first) and second.changed == 0
    assert second.problems == first.problems  # the skipped file is reported again
    assert files(site) == before and _stats(site) == stats
    # From the command line (its own settings: a build, then none), the summary says so.
    command = ["build", "--source", source, "--out", site, "--cache-dir", cache]
    shown = [run_cli(*command, cwd=tmp_path) for _ in range(2)]
    assert [run.returncode for run in shown] == [1, 1]  # a file was skipped
    assert "nothing changed" not in shown[0].stderr
    assert "nothing changed since the last build: left as it was" in shown[1].stderr
    assert "broken.txt:1:" in shown[1].stderr


def _edit_same_size_and_time(source: Path) -> None:
    """Other words of the same length, the modification time put back as it was."""
    path = source / "0007.txt"
    stat, text = path.stat(), path.read_text(encoding="utf-8")
    path.write_text(text.replace("News of", "Word of"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def _touch(source: Path) -> None:
    os.utime(source / "0003.txt", ns=(1, 10**18))


def _add(source: Path) -> None:
    articles(source, 1, first=30, title="Added")


def _delete(source: Path) -> None:
    (source / "0004.txt").unlink()


CHANGES: dict[str, Callable[[Path], None]] = {
    "touched": _touch,
    "same size and time": _edit_same_size_and_time,
    "added": _add,
    "deleted": _delete,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_article_file_builds_again(tmp_path: Path, change: str) -> None:
    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    CHANGES[change](source)
    again = build_site(CONFIG, source, site, cache_dir=cache)
    assert not again.unchanged
    assert files(site) == clean(source, tmp_path, "after")
    assert build_site(CONFIG, source, site, cache_dir=cache).unchanged


def test_changed_settings_templates_or_static_files_build_again(tmp_path: Path) -> None:
    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    own_templates, own_static = tmp_path / "templates", tmp_path / "static"
    own_templates.mkdir()
    own_static.mkdir()
    (own_static / "extra.css").write_text("body { color: #111 }\n")
    theme = Theme((own_templates, TEMPLATES), (own_static, STATIC))

    def build(config: Config = CONFIG) -> BuildResult:
        return build_site(config, source, site, theme=theme, cache_dir=cache)

    assert not build().unchanged and build().unchanged
    retitled = dataclasses.replace(CONFIG, title="Another title")
    assert not build(retitled).unchanged and build(retitled).unchanged
    assert not build().unchanged  # back to the first settings
    (own_static / "extra.css").write_text("body { color: #222 }\n")
    assert not build().unchanged
    assert (site / "static/extra.css").read_text() == "body { color: #222 }\n"
    footer = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    (own_templates / "base.html").write_text(footer.replace("</body>", "<!-- own --></body>"))
    assert not build().unchanged
    assert "<!-- own -->" in (site / "index.html").read_text(encoding="utf-8")
    assert build().unchanged


def test_a_changed_or_missing_output_file_is_written_again(tmp_path: Path) -> None:
    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    built = files(site)
    (site / "index.html").write_text("defaced")
    again = build_site(CONFIG, source, site, cache_dir=cache)
    assert not again.unchanged and files(site) == built
    (site / "feed.xml").unlink()
    assert not build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert files(site) == built


def test_serve_drops_the_record_and_the_next_build_makes_it_again(tmp_path: Path) -> None:
    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    assert load_last(cache, site) is not None
    (source / "0002.txt").write_text((source / "0002.txt").read_text() + "\nMore.\n")
    build_site(CONFIG, source, site, cache=BuildCache(), cache_dir=cache)  # serve's build
    assert load_last(cache, site) is None
    assert not build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert files(site) == clean(source, tmp_path, "served")


def test_the_record_is_trusted_only_for_the_site_it_describes(tmp_path: Path) -> None:
    """Another site built into the folder, with another cache folder, leaves the first
    cache's record naming a site that is no longer there."""
    source, other = _source(tmp_path), articles(tmp_path / "other", 12, title="Other")
    site, cache = tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache)
    build_site(CONFIG, other, site, cache_dir=tmp_path / "elsewhere")
    assert not build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert files(site) == clean(source, tmp_path, "first")


def test_the_source_list_is_freed_once_the_articles_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list of sources is made before the check (a stat of each); kept to the end of
    the build it was half a gigabyte at a million articles, through the build's peak."""
    source = _source(tmp_path)
    found: list[weakref.ref] = []
    alive: list[int] = []
    real_read, real_assets = build_module.read_sources, build_module.site_assets

    def read(sources, *args, **kwargs):
        found.extend(weakref.ref(item) for item in sources)
        return real_read(sources, *args, **kwargs)

    def assets(*args, **kwargs):
        alive.append(sum(ref() is not None for ref in found))
        return real_assets(*args, **kwargs)

    monkeypatch.setattr(build_module, "read_sources", read)
    monkeypatch.setattr(build_module, "site_assets", assets)
    build_site(CONFIG, source, tmp_path / "site", cache_dir=tmp_path / "cache")
    assert len(found) == 32 and alive == [0]


def test_the_salt_covers_every_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our code's data (the world map's outlines, a vendored licence) is in the pages' key as
    much as our code: a release that changes only a data file still renders its pages again."""
    import newsarchive.inputs as inputs

    package = tmp_path / "package"
    (package / "render" / "worldatlas").mkdir(parents=True)
    (package / "build.py").write_text("x = 1\n")
    data = package / "render" / "worldatlas" / "countries.json"
    data.write_text('{"type": "Topology"}')
    (package / "__pycache__").mkdir()
    cached = package / "__pycache__" / "build.cpython.pyc"
    cached.write_bytes(b"compiled")
    monkeypatch.setattr(inputs, "PACKAGE", package)
    theme = Theme(templates=(TEMPLATES,), static=(STATIC,))
    first = inputs.build_salt(Config(), theme)
    cached.write_bytes(b"compiled again")  # Python's own cache is no input
    assert inputs.build_salt(Config(), theme) == first
    data.write_text('{"type": "Topology", "arcs": []}')
    assert inputs.build_salt(Config(), theme) != first


@pytest.mark.parametrize("forked", [False, True])
def test_a_cold_build_records_the_stats_its_reads_took(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    """A build with no record of the last one (a cold build) takes each file's stat as it
    reads it, in the read forks too (reader._TASK_SOURCES made small), rather than in a pass
    of its own before: the record is the digest that stat'ing every file gives, so the next
    build finds nothing changed."""
    import newsarchive.content.reader as reader
    from newsarchive.content.discovery import discover
    from newsarchive.inputs import build_salt, inputs_digest, sources_digest

    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    monkeypatch.setattr(reader, "_TASK_SOURCES", 4)
    stat_passes: list[bool] = []
    real = build_module.sources_digest

    def digest(sources, stats=None):  # type: ignore[no-untyped-def]
        stat_passes.append(stats is None)
        return real(sources, stats)

    monkeypatch.setattr(build_module, "sources_digest", digest)
    first = build_site(CONFIG, source, site, cache_dir=cache, jobs=2 if forked else 1)
    assert not first.unchanged and stat_passes == [False]  # the reads' stats, no pass
    theme = Theme.of(CONFIG)
    stated = sources_digest(discover(source))  # every source stat'ed
    inputs = inputs_digest(build_salt(CONFIG, theme), theme, source, stated)
    assert load_last(cache, site).inputs == inputs  # type: ignore[union-attr]
    assert build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert stat_passes == [False, True]  # a record: every file stat'ed first, nothing read


@pytest.mark.parametrize("forked", [False, True])
def test_a_file_changed_after_its_read_builds_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    """A file saved again while a cold build runs, just after that build read it: the stat
    the record keeps is the one taken before the read, so the next build sees the change
    (a stat taken after the read would have made it keep the old text)."""
    import newsarchive.content.reader as reader

    source, site, cache = _source(tmp_path), tmp_path / "site", tmp_path / "cache"
    edited = source / "0005.txt"
    monkeypatch.setattr(reader, "_TASK_SOURCES", 4)
    real = reader.parse_with_digest

    def parse_then_save(item, *args, **kwargs):
        parsed = real(item, *args, **kwargs)
        if item.path == edited:
            os.utime(edited, ns=(1, 10**18))  # what a save after the read changes
        return parsed

    monkeypatch.setattr(reader, "parse_with_digest", parse_then_save)
    build_site(CONFIG, source, site, cache_dir=cache, jobs=2 if forked else 1)
    monkeypatch.setattr(reader, "parse_with_digest", real)
    assert not build_site(CONFIG, source, site, cache_dir=cache).unchanged
    assert build_site(CONFIG, source, site, cache_dir=cache).unchanged
