"""The archive as data: data/articles.csv, data/articles.jsonl, data/tags.csv and the /data/
page; read back with the standard library only."""

from __future__ import annotations

import csv
import json
import operator
import re
import shutil
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsarchive.build import build_site, load_archive
from newsarchive.config import Config, load_config
from newsarchive.errors import ArchiveError
from newsarchive.incremental import BuildCache
from newsarchive.model import Article
from newsarchive.output import SiteWriter
from newsarchive.placing import Placement, build_archive
from newsarchive.render import datafiles
from newsarchive.render.datafiles import (
    ARTICLE_FIELDS,
    TAG_FIELDS,
    ArticleRows,
    DataRows,
    write_data,
)

from .conftest import SEEDS, article_text

CONFIG = Config(base_url="https://example.org/news/", timezone="UTC")
MARKDOWN = """---
title: "Грузия и \\"кавычки\\", запятые"
date: 2023-04-12T08:30:00+04:00
tags: [Tbilisi, "Smith, John"]
source: Reuters
author: Нина Петрова
lang: ru
---
Первый абзац; с точкой с запятой.

Второй абзац с разделителем строк.
"""


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return [json.loads(line) for line in file]


@pytest.fixture
def source(write_articles) -> Path:
    folder = write_articles(
        {
            "b.md": MARKDOWN,
            "c.txt": article_text(title="Oldest", posted="01.01.2020", author="Ann\u2028Lee"),
        }
    )
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_the_data_files_hold_every_article_and_tag(source: Path, build) -> None:
    result, site = build(source, CONFIG)
    assert result.ok and result.articles == 3
    raw = (site / "data/articles.csv").read_bytes()
    assert raw.startswith(b"url,title,date,tags,kinds,source,author,lang,words\r\n")
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = _csv(site / "data/articles.csv")
    lines = _jsonl(site / "data/articles.jsonl")
    assert len(rows) == len(lines) == result.articles
    # Newest first, as the site lists them.
    seed_url = "https://example.org/news/2023/04/10/lukashenko-discussed-belarus-security-guarantees-with-shoigu-in-minsk-in/"
    markdown_url = "https://example.org/news/2023/04/12/gruziia-i-kavychki-zapiatye/"
    assert [row["url"] for row in rows] == [
        markdown_url,
        seed_url,
        "https://example.org/news/2020/01/01/oldest/",
    ]
    md = rows[0]
    assert md == {
        "url": markdown_url,
        "title": 'Грузия и "кавычки", запятые',
        "date": "2023-04-12T04:30:00+00:00",
        "tags": "Tbilisi; Smith, John",
        "kinds": "place; ",
        "source": "Reuters",
        "author": "Нина Петрова",
        "lang": "ru",
        "words": "11",
    }
    assert lines[0] == {
        **md,
        "tags": ["Tbilisi", "Smith, John"],
        "kinds": ["place", ""],
        "words": 11,
        "text": "Первый абзац; с точкой с запятой.\n\nВторой абзац с разделителем строк.",
    }
    assert list(lines[0]) == [*ARTICLE_FIELDS, "text"]  # a fixed order
    assert "\u2028".encode() not in (site / "data/articles.jsonl").read_bytes()
    seed = rows[1]
    assert seed["title"].startswith("Lukashenko discussed Belarus")
    assert seed["date"] == "2023-04-10T13:13:00+00:00"
    assert seed["source"] == seed["author"] == "" and seed["lang"] == "en"
    assert int(seed["words"]) == len(lines[1]["text"].split()) > 100
    tags, kinds = seed["tags"].split("; "), seed["kinds"].split("; ")
    assert len(tags) == len(kinds) > 3 and "Aleksandr Lukashenko" in tags
    assert kinds[tags.index("Aleksandr Lukashenko")] == "person"
    assert rows[2]["tags"] == rows[2]["kinds"] == ""
    assert rows[2]["author"] == lines[2]["author"] == "Ann\u2028Lee"  # one line all the same
    # tags.csv: every tag once, its count and URL as the tag pages have them.
    tag_rows = _csv(site / "data/tags.csv")
    assert list(tag_rows[0]) == list(TAG_FIELDS)
    assert len(tag_rows) == result.tags
    by_name = {row["name"]: row for row in tag_rows}
    assert by_name["Tbilisi"] == {
        "name": "Tbilisi",
        "slug": "tbilisi",
        "kind": "place",
        "count": "1",
        "url": "https://example.org/news/tags/tbilisi/",
    }
    every_tag = [name for row in lines for name in row["tags"]]
    assert sorted(set(every_tag)) == sorted(by_name)
    assert all(int(by_name[n]["count"]) == every_tag.count(n) for n in by_name)
    for row in tag_rows:
        assert (
            site / row["url"].removeprefix("https://example.org/news/") / "index.html"
        ).is_file()


def test_the_data_page_says_what_each_file_holds_and_links_it(source: Path, build) -> None:
    result, site = build(source, CONFIG)
    html = (site / "data/index.html").read_text(encoding="utf-8")
    for name, rows in (("articles.csv", 3), ("articles.jsonl", 3), ("tags.csv", result.tags)):
        size = (site / "data" / name).stat().st_size
        shown = f"{size / 1000:.1f}".rstrip("0").rstrip(".")
        assert f'<a href="../data/{name}" download>{name}</a>' in html
        assert re.search(rf"{rows} rows? · {re.escape(shown)} kB", html), (name, shown)
    assert "has not stated terms" in html
    assert '<link rel="canonical" href="https://example.org/news/data/">' in html
    for page in ("index.html", "archive/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert f'<p class="data-link"><a href="{"../" * page.count("/")}data/index.html">' in text
    assert "<loc>https://example.org/news/data/</loc>" in (site / "sitemap.xml").read_text()


def test_the_data_license_is_shown_escaped(source: Path, build) -> None:
    config = Config(base_url="https://example.org/", data_license='<b>CC BY 4.0</b> & "share"')
    _, site = build(source, config)
    html = (site / "data/index.html").read_text(encoding="utf-8")
    assert "<b>" not in html
    assert "under these terms: &lt;b&gt;CC BY 4.0&lt;/b&gt; &amp; &#34;share&#34;</p>" in html


def test_data_false_writes_no_data_and_no_link(source: Path, build, tmp_path: Path) -> None:
    config_file = tmp_path / "archive.toml"
    config_file.write_text('data = false\nbase_url = "https://example.org/"\n')
    result, site = build(source, load_config(config_file))
    assert result.ok
    assert not (site / "data").exists()
    for page in ("index.html", "archive/index.html"):
        assert "data-link" not in (site / page).read_text(encoding="utf-8")
    assert "/data/" not in (site / "sitemap.xml").read_text()


def test_data_must_be_true_or_false(tmp_path: Path) -> None:
    config_file = tmp_path / "archive.toml"
    config_file.write_text('data = "no"\n')
    with pytest.raises(ArchiveError, match="'data' must be true or false, not str"):
        load_config(config_file)


def test_two_builds_write_the_same_bytes(source: Path, build, tmp_path: Path) -> None:
    _, one = build(source, CONFIG, tmp_path / "one")
    _, two = build(source, CONFIG, tmp_path / "two")
    for name in ("articles.csv", "articles.jsonl", "tags.csv", "index.html"):
        assert (one / "data" / name).read_bytes() == (two / "data" / name).read_bytes(), name


def test_rebuilds_keep_the_data_files_until_an_article_changes(
    source: Path, tmp_path: Path
) -> None:
    site, cache = tmp_path / "site", BuildCache()
    build_site(CONFIG, source, site, cache=cache)
    data = site / "data/articles.jsonl"
    before = data.stat().st_mtime_ns
    again = build_site(CONFIG, source, site, cache=cache)
    assert again.changed == 0 and data.stat().st_mtime_ns == before
    (source / "c.txt").write_text(article_text(title="Oldest, edited", posted="01.01.2020"))
    cache.changed = None  # no watcher here: walk the folder
    edited = build_site(CONFIG, source, site, cache=cache)
    assert edited.changed > 0 and data.stat().st_mtime_ns != before
    full = tmp_path / "full"
    build_site(CONFIG, source, full)
    for name in ("articles.csv", "articles.jsonl", "tags.csv", "index.html"):
        assert (site / "data" / name).read_bytes() == (full / "data" / name).read_bytes(), name
    assert "Oldest, edited" in data.read_text(encoding="utf-8")
    # Nothing of the in-place write is left in the cache folder.
    assert not [p for p in CONFIG.path(CONFIG.cache_dir).iterdir() if ".tmp-" in p.name]


def _big_archive(write_articles, count: int, words: int) -> Path:
    body = " ".join(f"word{i % 97}" for i in range(words))
    return write_articles(
        {
            f"a{i:04d}.txt": article_text(
                title=f"Story {i}", posted=f"{i % 28 + 1:02d}.02.2021 10:{i % 60:02d}", body=body
            )
            for i in range(count)
        }
    )


@pytest.mark.parametrize("in_place", [False, True], ids=["new-folder", "in-place"])
def test_the_data_files_are_streamed(write_articles, tmp_path: Path, in_place: bool) -> None:
    """Writing the files allocates a small part of the articles' text: never the whole
    JSON Lines file (which holds all of it) at once."""
    source = _big_archive(write_articles, 200, 3000)  # 200 bodies of about 20 kB
    archive = load_archive(CONFIG, source)
    text = sum(len(a.body_text) for a in archive.articles)
    assert text > 4_000_000
    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, SEEDS, site, cache_dir=cache_dir)  # a site to update in place
    writer = SiteWriter(site, [source], cache_dir)
    writer.begin(0 if in_place else 10_000)
    assert writer.in_place is in_place
    tracemalloc.start()
    try:
        files = write_data(writer, CONFIG, archive, "a key never seen")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    writer.abort()
    assert [f.rows for f in files] == [200, 200, len(archive.tags)]
    assert files[1].size > text
    assert peak < text / 4, (peak, text)  # the JSON Lines file alone is more than text


@pytest.mark.parametrize("in_place", [False, True], ids=["new-folder", "in-place"])
def test_a_failed_build_leaves_the_previous_site_and_no_streamed_file(
    tmp_path: Path, in_place: bool
) -> None:
    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, SEEDS, site, cache_dir=cache_dir)
    before = (site / "data/articles.jsonl").read_bytes()
    writer = SiteWriter(site, [SEEDS], cache_dir)
    writer.begin(0 if in_place else 10_000)
    with pytest.raises(ArchiveError, match="outside the output folder"):
        writer.write_stream("../escape.jsonl", iter([b"x"]), "key")

    def failing() -> Iterator[bytes]:
        yield b'{"partial": '
        raise RuntimeError("a stage failed midway")

    with pytest.raises(RuntimeError):
        writer.write_stream("data/articles.jsonl", failing(), "key")
    writer.abort()
    assert (site / "data/articles.jsonl").read_bytes() == before
    assert not (tmp_path / "escape.jsonl").exists()
    assert [p.name for p in cache_dir.iterdir() if ".tmp-" in p.name] == []
    assert not [p for p in site.rglob("*") if p.name.startswith(".") and p.name != ".newsarchive"]


@pytest.mark.parametrize("over_a_built_site", [False, True])
def test_serve_encodes_only_the_rows_of_changed_articles(
    source: Path, tmp_path: Path, over_a_built_site: bool
) -> None:
    """serve keeps each article's encoded rows: an edit encodes its own row (one in each
    file), a new article its own, a deletion none; the files stay those of a clean build.
    Started over a site built before, whose data and search files it could keep, its first
    build still makes the rows and the search index's state (else its first edit did)."""
    site, cache = tmp_path / "site", BuildCache()
    if over_a_built_site:
        build_site(CONFIG, source, site, cache_dir=tmp_path / "cache")
    build_site(CONFIG, source, site, cache=cache, cache_dir=tmp_path / "cache")
    assert cache.data_rows.made == 2 * 3  # CSV and JSON Lines, three articles
    last = cache.shards.documents.last
    assert cache.shards.language == "en" and last is not None and len(last.articles) == 3
    edited = article_text(title="Oldest, edited", posted="01.01.2020")
    newest = article_text(title="Newest", posted="01.01.2024", tags="Tbilisi")
    again = article_text(title="Oldest, again", posted="01.01.2020")
    steps: list[tuple[str, str, str | None, int]] = [  # what, file, new text, rows encoded
        ("unchanged", "", "", 0),
        ("edit", "c.txt", edited, 2),
        ("add", "d.txt", newest, 2),
        ("edit again", "c.txt", again, 2),
        ("delete", "d.txt", None, 0),
    ]
    for number, (what, name, text, encoded) in enumerate(steps):
        if text is None:
            (source / name).unlink()
        elif name:
            (source / name).write_text(text)
        cache.changed = None  # no watcher here: walk the folder
        made = cache.data_rows.made
        build_site(CONFIG, source, site, cache=cache, cache_dir=tmp_path / "cache")
        assert cache.data_rows.made - made == encoded, what
        full = tmp_path / f"full-{number}"
        build_site(CONFIG, source, full, cache_dir=tmp_path / f"cache-{number}")
        for data in ("articles.csv", "articles.jsonl", "tags.csv", "index.html"):
            assert (site / "data" / data).read_bytes() == (full / "data" / data).read_bytes(), what
    assert "Oldest, again" in (site / "data/articles.csv").read_text(encoding="utf-8")


def test_a_one_off_build_keeps_no_rows(source: Path, tmp_path: Path) -> None:
    cache = BuildCache.one_off()
    build_site(CONFIG, source, tmp_path / "site", cache=cache)
    assert cache.data_rows.made == 2 * 3
    assert not cache.data_rows.csv.blocks and not cache.data_rows.jsonl.blocks


def test_kept_rows_in_blocks_equal_a_fresh_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """serve joins again only the blocks of rows that hold a changed row (all from the first
    change on when rows come or go): the files stay a clean build's."""
    monkeypatch.setattr(datafiles, "ROWS", 3)
    start = datetime(2020, 1, 1, tzinfo=UTC)

    def story(n: int, title: str = "") -> Article:
        when = start + timedelta(hours=n)
        return Article(f"a{n:03d}.txt", title or f"S{n}", when, "", "body", "", tags=("Oil",))

    articles = [story(n) for n in range(20)]
    placed, kept = Placement(), DataRows()
    for step, (i, change) in enumerate([(4, "edit"), (17, "edit"), (9, "add"), (2, "delete")]):
        if change == "edit":
            articles[i] = story(int(articles[i].path[1:4]), f"Edited {step}")
        elif change == "add":
            articles.insert(i, story(100 + step))
        else:
            articles.pop(i)
        archive = build_archive(articles, placement=placed)
        made = kept.made
        rows = ArticleRows(CONFIG, archive, kept)
        got = b"".join(rows.csv()), b"".join(rows.jsonl())
        fresh = ArticleRows(CONFIG, archive, DataRows(keep=False))
        assert got == (b"".join(fresh.csv()), b"".join(fresh.jsonl())), change
        if step:  # the first build encodes every row
            assert kept.made - made == (0 if change == "delete" else 2), change


@pytest.mark.parametrize("seed", range(4))
def test_rows_that_come_and_go_join_again_only_the_blocks_they_fall_in(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Random publishes (the newest, first in the files), back-fills, retractions, deletions
    and edits: the files stay a clean build's, and a publish keeps every block but the first
    (the later ones are the same rows, moved; before, every block was joined again)."""
    import random

    monkeypatch.setattr(datafiles, "ROWS", 8)
    rng, start = random.Random(seed), datetime(2020, 1, 1, tzinfo=UTC)

    def story(n: int, title: str = "") -> Article:
        when = start + timedelta(hours=n)
        return Article(f"a{n:04d}.txt", title or f"S{n}", when, "", "body", "", tags=("Oil",))

    articles = [story(n) for n in range(30)]  # oldest first, as the model places them
    placed, kept = Placement(), DataRows()
    for step in range(60):
        change = rng.choice(["publish", "backfill", "retract", "delete", "edit"])
        if change == "publish":
            articles.append(story(1000 + step))
        elif change == "backfill":
            articles.insert(rng.randrange(len(articles)), story(int(articles[0].path[1:5]) - 1))
            articles.sort(key=lambda a: a.posted)
        elif change == "retract" and len(articles) > 5:
            articles.pop()
        elif change == "delete" and len(articles) > 5:
            articles.pop(rng.randrange(len(articles)))
        else:
            i = rng.randrange(len(articles))
            articles[i] = story(int(articles[i].path[1:5]), f"Edited {step}")
        before = list(kept.csv.blocks)
        rows = ArticleRows(CONFIG, build_archive(articles, placement=placed), kept)
        got = b"".join(rows.csv()), b"".join(rows.jsonl())
        fresh = ArticleRows(CONFIG, build_archive(articles), DataRows(keep=False))
        assert got == (b"".join(fresh.csv()), b"".join(fresh.jsonl())), (step, change)
        blocks = kept.csv.blocks
        assert all(map(len, blocks)) and kept.csv.ends[-1] == len(articles)
        assert len(blocks) <= len(articles) // 2 + 2  # they do not dwindle
        if change == "publish" and before:  # at most the first two joined again
            kept_ids = set(map(id, before))
            assert sum(id(block) not in kept_ids for block in blocks) <= 2, step
            assert all(map(operator.is_, blocks[-2:], before[-2:])), step


@pytest.mark.parametrize("seed", range(4))
def test_scattered_changes_join_again_only_the_blocks_near_them(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Several articles far apart coming, going or changing in one rebuild (as an untagged
    publish can retag old ones): the files stay a clean build's, and the blocks between the
    changes are kept, moved with their runs, not joined again."""
    import random

    monkeypatch.setattr(datafiles, "ROWS", 8)
    rng, start = random.Random(seed), datetime(2020, 1, 1, tzinfo=UTC)

    def story(n: int, title: str = "") -> Article:
        when = start + timedelta(hours=n)
        return Article(f"a{n:05d}.txt", title or f"S{n}", when, "", "body", "", tags=("Oil",))

    articles = [story(10 * n) for n in range(200)]
    placed, kept = Placement(), DataRows()
    for step in range(40):
        changes = rng.randint(1, 4)
        for _ in range(changes):
            i = rng.randrange(len(articles))
            n = int(articles[i].path[1:6])
            kind = rng.choice(["add", "delete", "edit"])
            if kind == "add" and n % 10 != 9:
                articles.insert(i + 1, story(n + 1))
            elif kind == "delete" and len(articles) > 50:
                articles.pop(i)
            else:
                articles[i] = story(n, f"Edited {step}")
        before = set(map(id, kept.csv.blocks))
        rows = ArticleRows(CONFIG, build_archive(articles, placement=placed), kept)
        got = b"".join(rows.csv()), b"".join(rows.jsonl())
        fresh = ArticleRows(CONFIG, build_archive(articles), DataRows(keep=False))
        assert got == (b"".join(fresh.csv()), b"".join(fresh.jsonl())), step
        blocks = kept.csv.blocks
        assert all(map(len, blocks)) and kept.csv.ends[-1] == len(articles)
        assert len(blocks) <= len(articles) // 2 + 2  # they do not dwindle
        if before:  # each change joins again its block and a small neighbour at most
            assert sum(id(block) not in before for block in blocks) <= 3 * changes + 1, step


def test_serve_writes_the_data_files_in_a_thread(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's rows are all in memory, so a thread writes the data files while the build
    goes on (outkept.Background), and the commit waits for it; a write that fails fails the
    build, which leaves the previous site."""
    from newsarchive import outkept

    site, cache = tmp_path / "site", BuildCache()
    build_site(CONFIG, source, site, cache=cache)
    written: list[str] = []
    real = outkept.Background._write

    def write(self: outkept.Background, target: str, pieces: list[bytes]) -> None:
        written.append(target)

        def failing() -> Iterator[bytes]:
            yield pieces[0]
            raise OSError("disk full")

        real(self, target, failing() if (source / "fail").exists() else pieces)  # type: ignore[arg-type]

    monkeypatch.setattr(outkept.Background, "_write", write)
    (source / "c.txt").write_text(article_text(title="Oldest, edited", posted="01.01.2020"))
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache)
    assert len(written) == 3  # the three files, by the thread
    full = tmp_path / "full"
    build_site(CONFIG, source, full, cache_dir=tmp_path / "cache-full")
    for data in ("articles.csv", "articles.jsonl", "tags.csv", "index.html"):
        assert (site / "data" / data).read_bytes() == (full / "data" / data).read_bytes()
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (source / "fail").write_text("")  # (not an article: it only tells write() to fail)
    (source / "c.txt").write_text(article_text(title="Edited again", posted="01.01.2020"))
    cache.changed = None
    with pytest.raises(OSError, match="disk full"):
        build_site(CONFIG, source, site, cache=cache)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    (source / "fail").unlink()
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache)
    assert "Edited again" in (site / "data/articles.csv").read_text(encoding="utf-8")
