"""The tags stage: each article read alone (:func:`.entities.extract`, in forked workers for
a cold build, kept by ``serve`` for unchanged articles), then :func:`.resolve.resolve` across
the archive once; each article gets its found tags and every tag its kind.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import compress, islice, repeat

from ..config import TagRules
from ..memo import ObjectMemo, unchanged_ends
from ..model import Article
from ..parallel import forked_pool
from .entities import Mentions, extract, names_for
from .entities_ru import extract_local, reads_locally
from .gazetteer import gazetteer
from .gazetteer_ru import local_gazetteer
from .merge import kinds_and_renames, merged
from .resolve import Resolved, Tagged, resolve_archive
from .subjects import Subjects


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
        self.forget(None)

    def forget(self, rules: tuple[TagRules, str] | None) -> None:
        self.mentions: ObjectMemo[Mentions] = ObjectMemo(self.keep)
        self.resolved: tuple[list[Mentions], Resolved] | None = None
        self.subjects: tuple[dict[str, list[Article]], Subjects] | None = None
        self.last: _Last | None = None
        self.rules = rules


@dataclass(frozen=True)
class _Last:
    """The last build's input and output: articles, tagged copies, kinds, renames."""

    given: list[Article]
    tagged: list[Article]
    kinds: dict[str, str]
    renamed: dict[str, str]


@dataclass(frozen=True)
class _Change:
    """What changed since the last build: the articles between the unchanged runs at
    either end (``head`` and ``tail`` articles long), before and now."""

    head: int
    tail: int
    before: Sequence[Article]
    now: Sequence[Article]

    @classmethod
    def of(cls, last: _Last | None, articles: Sequence[Article]) -> _Change | None:
        """None without a last build, or when many articles changed."""
        if last is None:
            return None
        head, tail = unchanged_ends(last.given, articles)
        before = last.given[head : len(last.given) - tail]
        now = articles[head : len(articles) - tail]
        return cls(head, tail, before, now) if len(before) + len(now) <= FEW_CHANGED else None

    def tags_alike(self) -> bool:
        """Whether each changed article has the own tags its old version had."""
        before, now = map(_TAGS_OF, self.before), map(_TAGS_OF, self.now)
        return len(self.before) == len(self.now) and all(map(operator.eq, before, now))


# Past this many articles changed, a rebuild tags every article again.
FEW_CHANGED = 256


# Articles to read in forked workers when there are this many new ones (a cold build).
PARALLEL_FROM = 4000
Work = tuple[Sequence[Article], TagRules, str]  # the articles, the rules, the default language
_TODO: Work | None = None  # what forked workers read


def _extract_range(start: int, end: int, work: Work | None = None) -> list[Mentions]:
    """Mentions of ``articles[start:end]`` (``work``, or what a forked worker inherited)."""
    work = work or _TODO
    assert work is not None
    articles, rules, language = work
    return [_extract(a, rules, language) for a in articles[start:end]]


def _extract(article: Article, rules: TagRules, language: str) -> Mentions:
    """One article's mentions, read by the tagger of its language (Russian, Belarusian and
    Ukrainian by :mod:`.entities_ru`; every other language by the English rules)."""
    lang = article.lang or language  # the read stage gives a base code
    if reads_locally(lang):
        return extract_local(article.title, article.body_text, rules, lang)
    return extract(article.title, article.body_text, rules)


def _extract_all(
    articles: Sequence[Article],
    rules: TagRules,
    language: str,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Mentions]:
    """Every article's mentions, in ``jobs`` forked processes when there are many;
    ``progress(done, total)`` after each part."""
    total = len(articles)
    parallel = jobs > 1 and total >= PARALLEL_FROM
    ranges = _ranges(total, -(-total // (jobs * 4)) if parallel else 2000)
    out: list[Mentions] = []
    if not parallel:
        for start, end in ranges:
            out += _extract_range(start, end, (articles, rules, language))
            if progress:
                progress(end, total)
        return out
    global _TODO
    names_for(rules)  # built once, before the fork, for every worker
    for lang in {a.lang or language for a in articles}:
        if reads_locally(lang):
            local_gazetteer(lang)
    _TODO = (articles, rules, language)
    try:
        with forked_pool(jobs) as pool:
            for part in pool.map(_extract_range, *zip(*ranges, strict=True)):
                out += part
                if progress:
                    progress(len(out), total)
        return out
    finally:
        _TODO = None


# The articles whose text shows how a slug tag is spelled as a name (see Subjects).
TEXTS_PER_TAG = 40


def _text_articles(
    own: Sequence[tuple[str, ...]],
    articles: Sequence[Article],
    before: dict[str, list[Article]] | None = None,
    change: _Change | None = None,
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
                del by_tag[tag]
        return by_tag
    by_tag = {}
    for article in articles:
        for tag in article.tags:
            some = by_tag.setdefault(tag, [])
            if len(some) < TEXTS_PER_TAG:
                some.append(article)
    return by_tag


def _texts(by_tag: dict[str, list[Article]]) -> Callable[[str], list[str]]:
    """``texts(tag)``: the title and text of the first few articles with that own tag."""
    return lambda tag: [f"{a.title}\n{a.body_text}" for a in by_tag.get(tag, ())]


def _ranges(total: int, step: int) -> list[tuple[int, int]]:
    return [(start, min(start + step, total)) for start in range(0, total, step)]


_TAGS_OF = operator.attrgetter("tags")


def tag_articles(
    articles: Sequence[Article],
    rules: TagRules,
    mode: str,
    memo: TagMemo | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    language: str = "en",
) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """The tags stage: each article with its automatic tags added (``mode``: "missing"
    tags only articles without tags of their own, "always" all, "never" none) and its own
    tags named as the subjects they are (:mod:`.subjects`: ``usa`` -> United States); the
    kind of every tag by its case-folded name ("" when unknown); and the own tags renamed
    (old name -> tag), whose old pages redirect. ``language``: that of articles without a
    ``Lang:`` of their own.

    An article whose tags did not change is the very object it was (``memo``), so the
    stages after this one can tell it is unchanged."""
    memo = memo if memo is not None else TagMemo(keep=False)
    if memo.rules != (rules, language):
        memo.forget((rules, language))
    own = list(map(_TAGS_OF, articles))
    if mode == "missing":  # in C: these are passes over every article
        where = list(itertools.compress(range(len(own)), map(operator.not_, own)))
    else:
        where = list(range(len(own))) if mode == "always" else []
    todo = list(map(articles.__getitem__, where))
    known = [memo.mentions.find(article) for article in todo]
    new = [article for article, found in zip(todo, known, strict=True) if found is None]
    fresh = iter(_extract_all(new, rules, language, jobs, progress))
    mentions = [found if found is not None else next(fresh) for found in known]
    for article, found in zip(todo, mentions, strict=True):
        memo.mentions.keep(article, found)
    memo.mentions.next_build()
    resolved_before = memo.resolved[1] if memo.resolved is not None else None
    resolved = _resolved(mentions, rules, memo)
    named_before = memo.subjects[1] if memo.subjects is not None else None
    last, change = memo.last, _Change.of(memo.last, articles)
    same = resolved is resolved_before
    subjects = _subjects(own, articles, rules, resolved, memo, change if same else None)
    auto = dict(zip(map(id, todo), resolved.tagged, strict=True))
    patch = change if subjects is named_before and last is not None else None
    if patch is not None and last is not None:
        # The same names and found tags: only the articles that changed are tagged again.
        kept = dict(zip(map(id, patch.before), last.tagged[patch.head :], strict=False))
        middle = [kept.get(id(a)) or _tagged(a, auto, subjects, None) for a in patch.now]
        end = len(last.tagged) - patch.tail
        out = [*last.tagged[: patch.head], *middle, *last.tagged[end:]]
    else:
        before = dict(zip(map(id, last.given), last.tagged, strict=True)) if last else {}
        out = [_tagged(article, auto, subjects, before.get(id(article))) for article in articles]
    if patch is not None and last is not None and patch.tags_alike():
        kinds, renamed = last.kinds, last.renamed  # the same tags in the same places
    else:
        found = list(zip(where, resolved.tagged, strict=True))
        kinds, renamed = kinds_and_renames(
            own, found, subjects.name, rules.kind_map(), gazetteer().names
        )
    memo.last = _Last(list(articles), out, kinds, renamed) if memo.keep else None
    return out, kinds, renamed


def _tagged(
    article: Article, auto: dict[int, Tagged], subjects: Subjects, kept: Article | None
) -> Article:
    """An article with its tags merged (see :func:`.merge.merged`): itself when they are
    its own, else ``kept`` (its last copy) when that has them, so later stages know it."""
    tags, owned = merged(article.tags, auto.get(id(article)), subjects.name)
    if tags == article.tags:
        return article
    if kept is not None and (kept.tags, kept.found_tags) == (tags, len(tags) - owned):
        return kept
    return replace(article, tags=tags, found_tags=len(tags) - owned)


def _resolved(mentions: list[Mentions], rules: TagRules, memo: TagMemo) -> Resolved:
    """The archive-wide pass, again only when some article's mentions changed."""
    if memo.resolved is not None:
        before, resolved = memo.resolved
        if len(before) == len(mentions) and all(map(operator.is_, before, mentions)):
            return resolved
    resolved = resolve_archive(mentions, rules)
    memo.resolved = (mentions, resolved) if memo.keep else None
    return resolved


def _subjects(
    own: Sequence[tuple[str, ...]],
    articles: Sequence[Article],
    rules: TagRules,
    resolved: Resolved,
    memo: TagMemo,
    change: _Change | None,
) -> Subjects:
    """The names of own tags; the last build's (and the names it made) while its inputs
    are the same: the pass over mentions (``change`` is given only then), and the
    articles whose texts gave a name."""
    last = memo.subjects
    if last is not None and change is not None:
        texts, subjects = last
        by_tag = _text_articles(own, articles, texts, change)
        if all(texts.get(slug) == by_tag.get(slug) for slug in subjects.spelled):
            subjects.texts = _texts(by_tag)  # for the names it has not made yet
            memo.subjects = (by_tag, subjects)
            return subjects
    else:
        by_tag = _text_articles(own, articles)
    people = {name for t in resolved.tagged for name, kind in t.tags if kind == "person"}
    subjects = Subjects(rules, sorted(people), resolved.common, _texts(by_tag))
    memo.subjects = (by_tag, subjects) if memo.keep else None
    return subjects
