"""One person named in Cyrillic and in Latin letters ("Александр Лукашенко", "Aleksandr
Lukashenko") becomes one tag, the Latin one, when the archive has both: the Cyrillic name's
transliteration and the Latin name agree once the spellings transliterations differ in are
made alike ("Sergey Shoygu" / "Sergei Shoigu", "Aleksei" / "Alexei", "Zelenskiy" /
"Zelensky"). A name whose spellings differ more ("Олаф Шольц", "Olaf Scholz") needs an
alias in ``tags.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# BGN/PCGN, the system English-language news mostly follows (Russian, with the Belarusian
# and Ukrainian letters it lacks).
_LETTERS = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўїєґ",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
        " i w yi ye g".split(),
        strict=True,
    )
)
# Latin spellings that transliterations of one letter differ in, made alike (in order).
_ALIKE = (
    ("ye", "e"),
    ("x", "ks"),
    ("kh", "h"),
    ("tz", "ts"),
    ("j", "i"),
    ("y", "i"),
    ("w", "u"),
    ("ë", "e"),
)
_DOUBLED = re.compile(r"(.)\1+")


def transliterate(name: str) -> str:
    """A Cyrillic name in Latin letters (BGN/PCGN), other characters as they are."""
    out = []
    for c in name:
        latin = _LETTERS.get(c.lower())
        if latin is None:
            out.append(c)
        else:
            latin = "" if latin == "-" else latin
            out.append(latin.capitalize() if c.isupper() else latin)
    return "".join(out)


def spelling_key(name: str) -> str:
    """A Latin name with the differences between transliterations taken out."""
    key = name.lower()
    for a, b in _ALIKE:
        key = key.replace(a, b)
    return _DOUBLED.sub(r"\1", key)


def latin_names(names: Iterable[str], is_cyrillic: Iterable[bool]) -> dict[str, str]:
    """Each Cyrillic name whose transliteration matches a Latin name among ``names``, to
    that Latin name (the one listed first when several match)."""
    names = list(names)
    flags = list(is_cyrillic)
    latin: dict[str, str] = {}
    for name, cyrillic in zip(names, flags, strict=True):
        if not cyrillic:
            latin.setdefault(spelling_key(name), name)
    return {
        name: latin[key]
        for name, cyrillic in zip(names, flags, strict=True)
        if cyrillic and (key := spelling_key(transliterate(name))) in latin
    }


def latin_surname(word: str, surnames: dict[str, str]) -> str | None:
    """The Latin full name a Cyrillic surname alone stands for ("Путин", "Путину" ->
    "Vladimir Putin"), from ``surnames``: Latin surname's spelling key -> full name."""
    latin = spelling_key(transliterate(word))
    found = surnames.get(latin)
    if found is None and word[-1] in "ауеы" and word[-2:-1] not in "аеёиоуыэюя":
        found = surnames.get(latin[:-1])  # an oblique case: "Путина", "Путину"
    return found
