"""Hostile input: whatever one article file holds, reading it gives an article or a located
Problem for that file, and the rest of the archive still builds (issue 15, item 2)."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsarchive.build import build_site, load_archive
from newsarchive.config import Config
from newsarchive.content.discovery import Source
from newsarchive.content.reader import parse_bytes
from newsarchive.errors import Problem
from newsarchive.model import Article
from newsarchive.placing import build_archive

from .conftest import article_text

ZONES = [ZoneInfo("UTC"), ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]
UNFORESEEN = "please report it"  # the reader's words for an error it has no message for

DEEP_TAGS = "---\ntitle: Deep\ndate: 2023-01-01\ntags: " + "[" * 3000 + "]" * 3000 + "\n---\nB\n"
DEEP_LIST = (
    "---\ntitle: Deep\ndate: 2023-01-01\ntags:\n"
    + "".join("  " * i + "- \n" for i in range(1500))
    + "---\nBody\n"
)
# Each file of the issue, the line its problem must name and a fragment of its message.
ISSUE_CASES = {
    "year-one.txt": (article_text(posted="01.01.0001 00:00:00"), 1, "out of range"),
    "year-9999.txt": (article_text(posted="9999-12-31T23:00:00-05:00"), 1, "out of range"),
    "feb-30.md": ("---\ntitle: T\ndate: 2023-02-30\n---\nBody\n", 3, "2023-02-30"),
    "deep-tags.md": (DEEP_TAGS, 4, "nested more than"),
    "deep-list.md": (DEEP_LIST, 36, "nested more than"),
    "tag-list.md": ("---\ntitle: T\ndate: 2023-01-01\ntags: [a, [b]]\n---\nB\n", 4, "a list"),
    "tag-map.md": ("---\ntitle: T\ndate: 2023-01-01\ntags: [{a: 1}]\n---\nB\n", 4, "a mapping"),
    "year-one.md": ("---\ntitle: T\ndate: 0001-01-01\n---\nB\n", 3, "out of range"),
    "bad-offset.md": ("---\ntitle: T\ndate: 2023-01-01 10:00:00+99:00\n---\nB\n", 3, "no such"),
}


def read(name: str, content: str, tz: ZoneInfo = ZONES[1]) -> Article | Problem | None:
    parsed, _ = parse_bytes(Source(Path(name), name), content.encode("utf-8"), tz, 280)
    return parsed


@pytest.mark.parametrize("name", ISSUE_CASES)
def test_each_case_of_the_issue_is_a_located_problem(name: str) -> None:
    content, line, fragment = ISSUE_CASES[name]
    result = read(name, content)
    assert isinstance(result, Problem), result
    assert (result.path, result.line, result.level) == (name, line, "error")
    assert fragment in result.message and UNFORESEEN not in result.message


def test_bad_articles_are_skipped_and_the_rest_builds(tmp_path: Path, write_articles) -> None:
    files: dict[str, str | bytes] = {n: content for n, (content, _, _) in ISSUE_CASES.items()}
    source = write_articles({**files, "good.txt": article_text(title="Still here")})
    config = Config(timezone="America/New_York")
    result = build_site(config, source, tmp_path / "site")
    assert result.articles == 1
    assert sorted(Path(p.path).name for p in result.errors) == sorted(ISSUE_CASES)
    assert (tmp_path / "site/2023/04/10/still-here/index.html").is_file()


def test_a_title_like_a_suffixed_url_does_not_take_it(tmp_path: Path, write_articles) -> None:
    """An earlier article whose title slugs to another's collision URL used to make two
    pages want one file, and the build stopped."""
    twins = {
        "a.txt": article_text(title="Hello", posted="10.04.2023 09:00"),
        "b.txt": article_text(title="Hello", posted="10.04.2023 10:00"),
    }
    first = build_site(Config(), write_articles(twins), tmp_path / "site")
    suffixed = {Path(path).name: url for path, url in first.urls.items()}["b.txt"]
    suffix = suffixed.rstrip("/").rsplit("-", 1)[1]
    earlier = article_text(title=f"Hello {suffix}", posted="10.04.2023 08:00")
    result = build_site(Config(), write_articles({"c.txt": earlier}), tmp_path / "site")
    assert result.ok and result.articles == 3
    urls = {Path(path).name: url for path, url in result.urls.items()}
    assert urls["c.txt"] == suffixed and len(set(urls.values())) == 3
    assert urls["b.txt"].startswith(suffixed.rstrip("/"))


# Generated input. Dates cover the whole range Python allows and past it, in every form.
numbers = st.integers(min_value=0, max_value=99999)
dotted = st.builds(
    "{:02d}.{:02d}.{:04d} {:02d}:{:02d}:{:02d}".format,
    *(st.integers(0, 40),) * 2,
    numbers,
    *(st.integers(0, 70),) * 3,
)
iso = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:00{}".format,
    numbers,
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 60),
    st.sampled_from(["", "Z", "+14:00", "-12:00", "+99:00", "-05:00", "+00:30"]),
)
extreme = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
date_text = st.one_of(
    extreme.map(lambda d: d.strftime("%d.%m.%Y %H:%M:%S")),
    extreme.map(lambda d: d.isoformat(timespec="minutes")),
    dotted,
    iso,
    st.text(max_size=30),
)
line_text = st.text(
    st.characters(exclude_characters="\n\r", exclude_categories=["Cs"]), max_size=40
)
title = st.one_of(line_text, st.sampled_from(["!!! ???", "🙂🔥", "", " ", "a" * 300]))


def nested(leaves: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """YAML flow values: scalars, lists and mappings, sometimes very deep."""
    deep = st.builds(lambda n, v: "[" * n + v + "]" * n, st.integers(30, 2000), leaves)
    return st.one_of(
        st.recursive(
            leaves,
            lambda inner: st.one_of(
                st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
                st.lists(inner, max_size=2).map(
                    lambda xs: "{" + ", ".join(f"k{i}: {x}" for i, x in enumerate(xs)) + "}"
                ),
            ),
            max_leaves=6,
        ),
        deep,
    )


yaml_scalar = st.one_of(
    date_text,
    st.sampled_from(
        ["true", "null", "~", "1e400", "0x1F", "'quoted'", "*alias", "&a x", "!!binary x"]
    ),
    line_text,
)


@st.composite
def plain_text_article(draw: st.DrawFn) -> str:
    headers = [f"Posted: {draw(date_text)}"]
    keys = st.sampled_from(["Tags", "Slug", "Summary", "Lang", "Title", "X-Note"])
    headers += draw(st.lists(st.builds("{}: {}".format, keys, line_text), max_size=4))
    body = draw(st.text(max_size=200))
    return "\n".join(headers) + f"\n\n{draw(title)}\n\n{body}\n"


@st.composite
def markdown_article(draw: st.DrawFn) -> str:
    fields = {
        "title": draw(st.one_of(title.map(repr), yaml_scalar)),
        "date": draw(st.one_of(extreme.map(str), st.dates().map(str), yaml_scalar)),
        "tags": draw(nested(yaml_scalar)),
        "slug": draw(yaml_scalar),
        "draft": draw(st.sampled_from(["false", "no", "[]", "maybe"])),
    }
    chosen = [key for key in ("title", "date") if draw(st.integers(0, 9))]  # mostly there
    chosen += draw(st.lists(st.sampled_from(["tags", "slug", "draft"]), unique=True))
    front = "".join(f"{key}: {fields[key]}\n" for key in chosen)
    return f"---\n{front}---\n{draw(st.text(max_size=200))}\n"


def check(text: str, name: str, tz: ZoneInfo) -> None:
    """Read generated text as file ``name``: an article, a draft or a located Problem."""
    data = text.encode("utf-8", "surrogatepass")
    parsed, warnings = parse_bytes(Source(Path(name), name), data, tz, 280)
    if isinstance(parsed, Problem):
        assert parsed.path == name and parsed.line >= 1 and parsed.message
        assert UNFORESEEN not in parsed.message, parsed
    else:
        assert parsed is None or isinstance(parsed, Article)
    for warning in warnings:
        assert warning.level == "warning" and warning.line >= 1
    if isinstance(parsed, Article):  # what later stages do with a date must not overflow
        parsed.posted.astimezone(UTC)
        archive = build_archive([parsed])
        assert archive.articles[0].url.startswith(f"{parsed.posted.year:04d}/")


GENERATED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(plain_text_article(), st.sampled_from(ZONES))
@example("Posted: 01.01.0001 00:00:00\n\nT\n", ZONES[2])
@example("Posted: 9999-12-31T23:00:00-05:00\n\nT\n", ZONES[1])
@example("Posted: 08.03.2026 02:30\n\n🙂🔥\n", ZONES[1])
def test_any_plain_text_reads_to_an_article_or_a_located_problem(text: str, tz: ZoneInfo) -> None:
    check(text, "a.txt", tz)


@GENERATED
@given(markdown_article(), st.sampled_from(ZONES))
@example(DEEP_TAGS, ZONES[0])
@example(DEEP_LIST, ZONES[0])
@example("---\ntitle: T\ndate: 2023-02-30\n---\nB\n", ZONES[0])
@example("---\ntitle: T\ndate: 9999-12-31 23:00:00-05:00\n---\nB\n", ZONES[1])
@example("---\ntitle: T\ndate: 2023-01-01\ntags: &a [*a]\n---\nB\n", ZONES[0])
def test_any_markdown_reads_to_an_article_or_a_located_problem(text: str, tz: ZoneInfo) -> None:
    check(text, "a.md", tz)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(title, st.sampled_from(["a", "b/c", "d-e", "🙂"])), max_size=12))
def test_generated_titles_always_get_distinct_urls(titles: list[tuple[str, str]]) -> None:
    """Any titles on one day, including ones that slug to another's suffixed URL."""
    day = datetime(2023, 4, 10, tzinfo=UTC)
    made = [Article(f"{n}{i}.txt", t, day, "", "", "") for i, (t, n) in enumerate(titles)]
    suffixed = [
        Article(
            f"z{i}.txt",
            f"{a.title} {hashlib.sha1(a.path.encode()).hexdigest()[:6]}",
            day,
            "",
            "",
            "",
        )
        for i, a in enumerate(made[:3])
    ]
    archive = build_archive([*made, *suffixed])
    urls = [article.url for article in archive.articles]
    assert len(set(urls)) == len(urls)


def test_load_archive_survives_a_zone_far_from_utc(write_articles) -> None:
    """The first and last moments allowed stay valid datetimes in UTC and in the zone."""
    source = write_articles(
        {
            "first.txt": article_text(posted="01.01.0100 00:00"),
            "last.txt": article_text(posted="31.12.9998 23:59"),
        }
    )
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        archive = load_archive(Config(timezone=zone), source)
        assert len(archive.articles) == 2 and not archive.problems


FRONT = "---\ntitle: Deep\ndate: 2023-01-01\n---\n"  # the body starts on line 5
# Bodies that took Python-Markdown or the sanitiser many seconds (42 s and 2 GB for the list):
# each is refused at the line where it goes past the bounds, before conversion.
DEEP_BODIES = {
    "list": ("".join("    " * i + "- x\n" for i in range(1500)), 5 + 51, "list levels"),
    "quote": ("".join(">" * i + " x\n" for i in range(1, 1500)), 5 + 50, "quotes nested"),
    "divs": ("a\n" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "\n", 6, "HTML elements"),
}


@pytest.mark.parametrize("name", DEEP_BODIES)
def test_a_body_nested_past_the_bounds_is_refused_at_once(name: str) -> None:
    body, line, fragment = DEEP_BODIES[name]
    started = time.perf_counter()
    result = read(f"{name}.md", FRONT + body)
    assert time.perf_counter() - started < 2
    assert isinstance(result, Problem), result
    assert (result.line, result.level) == (line, "error")
    assert "nests too deeply" in result.message and fragment in result.message


def test_ordinary_nesting_and_loose_html_still_read() -> None:
    """Real articles nest a few levels, indent code, and leave out optional end tags."""
    body = (
        "".join("    " * i + "- item\n" for i in range(8))
        + "\n"
        + "".join(">" * i + " quoted\n" for i in range(1, 6))
        + "\n"
        + "        deeply indented code\n" * 3
        + "\n<div><ul>"
        + "<li><p>unclosed" * 300
        + "</ul></div>\n\n<p>"
        + "line<br>" * 200
        + "\n"
    )
    result = read("fine.md", FRONT + body)
    assert isinstance(result, Article), result
    assert "unclosed" in result.body_html and "deeply indented code" in result.body_html
