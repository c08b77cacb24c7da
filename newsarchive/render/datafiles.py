"""The archive as data: ``data/articles.csv``, ``data/articles.jsonl`` (with the text) and
``data/tags.csv``, for spreadsheets, notebooks and databases.

Written row by row straight to the output (:meth:`.output.SiteWriter.write_stream`): the
articles' text is in memory once already, and a 100,000-article archive's JSON Lines file
must not make it twice. Rows come newest first, as the site lists them; CSV is RFC 4180
(UTF-8 without a byte order mark, ``\\r\\n`` line ends, the csv module's quoting), a list in
a CSV cell is joined with ``"; "``; JSON Lines has one object a line, its keys in a fixed
order, lists as lists. The files are keyed by what they are made from, so a rebuild in which
no article changed keeps them (see :meth:`.output.SiteWriter.reusable`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..model import Archive, Article, Tag
from ..output import SiteWriter

ARTICLE_FIELDS = ("url", "title", "date", "tags", "kinds", "source", "author", "lang", "words")
TAG_FIELDS = ("name", "slug", "kind", "count", "url")
LIST_SEPARATOR = "; "  # tags and kinds in a CSV cell (a tag may hold a comma)
CHUNK = 1 << 16  # characters gathered before a write


@dataclass(frozen=True)
class DataFile:
    """A written data file, as the /data/ page describes it."""

    name: str  # below data/: "articles.csv"
    rows: int  # not counting the CSV header
    size: int  # bytes

    @property
    def path(self) -> str:
        return "data/" + self.name


def write_data(writer: SiteWriter, config: Config, archive: Archive, key: str) -> list[DataFile]:
    """Write (or keep, when ``key``, a digest of every article and tag, is the previous
    build's) the three data files."""
    rows = ArticleRows(config, archive)
    files: list[tuple[str, int, Callable[[], Iterator[str]]]] = [
        ("articles.csv", len(archive.articles), lambda: _csv(ARTICLE_FIELDS, rows.csv())),
        ("articles.jsonl", len(archive.articles), rows.jsonl),
        ("tags.csv", len(archive.tags), lambda: _csv(TAG_FIELDS, tag_rows(config, archive.tags))),
    ]
    written = []
    for name, count, lines in files:
        path = "data/" + name
        if writer.reusable(path, key):
            size = writer.reuse(path, key)
        else:
            size = writer.write_stream(path, _chunks(lines()), key)
        written.append(DataFile(name, count, size))
    return written


class ArticleRows:
    """Each article's fields (ARTICLE_FIELDS), made as each row is written (kept, they would
    take half a kilobyte an article): tags under the archive's name for them (as the tag
    pages and tags.csv spell them), each with its kind ("" when not known)."""

    def __init__(self, config: Config, archive: Archive):
        self.articles = archive.articles
        self.base = config.site_url
        self.lang = config.site_language
        self.tags = {tag.name.casefold(): tag for tag in archive.tags}
        # Word counts are the one costly field (a split of every text): counted once for
        # both files, an int an article.
        self.words: dict[int, int] = {}

    def _of(self, article: Article) -> list[Any]:
        # By name: hashing a Tag would hash its every article.
        tags = [self.tags[key] for key in dict.fromkeys(name.casefold() for name in article.tags)]
        return [
            self.base + article.url,
            article.title,
            article.posted.isoformat(),
            [tag.name for tag in tags],
            [tag.kind for tag in tags],
            article.source,
            article.author,
            article.lang or self.lang,
            self._words(article),
        ]

    def _words(self, article: Article) -> int:
        count = self.words.get(id(article))
        if count is None:
            count = self.words[id(article)] = len(article.body_text.split())
        return count

    def csv(self) -> Iterator[list[Any]]:
        join = LIST_SEPARATOR.join
        for article in self.articles:
            url, title, date, tags, kinds, *rest = self._of(article)
            yield [url, title, date, join(tags), join(kinds), *rest]

    def jsonl(self) -> Iterator[str]:
        for article in self.articles:
            row = dict(zip(ARTICLE_FIELDS, self._of(article), strict=True))
            row["text"] = article.body_text
            line = json.dumps(row, ensure_ascii=False)
            # Line and paragraph separators are line breaks to some readers (str.splitlines).
            yield line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def tag_rows(config: Config, tags: Iterable[Tag]) -> Iterator[list[Any]]:
    for tag in tags:
        yield [tag.name, tag.slug, tag.kind, len(tag.articles), config.absolute(tag.url)]


class _Lines:
    """Where csv.writer puts each row's text."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)


def _csv(header: Iterable[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    out = _Lines()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        yield from out.lines
        out.lines.clear()
    yield from out.lines


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 in pieces of about CHUNK characters (one write each)."""
    gathered: list[str] = []
    size = 0
    for line in lines:
        gathered.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(gathered).encode()
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered).encode()
