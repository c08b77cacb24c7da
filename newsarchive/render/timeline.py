"""The archive over time as a bar chart: articles per month (per year over long spans), laid
out in Python once per page that shows it, drawn as inline SVG by partials/timeline.html.

No script and no library at view time: bars are plain SVG links to their month (or year)
page. Horizontal positions are percentages of the chart's width and vertical ones are pixels,
so the chart fills its container while its labels keep a readable size on a phone (a
viewBox would shrink the text with the width).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..model import Period

# Past this many years a month bar is thinner than a pixel on a phone: one bar a year.
MONTHS_UP_TO_YEARS = 15
# Month names under the bars while they fit (a phone gives each of twelve about 28 px).
MONTH_LABELS_UP_TO = 12
# Year labels on the axis at most; past it, every second (fifth, ...) year is named.
YEAR_LABELS_AT_MOST = 8


@dataclass(frozen=True)
class Bar:
    """One month or year: ``url`` empty for an empty period (a gap, no link)."""

    label: str  # "March 1987" or "1987"
    count: int
    url: str
    x: str  # left edge, percent of the width ("12.5%")
    width: str  # percent
    hit_x: str  # the clickable column (the whole slot, full height): left edge, percent
    hit_width: str
    y: str  # top of the bar, px
    height: str  # px


@dataclass(frozen=True)
class AxisLabel:
    x: str  # percent
    text: str
    year: bool  # a year (second row) or a month name (first row)


@dataclass(frozen=True)
class Timeline:
    """A laid-out chart: its bars oldest first, its axis labels and its size in pixels."""

    per: str  # "month" | "year"
    bars: tuple[Bar, ...]
    labels: tuple[AxisLabel, ...]
    plot: int  # height of the bars' area, px
    height: int  # the whole chart, px
    small: bool


def _num(value: float) -> str:
    """Fixed formatting (the output is part of determinism): at most 3 decimals, no ``-0``."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def month_counts(periods: Iterable[Period]) -> dict[tuple[int, int], int]:
    """Articles per (year, month) of years (their months) or months."""
    counts: dict[tuple[int, int], int] = {}
    for period in periods:
        months = period.children if period.kind == "year" else (period,)
        for month in months:
            key = (month.year, month.month)
            counts[key] = counts.get(key, 0) + len(month.articles)
    return counts


def layout(
    periods: Sequence[Period],
    month_title: Callable[[int, int], str],
    month_abbr: Callable[[int], str],
    small: bool = False,
) -> Timeline:
    """The chart of ``periods`` (years with their months, or months, any order): one bar per
    month from the first to the last with articles, or per year when they span more than
    MONTHS_UP_TO_YEARS years; an empty month or year keeps its slot with no bar."""
    counts = month_counts(periods)
    plot = 72 if small else 160
    if not counts:
        return Timeline("month", (), (), plot, plot, small)
    first, last = min(counts), max(counts)
    if last[0] - first[0] + 1 > MONTHS_UP_TO_YEARS:
        per = "year"
        years: dict[int, int] = {}
        for (year, _month), count in counts.items():
            years[year] = years.get(year, 0) + count
        slots = [(str(y), years.get(y, 0), f"{y:04d}/", y, 1) for y in range(first[0], last[0] + 1)]
    else:
        per = "month"
        slots = []
        for index in range(first[0] * 12 + first[1] - 1, last[0] * 12 + last[1]):
            y, m = divmod(index, 12)
            count = counts.get((y, m + 1), 0)
            slots.append((month_title(y, m + 1), count, f"{y:04d}/{m + 1:02d}/", y, m + 1))
    top = max(count for _label, count, _url, _y, _m in slots)
    pitch = 100 / len(slots)
    bars: list[Bar] = []
    labels: list[AxisLabel] = []
    month_names = per == "month" and len(slots) <= MONTH_LABELS_UP_TO
    year_step = _year_step(first[0], last[0])
    for i, (label, count, url, y, m) in enumerate(slots):
        height = max(2.0, plot * count / top) if count else 0.0
        bars.append(
            Bar(
                label=label,
                count=count,
                url=url if count else "",
                x=_num(pitch * (i + 0.1)) + "%",
                width=_num(pitch * 0.8) + "%",
                hit_x=_num(pitch * i) + "%",
                hit_width=_num(pitch) + "%",
                y=_num(plot - height),
                height=_num(height),
            )
        )
        if month_names:
            labels.append(AxisLabel(_num(pitch * (i + 0.5)) + "%", month_abbr(m), False))
        # The first year is named at the first bar unless its January is too late to leave
        # room before the next year's name.
        opens = m == 1 or (i == 0 and (m <= 9 or first[0] == last[0]))
        if opens and (y - first[0]) % year_step == 0:
            labels.append(AxisLabel(_num(pitch * i) + "%", str(y), True))
    height = plot + (40 if month_names else 22)
    return Timeline(per, tuple(bars), tuple(labels), plot, height, small)


def _year_step(first: int, last: int) -> int:
    """Every how many years the axis names one, so that at most YEAR_LABELS_AT_MOST fit."""
    return max(1, math.ceil((last - first + 1) / YEAR_LABELS_AT_MOST))
