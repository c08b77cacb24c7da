"""Each document's inputs to the sharded index, oldest first: its article, language, terms,
slot, year and tags.

``serve`` keeps them between builds. An unchanged article is the very same object in the
next build (:mod:`..incremental`), so one identity test per position, in C, finds the
articles that changed, and only they are worked on again: every per-document pass over the
archive (languages, terms, slots, tag numbers) cost a few milliseconds of each rebuild.
When the archive gained or lost articles (a publish, retraction, back-fill or deletion), the
run between the unchanged head and tail is made again and spliced in (:mod:`..changes`),
the slots from its start until they meet the last build's again. When many changed,
everything is made again (the terms still found by their texts), as a one-off build does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..changes import Span, changes, differing
from ..changes import spliced as spliced_list
from ..model import Archive, Article
from .documents import article_languages, field_texts
from .postings import DocumentTerms, field_terms
from .slots import document_slots, spliced_slots, spliced_years, utc, year_ranges
from .textpipe import get_language

# Past this many changed articles at the same positions, everything is made again.
CHANGE_LIMIT = 2_000

# Each tag's name and slug, in the archive's order: what numbers a document's tags.
TagNames = tuple[tuple[str, str], ...]


@dataclass
class Documents:
    """One build's documents, oldest first (the order of slots)."""

    articles: list[Article]
    codes: list[str]  # the language whose pipeline indexes each (article_languages)
    other: list[str | None]  # that code where it is not the archive's (metadata rows)
    terms: list[DocumentTerms]  # empty in a one-off build (made one at a time there)
    slots: list[int]
    years: list[list[int]]  # [year, first slot, last slot] runs (slots.year_ranges)
    tag_names: TagNames
    tags: list[list[int]]  # each document's tags, numbers into tag_names
    # Positions whose article is not the last build's, where every other position holds
    # the same article, and the slots, years and tag names are the last build's (the
    # same list objects); None: anything may differ.
    changed: list[int] | None = None
    # When the articles are not as many as the last build's but only those in one run
    # differ: new ``articles[start:stop]`` replaced the last build's ``[old_start:old_stop]``,
    # every other article is the same with the same slot, and the tag names are the last
    # build's (then ``changed`` is None).
    span: Span | None = None
    # This build's number and the last build's: what a memo made from the documents of
    # build ``since`` may follow ``changed`` from (else it makes everything again).
    serial: int = 0
    since: int = -1


@dataclass
class DocumentMemo:
    """What ``serve`` keeps: the last build's documents, and index terms by language and
    field texts (not by the article: its found tags change when other articles do, and a
    file saved unchanged is parsed into a new object with the same texts)."""

    remember: bool = True
    last: Documents | None = None
    terms: dict[tuple[str, ...], DocumentTerms] = field(default_factory=dict)
    stale: int = 0  # terms entries added since it was last made whole (some of gone articles)
    serial: int = 0  # the builds seen


def tag_names(archive: Archive) -> TagNames:
    return tuple((tag.name, tag.slug) for tag in archive.tags)


@functools.lru_cache(maxsize=2)  # serve asks again for the same names
def _numbering(names: TagNames) -> dict[str, int]:
    return {name.casefold(): i for i, (name, _) in enumerate(names)}


def _tag_numbers(article: Article, numbers: dict[str, int]) -> list[int]:
    """The article's tags as numbers into the archive's tags (the page's tag order)."""
    tags = (n.casefold() for n in article.tags)
    return list(dict.fromkeys(numbers[n] for n in tags if n in numbers))


def changed_positions(old: Sequence[object], new: Sequence[object]) -> list[int] | None:
    """Where ``old`` and ``new`` hold different objects, when they are as long and at most
    CHANGE_LIMIT positions differ; else None."""
    if len(old) != len(new):
        return None
    changed = differing(old, new, CHANGE_LIMIT + 1)
    return changed if len(changed) <= CHANGE_LIMIT else None


def documents(archive: Archive, default: str, memo: DocumentMemo) -> Documents:
    """This build's documents, from ``memo`` (the last build's) where the articles are the
    same objects; ``default``: the archive's language code. Updates ``memo``."""
    oldest = list(archive.articles[::-1])
    names = tag_names(archive)
    last = memo.last if memo.stale <= CHANGE_LIMIT else None  # else its terms are made whole
    changed = changed_positions(last.articles, oldest) if last is not None else None
    span = None
    if last is not None and changed is None and oldest and len(last.articles) != len(oldest):
        found = changes(last.articles, oldest, CHANGE_LIMIT)
        span = found.spans[0] if found is not None else None
    if last is not None and span is not None:
        made = _spliced_documents(last, oldest, span, names, default, memo)
        made.since = last.serial
    elif last is None or changed is None or not oldest:
        made = _all_documents(oldest, names, default, memo)
    else:
        made = _changed_documents(last, oldest, changed, names, default, memo)
        made.since = last.serial
    memo.serial += 1
    made.serial = memo.serial
    if memo.remember:
        memo.last = made
    return made


def _all_documents(
    oldest: list[Article], names: TagNames, default: str, memo: DocumentMemo
) -> Documents:
    codes = article_languages(oldest, default)
    terms: list[DocumentTerms] = []
    if memo.remember:
        kept: dict[tuple[str, ...], DocumentTerms] = {}
        for article, code in zip(oldest, codes, strict=True):
            texts = field_texts(article)
            key = (code, *texts)
            found = kept.get(key) or memo.terms.get(key)  # kept: a twin article's, this build
            if found is None:
                found = field_terms(texts, get_language(code))
            kept[key] = found
            terms.append(found)
        memo.terms, memo.stale = kept, 0
    slots = document_slots(oldest)
    numbers = _numbering(names)
    return Documents(
        oldest,
        codes,
        [None if code == default else code for code in codes],
        terms,
        slots,
        year_ranges(oldest, slots),
        names,
        [_tag_numbers(article, numbers) for article in oldest],
    )


def _changed_documents(
    last: Documents,
    oldest: list[Article],
    changed: list[int],
    names: TagNames,
    default: str,
    memo: DocumentMemo,
) -> Documents:
    """The last build's documents with those at ``changed`` made again."""
    made = Documents(
        oldest,
        list(last.codes),
        list(last.other),
        list(last.terms),
        last.slots,
        last.years,
        names,
        list(last.tags) if names == last.tag_names else [],
        changed,
    )
    fresh = article_languages((oldest[i] for i in changed), default)
    for i, code in zip(changed, fresh, strict=True):
        made.codes[i], made.other[i] = code, None if code == default else code
        made.terms[i] = _terms(oldest[i], code, memo)
    numbers = _numbering(names)
    if made.tags:
        for i in changed:
            made.tags[i] = _tag_numbers(oldest[i], numbers)
    else:
        made.tags = [_tag_numbers(article, numbers) for article in oldest]
        made.changed = None
    olds = last.articles
    moved = any(
        utc(oldest[i]) != utc(olds[i]) or oldest[i].posted.year != olds[i].posted.year
        for i in changed
    )
    if moved:  # a date edited: slots may shift, years too
        made.slots = document_slots(oldest)
        made.years = year_ranges(oldest, made.slots)
        made.changed = None
    return made


def _terms(article: Article, code: str, memo: DocumentMemo) -> DocumentTerms:
    """The article's terms, from ``memo`` when its texts were indexed before."""
    texts = field_texts(article)
    key = (code, *texts)
    terms = memo.terms.get(key)
    if terms is None:
        terms = memo.terms[key] = field_terms(texts, get_language(code))
        memo.stale += 1
    return terms


def _spliced_documents(
    last: Documents,
    oldest: list[Article],
    span: Span,
    names: TagNames,
    default: str,
    memo: DocumentMemo,
) -> Documents:
    """The last build's documents with the run at ``span`` made again: the values of one
    position depend on its article alone, the slots on the ones before (spliced_slots)."""
    start, stop, old_start, old_stop = span.start, span.stop, span.old_start, span.old_stop
    came = oldest[start:stop]
    codes = article_languages(came, default)
    numbers = _numbering(names)

    def spliced(values: list, made: list) -> list:
        return spliced_list(values, old_start, old_stop, made)

    if names == last.tag_names:
        tags = spliced(last.tags, [_tag_numbers(article, numbers) for article in came])
    else:
        tags = [_tag_numbers(article, numbers) for article in oldest]
    if start:
        slots = spliced_slots(oldest, last.slots, start, stop, old_stop)
    else:  # a new oldest article may start another decade: every slot may move
        slots = document_slots(oldest)
    end, old_end = stop, old_stop  # past the run, to the last slot that moved
    while end < len(oldest) and slots[end] != last.slots[old_end]:
        end, old_end = end + 1, old_end + 1
    follows = names == last.tag_names and end - start <= CHANGE_LIMIT
    return Documents(
        oldest,
        spliced(last.codes, codes),
        spliced(last.other, [None if code == default else code for code in codes]),
        spliced(last.terms, [_terms(a, c, memo) for a, c in zip(came, codes, strict=True)]),
        slots,
        spliced_years(oldest, slots, last.years, start, end),
        names,
        tags,
        None,
        span=Span(start, end, old_start, old_end) if follows else None,
    )
