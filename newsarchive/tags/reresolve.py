"""The archive-wide pass made again after a few articles' mentions changed (``serve``).

The pass (:func:`.resolve.resolve_archive`) reads every article's mentions, so an edit of
one article without tags of its own made it all again: 0.8 s at 20,841 such articles,
seconds at 100,000, and an archive in the reference format has no tag lines at all. Here
the counts are updated by the changed articles, and tags are picked again only for the
articles that read something that changed: the changed articles themselves, those that
use a word whose document frequency or topic name moved, and those that name an
organisation whose count crossed what the pass asks of it. The result is the whole
pass's, or None where that cannot be shown cheaply (then the caller makes the whole pass):
when the archive's size as the pass counts it changed (every idf and share moves: one
publish in 64 at 20,000 articles, see :func:`.resolve.counted`), when a word started or
stopped being common (the people and every article read that), or when the people
changed (:meth:`.people.People.update`).
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress, count, repeat

from ..changes import differing, spliced, unchanged_ends
from .entities import Mentions
from .people import add_counts
from .resolve import (
    MIN_ARCHIVE_FOR_SHARED,
    Counts,
    PassState,
    Resolved,
    Scope,
    Tagged,
    counted,
    org_names,
    pick,
    shared,
    shared_of,
    topic_forms,
    topic_name,
)

# Past this many changed articles, the whole pass is made again.
FEW = 256
_WORDS = operator.attrgetter("words")
_ORG_PLACES = (operator.attrgetter("singles"), operator.attrgetter("orgs"))
_DECLARED = operator.attrgetter("declared")


def resolved_again(
    before: Sequence[Mentions], resolved: Resolved, mentions: Sequence[Mentions]
) -> Resolved | None:
    """``resolved`` (the pass over ``before``) made for ``mentions`` by the few that
    changed, came or went: the very same object when no article's tags changed; None when
    the whole pass must be made. ``resolved``'s state is updated in place either way, so
    it must not be used again after a None."""
    state = resolved.state
    if state is None or counted(len(before)) != counted(len(mentions)):
        return None
    if len(before) == len(mentions):
        at = differing(before, mentions, FEW + 1)
        span, went = None, []
        if len(at) > FEW:
            return None
        gone, came = [before[p] for p in at], [mentions[p] for p in at]
    else:  # articles came or went: one run between the unchanged ends
        head, tail = unchanged_ends(before, mentions)
        span = (head, len(before) - tail, len(mentions) - tail)
        if span[1] + span[2] - 2 * head > FEW:
            return None
        gone, came = list(before[head : span[1]]), list(mentions[head : span[2]])
        at = list(range(head, span[2]))
        went = _splice(state, *span)  # positions are the new ones from here on
    scope, counts = state.scope, state.scope.counts
    df_was = _values(counts.df, (k for m in (*gone, *came) for k in m.words))
    orgs_was = _values(counts.orgs, (k for m in (*gone, *came) for k in org_names(m)))
    stems = {stem for m in (*gone, *came) for stem, _form in topic_forms(m)}
    _update(counts, gone, -1)
    _update(counts, came, 1)
    common_df = state.common_df
    if any((n >= common_df) != (counts.df[k] >= common_df) for k, n in df_was.items()):
        return None  # a word became common or stopped being: the people read that
    if not scope.people.update(gone, came):
        return None  # someone came to be known, or a name now stands for another person
    # A word whose topic score rose, or that may be a topic now, may become one anywhere
    # it is used; one whose score fell, or that may no longer be one, only leaves the
    # articles that took it (the others' choice among their words stays as it was).
    anywhere, leaving = set(), set()
    for k, n in df_was.items():
        was, now = _topical(n, scope), _topical(counts.df[k], scope)
        if n == counts.df[k] or not (was or now):
            continue
        (anywhere if now and (not was or counts.df[k] < n) else leaving).add(k)
    for stem in stems:
        forms = counts.forms.get(stem)
        name = topic_name(forms) if forms else None
        if name != scope.topic_name.get(stem):
            if name is None:
                del scope.topic_name[stem]
            else:
                scope.topic_name[stem] = name
            anywhere.add(stem)  # (names break ties between scores)
    crossed = {k for k, n in orgs_was.items() if _org_level(n) != _org_level(counts.orgs[k])}
    dirty = set(at).union(_using(mentions, anywhere, crossed))
    dirty.update(_holding(state.chosen, leaving - anywhere))
    tagged = resolved.tagged
    if span is not None:
        tagged = spliced(tagged, span[0], span[1], [NOTHING] * (span[2] - span[0]))
    return _picked_again(resolved, tagged, mentions, sorted(dirty), went)


def _values(counter: Counter[str], keys: Iterable[str]) -> dict[str, int]:
    return {key: counter[key] for key in keys}


def _update(counts: Counts, mentions: Sequence[Mentions], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) articles' counts; a count of 0 is no entry, as
    in counts made afresh (the pass asks which organisations it has)."""
    for m in mentions:
        add_counts(counts.orgs, org_names(m), sign)
        add_counts(counts.df, m.words, sign)
        for stem, form in topic_forms(m):
            forms = counts.forms.setdefault(stem, Counter())
            add_counts(forms, (form,), sign)
            if not forms:
                del counts.forms[stem]


def _topical(df: int, scope: Scope) -> bool:
    """Whether a word in ``df`` articles may be one's topic (see :func:`.resolve.pick`)."""
    return scope.min_df <= df <= scope.max_df


def _org_level(n: int) -> int:
    """What the pass asks of an organisation's count: whether it has one, two or more."""
    return min(n, 2)


def _using(mentions: Sequence[Mentions], words: set[str], orgs: set[str]) -> set[int]:
    """The positions of the articles that use one of ``words`` or name one of ``orgs``
    (each a pass in C over the articles)."""
    found: set[int] = set()
    if words:
        every = list(map(_WORDS, mentions))
        for word in words:
            found.update(compress(count(), map(operator.contains, every, repeat(word))))
    for where in (*_ORG_PLACES, _DECLARED) if orgs else ():
        every = list(map(where, mentions))
        for name in orgs:
            found.update(compress(count(), map(operator.contains, every, repeat(name))))
    return found


def _holding(chosen: list[tuple[str, ...]], words: set[str]) -> set[int]:
    """The positions of the articles that took one of ``words`` as a topic."""
    found: set[int] = set()
    for word in words:
        found.update(compress(count(), map(operator.contains, chosen, repeat(word))))
    return found


def _splice(state: PassState, head: int, old_stop: int, stop: int) -> list[Tagged]:
    """The kept lists made the new articles' length: the places of those that came held
    (all of them are picked again), those of the ones that went given back."""
    went = state.raw[head:old_stop]
    state.raw[head:old_stop] = [NOTHING] * (stop - head)
    state.chosen[head:old_stop] = [()] * (stop - head)
    return went


def _picked_again(
    resolved: Resolved,
    tagged: list[Tagged],
    mentions: Sequence[Mentions],
    dirty: list[int],
    went: list[Tagged],
) -> Resolved:
    """The pass with the tags of the articles at ``dirty`` picked again; ``tagged``: the
    last pass's, with a place held for each article that came; ``went``: the tags of the
    articles that went."""
    state = resolved.state
    assert state is not None
    scope, raw, chosen, used = state.scope, state.raw, state.chosen, state.used
    was = [*went, *(raw[p] for p in dirty if raw[p] is not NOTHING)]
    for p in dirty:
        raw[p], chosen[p] = pick(mentions[p], scope)
    now = [raw[p] for p in dirty]
    if tagged is resolved.tagged and all(map(operator.eq, was, now)):
        return resolved
    before = {name: used[name] for t in (*was, *now) for name in _names(t)}
    for t in was:
        add_counts(used, _names(t), -1)
    for t in now:
        used.update(_names(t))
    if any((n >= 2) != (used[name] >= 2) for name, n in before.items()):
        tagged = shared(raw, used, scope.total)  # a tag came to name two articles, or one
        return Resolved(tagged, resolved.common, state)
    tagged = list(tagged) if tagged is resolved.tagged else tagged
    alone = scope.total < MIN_ARCHIVE_FOR_SHARED
    for p in dirty:
        tagged[p] = raw[p] if alone else shared_of(raw[p], used)
    return Resolved(tagged, resolved.common, state, dirty)


NOTHING = Tagged(())  # a place held for an article that came, until it is picked


def _names(t: Tagged) -> list[str]:
    return [name.casefold() for name, _kind in t.tags]
