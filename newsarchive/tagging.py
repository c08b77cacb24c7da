"""The tags stage: people, places, organisations and topics found in each article's text.

Why rules and gazetteers rather than a statistical model: no well-kept package on PyPI
ships an English named-entity model (spaCy's models are not on PyPI, GLiNER, Stanza and
Flair download theirs at run time), and spaCy's small model would take minutes for 20,000
articles, longer than the whole build. News prose is regular enough for rules: names are
capitalised runs of words, a person's full name comes first and the surname alone later,
roles ("Defence Minister") and organisation heads ("Ministry", "Bank", "Corp") are a
closed set, and places come from two offline gazetteers (see :mod:`.gazetteer`).

Each article is read alone (:func:`extract`, kept by ``serve`` for unchanged articles);
then :func:`resolve` looks across the archive once: a surname alone becomes the full name
the archive knows, a name with no role or surname cue counts when another article shows
it is a person, ``tags.toml`` aliases and never-use lists apply, and topics are words an
article uses often and the archive rarely.
"""

from __future__ import annotations

import math
import multiprocessing
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ArchiveError
from .gazetteer import Gazetteer, Place, gazetteer
from .model import KINDS, Article, ObjectMemo

AUTO_TAGS = ("missing", "always", "never")
_UPPER = "".join(
    sorted({chr(c) for c in range(sys.maxunicode + 1) if chr(c).isupper() and chr(c).isalpha()})
)


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


_CAP = f"[{_char_class(_UPPER)}]"
_WORD = rf"{_CAP}[\w’'&.\-]*\w|{_CAP}"
_CONNECT = r"of the|of|and|de|da|del|dos|du|van|von|der|den|bin|ibn|al|la|le|y|&"
# A run of capitalised words, with the small words names carry inside them.
_SPAN = re.compile(rf"(?<![\w’'&.\-])(?:{_WORD})(?:[ \t]+(?:(?:{_CONNECT})[ \t]+)?(?:{_WORD}))*")
_LOWER_WORD = re.compile(r"(?<![\w’'\-])[^\W\d_]{4,}(?![\w’'\-])")
# Past tenses and adverbs ("discussed", "sharply") say what happened, not what it is about.
_NOT_TOPIC = re.compile(r"(?:[^e]ed|ly)$")
# A capitalised first word of a sentence that is no name: "Addressing", "Speaking".
_NOT_NAME = re.compile(r"(?:ing|[^e]ed|ly)$")
_INITIALS = re.compile(r"\b((?:[A-Z]\.){2,})")
_SENTENCE_END = frozenset('.!?:;"“”«»(\n[—–-')

# Words capitalised at the start of a sentence, as months and days, or in headlines.
STOP_WORDS = frozenset(
    """a about above according across after afterwards again against ago all almost along
    already also although always am among an and another any anyone anything are around
    as at back be because been before being below besides between both but by can cannot
    could did do does doing done down during each either else enough even ever every
    everyone everything few first for from further furthermore had has have having he
    hence her here hers herself him himself his how however i if in indeed instead into
    is it its itself just last later least less let like many may me meanwhile might
    more moreover most much must my myself neither never nevertheless next no none nor
    not nothing now of off often on once one only or other others otherwise our ours
    ourselves out over own per perhaps please quite rather really same second several
    shall she should since so some someone something sometimes somewhere soon still such
    than that the their theirs them themselves then there thereafter therefore these
    they third this those though through thus to today together tomorrow too toward
    towards under unless until up upon us very via was we well were what whatever when
    whenever where whereas whether which while who whoever whole whom whose why will
    with within without would yes yesterday yet you your yours yourself yourselves said
    says say told added asked new old good great big small high low two three four five
    six seven eight nine ten hundred thousand million billion january february march
    april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday mon tue wed thu fri sat sun jan feb mar
    apr jun jul aug sep sept oct nov dec year years month months week weeks day days
    time times part end way people thing things lot including following total""".split()
)
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


@dataclass(frozen=True)
class TagRules:
    """``tags.toml``: aliases (variant -> tag, compared case-insensitively), declared kinds,
    and tags never to use. Tuples, so a config holding it stays hashable and printable."""

    aliases: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    never: tuple[str, ...] = ()
    home: str = ""  # the place of articles that name none (a wire service's home country)

    def alias_map(self) -> dict[str, str]:
        return {variant.casefold(): name for variant, name in self.aliases}

    def kind_map(self) -> dict[str, str]:
        return {name.casefold(): kind for name, kind in self.kinds}


def load_rules(path: Path) -> TagRules:
    """Read ``tags.toml``; a missing file means no rules. Raises ArchiveError naming the key."""
    if not path.exists():
        return TagRules()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ArchiveError(f"invalid TOML: {exc.args[0]}", str(path), line) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read tag rules: {exc}", str(path)) from exc
    unknown = sorted(set(data) - {"aliases", "kinds", "never", "home"})
    if unknown:
        known = "aliases, kinds, never, home"
        raise ArchiveError(f"unknown key {unknown[0]!r} (known: {known})", str(path))
    aliases: list[tuple[str, str]] = []
    for name, variants in (data.get("aliases") or {}).items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ArchiveError(f"aliases: {name!r} must be a list of names", str(path))
        aliases += [(v, name) for v in variants if v.strip()]
    kinds = data.get("kinds") or {}
    for name, kind in kinds.items():
        if kind not in KINDS:
            raise ArchiveError(f"kinds: {name!r} must be one of {', '.join(KINDS)}", str(path))
    never = data.get("never") or []
    if not isinstance(never, list) or not all(isinstance(v, str) for v in never):
        raise ArchiveError("never: must be a list of tag names", str(path))
    home = data.get("home", "")
    if not isinstance(home, str):
        raise ArchiveError("home: must be a place's name", str(path))
    return TagRules(
        tuple(sorted(aliases)), tuple(sorted(kinds.items())), tuple(sorted(never)), home
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
    names = _names_for(rules)
    found = Mentions()
    if title.isupper():  # a wire headline: only places, matched in title case
        for span in _SPAN.finditer(_INITIALS.sub(_join_initials, title.title())):
            _walk(span.group().split(), names, found, title=True, places_only=True)
    else:
        _scan(title, names, found, title=True)
    _scan(body, names, found, title=False)
    _topic_words(title, body, found)
    return found


_NAMES_CACHE: dict[TagRules, _Names] = {}


def _names_for(rules: TagRules) -> _Names:
    names = _NAMES_CACHE.get(rules)
    if names is None:
        _NAMES_CACHE.clear()
        names = _NAMES_CACHE[rules] = _Names(rules)
    return names


def _join_initials(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "").upper()  # "U.S." -> "US", "u.s." -> "US"


def _scan(text: str, names: _Names, found: Mentions, title: bool) -> None:
    text = _INITIALS.sub(_join_initials, text)
    for line in text.split("\n"):
        if line.isupper():
            continue  # a table or an all-capitals line: capitals say nothing there
        for match in _SPAN.finditer(line):
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


def _strip(word: str) -> str:
    """Possessives and trailing punctuation off a word ("Belarus’", "Texaco's")."""
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word.rstrip(".-&")


def _match(words: list[str], i: int, names: _Names) -> tuple[int, str | Place] | None:
    """The longest known name starting at ``words[i]``: its length and tag or place."""
    for n in range(min(names.longest, len(words) - i), 0, -1):
        text = " ".join([*words[i : i + n - 1], _strip(words[i + n - 1])]) if n else ""
        if text in names.declared:
            return n, names.declared[text]
        place = names.places.names.get(text)
        if place is not None:
            return n, place
    return None


# What a capitalised run says, worked out once per distinct run (names repeat).
Effect = tuple[str, object, int]  # (what, name or Place, weight)


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
    if _is_org(words, names):  # "Newport Corp", "Texas Commerce Bancshares Inc"
        return () if places_only else (("orgs", " ".join(_strip(w) for w in words), 1),)
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
        bare = _strip(word)
        demonym = names.places.demonyms.get(bare)
        if demonym is not None:
            effects.append(("place", demonym, 1))
            i += 1
            continue
        if bare.casefold() in ROLE_WORDS:
            role = True
            i += 1
            continue
        break
    if places_only:
        return tuple(effects)
    core = [_strip(w) for w in words[i:]]
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
    elif 2 <= len(core) <= 4 and all(_name_word(w) for w in core):
        effects.append(("persons" if role else "names", " ".join(core), 1))
    return tuple(effects)


COMPASS = frozenset(
    """North South East West Northern Southern Eastern Western Central Upper Lower""".split()
)


def _name_after_place(words: list[str], n: int, names: _Names) -> bool:
    """A place's name followed by one or two more name words and nothing known: a first
    name ("Vladimir Putin") or a name after a place ("Budapest Memorandum")."""
    rest = [_strip(w) for w in words[n:]]
    if not 1 <= len(rest) <= 2 or n > 1:
        return False
    places = names.places
    first = places.names.get(_strip(words[0]))
    if first is None or first.kind != "city":  # "Michigan Sealy": a state is no first name
        return False
    return all(
        _name_word(w)
        and w not in places.names
        and w not in places.demonyms
        and w.casefold() not in ROLE_WORDS
        for w in rest
    )


_CONNECTORS = frozenset(_CONNECT.replace("of the|", "").split("|")) | {"the"}


def _name_word(word: str) -> bool:
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
    if _strip(words[-1]).casefold() in ORG_HEADS:
        return True
    return len(words) >= 3 and words[1] == "of" and words[0].casefold() in ORG_HEADS


_ROLE_BEFORE = re.compile(r"(?:^|\s)([a-z][a-z\-]+)\s*$")


def _role_before(before: str) -> bool:
    """A lower-case role just before the name: "the president Joe Biden", "chairman X"."""
    match = _ROLE_BEFORE.search(before[-40:])
    return match is not None and match.group(1) in ROLE_WORDS


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
        stem = word[:-1] if word[-1] == "s" and word[-2] != "s" else word  # "ships" ~ "ship"
        old = words.get(stem)
        if old is None:
            words[stem] = (n, word)
        else:  # the article's most used form names the stem
            words[stem] = (old[0] + n, word if (-n, word) < (-old[0], old[1]) else old[1])
    found.words = words


@dataclass(frozen=True)
class Tagged:
    """An article's automatic tags (name, kind), best first within each kind."""

    tags: tuple[tuple[str, str], ...]


# How many of each kind an article gets at most, and how strong a place must be.
MAX_PER_KIND = {"person": 6, "place": 5, "organisation": 5, "topic": 3}
PLACE_MIN_WEIGHT = 3  # two mentions on their own; or one in the title (below)
PLACE_SHARE_OF_TOP = 0.6  # a place named far less than the article's main one is a mention
TOPIC_MIN_COUNT = 2
MIN_ARCHIVE_FOR_SHARED = 50  # from this size on, a tag must name two articles or more
TOPIC_MAX_SHARE = 0.05  # a word in more than 5% of articles is not what one is about


def resolve(mentions: Sequence[Mentions], rules: TagRules) -> list[Tagged]:
    """The archive-wide pass: every article's tags from every article's mentions."""
    people = _People(mentions)
    kinds = rules.kind_map()
    orgs: Counter[str] = Counter()
    df: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()  # (stem, form) -> articles using it most
    for m in mentions:
        orgs.update(name for name, n in m.orgs.items() if n >= 2 or " " in name)
        df.update(m.words.keys())
        forms.update((stem, w) for stem, (n, w) in m.words.items() if n >= TOPIC_MIN_COUNT)
    topic_name: dict[str, str] = {}
    for (stem, word), _n in sorted(forms.items(), key=lambda item: (-item[1], item[0][1])):
        topic_name.setdefault(stem, word)  # the form most articles use most
    total = len(mentions)
    max_df = max(2, int(TOPIC_MAX_SHARE * total))
    min_df = 2 if total >= 50 else 1
    out = []
    for m in mentions:
        tags = _Picker(rules)
        for name, n in people.of(m).items():
            tags.add(name, "person", n)
        for word, n in m.singles.items():
            if word not in people.surnames and orgs[word] >= 2:
                tags.add(word, "organisation", n)
        for name, n in m.orgs.items():
            if n >= 2 or " " in name or orgs[name] >= 2:
                tags.add(name, "organisation", n)
        placed = False
        for name, n in m.declared.items():  # tags.toml's names; its places as places
            kind = kinds.get(name.casefold()) or _kind_of(name, people, orgs)
            if kind != "place":
                tags.add(name, kind, n)
            elif 2 * n >= PLACE_MIN_WEIGHT or name in m.title_declared:
                tags.add(name, "place", n)
                placed = True
        top = max(m.places.values(), default=0)
        for place, weight in m.places.items():
            if place in m.title_places or (
                weight >= PLACE_MIN_WEIGHT and weight >= PLACE_SHARE_OF_TOP * top
            ):
                tags.add(place.name, "place", weight / 2)
                placed = True
        main = min(m.places, key=lambda p: (-m.places[p], p.name), default=None)
        if not placed and main is not None:
            tags.add(main.name, "place", m.places[main] / 2)  # named once: the one named most
        elif not placed and rules.home:
            tags.add(rules.home, "place", 0)
        topics = []
        for stem, (n, _word) in m.words.items():
            if n >= TOPIC_MIN_COUNT and min_df <= df[stem] <= max_df:
                idf = 1 + math.log((1 + total) / (1 + df[stem]))
                topics.append((-n * idf, topic_name[stem]))
        for score, word in sorted(topics)[: MAX_PER_KIND["topic"]]:
            tags.add(word, "topic", -score)
        out.append(Tagged(tags.picked()))
    if total >= MIN_ARCHIVE_FOR_SHARED:  # a listing of one article is that article again
        used = Counter(name.casefold() for t in out for name, _kind in t.tags)
        out = [Tagged(tuple(x for x in t.tags if used[x[0].casefold()] >= 2)) for t in out]
    return out


def _kind_of(name: str, people: _People, orgs: Counter[str]) -> str:
    """The kind of a tags.toml name its file does not declare: what the archive or the
    gazetteer knows it as, else a person when it reads like one's name."""
    words = name.split()
    if name in people.known or (len(words) > 1 and (words[0], words[-1]) in people.full):
        return "person"
    if name in orgs or _strip(words[-1]).casefold() in ORG_HEADS:
        return "organisation"
    if name in gazetteer().names:
        return "place"
    return "person" if 2 <= len(words) <= 4 and all(_name_word(w) for w in words) else ""


class _People:
    """Who the archive's people are: a name with a role or surname cue in any article is a
    person in every article, and each surname stands for the full name most used with it."""

    def __init__(self, mentions: Sequence[Mentions]):
        counts: Counter[str] = Counter()
        for m in mentions:
            counts.update(m.persons)
        known = set(counts)
        for m in mentions:
            for name, n in m.names.items():
                if name.split()[-1] in m.singles or name in known:
                    counts[name] += n
        # "James A. Baker" and "James Baker": one person, named by the form used most.
        by_key: dict[tuple[str, str], Counter[str]] = {}
        for name, n in counts.items():
            words = name.split()
            by_key.setdefault((words[0], words[-1]), Counter())[name] += n
        self.full = {key: _most(c) for key, c in by_key.items()}
        by_surname: dict[str, Counter[str]] = {}
        for (_first, last), name in self.full.items():
            by_surname.setdefault(last, Counter())[name] += counts[name]
        self.surnames = {last: _most(c) for last, c in by_surname.items()}
        self.known = known | set(counts)

    def of(self, m: Mentions) -> Counter[str]:
        """An article's people: its full names, and its lone surnames as full names (the
        article's own full name first, else the archive's)."""
        found: Counter[str] = Counter()
        for name, n in (*m.persons.items(), *m.names.items()):
            if name in m.persons or name in self.known or name.split()[-1] in m.singles:
                words = name.split()
                found[self.full.get((words[0], words[-1]), name)] += n
        mine = {name.split()[-1]: name for name in sorted(found)}
        for word, n in m.singles.items():
            name = mine.get(word) or self.surnames.get(word)
            if name is not None:
                found[name] += n
        return found


def _most(counts: Counter[str]) -> str:
    return min(counts, key=lambda s: (-counts[s], s))


class _Picker:
    """One article's tags: aliases and never-use applied, scores summed, the best few of
    each kind kept."""

    def __init__(self, rules: TagRules):
        self.aliases, self.kinds = rules.alias_map(), rules.kind_map()
        self.never = {n.casefold() for n in rules.never}
        self.tags: dict[str, tuple[float, str, str]] = {}  # casefold -> (score, name, kind)

    def add(self, name: str, kind: str, score: float) -> None:
        name = self.aliases.get(name.casefold(), name)
        key = name.casefold()
        if key in self.never:
            return
        kind = self.kinds.get(key, kind)
        old = self.tags.get(key)
        if old is not None:
            score += old[0]
            kind = old[2] or kind
        self.tags[key] = (score, name if old is None else old[1], kind)

    def picked(self) -> tuple[tuple[str, str], ...]:
        def order(t: tuple[float, str, str]) -> tuple[int, float, str]:
            return (KINDS.index(t[2]) if t[2] in KINDS else len(KINDS), -t[0], t[1])

        picked: list[tuple[str, str]] = []
        per_kind: Counter[str] = Counter()
        for _score, name, kind in sorted(self.tags.values(), key=order):
            per_kind[kind] += 1
            if per_kind[kind] <= MAX_PER_KIND.get(kind, 5):
                picked.append((name, kind))
        return tuple(picked)


class TagMemo:
    """What ``serve`` keeps between builds: each parsed article's mentions and its tagged
    copy, found again only for the very same parsed object (unchanged files keep theirs)."""

    def __init__(self) -> None:
        self.mentions: ObjectMemo[Mentions] = ObjectMemo()
        self.tagged: ObjectMemo[Article] = ObjectMemo()
        self.rules: TagRules | None = None


# Articles to read in forked workers when there are this many new ones (a cold build).
PARALLEL_FROM = 4000
_TODO: tuple[Sequence[Article], TagRules] | None = None  # what forked workers read


def _extract_range(start: int, end: int) -> list[Mentions]:
    assert _TODO is not None
    articles, rules = _TODO
    return [extract(a.title, a.body_text, rules) for a in articles[start:end]]


def _extract_all(articles: Sequence[Article], rules: TagRules, jobs: int) -> list[Mentions]:
    """Every article's mentions, in ``jobs`` forked processes when there are many."""
    if jobs < 2 or len(articles) < PARALLEL_FROM:
        return [extract(a.title, a.body_text, rules) for a in articles]
    global _TODO
    _names_for(rules)  # built once, before the fork, for every worker
    _TODO = (articles, rules)
    step = -(-len(articles) // (jobs * 4))
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = pool.map(_extract_range, *zip(*_ranges(len(articles), step), strict=True))
            return [m for part in parts for m in part]
    finally:
        _TODO = None


def _ranges(total: int, step: int) -> list[tuple[int, int]]:
    return [(start, min(start + step, total)) for start in range(0, total, step)]


def tag_articles(
    articles: Sequence[Article],
    rules: TagRules,
    mode: str,
    memo: TagMemo | None = None,
    jobs: int = 1,
) -> tuple[list[Article], dict[str, str]]:
    """The tags stage: each article with its automatic tags added (``mode``: "missing"
    tags only articles without tags of their own, "always" all, "never" none), and the
    kind of every tag by its case-folded name ("" when unknown).

    An article whose tags did not change is the very object it was (``memo``), so the
    stages after this one can tell it is unchanged."""
    if memo is None:
        memo = TagMemo()
    if memo.rules != rules:
        memo.mentions, memo.tagged, memo.rules = ObjectMemo(), ObjectMemo(), rules
    todo = [a for a in articles if mode == "always" or (mode == "missing" and not a.tags)]
    known = [memo.mentions.find(article) for article in todo]
    new = [article for article, found in zip(todo, known, strict=True) if found is None]
    fresh = iter(_extract_all(new, rules, jobs))
    mentions = [found if found is not None else next(fresh) for found in known]
    for article, found in zip(todo, mentions, strict=True):
        memo.mentions.keep(article, found)
    memo.mentions.next_build()
    auto = dict(zip(map(id, todo), resolve(mentions, rules), strict=True))

    kinds: dict[str, str] = {}
    declared = rules.kind_map()
    places = gazetteer().names
    out = []
    for article in articles:
        tagged = auto.get(id(article))
        names = list(article.tags)
        for name in article.tags:
            key = name.casefold()
            if key not in kinds:
                place = places.get(name) or places.get(name.title()) or places.get(name.upper())
                kinds[key] = declared.get(key, "place" if place is not None else "")
        if tagged is not None:
            seen = {n.casefold() for n in names}
            for name, kind in tagged.tags:
                if name.casefold() not in seen:
                    seen.add(name.casefold())
                    names.append(name)
                if not kinds.get(name.casefold()):
                    kinds[name.casefold()] = kind
        tags = tuple(names)
        if tags == article.tags:
            out.append(article)
            continue
        kept = memo.tagged.find(article)
        if kept is None or kept.tags != tags:
            kept = replace(article, tags=tags, found_tags=len(tags) - len(article.tags))
        memo.tagged.keep(article, kept)
        out.append(kept)
    memo.tagged.next_build()
    return out, kinds
