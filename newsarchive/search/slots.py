"""Slots: how the sharded index names documents. A slot is a number made from the article's
own date, ascending with it, that no other article's arrival or removal changes."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from ..model import Article

# Slots count seconds from the start of the oldest article's decade (document_slots).
SLOT_BASE_YEARS = 10


def document_slots(oldest: Sequence[Article]) -> list[int]:
    """Each article's slot (oldest first): the seconds from its date (UTC) back to the
    start of the decade of the oldest article, or one more than the previous slot when that
    second is taken (articles of the same second, in archive order).

    A slot depends on the article's own date only, not on how many articles are older, so
    adding or deleting one leaves every other slot alone (a packed run of same-second
    articles shifts only within itself; a new oldest decade renumbers all: rare).
    """
    if not oldest:
        return []
    base = _base(oldest[0])
    slots, previous = [], -1
    for article in oldest:
        previous = max((utc(article) - base) // _SECOND, previous + 1)
        slots.append(previous)
    return slots


_SECOND = timedelta(seconds=1)


def _base(oldest: Article) -> datetime:
    year = utc(oldest).year
    return datetime(year - year % SLOT_BASE_YEARS, 1, 1, tzinfo=UTC)


def spliced_slots(
    oldest: Sequence[Article], old_slots: Sequence[int], start: int, stop: int, old_stop: int
) -> list[int]:
    """:func:`document_slots` of ``oldest``, where ``oldest[start:stop]`` replaced the
    articles at ``[start:old_stop]`` of the last build's (whose slots were ``old_slots``)
    and ``start`` > 0 (the oldest article, hence the base, is the same). A slot depends on
    its article and the slot before, so once one past the run comes out as it was, every
    later one does too: usually the first."""
    base = _base(oldest[0])
    slots = list(old_slots[:start])
    previous = slots[-1]
    for i in range(start, len(oldest)):
        slot = max((utc(oldest[i]) - base) // _SECOND, previous + 1)
        if i >= stop and slot == old_slots[i - stop + old_stop]:
            slots += old_slots[i - stop + old_stop :]
            break
        slots.append(slot)
        previous = slot
    return slots


def utc(article: Article) -> datetime:
    posted = article.posted
    return posted.astimezone(UTC) if posted.tzinfo else posted.replace(tzinfo=UTC)


def year_ranges(oldest: Sequence[Article], slots: Sequence[int]) -> list[list[int]]:
    """``[year, first slot, last slot]`` runs of one year's articles (usually one per year),
    oldest first: from the actual slots, so an article packed past New Year keeps its year."""
    runs: list[list[int]] = []
    for article, slot in zip(oldest, slots, strict=True):
        year = article.posted.year
        if runs and runs[-1][0] == year:
            runs[-1][2] = slot
        else:
            runs.append([year, slot, slot])
    return runs


def spliced_years(
    oldest: Sequence[Article],
    slots: Sequence[int],
    old_years: list[list[int]],
    start: int,
    end: int,
) -> list[list[int]]:
    """:func:`year_ranges` where only the articles or slots at ``[start:end]`` differ from
    the last build's (every other the same, those after shifted), whose runs were
    ``old_years``: the runs from the one holding the slot before to the one holding the
    slot after are made again; a run begins and ends where a year changes between two
    articles outside, so the others are the last build's."""
    if not old_years or not slots:
        return year_ranges(oldest, slots)
    firsts = [run[1] for run in old_years]
    first = bisect.bisect_right(firsts, slots[start - 1]) - 1 if start else 0
    low = bisect.bisect_left(slots, old_years[first][1]) if start else 0
    last, high = len(old_years) - 1, len(slots)
    if end < len(slots):
        last = bisect.bisect_right(firsts, slots[end]) - 1
        high = bisect.bisect_left(slots, old_years[last][2]) + 1
    year = old_years[first][0]
    if start and first == last and all(a.posted.year == year for a in oldest[start:end]):
        # Inside one year's run (usually the newest, where articles are published): it
        # keeps its first slot, and its last unless it ends the archive; a pass over the
        # year's articles was 12 ms a rebuild at 100,000 articles (profiled).
        if end < len(slots):
            return list(old_years)
        return [*old_years[:first], [year, old_years[first][1], slots[-1]]]
    middle = year_ranges(oldest[low:high], slots[low:high])
    return [*old_years[:first], *middle, *old_years[last + 1 :]]
