"""The archive as data: ``data/articles.csv``, ``data/articles.jsonl`` (with the text) and
``data/tags.csv``, for spreadsheets, notebooks and databases.

Written row by row straight to the output (:meth:`.output.SiteWriter.write_stream`): the
articles' text is in memory once already, and a 100,000-article archive's JSON Lines file
must not make it twice in a build. ``serve`` keeps each article's encoded rows instead
(:class:`DataRows`, about the files' size), so that an edit encodes its own row and the
files are the kept bytes joined again, written by a thread while the build goes on. Rows
come newest first, as the site lists them; CSV is RFC 4180 (UTF-8 without a byte order
mark, ``\\r\\n`` line ends, the csv module's quoting), a list in a CSV cell is joined with
``"; "``; JSON Lines has one object a line, its keys in a fixed order, lists as lists. The
files are keyed by what they are made from, so a rebuild in which no article changed keeps
them (see :meth:`.output.SiteWriter.reusable`).
"""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import operator
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..changes import MOST
from ..config import Config
from ..matching import Matching, matching
from ..model import Archive, Article, Tag
from ..output import SiteWriter
from .tagstale import carrying, positions

ARTICLE_FIELDS = ("url", "title", "date", "tags", "kinds", "source", "author", "lang", "words")
TAG_FIELDS = ("name", "slug", "kind", "count", "url")
LIST_SEPARATOR = "; "  # tags and kinds in a CSV cell (a tag may hold a comma)
CHUNK = 1 << 16  # bytes gathered before a write
ROWS = 1024  # kept rows joined for a write
_PATH = operator.attrgetter("path")
_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps made an encoder a row


@dataclass(frozen=True)
class DataFile:
    """A written data file, as the /data/ page describes it."""

    name: str  # below data/: "articles.csv"
    rows: int  # not counting the CSV header
    size: int  # bytes

    @property
    def path(self) -> str:
        return "data/" + self.name


def write_data(
    writer: SiteWriter,
    config: Config,
    archive: Archive,
    key: str,
    kept: DataRows | None = None,
) -> list[DataFile]:
    """Write (or keep, when ``key``, a digest of every article and tag, is the previous
    build's) the three data files. ``kept``: serve's rows of the last build (see
    :class:`DataRows`), so that an edit encodes one row again, not every one."""
    rows = ArticleRows(config, archive, kept if kept is not None else DataRows(keep=False))
    files: list[tuple[str, int, Callable[[], Iterator[bytes]]]] = [
        ("articles.csv", len(archive.articles), rows.csv),
        ("articles.jsonl", len(archive.articles), rows.jsonl),
        ("tags.csv", len(archive.tags), lambda: _tags_csv(config, archive.tags)),
    ]
    # serve's first build over a site that has the files still encodes the rows it keeps:
    # else its first edit encoded every row (at a million articles, gigabytes at that edit).
    unkept = rows.kept.keeping and not rows.kept.csv.articles
    written = []
    for name, count, chunks in files:
        path = "data/" + name
        if writer.reusable(path, key) and not (unkept and count and name != "tags.csv"):
            size = writer.reuse(path, key)
        else:
            size = writer.write_stream(path, chunks(), key, held=rows.kept.keeping)
        written.append(DataFile(name, count, size))
    return written


@dataclass
class KeptRows:
    """One data file's rows of the last build: its articles and their encoded rows (newest
    first) joined in blocks of at most ROWS, written as they are, with the position after
    each block's last row and, per block, where each of its rows starts (and the last ends).
    A row is a slice of its block (:meth:`row`): the rows kept beside the blocks as bytes
    of their own were a second copy of both files (128 MB at 100,000 articles)."""

    articles: Sequence[Article] = ()
    blocks: list[bytes] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cuts: list[array[int]] = field(default_factory=list)

    def row(self, j: int) -> bytes:
        """Row ``j``'s bytes, cut from its block."""
        k = bisect.bisect_right(self.ends, j)
        cut, at = self.cuts[k], j - (self.ends[k - 1] if k else 0)
        return self.blocks[k][cut[at] : cut[at + 1]]


class DataRows:
    """Each article's encoded rows (CSV and JSON Lines, as bytes) from the last build, for
    ``serve``: kept in the articles' order (see :mod:`.incremental`'s rule), so that a
    rebuild encodes the rows of the articles that changed (:func:`.matching.matching`) and
    joins again only the blocks that hold them; valid while the site URL and the language
    are the same. A row also shows its tags' names and kinds, the archive's (a row spells its
    tags the archive's way, which a new article can change: a found name's most used
    spelling, a tag's kind), so the rows of the articles that carry a tag whose name or
    kind changed are encoded again too (:mod:`.tagstale`). ``keep=False`` (a one-off build)
    keeps nothing, and the rows are encoded as the files are streamed."""

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self.csv, self.jsonl = KeptRows(), KeptRows()
        self.made = 0  # rows encoded (CSV and JSON Lines each count), for the tests
        self._context: tuple[str, str] | None = None
        self._tags: dict[str, tuple[str, str]] = {}
        self.stale: dict[int, Article] = {}  # kept rows to encode again, by article id

    def start(self, base: str, lang: str, tags: Sequence[Tag]) -> None:
        """Forget the rows made for another site URL or language, and those of the articles
        that carry a tag spelt otherwise or of another kind (:attr:`stale`)."""
        if not self.keeping:
            return
        now = {tag.name.casefold(): (tag.name, tag.kind) for tag in tags}
        # A tag only added or gone changes no kept row: an article naming it is new.
        before = self._tags
        respelled = {name for name, spelled in now.items() if before.get(name, spelled) != spelled}
        self.stale = carrying(tags, respelled) if respelled else {}
        if self._context != (base, lang):
            self.csv, self.jsonl = KeptRows(), KeptRows()
        self._context, self._tags = (base, lang), now


class ArticleRows:
    """Each article's row, encoded when the file is written (or kept by :class:`DataRows`):
    tags under the archive's name for them (as the tag pages and tags.csv spell them), each
    with its kind ("" when not known)."""

    def __init__(self, config: Config, archive: Archive, kept: DataRows):
        self.articles = archive.articles
        self.base = config.site_url
        self.lang = config.site_language
        self.tags = {tag.name.casefold(): tag for tag in archive.tags}
        self.kept = kept
        kept.start(self.base, self.lang, archive.tags)
        # Each distinct list of tags as the archive spells them, and their kinds: many
        # articles carry the same few tags (a third of the rows' time went to them).
        self.spelled: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}

    def _of(self, article: Article) -> list[Any]:
        return [
            self.base + article.url,
            article.title,
            article.posted.isoformat(),
            *self._tags(article.tags),
            article.source,
            article.author,
            article.lang or self.lang,
            article.word_count,  # (counted by the reader)
        ]

    def _tags(self, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
        spelled = self.spelled.get(names)
        if spelled is None:
            # By name: hashing a Tag would hash its every article.
            tags = [self.tags[key] for key in dict.fromkeys(name.casefold() for name in names)]
            spelled = self.spelled[names] = [tag.name for tag in tags], [tag.kind for tag in tags]
        return spelled

    def csv(self) -> Iterator[bytes]:
        out = _Lines()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ARTICLE_FIELDS)
        join = LIST_SEPARATOR.join

        def row(article: Article) -> bytes:
            url, title, date, tags, kinds, *rest = self._of(article)
            writer.writerow([url, title, date, join(tags), join(kinds), *rest])
            return out.take()

        return _chunks([out.take()], self._rows(self.kept.csv, row))

    def jsonl(self) -> Iterator[bytes]:
        def row(article: Article) -> bytes:
            fields = dict(zip(ARTICLE_FIELDS, self._of(article), strict=True))
            fields["text"] = article.body_text
            line = _json(fields)
            # Line and paragraph separators are line breaks to some readers (str.splitlines).
            return (line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n").encode()

        return _chunks([], self._rows(self.kept.jsonl, row))

    def _rows(self, kept: KeptRows, make: Callable[[Article], bytes]) -> Iterator[bytes]:
        """Every article's row, newest first: kept ones as they were, others made. Once all
        are, ``kept`` holds this build's (a file kept whole leaves the last build's)."""
        articles = self.articles
        if not self.kept.keeping:  # a one-off build: every row made, as the file is written
            yield from map(make, articles)
            self.kept.made += len(articles)
            return

        def made(i: int) -> bytes:
            self.kept.made += 1
            return make(articles[i])

        if kept.articles and kept.blocks:
            found = matching(kept.articles, articles, MOST, _PATH)
            if found is not None:
                stale = positions(articles, self.kept.stale) if self.kept.stale else []
                out = _blocks(kept, _rows_of(kept, found, made, stale), len(articles), found, stale)
                yield from out.blocks
                kept.articles, kept.blocks, kept.ends, kept.cuts = articles, *out.parts
                return
        rows = list(map(made, range(len(articles))))
        out = Joined()
        out.join(rows.__getitem__, 0, len(rows))
        del rows  # the blocks hold them
        yield from out.blocks
        kept.articles, kept.blocks, kept.ends, kept.cuts = articles, *out.parts


def _rows_of(
    kept: KeptRows, found: Matching[Article], made: Callable[[int], bytes], stale: list[int]
) -> Callable[[int], bytes]:
    """Row ``i`` of this build, asked for only where blocks are joined again: the last
    build's, cut from its block, where a run of the very same articles holds it and it is
    not ``stale``; else encoded (once)."""
    runs, again, done = found.runs, set(stale), {}
    firsts = [i for i, _, _ in runs]

    def row(i: int) -> bytes:
        r = bisect.bisect_right(firsts, i) - 1
        if r >= 0 and i not in again:
            first, j, length = runs[r]
            if i < first + length:
                return kept.row(j + i - first)
        if i not in done:
            done[i] = made(i)
        return done[i]

    return row


@dataclass
class Joined:
    """Blocks being made: each block's bytes, the position after its last row and where
    its rows start (:class:`KeptRows`)."""

    blocks: list[bytes] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    cuts: list[array[int]] = field(default_factory=list)

    @property
    def parts(self) -> tuple[list[bytes], list[int], list[array[int]]]:
        return self.blocks, self.ends, self.cuts

    def join(self, row: Callable[[int], bytes], start: int, stop: int) -> None:
        """Rows ``start`` to ``stop`` joined in blocks of ROWS counted from the end (the
        first one holds what is left, where new articles come)."""
        ends = list(range(stop, start, -ROWS))[::-1]
        for at, end in zip([start, *ends[:-1]], ends, strict=True):
            rows = list(map(row, range(at, end)))
            self.add(
                b"".join(rows), end, array("I", itertools.accumulate(map(len, rows), initial=0))
            )

    def add(self, block: bytes, end: int, cut: array[int]) -> None:
        self.blocks.append(block)
        self.ends.append(end)
        self.cuts.append(cut)

    def pop(self) -> None:
        del self.blocks[-1], self.ends[-1], self.cuts[-1]


def _blocks(
    kept: KeptRows,
    row: Callable[[int], bytes],
    count: int,
    found: Matching[Article],
    also: list[int],
) -> Joined:
    """The ``count`` rows (``row(i)``) joined in blocks: the last build's blocks that lie
    wholly in a run of the very same articles and hold none of the rows at ``also``
    (encoded again), moved with their run; the rows between them joined again (a new
    article, the newest, was every block when blocks were counted from the front). A gap
    of fewer than ROWS // 4 rows takes the next block in, so that blocks do not dwindle."""
    blocks, ends, cuts = kept.blocks, kept.ends, kept.cuts
    starts = [0, *ends[:-1]]
    moved: list[tuple[int, int, int]] = []  # (new start, new end, the block's number)
    for i, j, length in found.runs:
        first = bisect.bisect_left(starts, j)
        last = bisect.bisect_right(ends, j + length)
        moved += ((starts[k] - j + i, ends[k] - j + i, k) for k in range(first, last))
    if also:  # a block holding a row encoded again is joined again
        again = sorted(also)
        moved = [
            m for m in moved if bisect.bisect_left(again, m[0]) == bisect.bisect_left(again, m[1])
        ]
    out = Joined()
    at = 0
    for start, end, k in moved:
        if at < start:  # rows to join again; fewer than ROWS // 4 take this block in
            stop = end if start - at < ROWS // 4 else start
            out.join(row, at, stop)
            at = stop
        if at == start:
            out.add(blocks[k], end, cuts[k])
            at = end
    if at < count:  # the oldest rows; few of them take the last block in
        if out.blocks and count - at < ROWS // 4:
            out.pop()
            at = out.ends[-1] if out.ends else 0
        out.join(row, at, count)
    return out


def tag_rows(config: Config, tags: Iterable[Tag]) -> Iterator[list[Any]]:
    for tag in tags:
        yield [tag.name, tag.slug, tag.kind, len(tag.articles), config.absolute(tag.url)]


class _Lines:
    """Where csv.writer puts each row's text."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def take(self) -> bytes:
        text = "".join(self.lines)
        self.lines.clear()
        return text.encode()


def _tags_csv(config: Config, tags: Iterable[Tag]) -> Iterator[bytes]:
    out = _Lines()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TAG_FIELDS)
    header = out.take()

    def lines() -> Iterator[bytes]:
        for row in tag_rows(config, tags):
            writer.writerow(row)
            yield out.take()

    return _chunks([header], lines())


def _chunks(first: list[bytes], rows: Iterable[bytes]) -> Iterator[bytes]:
    """The file in pieces of about CHUNK bytes (one write each)."""
    gathered, size = first, sum(map(len, first))
    for row in rows:
        gathered.append(row)
        size += len(row)
        if size >= CHUNK:
            yield b"".join(gathered)
            gathered, size = [], 0
    if gathered:
        yield b"".join(gathered)
