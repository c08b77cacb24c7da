"""The tags stage: each article read alone (:func:`.entities.extract`, in forked workers for
a cold build, kept by ``serve`` for unchanged articles), then :func:`.resolve.resolve` across
the archive once; each article gets its found tags and every tag its kind.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence

from ..config import TagRules
from ..model import Article
from ..parallel import forked_pool
from .entities import Mentions, extract, names_for
from .entities_ru import extract_local, reads_locally
from .gazetteer import gazetteer
from .gazetteer_ru import local_gazetteer
from .kept import TAGS_OF, Change, Last, TagMemo, mentions_again, resolved_again, subjects_for
from .merge import kinds_and_renames, merged
from .resolve import Tagged
from .subjects import Subjects

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


def prepare(rules: TagRules, mode: str) -> None:
    """Make what the stage needs whatever the articles (the gazetteer, which names every
    tag's kind: 0.2 to 0.4 s of a cold build; the patterns that find names), for a build
    to call while it has nothing else to do: while forked processes read the files."""
    gazetteer()
    if mode != "never":
        names_for(rules)


def _ranges(total: int, step: int) -> list[tuple[int, int]]:
    return [(start, min(start + step, total)) for start in range(0, total, step)]


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
    own = list(map(TAGS_OF, articles))
    if mode == "missing":  # in C: these are passes over every article
        where = list(itertools.compress(range(len(own)), map(operator.not_, own)))
    else:
        where = list(range(len(own))) if mode == "always" else []
    todo = list(map(articles.__getitem__, where))
    mentions = mentions_again(
        todo, memo, lambda new: _extract_all(new, rules, language, jobs, progress)
    )
    resolved_before = memo.resolved[1] if memo.resolved is not None else None
    resolved = resolved_again(mentions, rules, memo)
    named_before = memo.subjects[1] if memo.subjects is not None else None
    last, change = memo.last, Change.of(memo.last, articles)
    same = resolved is resolved_before
    subjects = subjects_for(own, articles, rules, resolved, memo, change, same)
    auto = dict(zip(map(id, todo), resolved.tagged, strict=True))
    patch = change if subjects is named_before and last is not None else None
    if patch is not None and last is not None:
        # The same names: only the articles that changed are tagged again, and those whose
        # found tags changed when the archive-wide pass was made again.
        kept = dict(zip(map(id, patch.before), last.tagged[patch.head :], strict=False))
        middle = [kept.get(id(a)) or _tagged(a, auto, subjects, None) for a in patch.now]
        end = len(last.tagged) - patch.tail
        out = [*last.tagged[: patch.head], *middle, *last.tagged[end:]]
        if not same:  # (those the pass made again, or every one)
            for i in resolved.changed if resolved.changed is not None else range(len(todo)):
                at, article, tagged = where[i], todo[i], resolved.tagged[i]
                if last.auto.get(id(article)) != tagged:
                    out[at] = _tagged(article, auto, subjects, out[at])
    else:
        before = dict(zip(map(id, last.given), last.tagged, strict=True)) if last else {}
        out = [_tagged(article, auto, subjects, before.get(id(article))) for article in articles]
    if same and patch is not None and last is not None and patch.tags_alike():
        kinds, renamed = last.kinds, last.renamed  # the same tags in the same places
    else:
        found = list(zip(where, resolved.tagged, strict=True))
        kinds, renamed = kinds_and_renames(
            own, found, subjects.name, rules.kind_map(), gazetteer().names
        )
    memo.last = Last(list(articles), out, auto, kinds, renamed) if memo.keep else None
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
    return article.replaced(tags=tags, found_tags=len(tags) - owned)
