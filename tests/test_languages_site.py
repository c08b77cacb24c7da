"""A mixed-language archive end to end (issue 16): the English seed beside short Russian,
Belarusian and Chinese articles (tests/data/languages), built and searched through the
command line as a user would, in both index forms."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS

LANGUAGE_DATA = Path(__file__).resolve().parent / "data" / "languages"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module", params=["sharded", "monolithic"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp(f"languages-{request.param}")
    source = work / "articles"
    shutil.copytree(SEEDS, source)
    for path in LANGUAGE_DATA.glob("*.txt"):
        shutil.copy(path, source / path.name)
    config = work / "archive.toml"
    config.write_text(f'timezone = "Europe/Minsk"\nsearch_index = "{request.param}"\n')
    built = cli("build", "--source", source, "--out", work / "site", "--config", config)
    assert built.returncode == 0, built.stderr
    return work / "site"


def search(site: Path, query: str) -> list[dict]:
    proc = cli("search", query, "--json", "--site", site)
    assert proc.returncode == 0, (query, proc.stderr)
    return json.loads(proc.stdout)


def titles(site: Path, query: str) -> list[str]:
    return [hit["title"] for hit in search(site, query)]


def test_inflected_russian_queries_find_their_articles(site: Path) -> None:
    # The article says only "Путин" (and "Путин,"); the query is the genitive.
    assert titles(site, "Путина") == [
        "Путин и Лукашенко обсудили в Минске вопросы безопасности Союзного государства"
    ]
    # "санкции", "санкций" in the text; the query is the nominative singular.
    assert titles(site, "санкция") == ["Евросоюз утвердил десятый пакет санкций"]
    assert "В Москве открыли новые станции Большой кольцевой линии метро" in titles(site, "москва")
    assert titles(site, "смартф*") == ["Продажи смартфонов в России выросли на 15 процентов"]


def test_english_and_other_languages_in_the_same_archive(site: Path) -> None:
    english = titles(site, "Shoigu")
    assert len(english) == 1 and english[0].startswith("Lukashenko discussed")
    assert titles(site, "经济") == ["中国与白俄罗斯经济合作继续扩大"]
    # Belarusian has no stemmer: the exact word and a prefix find it.
    assert titles(site, "выставу") == ["У Мінску адкрылася выстава беларускай кнігі"]
    assert titles(site, "выстав*") == ["У Мінску адкрылася выстава беларускай кнігі"]
