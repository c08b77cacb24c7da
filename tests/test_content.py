"""The read stage: the reference format, Markdown, and every kind of bad input."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsarchive.content.discovery import Source
from newsarchive.content.reader import parse_with_digest, read_sources
from newsarchive.content.values import DATE_FORMATS, _parse_date_string, parse_date
from newsarchive.errors import Problem
from newsarchive.model import Article

from .conftest import SEEDS, article_text

UTC = ZoneInfo("UTC")


def parse(path: Path) -> Article | Problem | None:
    return parse_with_digest(Source(path, str(path)), UTC, 280)[1]


def parsed(path: Path) -> Article:
    result = parse(path)
    assert isinstance(result, Article), result
    return result


def problem(path: Path) -> Problem:
    result = parse(path)
    assert isinstance(result, Problem), result
    return result


def test_reference_article() -> None:
    article = parsed(next(SEEDS.glob("*.txt")))
    assert article.posted == datetime(2023, 4, 10, 13, 13, 0, tzinfo=UTC)
    assert article.title == (
        "Lukashenko discussed Belarus’ security guarantees with Shoigu in Minsk in "
        "development of his agreements with Putin"
    )
    paragraphs = article.body_text.split("\n\n")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("The President of Belarus, Aleksandr Lukashenko, has held")
    assert paragraphs[0].endswith("BelTA reports")
    assert paragraphs[-1].endswith("said the Russian Defence Minister.")
    assert article.credits == ("photo: www.belta.by",)
    assert "belta.by" not in article.body_text
    assert article.body_html.count("<p>") == 8
    assert article.summary.startswith("The President of Belarus") and len(article.summary) <= 281


def test_date_formats() -> None:
    assert parse_date("10.04.2023 13:13:05", UTC) == datetime(2023, 4, 10, 13, 13, 5, tzinfo=UTC)
    assert parse_date("10.04.2023 13:13", UTC) == datetime(2023, 4, 10, 13, 13, tzinfo=UTC)
    assert parse_date("10.04.2023", UTC) == datetime(2023, 4, 10, tzinfo=UTC)
    assert parse_date("2023-04-10T13:13:00", UTC) == datetime(2023, 4, 10, 13, 13, tzinfo=UTC)
    minsk = ZoneInfo("Europe/Minsk")
    assert parse_date("2023-04-10T10:13:00Z", minsk) == datetime(2023, 4, 10, 13, 13, tzinfo=minsk)
    assert parse_date("10.04.2023 13:13", minsk).utcoffset().total_seconds() == 3 * 3600
    for bad in ("31.02.2023", "2023/04/10", "yesterday", "10.04.23"):
        with pytest.raises(ValueError):
            parse_date(bad, UTC)


def _formats_then_iso(text: str) -> datetime | str:
    """The plain reading: each of DATE_FORMATS, then ISO 8601 (or the error's text)."""
    for fmt in DATE_FORMATS:
        with contextlib.suppress(ValueError):
            return datetime.strptime(text, fmt)
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return "unparseable"


def test_date_shortcuts_read_what_the_formats_read() -> None:
    """The dotted shape read without strptime, and ISO tried first, give every string the
    value (or the refusal) of trying DATE_FORMATS and then ISO 8601."""
    rng = random.Random(5)
    pieces = ["0", "1", "2", "3", "9", "00", "07", "12", "13", "24", "29", "30", "31", "59"]
    pieces += ["60", "61", "99", "1987", "2024", "0099", "10000", "٢٦", " 1", "+03:00", "Z"]
    texts = ["29.02.2024 23:59:59", "29.02.2023 10:00:00", "2023-04-10T10:13:00z", "2023W01"]
    for _ in range(20_000):
        parts = rng.choices(pieces, k=rng.randint(1, 7))
        seps = rng.choices([".", ".", "-", ":", " ", "T", ""], k=len(parts))
        texts.append("".join(p + q for p, q in zip(parts, seps, strict=True)).strip())
    for _ in range(5_000):  # the reference shape with fields in and out of range
        day, month, year = rng.randint(0, 32), rng.randint(0, 13), rng.choice([99, 1987, 2024])
        hour, minute, second = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 62)
        texts.append(f"{day:02}.{month:02}.{year:04} {hour:02}:{minute:02}:{second:02}")
    parsed = 0
    for text in texts:
        try:
            got: datetime | str = _parse_date_string(text)
        except ValueError:
            got = "unparseable"
        assert got == _formats_then_iso(text), text
        parsed += got != "unparseable"
    assert parsed > 2_000  # many were dates


def test_headers_tags_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "posted: 01.02.2020\nTAGS: Economy, , Belarus,Economy\nSource: BelTA\nAuthor: A. Writer\n"
        "Lang: ru\nSlug: Custom Slug\nSummary: Short.\nDesk: Politics\n\nTitle line\n\nBody.\n"
    )
    article = parsed(path)
    assert article.tags == ("Economy", "Belarus")
    assert (article.source, article.author, article.lang) == ("BelTA", "A. Writer", "ru")
    assert (article.slug, article.summary) == ("Custom Slug", "Short.")
    assert article.meta == (("desk", "Politics"),)


def test_plain_text_is_escaped_not_markup(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(article_text(body="<script>alert(1)</script> *not emphasis* & more"))
    article = parsed(path)
    assert "<script>" not in article.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *not emphasis* &amp; more" in article.body_html


def test_plain_text_html_is_made_from_the_text_when_asked(tmp_path: Path) -> None:
    """A plain-text article keeps no second copy of its body: its HTML is each paragraph
    of ``body_text``, whitespace made single and escaped, in a ``<p>``."""
    path = tmp_path / "x.txt"
    body = "One  <b>\n  two & three.\n\n\n\nFour > five.\n\nphoto: www.belta.by"
    path.write_text(article_text(body=body))
    article = parsed(path)
    assert article.html is None
    assert article.body_text == "One <b> two & three.\n\nFour > five."
    assert article.body_html == "<p>One &lt;b&gt; two &amp; three.</p>\n<p>Four &gt; five.</p>"
    path.write_text(article_text(body="photo: www.belta.by"))
    assert parsed(path).body_html == ""  # credits only: no paragraph, no empty <p>


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(b"\xef\xbb\xbf" + article_text().replace("\n", "\r\n").encode())
    article = parsed(path)
    assert article.title == "A title"
    assert article.body_text == "First paragraph.\n\nSecond paragraph."


def test_title_only_article_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Posted: 26.02.1987 15:01:01\nTags: usa\n\nBRIEF HEADLINE\n")
    article = parsed(path)
    assert article.title == "BRIEF HEADLINE" and article.body_text == "" and article.summary == ""


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("Title only\n\nBody\n", 1, "missing 'Posted:' header"),
        ("Posted: 32.13.2023 10:00\n\nTitle\n", 1, "unparseable date '32.13.2023 10:00'"),
        ("Source: X\nPosted: someday\n\nTitle\n", 2, "unparseable date 'someday'"),
        ("Posted: 10.04.2023\n\n\n", 3, "missing title"),
        ("Posted: 10.04.2023\n", 1, "missing title"),
        ("", 1, "empty file"),
        ("  \n\n \n", 1, "empty file"),
        ("Posted: 10.04.2023\nnot a header\n\nT\n", 2, "expected a 'Key: value' header line"),
        ("Posted: 10.04.2023\nPosted: 11.04.2023\n\nT\n", 2, "duplicate header"),
    ],
)
def test_bad_plain_text(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content)
    found = problem(path)
    assert found.line == line
    assert fragment in found.message
    assert str(found) == f"{path}:{line}: {found.message}"


def test_undecodable_file_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"Posted: 10.04.2023\n\nCaf\xe9 title\n")
    found = problem(path)
    assert found.line == 3
    assert "not valid UTF-8: byte 0xe9 at column 4" in found.message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary file" in problem(path).message


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.mkdir()  # reading a directory fails like an unreadable file, even as root
    found = problem(path)
    assert found.line == 1 and "cannot read file" in found.message


MD_OK = """---
title: "Markdown <b>article</b>"
date: 2023-04-11 09:30
tags: [Belarus, Economy]
author: Jane Doe
---
Intro with **bold** and <em onclick="steal()">html</em>.

<script>alert('x')</script>
<a href="javascript:alert(1)">bad link</a> <a href="https://example.org/">good link</a>
<img src="x.png" onerror="alert(1)">
"""


def test_markdown_article_is_sanitised(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(MD_OK)
    article = parsed(path)
    assert article.title == "Markdown <b>article</b>"
    assert article.posted == datetime(2023, 4, 11, 9, 30, tzinfo=UTC)
    assert article.tags == ("Belarus", "Economy") and article.author == "Jane Doe"
    html = article.body_html
    assert "<strong>bold</strong>" in html and "<em>html</em>" in html
    for unsafe in ("<script", "onclick", "onerror", "javascript:", "alert('x')"):
        assert unsafe not in html
    assert 'href="https://example.org/"' in html
    assert "Intro with bold and html." in article.body_text


def test_markdown_draft_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text("---\ntitle: Later\ndate: 2023-01-01\ndraft: true\n---\nText\n")
    result = read_sources([Source(path, "draft.md")], UTC, 280)
    assert result.articles == [] and result.problems == [] and result.drafts == ["draft.md"]


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    path = tmp_path / "h.md"
    path.write_text("---\ndate: 2023-01-01\n---\n# The heading\n\nBody text.\n")
    article = parsed(path)
    assert article.title == "The heading" and article.body_text == "Body text."


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("no front matter\n", 1, "missing YAML front matter"),
        ("---\ntitle: [unclosed\ndate: 2023-01-01\n---\nx\n", 3, "invalid YAML front matter"),
        (
            "---\ntitle: T\ndate: 2023-01-01\ntags: 42\n---\nx\n",
            4,
            "'tags' must be a list of strings, not a number",
        ),
        (
            "---\ntitle: T\ndate: 2023-01-01\ntags: [a, 3]\n---\nx\n",
            4,
            "'tags' entries must be strings",
        ),
        ("---\ntitle: 12\ndate: 2023-01-01\n---\nx\n", 2, "'title' must be a string, not a number"),
        (
            "---\ntitle: T\ndate: 2023-01-01\ndraft: maybe\n---\nx\n",
            4,
            "'draft' must be true or false",
        ),
        ("---\ntitle: T\ndate: not a date\n---\nx\n", 3, "'date': unparseable date"),
        ("---\ntitle: T\n---\nx\n", 1, "missing 'date:'"),
        ("---\ndate: 2023-01-01\n---\nno heading\n", 4, "missing title"),
        ("---\n- a\n- b\n---\nx\n", 2, "front matter must be a mapping"),
    ],
)
def test_bad_markdown(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content)
    found = problem(path)
    assert fragment in found.message
    assert found.line == line


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    body = "Text\x1b with\x85 controls\tand tab"
    path.write_text(article_text(title="Bell\x07 title", body=body))
    article = parsed(path)
    assert article.title == "Bell title"
    assert article.body_text == "Text with controls and tab"


def test_a_time_the_clocks_skip_is_read_forward_with_a_warning(tmp_path: Path) -> None:
    new_york = ZoneInfo("America/New_York")
    path = tmp_path / "gap.txt"
    path.write_text(article_text(posted="08.03.2026 02:30", source="X"), encoding="utf-8")
    _, article, warnings = parse_with_digest(Source(path, "gap.txt"), new_york, 280)
    assert isinstance(article, Article)
    assert article.posted.isoformat() == "2026-03-08T03:30:00-04:00"
    (warning,) = warnings
    assert (warning.path, warning.line, warning.level) == ("gap.txt", 1, "warning")
    assert warning.message == (
        "02:30 on 08.03.2026 does not exist in America/New_York (clocks went forward); "
        "read as 03:30 EDT"
    )
    md = tmp_path / "gap.md"
    md.write_text("---\ntitle: T\ndate: 2026-03-08 02:30\n---\nB\n", encoding="utf-8")
    _, article, warnings = parse_with_digest(Source(md, "gap.md"), new_york, 280)
    assert isinstance(article, Article) and article.posted.hour == 3
    assert [(w.line, w.level) for w in warnings] == [(3, "warning")]


def test_times_in_the_repeated_hour_keep_their_offset() -> None:
    new_york = ZoneInfo("America/New_York")
    assert parse_date("2026-11-01T05:50Z", new_york).isoformat() == "2026-11-01T01:50:00-04:00"
    assert parse_date("2026-11-01T06:10Z", new_york).isoformat() == "2026-11-01T01:10:00-05:00"
    # Without an offset, the first of the two (daylight time), and no warning.
    notes: list[str] = []
    assert parse_date("01.11.2026 01:30", new_york, notes).isoformat().endswith("-04:00")
    assert notes == []


@pytest.mark.parametrize("posted", ["01.01.0099 12:00", "01.01.9999 00:00", "0001-01-01T00:00Z"])
def test_dates_outside_the_supported_years_are_refused(posted: str) -> None:
    with pytest.raises(ValueError, match=r"out of range \(years 100 to 9998 supported\)"):
        parse_date(posted, UTC)


def test_forked_read_gives_the_same_result_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-off build of many files parses them in forked processes (reader._TASK_SOURCES
    made small here): the articles, problems, drafts and digests are the serial read's."""
    import os

    import newsarchive.content.reader as reader

    sources = []
    for i in range(23):
        path = tmp_path / f"a{i:02d}.txt"
        if i % 7 == 3:
            path.write_text("no header here\n")  # a Problem
        elif i % 7 == 5:
            path = path.with_suffix(".md")
            path.write_text("---\ntitle: Later\ndate: 2023-01-01\ndraft: true\n---\nText\n")
        else:
            path.write_text(article_text(f"Title {i}", f"{(i % 28) + 1:02d}.03.2023 10:00:00"))
        sources.append(Source(path, path.name))
    serial = read_sources(sources, UTC, 280, root=tmp_path)
    parents = []
    original = reader.parse_with_digest

    def parse_where(*args: object, **kwargs: object) -> object:
        parents.append(os.getpid())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_TASK_SOURCES", 4)
    monkeypatch.setattr(reader, "parse_with_digest", parse_where)
    forked = read_sources(sources, UTC, 280, root=tmp_path, jobs=2)
    assert forked == serial
    assert len(serial.articles) == 17 and len(serial.problems) == 3 and len(serial.drafts) == 3
    assert parents == []  # every file was parsed in a child, none here


def test_the_build_works_meanwhile_while_forks_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``meanwhile`` (the tags stage's preparation, in a build) runs once in this process
    while the forks still read: the child reading the last file waits for what it leaves,
    and would give up (an error) had it run only after the reads. A serial read, which
    leaves this process no waiting to fill, does not call it."""
    import os
    import time

    import newsarchive.content.reader as reader

    sources = []
    for i in range(12):
        path = tmp_path / f"a{i:02d}.txt"
        path.write_text(article_text(f"Title {i}", f"{i + 1:02d}.03.2023 10:00:00"))
        sources.append(Source(path, path.name))
    mark, original, calls = tmp_path / "meanwhile", reader.parse_with_digest, []

    def last_waits(source: Source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source is sources[-1]:
            deadline = time.monotonic() + 20
            while not mark.exists():
                assert time.monotonic() < deadline, "meanwhile did not run while forks read"
                time.sleep(0.01)
        return original(source, *args, **kwargs)

    def meanwhile() -> None:
        calls.append(os.getpid())
        mark.write_text("done")

    monkeypatch.setattr(reader, "_TASK_SOURCES", 4)
    monkeypatch.setattr(reader, "parse_with_digest", last_waits)
    read = read_sources(sources, UTC, 280, root=tmp_path, jobs=2, meanwhile=meanwhile)
    assert len(read.articles) == 12 and calls == [os.getpid()]
    mark.unlink()
    monkeypatch.setattr(reader, "parse_with_digest", original)
    assert read_sources(sources, UTC, 280, root=tmp_path, meanwhile=meanwhile) == read
    assert calls == [os.getpid()]


@pytest.mark.parametrize("only_articles", [False, True])
def test_serve_reads_only_what_changed_and_gets_a_full_reads_result(
    tmp_path: Path, only_articles: bool
) -> None:
    """serve's read (a SourceCache, the watcher's paths, rediscover) after edits, new files,
    deletes, bad files and drafts: the result of reading every file afresh, with only the
    changed files parsed again. With only articles, the last result is patched
    (reader._patched_result)."""
    import os
    import random

    import newsarchive.content.reader as reader
    from newsarchive.content.discovery import discover, rediscover
    from newsarchive.content.reader import SourceCache

    rng = random.Random(18)
    folder = tmp_path / "src"
    folder.mkdir()

    def write(name: str) -> Path:
        path = folder / name
        kind = rng.choice(["article"] * 6 + ([] if only_articles else ["problem", "draft"]))
        if kind == "problem":
            path.write_text("no header here\n")
        elif kind == "draft":
            path = path.with_suffix(".md")
            path.write_text("---\ntitle: Later\ndate: 2023-01-01\ndraft: true\n---\nText\n")
        else:
            day = rng.randint(1, 28)
            path.write_text(article_text(f"Title {rng.random()}", f"{day:02d}.03.2023 10:00:00"))
        return path

    for i in range(40):
        write(f"a{i:03d}.txt")
    cache = SourceCache()
    sources = discover(folder)
    read_sources(sources, UTC, 280, cache=cache, root=folder)
    parsed: list[str] = []
    original = reader.parse_with_digest

    def counted(source: Source, *args: object) -> object:
        parsed.append(source.display)
        return original(source, *args)  # type: ignore[arg-type]

    walks: list[int] = []
    all_rows = reader._rows

    def every_row(sources: list[Source], *args: object) -> object:
        walks.append(len(sources))
        return all_rows(sources, *args)  # type: ignore[arg-type]

    for step in range(40):
        files = sorted(p for p in folder.iterdir())
        changed = set()
        for _ in range(rng.randint(1, 3)):
            what = rng.choice(["edit", "new", "delete"])
            if what == "delete" and len(files) > 5:
                victim = files.pop(rng.randrange(len(files)))
                victim.unlink()
                changed.add(victim)
            elif what == "new":
                changed.add(write(f"b{step:02d}{rng.randint(0, 99):02d}.txt"))
            else:
                victim = rng.choice(files)
                stamp = victim.stat().st_mtime_ns + 1_000_000
                victim.write_text(victim.read_text() + "\nMore text.\n")
                os.utime(victim, ns=(stamp, stamp))  # a new time even on a coarse clock
                changed.add(victim)
        found = rediscover(folder, sources, changed)
        assert found is not None
        sources, fresh = found
        parsed.clear()
        reader.parse_with_digest = counted  # type: ignore[assignment]
        reader._rows = every_row  # type: ignore[assignment]
        try:
            kept = read_sources(sources, UTC, 280, cache=cache, fresh=fresh, root=folder)
        finally:
            reader.parse_with_digest, reader._rows = original, all_rows
        assert kept == read_sources(discover(folder), UTC, 280, root=folder), step
        assert set(parsed) <= {str(path) for path in changed}, step
    assert walks == []  # every read patched the last one's rows
    assert (cache.patched == 40) if only_articles else (cache.patched < 40)


@pytest.mark.parametrize("window", [1, 3, 50])
def test_read_ahead_asks_for_each_file_once_before_its_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """A cold read queues the disk reads of the next files (POSIX_FADV_WILLNEED) while one
    is parsed: every readable file is asked for once, ``window`` turns ahead, a refused one
    (a link leaving the folder) and a missing one never, and the order is unchanged."""
    import os

    from newsarchive.content.reader import read_ahead

    sources = []
    for i in range(12):
        path = tmp_path / f"a{i:02d}.txt"
        if i != 7:  # a7 was deleted after discovery: opening it fails, quietly
            path.write_text(article_text(f"Title {i}", "01.03.2023 10:00:00"))
        sources.append(Source(path, path.name, "skipped" if i == 4 else ""))
    asked: list[str] = []
    opened: dict[int, str] = {}
    real_open = os.open

    def record_open(path: object, flags: int, *args: object) -> int:
        descriptor = real_open(path, flags, *args)  # type: ignore[arg-type]
        opened[descriptor] = Path(str(path)).name
        return descriptor

    def record_advice(descriptor: int, offset: int, length: int, advice: int) -> None:
        assert (offset, length, advice) == (0, 0, os.POSIX_FADV_WILLNEED)
        asked.append(opened[descriptor])

    monkeypatch.setattr(os, "open", record_open)
    monkeypatch.setattr(os, "posix_fadvise", record_advice)
    order = []
    for turn, source in enumerate(read_ahead(sources, window)):
        order.append(source)
        ahead = min(turn + window + 1, len(sources))  # asked for: every file before `ahead`
        assert asked == [
            s.path.name for s in sources[:ahead] if s.path.name not in ("a04.txt", "a07.txt")
        ]
    assert order == sources


def test_the_reader_counts_the_words_of_the_text(tmp_path: Path) -> None:
    """The data files' word count, counted as the reader splits the text (in its forks on
    a cold build): the words of ``body_text``, not of the credit lines or the title; a copy
    with another text counts again."""
    text = tmp_path / "a.txt"
    text.write_text(
        "Posted: 05.03.2023 10:00:00\n\nA   title of words\n\nFirst  paragraph,\n"
        "two lines.\n\n\n  Second\tone  \n\nphoto: www.belta.by\n",
        encoding="utf-8",
    )
    md = tmp_path / "b.md"
    md.write_text(
        "---\ntitle: T\ndate: 2023-03-05\n---\nSome *marked* text,\n\n- a list\n- of three\n\n"
        "| a | b |\n|---|---|\n| c d | e |\n",
        encoding="utf-8",
    )
    for path, expected in ((text, 6), (md, 12)):
        _, article, _ = parse_with_digest(Source(path, path.name), UTC, 280)
        assert isinstance(article, Article)
        assert article.words == len(article.body_text.split()) == expected, path.name
        assert article.word_count == expected
        again = article.replaced(body_text="only three words")
        assert again.words == -1 and again.word_count == 3
        assert article.replaced(title="Other").words == expected
