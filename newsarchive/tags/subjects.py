"""One subject, one tag: an article's own tags named as the tags the build finds are.

Feeds tag with lower-case slugs (Reuters: ``usa``, ``uk``, ``west-germany``, ``reagan``)
where found tags are names (``United States``, ``Ronald Reagan``); were they kept apart, one
subject would have two pages. So an own tag becomes, in this order:

1. what ``tags.toml`` says (an alias's tag; a name it aliases, declares or never uses is
   kept as written);
2. the gazetteer's place (``usa`` and ``USA`` -> United States, ``japan`` -> Japan);
3. for a slug (lower case, no spaces), the one person the archive's found tags name with
   those last words (``reagan`` -> Ronald Reagan, when that is the only Reagan and "reagan"
   is no word the archive writes in lower case);
4. for a slug of several words, the name its articles spell with those words capitalised
   (``west-germany`` -> West Germany, ``de-la-madrid`` -> De la Madrid,
   ``leigh-pemberton`` -> Leigh-Pemberton), which may again be a place or a found person.
   A slug its articles never write as a name stays as written (``money-fx``, ``palm-oil``:
   topic codes, which "Money Fx" would not improve).

Any other tag stays as written (``earn``, ``crude``: topic words).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from ..config import TagRules
from .gazetteer import gazetteer

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words that stay lower case inside a name made from a slug ("De la Madrid", "Bank of Japan").
PARTICLES = frozenset(
    "de la le les du des del della di da das do dos van von der den ter y e of and the for "
    "on in at bin al".split()
)
MAX_SURNAME_WORDS = 3  # "de la madrid"


def display_name(slug: str) -> str:
    """A slug as a name: words capitalised but inner particles ("west-germany" -> "West
    Germany", "de-la-madrid" -> "De la Madrid")."""
    words = slug.split("-")
    return " ".join(
        w if i and w in PARTICLES else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


class Subjects:
    """Names an archive's own tags by the subject they are (see the module's docstring).
    ``people``: the archive's found person tags; ``common(word)``: whether the archive
    writes a word in lower case often (no surname then); ``texts(tag)``: the text of some
    articles with that own tag."""

    def __init__(
        self,
        rules: TagRules,
        people: Iterable[str],
        common: Callable[[str], bool],
        texts: Callable[[str], Iterable[str]],
    ):
        self.texts = texts
        self.aliases = rules.alias_map()
        self.kept = {name.casefold() for name, _kind in rules.kinds} | {
            name.casefold() for name in rules.never
        }
        self.kept |= {name.casefold() for _variant, name in rules.aliases}
        self.common = common
        self.asked: dict[str, bool] = {}  # what ``common`` said of each word it was asked
        self.places = gazetteer().names
        self.people_given = tuple(people)
        endings: dict[str, set[str]] = {}
        for name in self.people_given:
            words = name.casefold().split()
            for n in range(1, min(len(words), MAX_SURNAME_WORDS) + 1):
                endings.setdefault(" ".join(words[-n:]), set()).add(name)
        self.people = {end: next(iter(names)) for end, names in endings.items() if len(names) == 1}
        self._names: dict[str, str] = {}
        self.spelled: set[str] = set()  # the slugs whose names their articles' texts gave

    def name(self, tag: str) -> str:
        """The tag ``tag`` becomes (itself when nothing names it otherwise)."""
        found = self._names.get(tag)
        if found is None:
            found = self._names[tag] = self._name(tag)
        return found

    def _name(self, tag: str) -> str:
        key = tag.casefold()
        if key in self.aliases:
            return self.aliases[key]
        if key in self.kept:
            return tag
        place = self._place(tag)
        if place:
            return place
        if _SLUG.fullmatch(tag) is None:
            return tag
        words = tag.replace("-", " ")
        one_word = " " not in words
        person = self.people.get(words)
        if person is not None and not (one_word and self._common(tag)):
            return person
        if one_word:
            return tag
        name = display_name(tag)
        place = self.aliases.get(name.casefold()) or self._place(name)
        return place or self._spelled(tag) or tag

    def _common(self, word: str) -> bool:
        answer = self.asked[word] = self.common(word)
        return answer

    def _spelled(self, slug: str) -> str:
        """The spelling of ``slug``'s words its articles use most as a name (its main words
        capitalised), or "" when they never write it so."""
        self.spelled.add(slug)
        words = slug.split("-")
        pattern = re.compile(r"\b" + r"[\s-]+".join(map(re.escape, words)) + r"\b", re.I)
        forms: Counter[str] = Counter()
        seen = 0
        for text in self.texts(slug):
            for match in pattern.finditer(text):
                form = " ".join(match.group().split())
                main = [w for w in re.split(r"[ -]", form) if w.casefold() not in PARTICLES]
                if any(w.isupper() for w in main):
                    continue  # a headline in capitals says nothing
                seen += 1
                if main and all(w[:1].isupper() for w in main):
                    forms[form] += 1
        if 2 * sum(forms.values()) <= seen:  # "palm oil" mostly: a topic, no name
            return ""
        form = min(forms, key=lambda f: (-forms[f], f))
        return form[:1].upper() + form[1:]  # a tag starts as a sentence does

    def _place(self, tag: str) -> str:
        places = self.places
        place = places.get(tag) or places.get(tag.title()) or places.get(tag.upper())
        return place.name if place is not None else ""
