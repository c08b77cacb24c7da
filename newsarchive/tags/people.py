"""Who the archive's people are, for the archive-wide pass (:mod:`.resolve`): a name with a
role or surname cue in any article is a person in every article, and each surname stands
for the full name most used with it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from .entities import Mentions
from .entities_ru import is_cyrillic, nominative_rank, person_key
from .translit import latin_names, latin_surname, spelling_key


def name_key(words: list[str]) -> tuple[str, str]:
    """A person by first name and surname, Cyrillic ones by stem (:func:`.person_key`)."""
    first, last = words[0], words[-1]
    if first.isascii() and last.isascii():
        return first, last
    return person_key(first), person_key(last)


class People:
    """Who the archive's people are: a name with a role or surname cue in any article is a
    person in every article, and each surname stands for the full name most used with it."""

    def __init__(
        self, mentions: Sequence[Mentions], common: Callable[[str], bool], keep: bool = False
    ):
        # A word the archive also writes in lower case ("Hemlo Gold", "Live Hog") is no
        # surname: names with one after the first word are no one's, nor is it alone.
        self.common = common
        cued: Counter[str] = Counter()  # each cued name: the articles that cue it
        for m in mentions:
            cued.update(self._cued(m))
        self._first = set(cued)  # the names known from cues alone
        counts: Counter[str] = Counter()  # each name as trimmed: how often it is named
        for m in mentions:
            counts.update(self._named(m))
        # "James A. Baker" and "James Baker": one person, named by the form used most;
        # "Сергея Шойгу" and "Сергей Шойгу" too, named by the nominative.
        by_key: dict[tuple[str, str], Counter[str]] = {}
        for name, n in counts.items():
            by_key.setdefault(name_key(name.split()), Counter())[name] += n
        self.full = {key: _most(c) for key, c in by_key.items()}
        keys_of: dict[str, list[tuple[str, str]]] = {}  # surname -> its people's keys
        for key in self.full:
            keys_of.setdefault(key[1], []).append(key)
        self.surnames = {last: self._surname(keys, counts) for last, keys in keys_of.items()}
        self.known = self._first | set(counts)
        names = sorted(set(self.full.values()))
        self.latin = latin_names(names, map(is_cyrillic, names))  # "Сергей Шойгу" -> Latin
        self._latin_surnames: dict[str, str] | None = None
        # What update() needs (serve); a one-off build drops it.
        self._counts = (cued, counts, by_key, keys_of) if keep else None

    def _cued(self, m: Mentions) -> list[str]:
        return [name for name in m.persons if self.plausible(name)]

    def _named(self, m: Mentions) -> Counter[str]:
        """What one article adds to the names' counts: each cued name once, and the
        times it names a known name or one whose surname it also writes alone."""
        named = Counter(_trim(name, self._first) for name in self._cued(m))
        for name, n in m.names.items():
            if not self.plausible(name):
                continue
            name = _trim(name, self._first)
            if name in self._first or self.surname_alone(name.split()[-1], m):
                named[name] += n
        return named

    def _surname(self, keys: list[tuple[str, str]], counts: Counter[str]) -> str:
        """The full name a surname alone stands for: of its people, the one named most."""
        return _most(Counter({self.full[key]: counts[self.full[key]] for key in keys}))

    def update(self, gone: Sequence[Mentions], came: Sequence[Mentions]) -> bool:
        """These people, for the archive with ``gone`` articles replaced by ``came`` (no
        word having become common or stopped being): True when they are who they were
        (who is known, each person's full name, what each surname stands for); False
        when they changed or cannot be told (then this object is to be made again)."""
        if self._counts is None:
            return False
        cued, counts, by_key, keys_of = self._counts
        for m in gone:
            add_counts(cued, self._cued(m), -1)
        for m in came:
            add_counts(cued, self._cued(m), 1)
        if cued.keys() != self._first:
            return False  # a name came to be cued, or no longer is: everything reads it
        touched: set[str] = set()
        for sign, articles in ((-1, gone), (1, came)):
            for m in articles:
                for name, n in self._named(m).items():
                    add_counts(counts, (name,), sign * n)
                    touched.add(name)
        if any((name in counts or name in self._first) != (name in self.known) for name in touched):
            return False  # someone came to be known, or stopped being
        names_of: dict[tuple[str, str], list[str]] = {}  # a person's key -> touched names
        for name in touched:
            names_of.setdefault(name_key(name.split()), []).append(name)
        for key, names in names_of.items():
            forms = by_key.setdefault(key, Counter())
            for name in names:
                add_counts(forms, (name,), counts[name] - forms[name])
            if not forms or _most(forms) != self.full.get(key):
                return False  # a person's full name changed, came or went
        for last in {key[1] for key in names_of}:
            if self._surname(keys_of[last], counts) != self.surnames[last]:
                return False
        return True

    def trimmed(self, name: str) -> str:
        """A known person's name with a word run on: "Paul Volcker Congressional"."""
        return _trim(name, self.known)

    def plausible(self, name: str) -> bool:
        return not any(self.common(word) for word in name.split()[1:])

    def in_latin(self, word: str) -> str | None:
        """The Latin full name a Cyrillic surname alone transliterates to ("Путин")."""
        if self._latin_surnames is None:  # made once, for an archive with Cyrillic names
            self._latin_surnames = {
                spelling_key(last): name
                for last, name in sorted(self.surnames.items())
                if last.isascii()
            }
        return latin_surname(word, self._latin_surnames)

    def surname_alone(self, word: str, m: Mentions) -> bool:
        if not word.isascii() and is_cyrillic(word):  # "Путина" alone, "Путин" in the name
            key = person_key(word)
            alone = any(person_key(single) == key for single in m.singles)
            return alone and not self.common(word)
        return word in m.singles and not self.common(word)

    def of(self, m: Mentions) -> Counter[str]:
        """An article's people: its full names, and its lone surnames as full names (the
        article's own full name first, else the archive's)."""
        found: Counter[str] = Counter()
        for name, n in (*m.persons.items(), *m.names.items()):
            if not self.plausible(name):
                continue
            cued = name in m.persons
            name = self.trimmed(name)
            words = name.split()
            if cued or name in self.known or self.surname_alone(words[-1], m):
                found[self.full.get(name_key(words), name)] += n
        mine = {person_key(name.split()[-1]): name for name in sorted(found)}
        for word, n in m.singles.items():
            key = person_key(word)
            name = mine.get(key) or (None if self.common(word) else self.surnames.get(key))
            if name is None and not word.isascii() and is_cyrillic(word):
                name = self.in_latin(word)
            if name is not None:
                found[name] += n
        if not self.latin:
            return found
        out: Counter[str] = Counter()
        for name, n in found.items():
            out[self.latin.get(name, name)] += n
        return out


def _trim(name: str, known: set[str]) -> str:
    """A known person's name with a word run on: "Paul Volcker Congressional"."""
    words = name.split()
    shorter = " ".join(words[:-1])
    return shorter if len(words) > 2 and shorter in known else name


def add_counts(counter: Counter[str], keys: Iterable[str], n: int) -> None:
    """Add ``n`` to each key's count; a count of 0 is no entry, as in counts made afresh."""
    for key in keys:
        total = counter[key] + n
        if total > 0:
            counter[key] = total
        else:
            del counter[key]


def _most(counts: Counter[str]) -> str:
    """The form used most; of a Cyrillic name's forms, the nominative (the shortest)."""
    if any(map(is_cyrillic, counts)):
        return min(counts, key=lambda s: (*nominative_rank(s), -counts[s], s))
    return min(counts, key=lambda s: (-counts[s], s))
