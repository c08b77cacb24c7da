"""What one article names: the capitalised runs of its text read as people, places and
organisations, and the words it is about (the first half of the tags stage, see
:mod:`.resolve`).

Why rules and gazetteers rather than a statistical model: no well-kept package on PyPI
ships an English named-entity model (spaCy's models are not on PyPI, GLiNER, Stanza and
Flair download theirs at run time), and spaCy's small model would take minutes for 20,000
articles, longer than the whole build. News prose is regular enough for rules: names are
capitalised runs of words, a person's full name comes first and the surname alone later,
roles ("Defence Minister") and organisation heads ("Ministry", "Bank", "Corp") are a
closed set, and places come from two offline gazetteers (see :mod:`.gazetteer`).
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from ..config import TagRules
from ..stopwords import STOP_WORDS
from .gazetteer import Gazetteer, Place, gazetteer
from .lines import name_lines


def _char_class(chars: str) -> str:
    """A regex class of ``chars`` as ranges (the uppercase letters of every script)."""
    ranges, start, prev = [], None, None
    for c in chars:
        if start is None:
            start = prev = c
        elif ord(c) == ord(prev) + 1:  # type: ignore[arg-type]
            prev = c
        else:
            ranges.append((start, prev))
            start = prev = c
    if start is not None:
        ranges.append((start, prev))
    return "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}" for a, b in ranges)


_CONNECT = r"of the|of|and|de|da|del|dos|du|van|von|der|den|bin|ibn|al|la|le|y|&"


@functools.cache
def _span() -> re.Pattern[str]:
    """A run of capitalised words (in any script), with the small words names carry inside
    them. Made on first use: listing every script's capitals takes 50 ms of start-up."""
    upper = sorted({chr(c) for c in range(sys.maxunicode + 1) if chr(c).isupper()})
    cap = f"[{_char_class(''.join(c for c in upper if c.isalpha()))}]"
    word = rf"{cap}[\w’'&.\-]*\w|{cap}"
    return re.compile(rf"(?<![\w’'&.\-])(?:{word})(?:[ \t]+(?:(?:{_CONNECT})[ \t]+)?(?:{word}))*")


_LOWER_WORD = re.compile(r"(?<![\w’'\-])[^\W\d_]{4,}(?![\w’'\-])")
# Past tenses and adverbs ("discussed", "sharply") say what happened, not what it is about.
_NOT_TOPIC = re.compile(r"(?:[^e]ed|ly)$")
# A capitalised first word of a sentence that is no name: "Addressing", "Speaking".
_NOT_NAME = re.compile(r"(?:ing|[^e]ed|ly)$")
_INITIALS = re.compile(r"\b((?:[A-Z]\.){2,})")
_SENTENCE_END = frozenset('.!?:;"“”«»(\n[—–-')

# Titles and roles that stand before a person's name ("Defence Minister Sergei Shoigu").
ROLE_WORDS = frozenset(
    """president presidents vice prime minister ministers secretary chairman chairwoman
    chair chief executive director governor deputy senator sen rep representative
    congressman congresswoman ambassador general gen colonel col major maj lieutenant lt
    admiral adm captain capt commander king queen prince princess pope cardinal bishop
    archbishop judge justice mayor premier chancellor leader spokesman spokeswoman
    spokesperson head mr mrs ms miss dr prof professor sir lord lady dame sheikh emir
    crown foreign defence defense finance interior trade economy economic agriculture
    energy oil treasury commerce labour labor health education transport industry
    justice supreme commander-in-chief president-elect acting former late analyst
    economist officer managing founder owner partner manager coach player striker
    midfielder goalkeeper st saint state""".split()
)
# Last words of an organisation's name ("Reserve Bank", "Texaco Inc", "Defence Ministry").
ORG_HEADS = frozenset(
    """inc inc. corp corp. corporation co co. company companies ltd ltd. limited plc llc ag
    sa nv bv gmbh group holdings holding bank banks ministry department council
    commission committee agency association organisation organization union party
    federation institute university college school fund board bureau office authority
    exchange forces army navy police court parliament congress senate assembly service
    services trust reserve airlines airways motors industries petroleum oil systems
    technologies partners securities capital investments foundation society league club
    alliance network channel news times post journal press media cabinet government
    administration commissariat directorate secretariat guard corps""".split()
)
# Short upper-case words that are not organisations.
NOT_ACRONYMS = frozenset(
    """I A OK TV CEO CFO GMT AM PM EST EDT UTC II III IV VI VII VIII IX XI XII US UK EU USA
    PCT MLN DLRS NOTE""".split()
)


@dataclass
class Mentions:
    """What one article names, before the archive-wide pass: counts by name and kind."""

    places: Counter[Place] = field(default_factory=Counter)  # weighted: see _walk
    title_places: set[Place] = field(default_factory=set)
    title_declared: set[str] = field(default_factory=set)
    persons: Counter[str] = field(default_factory=Counter)  # with a role or surname cue
    names: Counter[str] = field(default_factory=Counter)  # person-like, no cue yet
    singles: Counter[str] = field(default_factory=Counter)  # one word: a surname?
    orgs: Counter[str] = field(default_factory=Counter)
    declared: Counter[str] = field(default_factory=Counter)  # tags.toml names, as tags
    words: dict[str, tuple[int, str]] = field(default_factory=dict)  # stem -> (count, word)


class _Names:
    """The names the text is matched against: the gazetteer and tags.toml's own names."""

    def __init__(self, rules: TagRules):
        _span()  # made here, with the names, so forked workers inherit it too
        self.places: Gazetteer = gazetteer()
        self.declared: dict[str, str] = {}  # exact surface -> tag
        for variant, name in rules.aliases:
            self.declared[variant] = name
            self.declared[name] = name
        for name, _kind in rules.kinds:
            self.declared.setdefault(name, name)
        self.runs: dict[tuple[str, bool, bool], tuple[Effect, ...]] = {}
        self.longest = max(
            [self.places.longest, *(len(n.split()) for n in self.declared)], default=1
        )


def extract(title: str, body: str, rules: TagRules) -> Mentions:
    """Everything one article names (no archive-wide knowledge yet)."""
    names = names_for(rules)
    found = Mentions()
    if title.isupper():  # a wire headline: only places, matched in title case
        for span in _span().finditer(_INITIALS.sub(_join_initials, title.title())):
            _walk(span.group().split(), names, found, title=True, places_only=True)
    else:
        _scan(title, names, found, title=True)
    _scan(body, names, found, title=False)
    _topic_words(title, body, found)
    return found


_NAMES_CACHE: dict[TagRules, _Names] = {}


def names_for(rules: TagRules) -> _Names:
    names = _NAMES_CACHE.get(rules)
    if names is None:
        _NAMES_CACHE.clear()
        names = _NAMES_CACHE[rules] = _Names(rules)
    return names


def _join_initials(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "").upper()  # "U.S." -> "US", "u.s." -> "US"


def _scan(text: str, names: _Names, found: Mentions, title: bool) -> None:
    text = _INITIALS.sub(_join_initials, text)
    for line in name_lines(text):
        for match in _span().finditer(line):
            words = match.group().split()
            if _sentence_start(line, match.start()):
                while words and (words[0].casefold() in STOP_WORDS or _NOT_NAME.search(words[0])):
                    words.pop(0)  # "The", "Therefore", "Addressing"
            before = line[: match.start()]
            if "and" in words or "&" in words:
                if _is_org(words, names):  # "Securities and Exchange Commission"
                    _walk(words, names, found, title, places_only=False, before=before)
                    continue
                parts = " ".join(words).replace(" & ", " and ").split(" and ")
                for part in parts:  # "Belarus and Russia": two runs
                    _walk(part.split(), names, found, title, places_only=False, before=before)
                    before = ""
                continue
            _walk(words, names, found, title, places_only=False, before=before)


def _sentence_start(line: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and line[i] in " \t":
        i -= 1
    return i < 0 or line[i] in _SENTENCE_END


def bare(word: str) -> str:
    """Possessives and trailing punctuation off a word ("Belarus’", "Texaco's")."""
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word.rstrip(".-&")


def _match(words: list[str], i: int, names: _Names) -> tuple[int, str | Place] | None:
    """The longest known name starting at ``words[i]``: its length and tag or place."""
    for n in range(min(names.longest, len(words) - i), 0, -1):
        text = " ".join([*words[i : i + n - 1], bare(words[i + n - 1])])
        if text in names.declared:
            return n, names.declared[text]
        place = names.places.names.get(text)
        if place is not None:
            return n, place
    return None


# What a capitalised run says, worked out once per distinct run (names repeat); about
# 76,000 distinct runs in 20,000 Reuters articles.
Effect = tuple[str, object, int]  # (what, name or Place, weight)
RUNS_KEPT = 200_000


def _walk(
    words: list[str],
    names: _Names,
    found: Mentions,
    title: bool,
    places_only: bool,
    before: str = "",
) -> None:
    """Record what one capitalised run names (see _classify)."""
    role = not places_only and _role_before(before)
    key = (" ".join(words), role, places_only)
    effects = names.runs.get(key)
    if effects is None:
        if len(names.runs) >= RUNS_KEPT:  # serve's process keeps this; bound it
            names.runs.clear()
        effects = names.runs[key] = _classify(words, names, role, places_only)
    for what, name, weight in effects:
        if what == "place":
            found.places[name] += weight  # type: ignore[index]
            if title:
                found.title_places.add(name)  # type: ignore[arg-type]
        else:
            getattr(found, what)[name] += weight
            if title and what == "declared":
                found.title_declared.add(name)  # type: ignore[arg-type]


def _classify(words: list[str], names: _Names, role: bool, places_only: bool) -> tuple[Effect, ...]:
    """Classify one capitalised run: leading places, demonyms and roles are read off the
    front; what remains is a person, an organisation, or a single word to decide later."""
    connectors = _CONNECTORS
    while words and words[0] in connectors:
        words = words[1:]
    if not words:
        return ()
    if not places_only and "of" in words and _is_org(words, names):
        head, tail = words[: words.index("of")], words[words.index("of") + 1 :]
        if 2 <= len(head) <= 3 and all(is_name_word(w) for w in head) and len(tail) > 1:
            # "Alan Rose of First Interstate Bank": a person, and where they work
            person = ("persons", " ".join(bare(w) for w in head), 1)
            return (person, *_classify(tail, names, False, False))
    if _is_org(words, names):  # "Newport Corp", "Texas Commerce Bancshares Inc"
        return () if places_only else (("orgs", " ".join(bare(w) for w in words), 1),)
    effects: list[Effect] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in connectors or (word in COMPASS and i + 1 < len(words)):
            i += 1  # "West Germany", "South African": the place is what follows
            continue
        known = _match(words, i, names)
        if known is not None:
            n, what = known
            if i == 0 and not places_only and _name_after_place(words, n, names):
                break  # "Vladimir Putin", "Charlotte Brontë": a person, not a city
            if isinstance(what, Place):
                # "Budapest Memorandum": a place naming something else counts for less.
                effects.append(("place", what, 2 if n == len(words) else 1))
            else:
                effects.append(("declared", what, 1))
            i += n
            continue
        plain = bare(word)
        demonym = names.places.demonyms.get(plain)
        if demonym is not None:
            effects.append(("place", demonym, 1))
            i += 1
            continue
        if plain.casefold() in ROLE_WORDS:
            role = True
            i += 1
            continue
        break
    if places_only:
        return tuple(effects)
    rest = words[i:]
    owner = next((j for j, w in enumerate(rest) if w.endswith(("'s", "’s"))), len(rest))
    core = [bare(w) for w in rest[: owner + 1]]  # "Thatcher's Conservative": Thatcher's
    roles = [j for j, w in enumerate(core[:-1]) if w.casefold() in ROLE_WORDS]
    if roles:  # "Fed Chairman Paul Volcker": the name is what follows the last role
        core, role = core[roles[-1] + 1 :], True
    while core and core[-1] in connectors:
        core.pop()
    if len(core) == 1:
        word = core[0]
        if word.casefold() in STOP_WORDS:
            pass
        elif word.isupper() and 2 <= len(word) <= 6 and word.isalpha():
            if word not in NOT_ACRONYMS:
                effects.append(("orgs", word, 1))
        elif word[0].isupper() and not word.isupper():
            effects.append(("singles", word, 1))
    elif 2 <= len(core) <= 4 and all(is_name_word(w) for w in core):
        effects.append(("persons" if role else "names", " ".join(core), 1))
    return tuple(effects)


COMPASS = frozenset(
    """North South East West Northern Southern Eastern Western Central Upper Lower""".split()
)


def _name_after_place(words: list[str], n: int, names: _Names) -> bool:
    """A place's name followed by one or two more name words and nothing known: a first
    name ("Vladimir Putin") or a name after a place ("Budapest Memorandum")."""
    rest = [bare(w) for w in words[n:]]
    if not 1 <= len(rest) <= 2 or n > 1:
        return False
    places = names.places
    first = places.names.get(bare(words[0]))
    if first is None or first.kind != "city":  # "Michigan Sealy": a state is no first name
        return False
    return all(
        is_name_word(w)
        and w not in places.names
        and w not in places.demonyms
        and w.casefold() not in ROLE_WORDS
        for w in rest
    )


_CONNECTORS = frozenset(_CONNECT.replace("of the|", "").split("|")) | {"the"}


def is_name_word(word: str) -> bool:
    """A word of a person's name: capitalised, not all capitals, no digits; or a connector."""
    if word in _CONNECTORS:
        return True
    return (
        word[0].isupper()
        and not word.isupper()
        and not any(c.isdigit() for c in word)
        and word.casefold() not in STOP_WORDS
        and word.casefold() not in ORG_HEADS
    )


def _is_org(words: list[str], names: _Names) -> bool:
    """Ends with an organisation's head word ("Reserve Bank"), or starts with one before
    "of" ("Bank of England"), and is not a place's own name ("Russian Federation")."""
    if len(words) < 2:
        return False
    whole = _match(words, 0, names)
    if whole is not None and whole[0] == len(words):
        return False
    if bare(words[-1]).casefold() in ORG_HEADS:
        return True
    return len(words) >= 3 and words[1] == "of" and words[0].casefold() in ORG_HEADS


_ROLE_BEFORE = re.compile(r"(?:^|\s)([a-z][a-z\-]+)\s*$")


def _role_before(before: str) -> bool:
    """A lower-case role just before the name: "the president Joe Biden", "chairman X"."""
    match = _ROLE_BEFORE.search(before[-40:])
    return match is not None and match.group(1) in ROLE_WORDS


def word_stem(word: str) -> str:
    """A lower-case word without its plural "s": "ships" ~ "ship" (not "gas", "press")."""
    return word[:-1] if len(word) > 3 and word[-1] == "s" and word[-2] != "s" else word


def _topic_words(title: str, body: str, found: Mentions) -> None:
    """Lower-case content words by stem; title words count twice when the body uses them."""
    counts = Counter(_LOWER_WORD.findall(body))
    for word in _LOWER_WORD.findall(title.lower()):
        if word in counts:
            counts[word] += 2
    words: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        if not word.islower() or word in STOP_WORDS or _NOT_TOPIC.search(word):
            continue
        stem = word_stem(word)
        old = words.get(stem)
        if old is None:
            words[stem] = (n, word)
        else:  # the article's most used form names the stem
            words[stem] = (old[0] + n, word if (-n, word) < (-old[0], old[1]) else old[1])
    found.words = words
