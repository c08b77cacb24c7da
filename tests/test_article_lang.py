"""An article's language: ``Lang:`` / ``lang:`` read as a supported base code, the site's
language when there is none, and a located error naming the supported codes otherwise."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsarchive.content.discovery import Source
from newsarchive.content.reader import SourceCache, parse_with_digest, read_sources
from newsarchive.errors import Problem
from newsarchive.languages import supported_list
from newsarchive.model import Article

UTC = ZoneInfo("UTC")
DATA = Path(__file__).parent / "data" / "languages"


def parse(path: Path, language: str = "en") -> Article | Problem | None:
    return parse_with_digest(Source(path, path.name), UTC, 280, language=language)[1]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "site", "lang"),
    [
        ("Lang: ru\n", "en", "ru"),
        ("lang: ru-RU\n", "en", "ru"),
        ("LANG: be_BY\n", "en", "be"),
        ("Lang: by\n", "en", "be"),
        ("", "en", "en"),
        ("", "ru", "ru"),
        ("Lang:\n", "be", "be"),
        ("Lang: EN\n", "ru", "en"),
    ],
)
def test_plain_text_lang(tmp_path: Path, header: str, site: str, lang: str) -> None:
    path = write(tmp_path, "a.txt", f"Posted: 10.04.2023 13:13\n{header}\nTitle\n\nBody.\n")
    article = parse(path, site)
    assert isinstance(article, Article), article
    assert article.lang == lang


@pytest.mark.parametrize(
    ("front", "site", "lang"),
    [("lang: ru\n", "en", "ru"), ("lang: zh-Hans\n", "en", "zh"), ("", "be", "be")],
)
def test_markdown_lang(tmp_path: Path, front: str, site: str, lang: str) -> None:
    path = write(tmp_path, "a.md", f"---\ntitle: T\ndate: 2023-04-10\n{front}---\nBody.\n")
    article = parse(path, site)
    assert isinstance(article, Article), article
    assert article.lang == lang


def test_unknown_lang_is_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "Posted: 10.04.2023 13:13\nLang: xx\n\nTitle\n\nBody.\n")
    problem = parse(path)
    assert isinstance(problem, Problem)
    assert str(problem) == f"bad.txt:2: unknown language 'xx' in 'Lang:' ({supported_list()})"


def test_unknown_markdown_lang_is_a_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", "---\ntitle: T\ndate: 2023-04-10\nlang: klingon\n---\nB\n")
    problem = parse(path)
    assert isinstance(problem, Problem)
    assert problem.line == 4
    assert "unknown language 'klingon'" in problem.message
    assert "ru (Russian)" in problem.message


def test_test_articles_read_in_their_languages() -> None:
    sources = [Source(path, path.name) for path in sorted(DATA.glob("*.txt"))]
    result = read_sources(sources, UTC, 280, language="en")
    assert not result.problems
    langs = {article.path: article.lang for article in result.articles}
    assert langs["be-minsk-library.txt"] == "be"
    assert langs["zh-economy.txt"] == "zh"
    assert {langs[name] for name in langs if name.startswith("ru-")} == {"ru"}


def test_site_language_change_reads_again(tmp_path: Path) -> None:
    """Cached parses hold the site's language: a changed ``language`` reads every file again."""
    path = write(tmp_path, "a.txt", "Posted: 10.04.2023 13:13\n\nTitle\n\nBody.\n")
    cache = SourceCache()
    first = read_sources([Source(path, "a.txt")], UTC, 280, cache=cache, language="en")
    again = read_sources([Source(path, "a.txt")], UTC, 280, cache=cache, language="ru")
    assert (first.articles[0].lang, again.articles[0].lang) == ("en", "ru")
