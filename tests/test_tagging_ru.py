"""Found tags in Russian (and Belarusian) articles: places by stem as the English tags, people
in the nominative, one tag for a person named in both alphabets (issue 16)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsarchive.config import Config, TagRules, load_rules
from newsarchive.model import Article
from newsarchive.tags.entities_ru import extract_local, nominative
from newsarchive.tags.gazetteer_ru import fold, local_gazetteer
from newsarchive.tags.stage import tag_articles
from newsarchive.tags.translit import spelling_key, transliterate

from .conftest import REPO

LANGUAGES = REPO / "tests" / "data" / "languages"
SEED = next((REPO / "seeds").glob("*.txt"))


def read(path: Path) -> Article:
    from newsarchive.content.plaintext import parse_text
    from newsarchive.content.values import Reading

    return parse_text(path.read_text("utf-8"), Reading(path.name, Config().tz, 280))


def places(text: str, lang: str = "ru") -> dict[str, int]:
    found = extract_local("", text, TagRules(), lang)
    return {place.name: weight for place, weight in found.places.items()}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Переговоры прошли в Минске.", "Minsk"),
        ("Он вернулся в Минск.", "Minsk"),
        ("Безопасность Беларуси обсудили.", "Belarus"),
        ("Они приедут в Беларусь.", "Belarus"),
        ("Договор с Белоруссией подписан.", "Belarus"),
        ("Выставка открылась в Москве.", "Moscow"),
        ("Мэр Москвы открыл станции.", "Moscow"),
        ("Делегация прибыла из Соединенных Штатов.", "United States"),
        ("Санкции США вступили в силу.", "United States"),
        ("Форум прошел в Санкт-Петербурге.", "Saint Petersburg"),
        ("Торговля с Китаем выросла.", "China"),
        ("Визит в Киев состоялся.", "Kyiv"),
        ("Делегация Новой Зеландии прибыла.", "New Zealand"),
        ("Выборы в Южной Корее прошли.", "South Korea"),
        ("Завод в Нижнем Новгороде открыт.", "Nizhniy Novgorod"),
    ],
)
def test_russian_places_are_found_in_any_case_as_the_english_tags(text: str, place: str) -> None:
    assert set(places(text)) == {place}  # weighing 1 inside a longer run ("Мэр Москвы")


def test_belarusian_places_too() -> None:
    assert places("Выстава адкрылася ў Мінску. Кнігі з Беларусі.", "be") == {
        "Minsk": 2,
        "Belarus": 2,
    }


def test_common_words_and_first_names_are_no_places() -> None:
    text = (
        "Того же дня Совет утвердил планы. Мир меняется. Совета не было. Питер Хегсет прибыл. "
        "Александр Беглов и Владимир Путин выступили. Буду краток, сказал Большой. "
        "Груз доставили. Рост цен замедлился. Сербы и Венгры голосовали. Бомба не взорвалась."
    )
    assert places(text) == {}
    gazetteer = local_gazetteer("ru")
    # Snowball cuts into these names' roots: "груз" of "Грузия", "рост" of "Ростов".
    for word in ("того", "совета", "мир", "буду", "питер", "груз", "рост", "бомба", "сербы"):
        assert gazetteer.match([word]) is None, word


# Each Russian test article's places, exactly: no common word in them is read as a place.
EXPECTED_PLACES = {
    "ru-putin-minsk.txt": {"Minsk", "Belarus", "Russia"},
    "ru-harvest.txt": {"Belarus"},
    "ru-moscow-metro.txt": {"Moscow"},
    "ru-sanctions.txt": set(),
    "ru-smartphones.txt": {"Russia"},
    "be-minsk-library.txt": {"Minsk", "Belarus"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PLACES))
def test_the_test_articles_name_only_their_places(name: str) -> None:
    article = read(LANGUAGES / name)
    found = extract_local(article.title, article.body_text, TagRules(), article.lang[:2])
    assert {place.name for place in found.places} == EXPECTED_PLACES[name]


def test_names_come_to_the_nominative() -> None:
    assert nominative("Сергеем", first=True) == "Сергей"
    assert nominative("Сергея", first=True) == "Сергей"
    assert nominative("Александром", first=True) == "Александр"
    assert nominative("Путиным", first=False) == "Путин"
    assert nominative("Зеленским", first=False) == "Зеленский"
    assert nominative("Шойгу", first=False) == "Шойгу"
    body = "Министр обороны России Сергеем Шойгу. Мэр Москвы Сергей Собянин открыл станции."
    found = extract_local("", body, TagRules(), "ru")
    assert set(found.persons) == {"Сергей Шойгу", "Сергей Собянин"}


def test_a_persons_forms_across_the_archive_are_one_tag_in_the_nominative() -> None:
    def art(path: str, body: str) -> Article:
        return Article(path, "Новости", datetime(2023, 1, 1, tzinfo=UTC), "", body, "", lang="ru")

    articles = [
        art("a", "Президент Владимир Путин провел встречу. Путин заявил о переговорах."),
        art("b", "Встреча Владимира Путина с министрами. Путина поддержали."),
        art("c", "Переговоры с Путиным прошли в Кремле."),
    ]
    tagged, kinds, _renamed = tag_articles(articles, TagRules(), "always")
    for article in tagged:
        assert "Владимир Путин" in article.tags, article.tags
    assert kinds["владимир путин"] == "person"


def test_the_english_and_the_russian_article_share_their_people_tags() -> None:
    """The seed (English) and ru-putin-minsk.txt built together, with no tags.toml: the
    Cyrillic names' transliterations match the Latin ones ("Сергеем Шойгу" is "Sergei
    Shoigu", "Путин" alone is "Vladimir Putin"), so the people tags are the same."""
    english, russian = read(SEED), read(LANGUAGES / "ru-putin-minsk.txt")
    (en, ru), kinds, _renamed = tag_articles([english, russian], TagRules(), "missing")

    def people(article: Article) -> set[str]:
        return {tag for tag in article.tags if kinds[tag.casefold()] == "person"}

    expected = {"Aleksandr Lukashenko", "Vladimir Putin", "Sergei Shoigu"}
    assert people(en) == people(ru) == expected
    assert {"Minsk", "Belarus"} <= set(ru.tags)


def test_an_alias_joins_names_transliteration_does_not(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    path.write_text('[aliases]\n"Olaf Scholz" = ["Олаф Шольц"]\n', encoding="utf-8")
    body = "Канцлер Германии Олаф Шольц прибыл в Киев. Визит Олафа Шольца в Киев."
    ru = Article("ru", "Визит", datetime(2023, 1, 1, tzinfo=UTC), "", body, "", lang="ru")
    en = Article(
        "en", "Visit", datetime(2023, 1, 1, tzinfo=UTC), "", "Chancellor Olaf Scholz came.", ""
    )
    plain, _, _renamed = tag_articles([ru, en], TagRules(), "always")
    assert "Олаф Шольц" in plain[0].tags and "Olaf Scholz" in plain[1].tags
    aliased, _, _renamed = tag_articles([ru, en], load_rules(path), "always")
    assert "Olaf Scholz" in aliased[0].tags and "Олаф Шольц" not in aliased[0].tags


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Александр Лукашенко", "Aleksandr Lukashenko"),
        ("Сергей Шойгу", "Sergei Shoigu"),
        ("Владимир Зеленский", "Vladimir Zelensky"),
        ("Дмитрий Медведев", "Dmitry Medvedev"),
        ("Алексей Навальный", "Alexei Navalny"),
        ("Юрий Ушаков", "Yuri Ushakov"),
    ],
)
def test_transliterations_that_differ_in_spelling_match(cyrillic: str, latin: str) -> None:
    assert spelling_key(transliterate(cyrillic)) == spelling_key(latin)


def test_an_article_without_a_lang_line_is_read_in_the_sites_language() -> None:
    body = "Президент Беларуси Александр Лукашенко провел в Минске переговоры. Лукашенко заявил."
    article = Article("a", "Переговоры", datetime(2023, 1, 1, tzinfo=UTC), "", body, "")
    (russian,), _, _renamed = tag_articles([article], TagRules(), "always", language="ru")
    assert {"Александр Лукашенко", "Minsk"} <= set(russian.tags), russian.tags
    (english,), _, _renamed = tag_articles([article], TagRules(), "always", language="en")
    assert "Minsk" not in english.tags  # the English rules know no "Минске"


def test_a_build_tags_a_russian_article(write_articles, build) -> None:
    source = write_articles(
        {
            "ru.txt": (LANGUAGES / "ru-putin-minsk.txt").read_text("utf-8"),
            "seed.txt": SEED.read_text("utf-8"),
        }
    )
    result, out = build(source, Config(base_url="https://example.org/"))
    assert result.ok
    page = next(out.glob("2023/04/11/*/index.html")).read_text("utf-8")
    tags = set(re.findall(r'rel="tag" href="[^"]*">([^<]*)</a>', page))
    assert {"Aleksandr Lukashenko", "Sergei Shoigu", "Minsk", "Belarus"} <= tags, tags


def test_the_gazetteer_folds_yo() -> None:
    assert fold("Соединённые") == "соединенные"
