"""Sites with articles in several languages (issue 16): each article's language on its page,
entries and feed; a Russian site's interface in Russian."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .langsite import build_language_site

RU_ARTICLE = (
    "2023/04/11/putin-i-lukashenko-obsudili-v-minske-voprosy-bezopasnosti-soiuznogo-gosudarstva"
)
BE_ARTICLE = "2023/04/23/u-minsku-adkrylasya-vystava-byelaruskay-knihi"


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_language_site(tmp_path_factory.mktemp("en"), "en")


@pytest.fixture(scope="module")
def russian_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_language_site(tmp_path_factory.mktemp("ru"), "ru-RU", per_page=3)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_russian_article_in_an_english_archive(english_site: Path) -> None:
    html = plain(page(english_site, RU_ARTICLE))
    assert '<html lang="en">' in html  # the interface is the site's
    assert '<h1 class="article-title" lang="ru">Путин' in html
    assert '<div class="article-body" lang="ru">' in html
    assert 'lang="ru">11 апреля 2023 г., 09:30</time>' in html  # its date in its language
    assert '"inLanguage": "ru"' in html
    assert ">Related articles</h2>" in html


def test_english_article_has_no_lang_of_its_own(english_site: Path) -> None:
    html = page(
        english_site,
        "2023/04/10/lukashenko-discussed-belarus-security-guarantees-with-shoigu-in-minsk-in",
    )
    assert '<h1 class="article-title">' in html
    assert ">10 April 2023, 13:13</time>" in html


def test_entries_and_feed_entries_say_their_language(english_site: Path) -> None:
    listing = plain(page(english_site, "2023/04"))
    assert '<h1 class="page-title">April 2023</h1>' in listing
    assert '<article class="entry" lang="be">' in listing
    assert '<article class="entry" lang="ru">' in listing
    assert ">11 апреля 2023 г.</time>" in listing
    assert ">10 April 2023</time>" in listing
    feed = (english_site / "feed.xml").read_text("utf-8")
    assert 'xml:lang="en">' in feed
    assert feed.count('<entry xml:lang="ru">') == 5
    assert feed.count('<entry xml:lang="zh">') == feed.count('<entry xml:lang="be">') == 1
    assert "<published>2023-04-11T09:30:00+03:00</published>" in feed  # RFC 3339 still


def test_belarusian_article_url_is_romanised(english_site: Path) -> None:
    assert (english_site / BE_ARTICLE / "index.html").is_file()


def test_russian_site_interface(russian_site: Path) -> None:
    home = plain(page(russian_site, ""))
    assert '<html lang="ru">' in home
    for text in (">Архив</a>", ">Теги</a>", ">Последние статьи</h1>", "8 статей в архиве"):
        assert text in home, text
    assert ">Позже<" not in home and "Older" not in home
    assert "← Новее" in home and "Старше →" in home  # pagination (3 a page)
    month = plain(page(russian_site, "2023/04"))
    # The English article in the Russian archive is marked so.
    assert '<article class="entry" lang="en">' in month
    assert '<h1 class="page-title">Апрель 2023 г.</h1>' in month
    assert ">3 статьи</p>" in month
    # The calendar: Monday first, Russian day names, the day a link with its count.
    assert '<th scope="col"><abbr title="Понедельник">Пн</abbr></th>' in month
    assert re.search(
        r'2023/04/23/index.html"><span class="day">23</span> <span class="count"', month
    )
    assert re.search(r'<span class="visually-hidden">\d+ стать[яией]</span>', month)
    archive = page(russian_site, "archive")
    assert ">Апрель</a>" in archive
    article = plain(page(russian_site, RU_ARTICLE))
    assert '<h1 class="article-title">Путин' in article  # the site's language: no lang
    assert ">11 апреля 2023 г., 09:30</time>" in article
    assert "Другие статьи за" in article and ">апрель 2023 г.</a>" in article
    assert "Страница не найдена" in (russian_site / "404.html").read_text("utf-8")


def test_russian_search_page(russian_site: Path) -> None:
    html = page(russian_site, "search")
    for text in (">Поиск</h1>", ">Все теги</option>", ">Сначала новые</option>", "Как искать"):
        assert text in html, text
    block = re.search(r'<script type="application/json" id="search-text">(.*?)</script>', html)
    assert block
    data = json.loads(block.group(1))
    assert data["lang"] == "ru"
    assert data["plurals"]["articles"] == {
        "one": "{n} статья",
        "few": "{n} статьи",
        "many": "{n} статей",
    }
    assert data["text"]["noneFound"] == "Ничего не найдено"
    assert data["dates"]["months"][3] == "апреля"


def test_belarusian_site_interface(tmp_path: Path) -> None:
    site = build_language_site(tmp_path, "be")
    home = plain(page(site, ""))
    assert '<html lang="be">' in home
    assert ">Архіў</a>" in home and ">Апошнія артыкулы</h1>" in home
    assert "8 артыкулаў у архіве" in home
    month = plain(page(site, "2023/04"))
    assert '<h1 class="page-title">Красавік 2023</h1>' in month
    assert '<article class="entry" lang="ru">' in month  # the Russian article is marked
    article = plain(page(site, BE_ARTICLE))
    assert ">23 красавіка 2023 г., 11:00</time>" in article
