"""What one Russian, Belarusian or Ukrainian article names: places by stem
(:mod:`.gazetteer_ru`), people as runs of two or three capitalised words brought to the
nominative by a cheap rule ("Сергеем Шойгу" -> "Сергей Шойгу"), capitalised acronyms as
organisations ("ООН", "ОПЕК"), ``tags.toml`` names, and topic words by stem.

Why rules, not natasha: natasha finds people and organisations well, but costs about 9 µs a
character (seconds a thousand articles, minutes for an archive) and 150 MB of packages;
docs/tagging.md has the measurements. Names in these languages are capitalised runs just as
in English, so the English tagger's archive-wide pass (:mod:`.resolve`) works on them once
their inflected forms are keyed by stem (:func:`person_key`).
"""

from __future__ import annotations

import re
from collections import Counter

from ..config import TagRules
from .entities import Mentions, _join_initials, _sentence_start, _span, bare, names_for
from .gazetteer import Place
from .gazetteer_ru import LANGS, LocalGazetteer, fold, local_gazetteer, stemmer

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_INITIALS = re.compile(r"\b((?:[A-ZА-ЯЁ]\.){2,})")
# Words that stand before a person's name ("министром обороны России Сергеем Шойгу"):
# beginnings of folded words, so every case form counts.
ROLE_PREFIXES = tuple(
    """президент премьер министр мэр губернатор глав канцлер председател лидер спикер посол
    генсек секретар госсекретар директор руководител заместител депутат сенатор генерал
    командующ патриарх корол принц вице экс пресс-секретар помощник советник пап
    прем'ер прэзідэнт кіраўнік міністр""".split()
)
# First words of organisations' names ("Совет Евросоюза", "Банк России"), as ROLE_PREFIXES.
ORG_PREFIXES = tuple(
    """совет банк центробанк сбербанк министерств комитет парти союз служб агентств компани
    суд дум правительств администраци госдум фонд корпораци университет академи рад
    міністэрств""".split()
)
# How many lower-case words before a name may stand between it and a role word.
ROLE_REACH = 4
# Lower-case words of four letters or more that say nothing about a topic.
STOP_WORDS = frozenset(
    """более было были быть будет будут всего время года году годы если есть также этом
    этот этой эти этого которые который которая которых когда может могут очень после
    перед после своих свои свою своей сказал сказала сообщил сообщили заявил заявила
    отметил отметила словам данным также только чтобы через однако между около против
    теперь уже всех него нему ними ранее позже сейчас здесь именно вопросы вопрос двух трех
    четырех пяти шести семи восьми девяти десяти тысяч миллиона миллионов миллиарда
    миллиардов процента процентов стран страны""".split()
)
# Verbs say what happened, not what an article is about (as "-ed" in English): past plurals,
# a long past masculine, infinitives and reflexives ("намолотили", "утвердил", "открыться").
_NOT_TOPIC = re.compile(r"(?:[аиыя]ли|..[^\W\d_]{2}ил|ть|ться|лся|лась|лись|лось)$")
_LOWER_WORD = re.compile(r"(?<![\w’'\-])[^\W\d_]{4,}(?![\w’'\-])")
_VOWELS = "аеёиоуыэюяіў"


def is_cyrillic(name: str) -> bool:
    """Whether ``name`` has a Cyrillic letter (an ASCII name, most of an English archive's,
    is told at C speed)."""
    return not name.isascii() and _CYRILLIC.search(name) is not None


def person_key(word: str) -> str:
    """How names' and topics' words are compared across the archive: a Cyrillic word by its
    Russian stem ("Путина", "Путиным" and "Путин" are one surname), any other as it is."""
    if word.isascii():
        return word
    return stemmer("ru")(fold(word)) if _CYRILLIC.search(word) else word


def nominative_rank(name: str) -> tuple[int, int]:
    """Which of one person's forms reads as the nominative, lowest first: the shortest
    ("Путин" before "Путина"), then words ending in a consonant, й, ь or о before those in
    а or я ("Сергей" before "Сергея", "Анна" before "Анну")."""
    score = 0
    for word in name.split():
        last = word[-1].lower()
        score += 0 if last not in _VOWELS or last == "о" else 1 if last in "ая" else 2
    return len(name), score


def nominative(word: str, first: bool) -> str:
    """A name word's unambiguous oblique ending undone ("Сергеем" -> "Сергей", "Александром"
    -> "Александр", "Путиным" -> "Путин", "Шольцем" -> "Шольц"; "Сергея" -> "Сергей" as a
    first name). Endings a woman's name has in the nominative ("Путина", "Эльвира") stay,
    for :func:`nominative_rank` to choose among the forms the archive has."""
    low = word.lower()
    if len(low) <= 4:
        return word
    for ending in ("ского", "скому", "ским", "ском", "цкого", "цкому", "цким", "цком"):
        if not first and low.endswith(ending):
            return word[: -len(ending)] + ending[0] + "кий"  # Зеленским, Зеленского
    if low.endswith("ем") and low[-3] in "еа":
        return word[:-2] + "й"  # Сергеем, Николаем
    if first and low[-2:] in ("ея", "ею", "ая", "аю"):
        return word[:-1] + "й"  # Сергея, Николаю
    if low.endswith(("ом", "ым", "ем")) and low[-3] not in _VOWELS:
        return word[:-2]  # Александром, Путиным, Шольцем
    return word


def extract_local(title: str, body: str, rules: TagRules, lang: str) -> Mentions:
    """Everything one article in ``lang`` (ru, be or uk) names."""
    names = names_for(rules)
    places = local_gazetteer(lang)
    found = Mentions()
    for text, is_title in ((title, True), (body, False)):
        text = _INITIALS.sub(_join_initials, text)
        for line in text.split("\n"):
            for match in _span().finditer(line):
                words = [bare(w) for w in match.group().split()]
                start = _sentence_start(line, match.start())
                _walk(words, line[: match.start()], start, names.declared, places, found, is_title)
    found.words = _topic_words(title, body)
    return found


def _first_name(
    words: list[str], i: int, known: tuple[int, str | Place], places: LocalGazetteer
) -> bool:
    """A city's one-word name ending as a man's first name does (a consonant or й) followed
    by a name word that is no place or role: a person's first name ("Александр" is also
    Alexandria's, "Владимир" a city's), where "Мэр Москвы Сергей Собянин" names a city."""
    n, what = known
    if n != 1 or not isinstance(what, Place) or what.kind != "city" or i + 1 >= len(words):
        return False
    if words[i][-1].lower() in _VOWELS and words[i][-1].lower() != "й":
        return False
    after = words[i + 1]
    return _name_word(after) and not _role(after) and places.match([fold(after)]) is None


def _role(word: str) -> bool:
    return fold(word).startswith(ROLE_PREFIXES)


def _walk(
    words: list[str],
    before: str,
    sentence_start: bool,
    declared: dict[str, str],
    places: LocalGazetteer,
    found: Mentions,
    title: bool,
) -> None:
    """Record what one capitalised run names: places and ``tags.toml`` names wherever they
    stand, roles, and the name words between them as a person, a surname or an acronym."""
    role = any(_role(w) for w in before.split()[-ROLE_REACH:])
    folded = [fold(w) for w in words]
    core: list[str] = []
    i = 0
    while i <= len(words):
        known: tuple[int, str | Place] | None = None
        if i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                if " ".join(words[i : i + n]) in declared:
                    known = n, declared[" ".join(words[i : i + n])]
                    break
            if known is None and not (i == 0 and sentence_start and _role(words[i])):
                known = places.match(folded[i:])
                if known is not None and _first_name(words, i, known, places):
                    known = None  # "Владимир Путин": a first name, not the city
        if i < len(words) and known is None and not _role(words[i]):
            core.append(words[i])
            i += 1
            continue
        _person(core, role, found)
        core = []
        if i == len(words):
            break
        if known is None:  # a role: the name after it is a person's
            role = True
            i += 1
            continue
        n, what = known
        if isinstance(what, Place):
            found.places[what] += 2 if n == len(words) else 1
            if title:
                found.title_places.add(what)
        else:
            found.declared[what] += 1
            if title:
                found.title_declared.add(what)
        i += n


def _person(core: list[str], role: bool, found: Mentions) -> None:
    """A run of name words: an acronym, an organisation, a lone surname, or a person's full
    name ("Центробанка Эльвира Набиуллина": the bank, then the person)."""
    while len(core) > 2 and core[0].isupper() and core[0].isalpha():
        found.orgs[core[0]] += 1  # "ООН Антониу Гутерришем": the UN, then the person
        core = core[1:]
    if core and fold(core[0]).startswith(ORG_PREFIXES):
        if len(core) == 3 and all(map(_name_word, core)):
            found.orgs[nominative(core[0], first=False)] += 1
            core = core[1:]
        elif len(core) >= 2:
            found.orgs[" ".join(core)] += 1
            return
    if len(core) == 1:
        word = core[0]
        if word.isupper() and 2 <= len(word) <= 6 and word.isalpha():
            found.orgs[word] += 1
        elif not word.isupper() and is_cyrillic(word):
            found.singles[nominative(word, first=False)] += 1
    elif 2 <= len(core) <= 3 and all(_name_word(w) for w in core):
        name = " ".join(nominative(w, first=j == 0) for j, w in enumerate(core))
        (found.persons if role else found.names)[name] += 1


def _name_word(word: str) -> bool:
    return word[0].isupper() and not word.isupper() and not any(c.isdigit() for c in word)


def _topic_words(title: str, body: str) -> dict[str, tuple[int, str]]:
    """Lower-case content words by stem (:func:`person_key`; title words count twice more
    when the body has them), each named by the article's most used form."""
    counts = Counter(w for w in _LOWER_WORD.findall(body) if w.islower())
    for word in _LOWER_WORD.findall(title.lower()):
        if word in counts:
            counts[word] += 2
    words: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        if fold(word) in STOP_WORDS or _NOT_TOPIC.search(word):
            continue
        key = person_key(word)
        old = words.get(key)
        if old is None:
            words[key] = (n, word)
        else:
            words[key] = (old[0] + n, word if (-n, word) < (-old[0], old[1]) else old[1])
    return words


def reads_locally(lang: str) -> bool:
    """Whether articles in ``lang`` are read here rather than by the English tagger."""
    return lang in LANGS
