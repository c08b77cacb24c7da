"""Quoted phrases, stop-word queries and the date range of search-core.js.

lunr.js has no phrases: a phrase's words are required terms, and lunr's hits are kept, in
lunr's order, when the title, a tag or the text holds the phrase. The oracle here is plain
Python over the articles themselves (words compared as lower-case runs of letters and
digits), and lunr's own hits for the words (run_search, held to lunr.js by test_search.py).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from newsarchive.build import build_site, load_archive
from newsarchive.config import Config
from newsarchive.model import Article
from newsarchive.search.assets import site_assets
from newsarchive.search.documents import document_ref
from newsarchive.search.query import run_search
from newsarchive.search.scripts import core_source

from .conftest import node_json
from .langsite import build_language_site
from .test_search import CORE_HARNESS, REUTERS_SAMPLE, sample_archive, write_site


def words(text: str) -> str:
    """The oracle's normal form: lower case, runs of letters and digits joined by a space."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def holds(article: Article, phrase: str) -> bool:
    wanted = f" {words(phrase)} "
    texts = (article.title, article.body_text, *article.tags)
    return any(wanted in f" {words(text)} " for text in texts)


@pytest.fixture(scope="module")
def core_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("core") / "search-core.js"
    path.write_bytes(core_source())
    return path


def core_eval(core_script: Path, expression: str) -> str:
    code = f"const S = require(process.argv[1]); console.log(JSON.stringify({expression}))"
    out = subprocess.run(
        ["node", "-e", code, str(core_script)], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_phrase_text_folds_case_punctuation_and_space(core_script: Path) -> None:
    cases = [
        "Bank OF England",
        "  Bank-of-England's!  ",
        "bank\n\tof\u00a0 england",
        "«Банк  РОССИИ», ёлка",
        "naïve café, 2.5%",
    ]
    got = core_eval(core_script, f"{json.dumps(cases)}.map(S.phraseText)")
    assert got == (
        '["bank of england","bank of england s","bank of england",'
        '"банк россии ёлка","naïve café 2 5"]'
    )


def test_contains_phrase_matches_whole_words_only(core_script: Path) -> None:
    checks = [
        ("The Bank of England said.", "bank of england", True),
        ("the bank of englander", "bank of england", False),
        ("central bank\nof England", "bank of england", True),
        ("a bank, of England", "bank of england", True),  # punctuation is not a word
        ("bank england", "bank of england", False),
        ("Центральный БАНК России", "банк россии", True),
        ("банки россии", "банк россии", False),
        ("在中国银行的", "中国银行", True),  # CJK: no spaces between words
    ]
    expression = (
        "["
        + ",".join(
            f"S.containsPhrase({json.dumps(text)}, {json.dumps(phrase)})"
            for text, phrase, _ in checks
        )
        + "]"
    )
    got = core_eval(core_script, expression)
    assert got == "[" + ",".join("true" if want else "false" for *_, want in checks) + "]"


@pytest.fixture(scope="module", params=["sharded", "monolithic"])
def sample_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assets = site_assets(sample_archive(), Config(search_index=request.param))
    return write_site(assets, tmp_path_factory.mktemp(f"phrase-site-{request.param}"))


def harness(site: Path, queries: list[dict]) -> list[dict]:
    return node_json(CORE_HARNESS, [str(site)], {"queries": queries, "all": True})  # type: ignore[return-value]


def test_phrase_filters_the_hits_of_its_words(sample_site: Path) -> None:
    by_ref = {document_ref(a): a for a in sample_archive().articles}
    for phrase, extra in [
        ("interest rates", ""),
        ("rates of export", ""),
        ("export rates", ""),  # both words in the wheat article, not together
        ("central bank", " rates"),
        ("the merger of two banks", ""),
    ]:
        q = f'"{phrase}"{extra}'
        words_query = " ".join(f"+{w}" for w in phrase.split() if w not in ("the", "of"))
        plain = [h.url for h in run_search(sample_site, f"{words_query}{extra}")]
        (result,) = harness(sample_site, [{"q": q}])
        got = [ref for ref, _ in result["results"]]
        assert got == [ref for ref in plain if holds(by_ref[ref], phrase)], q
        assert result["phrases"] == [phrase]
        assert result["phraseChecked"] == result["phraseOf"] == len(plain)
    export, rates = harness(sample_site, [{"q": '"export rates"'}, {"q": '"interest rates"'}])
    assert export["total"] == 0 and export["phraseOf"] == 1
    assert [by_ref[r].title for r, _ in rates["results"]] == ["Central bank raises rates"]


def test_phrase_in_the_command_line_says_so(sample_site: Path) -> None:
    notes: list[str] = []
    hits = run_search(sample_site, '"rates of export"', on_note=notes.append)
    assert [h.title for h in hits] == ["Wheat harvest record"]
    assert notes == ['note: showing articles containing the phrase "rates of export"']


def test_stop_words_only(sample_site: Path) -> None:
    queries = [{"q": q} for q in ("the", "of the", '"of the"', "The", "the rates", "zzz")]
    the, of_the, quoted, upper, mixed, nothing = harness(sample_site, queries)
    assert the["stopWords"] == ["the"] and the["mode"] == "query" and the["total"] == 0
    assert of_the["stopWords"] == ["of", "the"]
    assert quoted["stopWords"] == ["of", "the"]
    assert upper["stopWords"] == ["the"]  # as lunr reads it
    assert mixed["stopWords"] is None and mixed["total"] == 5
    assert nothing["stopWords"] is None and nothing["total"] == 0
    notes: list[str] = []
    assert run_search(sample_site, "of the", on_note=notes.append) == []
    assert notes == ['note: "of the" is too common to search for; try other words']


def test_date_range(sample_site: Path) -> None:
    queries = [
        {"q": "rates", "from": "2022-01-01", "to": "2022-12-31"},
        {"q": "", "from": "2022-06-15", "to": "2022-06-15"},
        {"q": "", "from": "2023-01-01"},
        {"q": "rates", "to": "2022-06-14"},
        {"q": "rates", "from": "2022-02-30"},  # not a day: no filter
        {"q": "rates", "from": "2023-01-01", "year": "2023", "tag": "economy"},
        {"q": "", "from": "2023-12-01", "to": "2023-12-01"},
        {"q": "", "from": "2023-11-30", "to": "2023-11-30"},
    ]
    year, day, since, until, invalid, combined, first, last = harness(sample_site, queries)
    by_ref = {document_ref(a): a for a in sample_archive().articles}

    def titles(result: dict) -> list[str]:
        return sorted(by_ref[ref].title[:12] for ref, _ in result["results"])

    assert titles(year) == ["Rates stay o", "Wheat harves"]
    assert year["facets"]["years"] == [[2022, 2]]  # counts within the range
    assert titles(day) == ["Rates stay o"] and day["mode"] == "browse"
    assert len(since["results"]) == 3
    # Days are the articles' own, as shown: 2023-12-01T00:00+02:00 is 30 November in UTC.
    assert titles(first) == ['Quote "marks']
    assert titles(last) == ["Café society"]
    assert titles(until) == ["Central bank"]
    assert invalid["total"] == 5
    assert titles(combined) == ['Quote "marks']


@pytest.mark.corpus
def test_reuters_bank_of_england(reuters_source: Path, tmp_path: Path) -> None:
    """The example of the issue, on published pages: every hit holds the phrase, and every
    article lunr finds for the words that holds it is a hit, in lunr's order."""
    config = Config(timezone="UTC")
    result = build_site(config, reuters_source, tmp_path / "site", cache_dir=tmp_path / "cache")
    assert result.ok and result.articles == REUTERS_SAMPLE
    by_ref = {document_ref(a): a for a in load_archive(config, reuters_source).articles}
    dropped = 0
    for phrase, words_query in [
        ("Bank of England", "+bank +england"),
        ("interest rates", "+interest +rates"),
        ("the company said", "+company"),  # "said" is one of lunr's stop words too
    ]:
        plain = run_search(tmp_path / "site", words_query)
        found = run_search(tmp_path / "site", f'"{phrase}"')
        expected = [h.url for h in plain if holds(by_ref[h.url], phrase)]
        assert [h.url for h in found] == expected, phrase
        assert [h.score for h in found] == [h.score for h in plain if h.url in set(expected)]
        assert expected, phrase
        dropped += len(plain) - len(expected)
    assert dropped > 0


def test_phrases_in_a_mixed_language_archive(tmp_path: Path) -> None:
    """English and Russian articles: lunr's `+security` finds nothing there (the Russian
    form of the word is not in the index), so phrases must not rely on `+`."""
    site = build_language_site(tmp_path, "ru")
    assert run_search(site, "+security +guarantees") == []  # lunr.js's own answer
    english = run_search(site, '"security guarantees"')
    assert [h.title[:30] for h in english] == ["Lukashenko discussed Belarus’ "]
    russian = run_search(site, '"вопросы безопасности"')
    assert [h.date[:10] for h in russian] == ["2023-04-11"]
    assert run_search(site, '"безопасности вопросы"') == []
    # A stop word is one that every language's pipeline drops: Russian "и" is a word for
    # the Belarusian and Chinese ones, so it is searched (and found nowhere).
    notes: list[str] = []
    assert run_search(site, "и", on_note=notes.append) == []
    assert notes == []
