"""The model's date archives: every year, month and day and its articles
(:func:`group_periods`).

``serve`` keeps a :class:`PeriodMemo`, so that a rebuild after a few articles changed makes
again only the periods that hold them (a year may hold half the archive: grouping every
article again was a pass over all of them at each level); every other period is the very
object it was.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby

from .grouping import came_and_gone, first_not_after
from .model import Article, Period

# Past this many articles come or gone, a rebuild groups every article again.
FEW_DATED = 256

_YEAR, _MONTH, _DAY = (operator.attrgetter(f"posted.{part}") for part in ("year", "month", "day"))
_KINDS = ("year", "month", "day")
Key = tuple[int, int, int]  # (year, month, day), 0 for a level above the day


def chronological_key(article: Article) -> tuple[datetime, str]:
    """Oldest first by the instant (two times in one zone compare by wall clock, wrong in
    the repeated hour when clocks go back), ties broken by the file's name below the source
    folder, so the order never depends on file-system order or where the archive is."""
    posted = article.posted
    instant = posted.astimezone(UTC) if posted.tzinfo else posted.replace(tzinfo=UTC)
    return (instant, article.source_name)


@dataclass
class PeriodMemo:
    """The last build's articles (newest first) and periods, kept by ``serve``
    (``keep=False``: nothing is kept)."""

    keep: bool = True
    articles: Sequence[Article] = ()
    years: list[Period] = field(default_factory=list)


def group_periods(articles: Sequence[Article], memo: PeriodMemo | None = None) -> list[Period]:
    """Year -> month -> day archives, newest first, each keeping the articles' order.

    Grouped by value, not by runs: in time order a local date can repeat after another (a
    zone whose clocks go back over midnight), and one day must still be one page.
    ``memo`` (serve): the last build's periods, patched for the articles that came and went
    when they are few; the articles must then be newest first (the model's order)."""
    state = memo if memo is not None else PeriodMemo(keep=False)
    years = _patched(state, articles) if state.years else None
    if years is None:
        years = [_build("year", group, y) for y, group in _grouped(articles, _YEAR)]
    if state.keep:
        state.articles, state.years = articles, years
    return years


def _build(kind: str, items: list[Article], y: int, m: int = 0, d: int = 0) -> Period:
    children: tuple[Period, ...] = ()
    if kind == "year":
        months = _grouped(items, _MONTH)
        children = tuple(_build("month", group, y, mm) for mm, group in months)
    elif kind == "month":
        days = _grouped(items, _DAY)
        children = tuple(_build("day", group, y, m, dd) for dd, group in days)
    return Period(kind, y, m, d, tuple(items), children)


def _grouped(
    articles: Iterable[Article], key: Callable[[Article], int]
) -> list[tuple[int, list[Article]]]:
    """Runs of one key, merged when a key comes again (rare: see group_periods); newest
    first. Runs first because they cost a third of a dict per article (serve, 20,000)."""
    runs = [(value, list(run)) for value, run in groupby(articles, key)]
    if all(runs[i][0] > runs[i + 1][0] for i in range(len(runs) - 1)):
        return runs
    groups: dict[int, list[Article]] = {}
    for value, run in runs:
        groups.setdefault(value, []).extend(run)
    return sorted(groups.items(), reverse=True)


def _patched(state: PeriodMemo, articles: Sequence[Article]) -> list[Period] | None:
    """The last build's periods with those holding an article that came or went made
    again; None when many did, or one moved past another."""
    found = came_and_gone(state.articles, articles, FEW_DATED)
    if found is None:
        return None
    came, gone = found
    touched: set[Key] = set()
    gains: dict[Key, list[Article]] = {}
    for article in gone:
        touched.update(_keys(article))
    for article in came:
        for key in _keys(article):
            touched.add(key)
            gains.setdefault(key, []).append(article)
    gone_ids = set(map(id, gone))
    return list(_level(0, (0, 0, 0), state.years, touched, gains, gone_ids))


def _keys(article: Article) -> tuple[Key, Key, Key]:
    y, m, d = _YEAR(article), _MONTH(article), _DAY(article)
    return (y, 0, 0), (y, m, 0), (y, m, d)


def _level(
    depth: int,
    above: Key,
    periods: Sequence[Period],
    touched: set[Key],
    gains: dict[Key, list[Article]],
    gone_ids: set[int],
) -> tuple[Period, ...]:
    """The periods of one level below ``above`` (years, a year's months or a month's days),
    newest first: the old ones, the touched ones made again, the new ones added, the empty
    ones gone."""

    def key_of(value: int) -> Key:
        return (*above[:depth], value, *(0,) * (2 - depth))  # type: ignore[return-value]

    old = {(period.year, period.month, period.day)[depth]: period for period in periods}
    values = set(old) | {key[depth] for key in touched if key[:depth] == above[:depth]}
    values.discard(0)
    out = []
    for value in sorted(values, reverse=True):
        key, was = key_of(value), old.get(value)
        if key not in touched and was is not None:
            out.append(was)
            continue
        items = [a for a in was.articles if id(a) not in gone_ids] if was is not None else []
        for article in gains.get(key, ()):
            items.insert(first_not_after(items, article, chronological_key), article)
        if not items:
            continue
        children: tuple[Period, ...] = ()
        if depth < 2:
            below = was.children if was is not None else ()
            children = _level(depth + 1, key, below, touched, gains, gone_ids)
        out.append(Period(_KINDS[depth], *key, tuple(items), children))
    return tuple(out)
