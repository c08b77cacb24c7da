"""The tags stage: each article read alone (:func:`.entities.extract`, in forked workers for
a cold build, kept by ``serve`` for unchanged articles), then :func:`.resolve.resolve` across
the archive once; each article gets its found tags and every tag its kind.
"""

from __future__ import annotations

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
from .resolve import resolve_archive
from .subjects import Subjects


class TagMemo:
    """What ``serve`` keeps between builds: each parsed article's mentions and its tagged
    copy, found again only for the very same parsed object (unchanged files keep theirs).
    Valid for one set of rules and default language; ``keep=False`` (a one-off build)
    keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.rules: tuple[TagRules, str] | None = None
        self.forget(None)

    def forget(self, rules: tuple[TagRules, str] | None) -> None:
        self.mentions: ObjectMemo[Mentions] = ObjectMemo(self.keep)
        self.tagged: ObjectMemo[Article] = ObjectMemo(self.keep)
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


def _texts(articles: Sequence[Article]) -> Callable[[str], list[str]]:
    """``texts(tag)``: the title and text of the first few articles with that own tag."""
    by_tag: dict[str, list[Article]] = {}
    for article in articles:
        for tag in article.tags:
            some = by_tag.setdefault(tag, [])
            if len(some) < TEXTS_PER_TAG:
                some.append(article)
    return lambda tag: [f"{a.title}\n{a.body_text}" for a in by_tag.get(tag, ())]


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
    todo = [a for a in articles if mode == "always" or (mode == "missing" and not a.tags)]
    known = [memo.mentions.find(article) for article in todo]
    new = [article for article, found in zip(todo, known, strict=True) if found is None]
    fresh = iter(_extract_all(new, rules, language, jobs, progress))
    mentions = [found if found is not None else next(fresh) for found in known]
    for article, found in zip(todo, mentions, strict=True):
        memo.mentions.keep(article, found)
    memo.mentions.next_build()
    resolved = resolve_archive(mentions, rules)
    auto = dict(zip(map(id, todo), resolved.tagged, strict=True))
    people = {name for t in resolved.tagged for name, kind in t.tags if kind == "person"}
    subjects = Subjects(rules, sorted(people), resolved.common, _texts(articles))

    kinds: dict[str, str] = {}
    renamed: dict[str, str] = {}
    declared = rules.kind_map()
    places = gazetteer().names
    out = []
    for article in articles:
        tagged = auto.get(id(article))
        names: list[str] = []
        seen: set[str] = set()
        for own in article.tags:
            name = subjects.name(own)
            key = name.casefold()
            if name != own:
                renamed.setdefault(own, name)
            if key in seen:
                continue
            seen.add(key)
            names.append(name)
            if key not in kinds:
                place = places.get(name)
                kinds[key] = declared.get(key, "place" if place is not None else "")
        owned = len(names)
        if tagged is not None:
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
            kept = replace(article, tags=tags, found_tags=len(tags) - owned)
        memo.tagged.keep(article, kept)
        out.append(kept)
    memo.tagged.next_build()
    return out, kinds, renamed
