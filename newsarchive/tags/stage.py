"""The tags stage: each article read alone (:func:`.entities.extract`, in forked workers for
a cold build, kept by ``serve`` for unchanged articles), then :func:`.resolve.resolve` across
the archive once; each article gets its found tags and every tag its kind.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..config import TagRules
from ..memo import ObjectMemo
from ..model import Article
from ..parallel import forked_pool
from .entities import Mentions, extract, names_for
from .entities_ru import extract_local, reads_locally
from .gazetteer import gazetteer
from .gazetteer_ru import local_gazetteer
from .merge import kinds_and_renames, merged
from .resolve import Resolved, resolve_archive
from .subjects import Subjects


class TagMemo:
    """What ``serve`` keeps between builds: each parsed article's mentions, the archive-wide
    pass over them (kept while they are the very same objects), the subjects' names
    (kept while that pass and the articles that show how a slug is spelled are the same)
    and each article's tagged copy (kept while both are). Valid for one set of rules and
    default language; ``keep=False`` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.rules: tuple[TagRules, str] | None = None
        self.forget(None)

    def forget(self, rules: tuple[TagRules, str] | None) -> None:
        self.mentions: ObjectMemo[Mentions] = ObjectMemo(self.keep)
        self.tagged: ObjectMemo[Article] = ObjectMemo(self.keep)
        self.resolved: tuple[list[Mentions], Resolved] | None = None
        self.subjects: tuple[dict[str, list[Article]], Subjects] | None = None
        self.rules = rules


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


def _text_articles(articles: Sequence[Article]) -> dict[str, list[Article]]:
    """The first few articles with each own tag, whose text shows how it is spelled."""
    by_tag: dict[str, list[Article]] = {}
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
    subjects = _subjects(articles, rules, resolved, memo, resolved is resolved_before)
    auto = dict(zip(map(id, todo), resolved.tagged, strict=True))
    before = memo.tagged
    if subjects is not named_before:  # names may differ: every article is merged again
        memo.tagged = ObjectMemo(memo.keep)

    def tagged(article: Article) -> Article:
        tags, owned = merged(article.tags, auto.get(id(article)), subjects.name)
        if tags == article.tags:
            return article
        kept = before.find(article)  # its last copy, while it is right: later stages know it
        if kept is not None and (kept.tags, kept.found_tags) == (tags, len(tags) - owned):
            return kept
        return replace(article, tags=tags, found_tags=len(tags) - owned)

    out = list(memo.tagged.each(articles, tagged))
    memo.tagged.next_build()
    kinds, renamed = kinds_and_renames(
        own,
        list(zip(where, resolved.tagged, strict=True)),
        subjects.name,
        rules.kind_map(),
        gazetteer().names,
    )
    return out, kinds, renamed


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
    articles: Sequence[Article],
    rules: TagRules,
    resolved: Resolved,
    memo: TagMemo,
    same_pass: bool,
) -> Subjects:
    """The names of own tags; the last build's (and the names it made) while its inputs
    are the same: the pass over mentions (``same_pass``), and the articles whose texts
    gave a name."""
    by_tag = _text_articles(articles)
    last = memo.subjects
    if last is not None and same_pass:
        texts, subjects = last
        if all(texts.get(slug) == by_tag.get(slug) for slug in subjects.spelled):
            subjects.texts = _texts(by_tag)  # for the names it has not made yet
            memo.subjects = (by_tag, subjects)
            return subjects
    people = {name for t in resolved.tagged for name, kind in t.tags if kind == "person"}
    subjects = Subjects(rules, sorted(people), resolved.common, _texts(by_tag))
    memo.subjects = (by_tag, subjects) if memo.keep else None
    return subjects
