"""Rebuilds that reuse the previous site: the bytes on disk must equal a full build's.

One folder is rebuilt after each change with a BuildCache (as ``serve`` does); after each
change a fresh build of the same sources goes to a new folder. The two must hold the same
files with the same bytes, and the rebuild must have touched only a few of them.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from newsarchive.build import BuildResult, build_site, load_archive
from newsarchive.config import Config, TagRules
from newsarchive.incremental import BuildCache
from newsarchive.output import load_manifest, manifest_path
from newsarchive.search import tables

CONFIG = Config(timezone="UTC", per_page=10)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def mtimes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()
    }


@pytest.fixture
def source(reuters_source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(reuters_source, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _article(title: str, posted: str, tags: str, body: str) -> str:
    return f"Posted: {posted}\nTags: {tags}\n\n{title}\n\n{body}\n"


def _changes(source: Path) -> list[tuple[str, Callable[[], None], float]]:
    """(what, change, most of the site's files the rebuild may write or delete).

    An edit rewrites its page, its neighbours', the listings it is on, the index shards
    of its terms (their new names, and the old ones deleted) and its metadata group."""
    names = sorted(p.name for p in source.glob("*.txt"))
    middle, other, gone = (source / names[i] for i in (len(names) // 2, 7, 11))

    def body() -> None:
        text = middle.read_text(encoding="utf-8")
        middle.write_text(text + "\nA new closing paragraph about wheat exports.\n", "utf-8")

    def title() -> None:
        lines = other.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if i > 1 and line.strip() and ":" not in line)
        lines[at] = "An edited headline about zebras"
        other.write_text("\n".join(lines), encoding="utf-8")

    def add_newest() -> None:
        (source / "zz-new.txt").write_text(
            _article("Newest story", "01.01.1990 10:00:00", "usa, zebras", "Fresh news."), "utf-8"
        )

    def add_oldest() -> None:
        (source / "aa-old.txt").write_text(
            _article("Oldest story", "01.01.1980 10:00:00", "archive", "Old news."), "utf-8"
        )

    def back_fill() -> None:
        posted = middle.read_text(encoding="utf-8").split("\n")[0].removeprefix("Posted: ")
        (source / "zz-back-filled.txt").write_text(
            _article("Back-filled story", posted, "usa, zebras", "Late news of wheat."), "utf-8"
        )

    def delete() -> None:
        gone.unlink()

    def broken() -> None:
        (source / "broken.txt").write_bytes(b"Posted: not a date\n\nTitle\n\nBody\n")

    def retag() -> None:
        _edit(middle, "Tags: ", "Tags: Zebra Crossing, ")

    def alias() -> None:  # redirect pages: the article's key covers them
        _edit(other, "Posted: ", "Aliases: 1987/old/story/, old.html\nPosted: ")

    def alias_moved() -> None:
        _edit(other, "Aliases: 1987/old/story/, ", "Aliases: 1987/other/story/, ")

    def new_day() -> None:  # between two days with articles: their next/previous links
        (source / "zz-new-day.txt").write_text(
            _article("A quiet Friday", "27.02.1987 08:15:00", "usa", "News."), "utf-8"
        )

    def new_month() -> None:  # a month between March 1987 and the newest article (1990)
        (source / "zz-new-month.txt").write_text(
            _article("A story in May", "12.05.1987 11:00:00", "usa", "News."), "utf-8"
        )

    moved = source.parent / "moved-away"
    moved.mkdir(exist_ok=True)

    def one_names_a_place() -> None:
        (source / "lux-a.txt").write_text(_luxembourg("02.03.1987 09:00:00"), "utf-8")

    def two_name_it() -> None:
        (source / "lux-b.txt").write_text(_luxembourg("03.03.1987 09:00:00"), "utf-8")

    def moved_away() -> None:
        (source / "lux-b.txt").rename(moved / "lux-b.txt")

    return [
        ("nothing", lambda: None, 0.0),
        ("body edit", body, 0.1),
        # The pages that list the article as related show its title too (about 20 here).
        ("title edit (the URL moves)", title, 0.12),
        ("new newest article", add_newest, 0.3),
        # Index documents keep their numbers (slots, from their dates) and listing pages
        # their runs (render.page_runs), wherever an article comes or goes.
        # Every page of a listing names page 1's dates on its button, which this changes
        # (the home listing's pages, about 60 of 1,800 files here).
        ("new oldest article", add_oldest, 0.15),
        ("back-filled article", back_fill, 0.1),  # dated in the middle of the archive
        # This one ended a page run: one listing's newer pages are numbered again.
        ("deleted article", delete, 0.15),
        ("broken file", broken, 0.0),
        # A new day or month between others: the calendar, timelines and the neighbours'
        # previous/next links (the periods' pages hold their neighbours, see render/pages.py).
        ("an article on a day without any", new_day, 0.1),
        ("an article in a month without any", new_month, 0.1),
        ("new tag", retag, 0.1),
        ("aliases added", alias, 0.1),
        ("an alias changed", alias_moved, 0.1),
        # Found tags of an unchanged article: a found name becomes a tag once two articles
        # name it (tags/resolve.py), and stops being one when the other goes.
        ("an untagged article names a place", one_names_a_place, 0.1),
        ("a second names it: a found tag on the first", two_name_it, 0.1),
        ("the second moved away: the first loses it", moved_away, 0.1),
    ]


def _luxembourg(posted: str) -> str:
    """An article without tags of its own (so the build finds them) naming Luxembourg."""
    return (
        f"Posted: {posted}\n\nBanks in Luxembourg\n\n"
        "Luxembourg said on Monday that deposits at Luxembourg banks grew.\n"
    )


def _stamps(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p.absolute(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    ("told", "pieces"),
    [(False, False), (True, False), (True, True)],
    ids=["walk", "watcher-paths", "table-pieces"],
)
def test_rebuilds_equal_full_builds(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: bool, pieces: bool
) -> None:
    """``told``: the build is given the changed paths, as serve's watcher gives them, and
    reads only those files again (content.rediscover); otherwise it walks the folder.
    ``pieces``: the search entry's tables in pieces, as past 2,048 rows (search/tables.py)."""
    if pieces:
        monkeypatch.setattr(tables, "TABLE_INLINE", 8)
        monkeypatch.setattr(tables, "PIECE_ROWS_MIN", 2)
    site = tmp_path / "site"
    cache = BuildCache()
    first = build_site(CONFIG, source, site, cache=cache)
    assert first.ok and first.changed == first.files
    for number, (what, change, share) in enumerate(_changes(source)):
        stamps = _stamps(source)
        change()
        now = _stamps(source)
        if told:
            assert cache.changed is not None
            cache.changed |= {p for p in stamps.keys() | now.keys() if stamps.get(p) != now.get(p)}
        else:
            cache.changed = None
        before = mtimes(site)
        result: BuildResult = build_site(CONFIG, source, site, cache=cache)
        full = build_site(CONFIG, source, tmp_path / f"full-{number}")
        assert files(site) == files(tmp_path / f"full-{number}"), what
        assert (site / "search" / "r").is_dir() == pieces
        assert (result.files, result.bytes, result.pages) == (full.files, full.bytes, full.pages)
        # serve's manifest (carried over from the last build, then patched) is a full build's.
        fresh = load_manifest(CONFIG.path(CONFIG.cache_dir), tmp_path / f"full-{number}")
        assert fresh is not None and cache.manifest is not None
        assert (cache.manifest.pages, cache.manifest.files) == (fresh.pages, fresh.files), what
        assert cache.manifest.stamps.keys() == fresh.stamps.keys(), what
        after = mtimes(site)
        touched = {p for p in after if before.get(p) != after[p]}
        assert len(touched) <= result.changed + 1, what  # + the marker
        # Besides, the pieces of the entry's tables that hold a renamed shard or group (an
        # edit of a body renames the shards of its words: then many of these small files).
        pieces_now = {p for p in after if p.startswith("search/r/")}
        new_pieces = len(pieces_now - before.keys())
        gone_pieces = len({p for p in before if p.startswith("search/r/")} - pieces_now)
        changed = result.changed - new_pieces - gone_pieces
        assert changed <= share * result.files + 1, (what, result.changed)


def test_unchanged_rebuild_touches_nothing(source: Path, tmp_path: Path) -> None:
    """Without a cache too (a second `build.py build`): nothing is rendered or written."""
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    before = mtimes(site)
    again = build_site(CONFIG, source, site, jobs=2)
    assert again.changed == 0
    after = mtimes(site)
    assert {p for p in after if before.get(p) != after[p]} <= {".newsarchive"}


def test_untrusted_manifest_means_a_full_build(source: Path, tmp_path: Path) -> None:
    """A page changed by hand (or a manifest from another folder) is not reused blindly:
    the marker names the manifest's digest, so a different manifest is ignored."""
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    manifest = manifest_path(CONFIG.path(CONFIG.cache_dir), site)
    manifest.write_bytes(manifest.read_bytes().replace(b'"pages":{', b'"pages":{"x":["y",1],'))
    page = next(site.glob("1987/*/*/*/index.html"))
    page.write_text("tampered")
    result = build_site(CONFIG, source, site)
    assert result.changed == result.files
    assert page.read_text() != "tampered"


def test_config_change_rebuilds_every_page(source: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(CONFIG, source, site)
    other = Config(timezone="UTC", per_page=10, title="Another title")
    result = build_site(other, source, site)
    assert result.changed >= result.pages
    build_site(other, source, tmp_path / "full")
    assert files(site) == files(tmp_path / "full")
    assert not [n for n in os.listdir(tmp_path) if ".tmp-" in n or ".old-" in n]


def _filler(count: int) -> dict[str, str]:
    """Untagged articles that name no place: enough for found tags to need two articles."""
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
    return {
        f"a{i:02d}.txt": f"Posted: {1 + i % 28:02d}.03.2001 10:{i:02d}:00\n\n"
        f"Story {i} about {words[i % 12]}\n\nA report on {words[i % 12]} and "
        f"{words[i * 7 % 12]} markets today.\n"
        for i in range(count)
    }


def test_found_tags_of_unchanged_articles_follow_the_archive(
    write_articles: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """A found tag depends on other articles and on the tag rules (``serve`` reloads
    ``tags.toml`` into the same cache): each step leaves the file of ``lux-a`` as it was
    but changes its tags, and the rebuilt site, search index included, must follow."""
    source = write_articles({**_filler(60), "lux-a.txt": _luxembourg("02.04.2001 09:00:00")})
    away = tmp_path / "away"
    away.mkdir()

    def add_second() -> None:
        write_articles({"lux-b.txt": _luxembourg("03.04.2001 09:00:00")})

    def move_away() -> None:
        (source / "lux-b.txt").rename(away / "lux-b.txt")

    def move_back() -> None:
        (away / "lux-b.txt").rename(source / "lux-b.txt")

    def no_file() -> None:
        """Only the config changed (tags.toml, or archive.toml)."""

    alias = dataclasses.replace(
        CONFIG, tag_rules=TagRules(aliases=(("Luxembourg", "Grand Duchy"),))
    )
    never = dataclasses.replace(CONFIG, tag_rules=TagRules(never=("Luxembourg",)))
    off = dataclasses.replace(CONFIG, auto_tags="never")
    steps = [  # (what, change, config, the place tags lux-a has then)
        ("a second article names it", add_second, CONFIG, ["Luxembourg"]),
        ("the second moved away", move_away, CONFIG, []),
        ("and back", move_back, CONFIG, ["Luxembourg"]),
        ("an alias in tags.toml", no_file, alias, ["Grand Duchy"]),
        ("never in tags.toml", no_file, never, []),
        ("found tags turned off", no_file, off, []),
    ]

    def place_tags(config: Config) -> list[str]:
        article = next(a for a in load_archive(config, source).articles if "lux-a" in a.path)
        return [tag for tag in article.tags if tag in {"Luxembourg", "Grand Duchy"}]

    site, cache = tmp_path / "site", BuildCache()
    assert build_site(CONFIG, source, site, cache=cache).ok
    assert place_tags(CONFIG) == []  # named by one article of 61: no tag
    for number, (what, change, config, tags) in enumerate(steps):
        change()
        cache.changed = None  # walk the folder again (no watcher here)
        build_site(config, source, site, cache=cache)
        full = tmp_path / f"full-{number}"
        build_site(config, source, full)
        assert place_tags(config) == tags, what
        assert files(site) == files(full), what


def _person(day: int, form: str, times: int) -> str:
    """An untagged article naming a person (a president: a person for sure) ``times`` times."""
    body = " ".join([f"President {form} spoke in Paris on Monday."] * times)
    return f"Posted: {day:02d}.04.2001 09:00:00\n\nA speech on farming\n\n{body}\n"


def test_found_tag_spelling_follows_the_archive(
    write_articles: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """A person's found tag is the spelling of their name most used in the archive, so a new
    article can respell it in one whose file did not change, its URL and kind the same: the
    pages showing it are made again (page keys hold tags as the article spells them)."""
    source = write_articles(
        {
            **_filler(60),
            "p.txt": _person(2, "Charles de Gaulle", 1),
            "q1.txt": _person(3, "Charles De Gaulle", 2),
        }
    )

    def tags_of_p() -> tuple[str, ...]:
        return next(a.tags for a in load_archive(CONFIG, source).articles if "p.txt" in a.path)

    site, cache = tmp_path / "site", BuildCache()
    build_site(CONFIG, source, site, cache=cache)
    assert tags_of_p() == ("Charles De Gaulle", "Paris")
    write_articles({"q2.txt": _person(4, "Charles de Gaulle", 3)})
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache)
    build_site(CONFIG, source, tmp_path / "full")
    assert tags_of_p() == ("Charles de Gaulle", "Paris")
    assert files(site) == files(tmp_path / "full")


def test_edits_of_an_untagged_archive_equal_full_builds(source: Path, tmp_path: Path) -> None:
    """The reference format has no tag lines, so every article's tags are found; an edit
    makes the archive-wide pass again for what the changed article moved only
    (tags/reresolve.py), and the site is still a full build's."""
    for path in source.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = [line for line in lines if not line.startswith("Tags:")]
        path.write_text("\n".join(kept), encoding="utf-8")
    site, cache = tmp_path / "site", BuildCache()
    assert build_site(CONFIG, source, site, cache=cache).ok
    names = sorted(source.glob("*.txt"))

    def title(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[lines.index("") + 1] += " (corrected)"
        path.write_text("\n".join(lines), encoding="utf-8")

    def typo(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        at = text.rindex(" ")
        path.write_text(text[:at] + "s" + text[at:], encoding="utf-8")

    def more(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\nThe Bank of Japan said prices of grain were steady.\n", "utf-8")

    for number, (change, path) in enumerate(
        [(title, names[3]), (typo, names[40]), (more, names[77]), (title, names[3])]
    ):
        change(path)
        cache.changed = {path}
        assert build_site(CONFIG, source, site, cache=cache).ok
        build_site(CONFIG, source, tmp_path / f"full-{number}")
        assert files(site) == files(tmp_path / f"full-{number}"), (change.__name__, path.name)
    assert cache.tagging.repassed >= 3
