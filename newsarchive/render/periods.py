"""The date pages' structure, computed once in Python: a year's twelve months with their
share of its busiest, a month's calendar weeks, and each year, month and day's nearest
neighbours with articles (the previous and next links skip empty periods)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Period


@dataclass(frozen=True)
class MonthSlot:
    """One of a year's twelve months: ``period`` None when it has no articles."""

    month: int
    period: Period | None
    count: int
    share: str  # its bar's width: percent of the year's busiest month ("42.5%")


@dataclass(frozen=True)
class DaySlot:
    """One cell of a month's calendar: ``day`` 0 for the days of the months around it,
    ``period`` None for a day without articles."""

    day: int
    period: Period | None


def year_months(year: Period) -> list[MonthSlot]:
    """January to December, empty months included."""
    found = {month.month: month for month in year.children}
    top = max((len(month.articles) for month in year.children), default=0)
    slots = []
    for number in range(1, 13):
        month = found.get(number)
        count = len(month.articles) if month is not None else 0
        share = f"{100 * count / top:.1f}".rstrip("0").rstrip(".") if top else "0"
        slots.append(MonthSlot(number, month, count, share + "%"))
    return slots


def month_weeks(month: Period, first_weekday: int) -> list[list[DaySlot]]:
    """The month's weeks, each from ``first_weekday`` (0 Monday ... 6 Sunday, as CLDR's
    first day of the week in the site's locale), padded with day 0 at both ends."""
    found = {day.day: day for day in month.children}
    weeks = calendar.Calendar(first_weekday).monthdayscalendar(month.year, month.month)
    return [[DaySlot(day, found.get(day)) for day in week] for week in weeks]


def chronological(years: Sequence[Period]) -> tuple[list[Period], list[Period], list[Period]]:
    """Every year, month and day with articles, oldest first."""
    ordered_years = sorted(years, key=lambda p: p.year)
    months = sorted((m for y in years for m in y.children), key=lambda p: (p.year, p.month))
    days = sorted((d for m in months for d in m.children), key=lambda p: (p.year, p.month, p.day))
    return ordered_years, months, days


def neighbours(years: Sequence[Period]) -> dict[str, tuple[Period | None, Period | None]]:
    """Each period's (previous, next) of its own kind, by URL: the nearest that have
    articles (periods exist only when they have some)."""
    out: dict[str, tuple[Period | None, Period | None]] = {}
    for level in chronological(years):
        for i, period in enumerate(level):
            before = level[i - 1] if i else None
            after = level[i + 1] if i + 1 < len(level) else None
            out[period.url] = (before, after)
    return out
