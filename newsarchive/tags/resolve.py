"""The archive-wide half of the tags stage: from what each article names (:mod:`.entities`)
to its tags. A surname alone becomes the full name the archive knows, a name with no role or
surname cue counts when another article shows it is a person, ``tags.toml`` aliases and
never-use lists apply, and topics are words an article uses often and the archive rarely.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..config import KINDS, TagRules
from .entities import ORG_HEADS, Mentions, bare, is_name_word, word_stem
from .entities_ru import is_cyrillic, person_key
from .gazetteer import gazetteer
from .people import People, name_key


@dataclass(frozen=True)
class Tagged:
    """An article's automatic tags (name, kind), best first within each kind."""

    tags: tuple[tuple[str, str], ...]


# How many of each kind an article gets at most, and how strong a place must be.
MAX_PER_KIND = {"person": 6, "place": 5, "organisation": 5, "topic": 3}
# A mention on its own weighs 2, a demonym or a place inside a longer name 1: a place needs
# one mention on its own and one more of any kind (or to be in the title).
PLACE_MIN_WEIGHT = 3
PLACE_SHARE_OF_TOP = 0.6  # a place named far less than the article's main one is a mention
TOPIC_MIN_COUNT = 3
COMMON_SHARE = 0.002  # a word written in lower case in this share of articles is no name
MIN_ARCHIVE_FOR_SHARED = 50  # from this size on, a tag must name two articles or more
EXACT_SIZE = 1024  # below this many articles, the shares read the archive's exact size
SIZE_BITS = 9  # past it, the size's leading bits kept: a step of 1/512 to 1/256 of it


def counted(total: int) -> int:
    """The archive's size as the pass's shares and idf read it: exact below EXACT_SIZE
    articles, then with its low bits cleared (at most 0.4% less), so that a publish or a
    deletion seldom moves a share (one in 64 at 20,000 articles) and ``serve`` can make
    the pass again from the articles that changed (:mod:`.reresolve`), as the related
    articles' idf is bucketed."""
    if total < EXACT_SIZE:
        return total
    shift = total.bit_length() - SIZE_BITS
    return total >> shift << shift


TOPIC_MAX_SHARE = 0.02  # a word in more than 2% of articles is not what one is about


@dataclass
class Counts:
    """The archive-wide counts the pass reads: each organisation's articles, each word's
    articles (document frequency) and, for each word, how many articles use each of its
    forms most. ``serve`` updates them by the articles that changed (:mod:`.reresolve`)."""

    orgs: Counter[str] = field(default_factory=Counter)
    df: Counter[str] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=dict)  # stem -> form -> articles


def org_names(m: Mentions) -> list[str]:
    """The organisations an article counts for across the archive."""
    return [name for name, n in m.orgs.items() if n >= 2 or " " in name]


def topic_forms(m: Mentions) -> list[tuple[str, str]]:
    """(stem, form) of the words an article uses often enough to be about them."""
    return [(stem, w) for stem, (n, w) in m.words.items() if n >= TOPIC_MIN_COUNT]


def count_mentions(mentions: Sequence[Mentions]) -> Counts:
    counts = Counts()
    forms: Counter[tuple[str, str]] = Counter()
    for m in mentions:
        counts.orgs.update(org_names(m))
        counts.df.update(m.words.keys())
        forms.update(topic_forms(m))
    for (stem, word), n in forms.items():
        counts.forms.setdefault(stem, Counter())[word] = n
    return counts


def topic_name(forms: Counter[str]) -> str:
    """The form most articles use most (ties: the first in code point order)."""
    return min(forms, key=lambda word: (-forms[word], word))


@dataclass
class Scope:
    """What one article's tags are picked from besides its own mentions: the rules and
    what the archive-wide pass learnt (:func:`pick`)."""

    rules: TagRules
    counts: Counts
    people: People
    topic_name: dict[str, str]
    total: int  # the archive's size as counted()
    aliases: dict[str, str] = field(init=False)
    kinds: dict[str, str] = field(init=False)
    never: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.aliases, self.kinds = self.rules.alias_map(), self.rules.kind_map()
        self.never = {name.casefold() for name in self.rules.never}

    @property
    def max_df(self) -> int:
        return max(2, int(TOPIC_MAX_SHARE * self.total))

    @property
    def min_df(self) -> int:
        return 2 if self.total >= MIN_ARCHIVE_FOR_SHARED else 1


@dataclass
class PassState:
    """What ``serve`` keeps of an archive-wide pass to make it again for a few changed
    articles (:mod:`.reresolve`): the counts and people it read, each article's tags before
    the archive's cut of tags named once (``raw``) and the words it took as topics
    (``chosen``), and how many articles each tag names."""

    scope: Scope
    common_df: float
    raw: list[Tagged]
    chosen: list[tuple[str, ...]]
    used: Counter[str]


@dataclass(frozen=True)
class Resolved:
    """Every article's found tags, and whether the archive writes a word in lower case
    often enough that it is no surname (for :mod:`.subjects`). ``state``: what a rebuild
    needs to make it again for a few changed articles (kept for ``serve`` only);
    ``changed``: where a pass so made may differ from the last (None: anywhere)."""

    tagged: list[Tagged]
    common: Callable[[str], bool]
    state: PassState | None = field(default=None, compare=False, repr=False)
    changed: list[int] | None = field(default=None, compare=False, repr=False)


def resolve(mentions: Sequence[Mentions], rules: TagRules) -> list[Tagged]:
    """The archive-wide pass: every article's tags from every article's mentions."""
    return resolve_archive(mentions, rules).tagged


def resolve_archive(mentions: Sequence[Mentions], rules: TagRules, keep: bool = False) -> Resolved:
    """:func:`resolve`, with what the archive-wide pass learnt about words; ``keep``: with
    the state a rebuild may make it again from (:mod:`.reresolve`)."""
    counts = count_mentions(mentions)
    size = counted(len(mentions))
    common_df = max(3, COMMON_SHARE * size)
    common = common_test(counts.df, common_df)
    people = People(mentions, common, keep)
    names = {stem: topic_name(forms) for stem, forms in counts.forms.items()}
    scope = Scope(rules, counts, people, names, size)
    picked = [pick(m, scope) for m in mentions]
    raw = [tagged for tagged, _chosen in picked]
    used = tag_uses(raw)
    chosen = [chosen for _tagged, chosen in picked] if keep else []
    state = PassState(scope, common_df, raw, chosen, used) if keep else None
    return Resolved(shared(raw, used, scope.total), common, state)


def common_test(df: Counter[str], common_df: float) -> Callable[[str], bool]:
    """Whether the archive writes a word in lower case in many articles (``df``, read
    when asked: a rebuild updates it in place)."""

    def common(word: str) -> bool:
        return df[_word_key(word)] >= common_df

    return common


def pick(m: Mentions, scope: Scope) -> tuple[Tagged, tuple[str, ...]]:
    """One article's tags, before the archive's cut of tags named once (:func:`shared`),
    and the words (stems) it took as topics."""
    people, orgs, df = scope.people, scope.counts.orgs, scope.counts.df
    kinds, home = scope.kinds, scope.rules.home
    tags = _Picker(scope.aliases, kinds, scope.never)
    for name, n in people.of(m).items():
        tags.add(name, "person", n)
    for word, n in m.singles.items():
        if person_key(word) not in people.surnames and orgs[word] >= 2:
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
    elif not placed and home:
        tags.add(home, "place", 0)
    topics = []
    total, min_df, max_df = scope.total, scope.min_df, scope.max_df
    for stem, (n, _word) in m.words.items():
        if n >= TOPIC_MIN_COUNT and min_df <= df[stem] <= max_df:
            idf = 1 + math.log((1 + total) / (1 + df[stem]))
            topics.append((-n * idf, scope.topic_name[stem], stem))  # (names are distinct)
    chosen = sorted(topics)[: MAX_PER_KIND["topic"]]
    for score, word, _stem in chosen:
        tags.add(word, "topic", -score)
    return Tagged(tags.picked()), tuple(stem for _score, _word, stem in chosen)


def tag_uses(raw: Sequence[Tagged]) -> Counter[str]:
    """How many articles each tag (case-folded) names."""
    return Counter(name.casefold() for t in raw for name, _kind in t.tags)


def shared(raw: Sequence[Tagged], used: Counter[str], total: int) -> list[Tagged]:
    """Each article's tags but those no other article has (a listing of one article is that
    article again), once the archive has MIN_ARCHIVE_FOR_SHARED articles."""
    if total < MIN_ARCHIVE_FOR_SHARED:
        return list(raw)
    return [shared_of(t, used) for t in raw]


def shared_of(t: Tagged, used: Counter[str]) -> Tagged:
    return Tagged(tuple(x for x in t.tags if used[x[0].casefold()] >= 2))


def _word_key(word: str) -> str:
    """A capitalised word as the topic words it may also be are keyed (see ``Mentions``)."""
    if word.isascii() or not is_cyrillic(word):
        return word_stem(word.lower())
    return person_key(word)


def _kind_of(name: str, people: People, orgs: Counter[str]) -> str:
    """The kind of a tags.toml name its file does not declare: what the archive or the
    gazetteer knows it as, else a person when it reads like one's name."""
    words = name.split()
    if name in people.known or (len(words) > 1 and name_key(words) in people.full):
        return "person"
    if name in orgs or bare(words[-1]).casefold() in ORG_HEADS:
        return "organisation"
    if name in gazetteer().names:
        return "place"
    return "person" if 2 <= len(words) <= 4 and all(is_name_word(w) for w in words) else ""


class _Picker:
    """One article's tags: aliases and never-use applied, scores summed, the best few of
    each kind kept. ``aliases``, ``kinds`` and ``never``: the rules', made once a build."""

    def __init__(self, aliases: dict[str, str], kinds: dict[str, str], never: set[str]):
        self.aliases, self.kinds, self.never = aliases, kinds, never
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
