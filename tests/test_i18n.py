"""Interface strings, dates and numbers per language (render/i18n.py), the catalogues in
templates/locale/, and Belarusian URLs."""

from __future__ import annotations

import gettext
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from newsarchive.errors import ArchiveError
from newsarchive.model import KIND_LABELS
from newsarchive.render.i18n import PYTHON_STRINGS, Dates, load_translations, plural_forms
from newsarchive.render.literals import LiteralTranslations
from newsarchive.resources import TEMPLATES
from newsarchive.search.scripts import core_source
from newsarchive.search.sorting import SORT_LABELS
from newsarchive.slugs import title_slug

from .conftest import REPO

MINSK = ZoneInfo("Europe/Minsk")
LOCALE = REPO / "templates" / "locale"
CATALOGUES = sorted(LOCALE.glob("*.po"))


@pytest.mark.parametrize(
    ("code", "with_time", "short"),
    [
        ("en", "10 April 2023, 13:13", "10 April 2023"),
        ("ru", "10 апреля 2023 г., 13:13", "10 апреля 2023 г."),
        ("be", "10 красавіка 2023 г., 13:13", "10 красавіка 2023 г."),
        ("de", "10. April 2023, 13:13", "10. April 2023"),
        ("zh", "2023年4月10日 13:13", "2023年4月10日"),
    ],
)
def test_dates_per_locale(code: str, with_time: str, short: str) -> None:
    dates = Dates(code)
    moment = datetime(2023, 4, 10, 13, 13, tzinfo=MINSK)
    # CLDR puts a narrow no-break space before "г.": shown here as a plain one.
    assert dates.date(moment, True).replace("\u202f", " ") == with_time
    assert dates.date(moment).replace("\u202f", " ") == short


@pytest.mark.parametrize(
    ("code", "month", "title", "day"),
    [
        ("en", "April", "April 2023", "10 April"),
        ("ru", "Апрель", "Апрель 2023 г.", "10 апреля"),
        ("be", "Красавік", "Красавік 2023", "10 красавіка"),
    ],
)
def test_month_names_and_titles(code: str, month: str, title: str, day: str) -> None:
    dates = Dates(code)
    assert dates.month_name(4) == month
    assert dates.month_title(2023, 4).replace("\u202f", " ") == title
    assert dates.month_title(2023, 4, start=False).replace("\u202f", " ") == (
        title if code == "en" else title[0].lower() + title[1:]
    )
    assert dates.day_month(4, 10) == day


def test_numbers_are_grouped_per_locale() -> None:
    assert Dates("en").number(20841) == "20,841"
    assert Dates("ru").number(20841) == "20\xa0841"
    assert Dates("be").number(20841) == "20\xa0841"


def test_python_strings_are_marked_for_translation() -> None:
    """The labels templates get from Python are in the catalogue template, through N_()."""
    labels = {label for pair in KIND_LABELS.values() for label in pair} | set(SORT_LABELS.values())
    assert set(PYTHON_STRINGS) == labels


def test_catalogue_template_is_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """templates/locale/messages.pot is what `pybabel extract` (docs/translating.md) makes."""
    out = tmp_path / "messages.pot"
    command = re.search(r"pybabel (extract .*)", (REPO / "babel.cfg").read_text())
    assert command
    args = command.group(1).replace("\\", "").split()
    args[args.index("-o") + 1] = str(out)
    monkeypatch.chdir(REPO)
    CommandLineInterface().run(["pybabel", "-q", *args])
    with out.open("rb") as fresh, (LOCALE / "messages.pot").open("rb") as kept:
        assert sorted(str(m.id) for m in read_po(fresh) if m.id) == sorted(
            str(m.id) for m in read_po(kept) if m.id
        )


def _placeholders(text: str) -> list[str]:
    return sorted(set(re.findall(r"%\(\w+\)s|\{\w+\}|<[^>]+>", text)))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_catalogues_are_complete_and_keep_placeholders(path: Path) -> None:
    with path.open("rb") as file:
        catalog = read_po(file, locale=path.stem)
    with (LOCALE / "messages.pot").open("rb") as file:
        wanted = {m.id for m in read_po(file) if m.id}
    assert {m.id for m in catalog if m.id} == wanted
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == catalog.num_plurals if len(ids) > 1 else 1
        for text in strings:
            assert text, f"{path.name}: {ids[0]!r} is not translated"
            assert _placeholders(text) == _placeholders(ids[-1]), (path.name, ids[0], text)


def test_russian_plural_forms_by_cldr_category() -> None:
    translations = load_translations([TEMPLATES], "ru")
    forms = plural_forms(translations, "ru", "{n} article", "{n} articles")
    assert forms == {"one": "{n} статья", "few": "{n} статьи", "many": "{n} статей"}
    assert plural_forms(load_translations([TEMPLATES], "en"), "en", "{n} a", "{n} as") == {
        "one": "{n} a",
        "other": "{n} as",
    }


def test_language_without_a_catalogue_is_english(tmp_path: Path) -> None:
    assert load_translations([TEMPLATES], "de").gettext("Archive") == "Archive"
    assert load_translations([TEMPLATES], "ru").gettext("Archive") == "Архив"
    assert load_translations([TEMPLATES], "be").gettext("Archive") == "Архіў"


def test_a_theme_catalogue_comes_first_and_a_bad_one_is_located(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    (own / "locale").mkdir(parents=True)
    po = own / "locale" / "ru.po"
    po.write_text('msgid "Archive"\nmsgstr "Хранилище"\n', "utf-8")
    assert load_translations([own, TEMPLATES], "ru").gettext("Archive") == "Хранилище"
    po.write_text('msgid "Archive"\nmsgstr "Архив"\n\nmsgid "Tags"\nmsgstr Теги\n', "utf-8")
    with pytest.raises(ArchiveError) as caught:
        load_translations([own, TEMPLATES], "ru")
    assert str(caught.value).startswith(f"{po}:5: bad message catalogue")


def test_script_date_format_matches_the_site(tmp_path: Path) -> None:
    """search-core.js writes a result's date as the site does, given the page's format."""
    core = tmp_path / "core.js"
    core.write_bytes(core_source())
    isos = ["1987-03-02T10:00:00+00:00", "2023-12-31T23:59:00-05:00"]
    for code in ("en", "ru", "be", "zh", "de"):
        dates = Dates(code)
        code_js = (
            "const S = require(process.argv[1]);"
            f"const f = {json.dumps(dates.for_script())};"
            f"console.log(JSON.stringify({json.dumps(isos)}.map(d => S.formatDate(d, f))))"
        )
        out = subprocess.run(
            ["node", "-e", code_js, str(core)], capture_output=True, text=True, check=True
        )
        expected = [dates.date(datetime.fromisoformat(iso)) for iso in isos]
        assert json.loads(out.stdout) == expected


def test_slugs_of_russian_titles_are_unchanged_and_belarusian_ones_romanised() -> None:
    russian = "Путин и Лукашенко обсудили в Минске вопросы безопасности"
    assert title_slug(russian) == "putin-i-lukashenko-obsudili-v-minske-voprosy-bezopasnosti"
    assert title_slug(russian, "ru") == title_slug(russian)
    belarusian = "У Мінску адкрылася выстава беларускай кнігі"
    assert title_slug(belarusian, "be") == "u-minsku-adkrylasya-vystava-byelaruskay-knihi"
    assert title_slug("Магілёў, Гродна і Віцебск", "be") == "mahilyow-hrodna-i-vitsyebsk"
    # Outside Belarusian articles the letters read as python-slugify always read them.
    assert title_slug("Магілёў") == "magileu"


class _Catalogue(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._catalog = messages

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)


def test_literals_translated_at_compile_time_render_as_gettext_does() -> None:
    """LiteralTranslations folds _("literal") into the template: the output must be what
    jinja2.ext.i18n's newstyle gettext gives at render time, quotes, <, & and %% included."""
    source = (
        "<p title='{{ _(\"It's\") }}'>{{ _(\"Tom & <Jerry>\") }} {{ _('100%%') }} "
        "{{ _('Page %(n)s', n=2) }} {{ _(name) }}</p>"
    )
    catalogue = _Catalogue({"Tom & <Jerry>": "Том & <Джерри>", "Page %(n)s": "Стр. %(n)s"})

    def render(*extensions: object) -> str:
        env = jinja2.Environment(extensions=["jinja2.ext.i18n", *extensions], autoescape=True)
        env.literal_translations = catalogue  # type: ignore[attr-defined]
        env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
        return env.from_string(source).render(name="It's")

    folded = render(LiteralTranslations)
    assert folded == render()
    assert folded == "<p title='It's'>Том & <Джерри> 100% Стр. 2 It's</p>"


def test_each_catalogue_compiles_its_own_templates(tmp_path: Path) -> None:
    """Compiled templates hold their translations: a Russian site then an English one in one
    process (serve after a language change) must not share them."""
    from .langsite import build_language_site

    ru = build_language_site(tmp_path / "ru", "ru")
    en = build_language_site(tmp_path / "en", "en")
    assert ">Архив</a>" in (ru / "index.html").read_text("utf-8")
    assert ">Archive</a>" in (en / "index.html").read_text("utf-8")
