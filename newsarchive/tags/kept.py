"""What ``serve`` keeps of the tags stage between builds (:class:`TagMemo`), and how a
rebuild finds what it may reuse: the archive-wide pass while the mentions are the same,
the subjects' names while what they were made from is, the articles that changed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat

from ..changes import changes, unchanged_ends
from ..config import TagRules
from ..model import Article
from . import reresolve
from .entities import Mentions
from .resolve import Resolved, Tagged, resolve_archive
from .subjects import Subjects

TAGS_OF = operator.attrgetter("tags")


class TagMemo:
    """What ``serve`` keeps between builds: each parsed article's mentions, the archive-wide
    pass over them (kept while they are the very same objects), the subjects' names
    (kept while that pass and the articles that show how a slug is spelled are the same)
    and the last build's articles, tagged copies, kinds and renames (kept where both are).
    Valid for one set of rules and default language; ``keep=False`` (a one-off build)
    keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.rules: tuple[TagRules, str] | None = None
        self.repassed = 0  # passes made again for the changed articles only (for tests)
        self.forget(None)

    def forget(self, rules: tuple[TagRules, str] | None) -> None:
        self.read: tuple[list[Article], list[Mentions]] | None = None  # the last build's
        self.resolved: tuple[list[Mentions], Resolved] | None = None
        self.subjects: tuple[dict[str, list[Article]], Subjects] | None = None
        self.last: Last | None = None
        self.rules = rules


@dataclass(frozen=True)
class Last:
    """The last build's input and output: articles, tagged copies, kinds, renames."""

    given: list[Article]
    tagged: list[Article]
    auto: dict[int, Tagged]  # the found tags of those it tagged, by id(given article)
    kinds: dict[str, str]
    renamed: dict[str, str]


@dataclass(frozen=True)
class Change:
    """What changed since the last build: the articles between the unchanged runs at
    either end (``head`` and ``tail`` articles long), before and now."""

    head: int
    tail: int
    before: Sequence[Article]
    now: Sequence[Article]

    @classmethod
    def of(cls, last: Last | None, articles: Sequence[Article]) -> Change | None:
        """None without a last build, or when many articles changed."""
        if last is None:
            return None
        head, tail = unchanged_ends(last.given, articles)
        before = last.given[head : len(last.given) - tail]
        now = articles[head : len(articles) - tail]
        return cls(head, tail, before, now) if len(before) + len(now) <= FEW_CHANGED else None

    def tags_alike(self) -> bool:
        """Whether each changed article has the own tags its old version had."""
        before, now = map(TAGS_OF, self.before), map(TAGS_OF, self.now)
        return len(self.before) == len(self.now) and all(map(operator.eq, before, now))


# Past this many articles changed, a rebuild tags every article again.
FEW_CHANGED = 256


# The articles whose text shows how a slug tag is spelled as a name (see Subjects).
TEXTS_PER_TAG = 40


def text_articles(
    own: Sequence[tuple[str, ...]],
    articles: Sequence[Article],
    before: dict[str, list[Article]] | None = None,
    change: Change | None = None,
) -> dict[str, list[Article]]:
    """The first few articles with each own tag, whose text shows how it is spelled:
    ``before``'s, made again only for the tags of the articles in ``change``."""
    if before is not None and change is not None:
        by_tag = dict(before)
        for tag in {tag for article in (*change.before, *change.now) for tag in article.tags}:
            having = compress(articles, map(operator.contains, own, repeat(tag)))
            some = list(islice(having, TEXTS_PER_TAG))  # in C: stops at the last one needed
            if some:
                by_tag[tag] = some
            else:
                by_tag.pop(tag, None)
        return by_tag
    by_tag = {}
    for article in articles:
        for tag in article.tags:
            some = by_tag.setdefault(tag, [])
            if len(some) < TEXTS_PER_TAG:
                some.append(article)
    return by_tag


def texts_of(by_tag: dict[str, list[Article]]) -> Callable[[str], list[str]]:
    """``texts(tag)``: the title and text of the first few articles with that own tag."""
    return lambda tag: [f"{a.title}\n{a.body_text}" for a in by_tag.get(tag, ())]


def mentions_again(
    todo: list[Article], memo: TagMemo, read: Callable[[list[Article]], list[Mentions]]
) -> list[Mentions]:
    """Each article's mentions: the last build's for the very same article (the runs of
    unchanged articles found in C when few changed, else each looked up), ``read`` for
    the others."""
    last = memo.read
    found = changes(last[0], todo) if last is not None else None
    if last is not None and found is not None:
        olds = [i for span in found.spans for i in range(span.old_start, span.old_stop)]
        kept = {id(last[0][i]): (last[0][i], last[1][i]) for i in olds}
        mentions: list[Mentions | None] = found.splice(last[1], lambda i: _kept(kept, todo[i]))
        at = [i for i in found.positions if mentions[i] is None]
    else:
        kept = {id(a): (a, m) for a, m in zip(*last, strict=True)} if last is not None else {}
        mentions = [_kept(kept, article) for article in todo]
        at = [i for i, found_ in enumerate(mentions) if found_ is None]
    for i, made in zip(at, read([todo[i] for i in at]), strict=True):
        mentions[i] = made
    done: list[Mentions] = mentions  # type: ignore[assignment]  (every None was read)
    memo.read = (todo, done) if memo.keep else None
    return done


def _kept(kept: dict[int, tuple[Article, Mentions]], article: Article) -> Mentions | None:
    hit = kept.get(id(article))
    return hit[1] if hit is not None and hit[0] is article else None


def resolved_again(mentions: list[Mentions], rules: TagRules, memo: TagMemo) -> Resolved:
    """The archive-wide pass, again only when some article's mentions changed, and then
    for ``serve`` only where they may have moved something (:mod:`.reresolve`)."""
    if memo.resolved is not None:
        before, resolved = memo.resolved
        if len(before) == len(mentions) and all(map(operator.is_, before, mentions)):
            return resolved
        memo.resolved = None  # its state is changed below, whatever comes of it
        again = reresolve.resolved_again(before, resolved, mentions)
        if again is not None:
            memo.resolved = (mentions, again)
            memo.repassed += 1
            return again
    resolved = resolve_archive(mentions, rules, keep=memo.keep)
    memo.resolved = (mentions, resolved) if memo.keep else None
    return resolved


def subjects_for(
    own: Sequence[tuple[str, ...]],
    articles: Sequence[Article],
    rules: TagRules,
    resolved: Resolved,
    memo: TagMemo,
    change: Change | None,
    same_pass: bool,
) -> Subjects:
    """The names of own tags; the last build's (and the names it made) while what they
    were made from is the same: the found people and the words asked about the pass over
    mentions (the same, unless ``same_pass`` is False), and the articles whose texts gave a
    name (only ``change``'s articles changed; None: too many)."""
    last = memo.subjects
    people = None
    if last is not None and change is not None:
        texts, subjects = last
        by_tag = text_articles(own, articles, texts, change)
        if not same_pass:
            people = people_of(resolved)
            same_pass = subjects.people_given == people and all(
                resolved.common(word) == answer for word, answer in subjects.asked.items()
            )
        if same_pass and all(texts.get(slug) == by_tag.get(slug) for slug in subjects.spelled):
            subjects.texts = texts_of(by_tag)  # for the names it has not made yet
            subjects.common = resolved.common
            memo.subjects = (by_tag, subjects)
            return subjects
    else:
        by_tag = text_articles(own, articles)
    people = people if people is not None else people_of(resolved)
    subjects = Subjects(rules, people, resolved.common, texts_of(by_tag))
    memo.subjects = (by_tag, subjects) if memo.keep else None
    return subjects


def people_of(resolved: Resolved) -> tuple[str, ...]:
    """The people the archive-wide pass found, sorted."""
    return tuple(
        sorted({name for t in resolved.tagged for name, kind in t.tags if kind == "person"})
    )
