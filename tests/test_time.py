"""The archive over time: the timeline, a year's months, a month's calendar, a day's
neighbours and the dated page buttons (issue 17, "Time"), as functions and in built sites."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.dates import group_periods
from newsarchive.model import Article, Period
from newsarchive.render.i18n import Dates
from newsarchive.render.pages import PERIOD_TEMPLATE, Paging, page_jobs
from newsarchive.render.paging import page_runs, paginate, run_ends
from newsarchive.render.periods import month_weeks, neighbours, year_months
from newsarchive.render.timeline import MONTHS_UP_TO_YEARS, layout

from .test_build import article_text

EN = Dates("en")


def _article(when: datetime, name: str = "") -> Article:
    name = name or f"{when:%Y%m%d%H%M}"
    return Article(name, name, when, "", "", "", url=f"x/{name}/")


def _archive(*dates: datetime) -> list[Period]:
    """Years (newest first) of one article at each of ``dates``."""
    return group_periods(sorted((_article(d) for d in dates), key=lambda a: a.posted)[::-1])


def _chart(periods: list[Period], small: bool = False):
    return layout(periods, _title, EN.month_abbr, small)


def _title(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def test_timeline_months_with_gaps_links_and_titles() -> None:
    """One slot a month from the first to the last; an empty month keeps its slot and has
    no bar or link; bar heights are proportional, the tallest fills the plot."""
    day = datetime(1987, 2, 26, tzinfo=UTC)
    years = _archive(day, *[day.replace(month=3, day=d) for d in range(1, 5)], day.replace(month=6))
    chart = _chart(years)
    assert chart.per == "month"
    assert [b.label for b in chart.bars] == ["1987-02", "1987-03", "1987-04", "1987-05", "1987-06"]
    assert [b.count for b in chart.bars] == [1, 4, 0, 0, 1]
    assert [b.url for b in chart.bars] == ["1987/02/", "1987/03/", "", "", "1987/06/"]
    assert [b.height for b in chart.bars] == ["40", "160", "0", "0", "40"]
    assert [b.x for b in chart.bars] == ["2%", "22%", "42%", "62%", "82%"]
    assert {b.width for b in chart.bars} == {"16%"} and chart.bars[1].y == "0"
    # Month names under the bars, the year once (it is one year).
    assert [(a.text, a.year) for a in chart.labels if a.year] == [("1987", True)]
    assert [a.text for a in chart.labels if not a.year] == ["Feb", "Mar", "Apr", "May", "Jun"]


def test_timeline_per_year_past_fifteen_years() -> None:
    first = datetime(1970, 5, 1, tzinfo=UTC)
    last = first.replace(year=1970 + MONTHS_UP_TO_YEARS)  # sixteen years
    chart = _chart(_archive(first, first.replace(month=7), last))
    assert chart.per == "year" and len(chart.bars) == MONTHS_UP_TO_YEARS + 1
    assert (chart.bars[0].label, chart.bars[0].count, chart.bars[0].url) == ("1970", 2, "1970/")
    assert chart.bars[1].url == "" and chart.bars[-1].url == "1985/"
    # At most eight year names: every second year of sixteen.
    assert [a.text for a in chart.labels] == [str(y) for y in range(1970, 1986, 2)]
    # One year less: one bar a month.
    assert _chart(_archive(first, last.replace(year=1984))).per == "month"


def test_timeline_of_months_and_small_and_empty() -> None:
    """A tag gives months (not years), in any order; the small chart is lower."""
    years = _archive(datetime(2001, 1, 3, tzinfo=UTC), datetime(2000, 12, 30, tzinfo=UTC))
    months = [m for y in years for m in y.children]
    chart = _chart(months[::-1], small=True)
    assert [b.label for b in chart.bars] == ["2000-12", "2001-01"] and chart.small
    assert (chart.plot, chart.height) == (72, 112)
    # December leaves no room before January's name: the first year is not named.
    assert [a.text for a in chart.labels if a.year] == ["2001"]
    assert [a.text for a in chart.labels if not a.year] == ["Dec", "Jan"]
    assert _chart([]).bars == ()


def test_timeline_in_a_built_site(build, write_articles) -> None:
    """On /archive/, bars link to their months with a title (label and count); the counts
    are also a table; home and tag pages show the small chart and the span."""
    stories = {
        f"a{i}.txt": article_text(title=f"S{i}", posted=f"{d}.1987 10:{i:02d}", tags="Gold")
        for i, d in enumerate(["26.02", "02.03", "02.03", "03.03", "01.06"])
    }
    _, site = build(write_articles(stories), Config(timezone="UTC"))
    archive = (site / "archive/index.html").read_text()
    assert (
        archive.count('<a href="../1987/03/index.html"><title>March 1987: 3 articles</title>') == 1
    )
    assert "<title>May 1987" not in archive and 'href="../1987/05/' not in archive
    assert '<tr><th scope="row">May 1987</th><td>0</td></tr>' in archive
    assert "<caption>Articles per month</caption>" in archive
    assert (
        '<li class="empty"><span class="name">May</span> <span class="count">0</span></li>'
        in archive
    )
    months = re.findall(r'<li(?: class="empty")?>(?:<a [^>]+>|<span class="name">)(\w+)<', archive)
    assert months[:3] == ["January", "February", "March"] and len(months) == 12
    home = (site / "index.html").read_text()
    assert "timeline timeline-small" in home and "26 Feb\u2009–\u20091 Jun 1987" in home
    assert '<a href="1987/06/index.html"><title>June 1987: 1 article</title>' in home
    tag = (site / "tags/gold/index.html").read_text()
    assert "26 Feb\u2009–\u20091 Jun 1987" in tag
    assert '<a href="../../1987/02/index.html"><title>February 1987: 1 article</title>' in tag


def test_year_months_in_calendar_order() -> None:
    years = _archive(*(datetime(1987, m, 1, tzinfo=UTC) for m in (10, 3, 3, 3, 3, 2)))
    slots = year_months(years[0])
    assert [s.month for s in slots] == list(range(1, 13))
    assert [s.count for s in slots] == [0, 1, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert [s.share for s in slots if s.count] == ["25%", "100%", "25%"]
    assert slots[0].period is None and slots[2].period is years[0].children[1]


@pytest.mark.parametrize(
    ("code", "first", "headers"),
    [
        ("en", 0, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),  # en is en_GB
        ("en_US", 6, ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
        ("ru", 0, ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]),
    ],
)
def test_calendar_weekdays_per_locale(code: str, first: int, headers: list[str]) -> None:
    dates = Dates(code)
    assert dates.first_weekday == first
    assert [short for short, _wide in dates.weekdays()] == headers


def test_month_weeks_show_empty_days() -> None:
    """March 1987 began on a Sunday: Monday-first, six days of February pad the first week."""
    when = [datetime(1987, 3, d, tzinfo=UTC) for d in (1, 2, 2, 31)]
    month = _archive(*when)[0].children[0]
    weeks = month_weeks(month, 0)
    assert [s.day for s in weeks[0]] == [0, 0, 0, 0, 0, 0, 1]
    assert [s.day for s in weeks[-1]] == [30, 31, 0, 0, 0, 0, 0]
    found = {s.day: len(s.period.articles) for w in weeks for s in w if s.period is not None}
    assert found == {1: 1, 2: 2, 31: 1}
    assert sum(1 for w in weeks for s in w if s.day) == 31
    assert [s.day for s in month_weeks(month, 6)[0]] == [1, 2, 3, 4, 5, 6, 7]  # Sunday first


def test_neighbours_skip_empty_periods() -> None:
    dates = [
        datetime(y, m, d, tzinfo=UTC) for y, m, d in [(1985, 12, 31), (1987, 3, 1), (1987, 3, 9)]
    ]
    near = neighbours(_archive(*dates))
    assert [(p and p.url, n and n.url) for p, n in [near["1987/03/01/"], near["1985/12/31/"]]] == [
        ("1985/12/31/", "1987/03/09/"),
        (None, "1987/03/01/"),
    ]
    assert near["1987/03/09/"][1] is None
    assert (near["1987/03/"][0].url, near["1985/12/"][1].url) == ("1985/12/", "1987/03/")
    assert (near["1987/"][0].url, near["1985/"][0]) == ("1985/", None)


def test_day_pages_hold_their_neighbours_bare() -> None:
    """A period's pages get the previous and next period of its kind with articles, without
    their articles (their keys: URL and dates), on every page of the listing."""
    from newsarchive.placing import build_archive

    when = [datetime(1987, 3, d, h, tzinfo=UTC) for d in (2, 5) for h in range(0, 24, 2)]
    archive = build_archive(_article(w) for w in when)
    jobs = [
        j
        for j in page_jobs(archive, Config(per_page=2))
        if j.template == PERIOD_TEMPLATE and j.path.startswith("1987/03/05/")
    ]
    assert len(jobs) > 2
    for job in jobs:
        previous, following = job.context["previous"], job.context["next"]
        assert (previous.url, previous.articles, following) == ("1987/03/02/", (), None)


def _span(page) -> str:
    """What a page of March 1987 holds, as CLDR writes the interval."""
    first, last = page.items[-1].posted.day, page.items[0].posted.day
    return f"{first}\u2009–\u2009{last} Mar 1987" if first != last else f"{first} Mar 1987"


def test_page_labels() -> None:
    """Each numbered page's label is the dates its articles span, made once per listing;
    a page's key holds the labels it shows."""
    when = [datetime(1987, 3, 1 + i // 2, 9, i, tzinfo=UTC) for i in range(40)]
    articles = [_article(w) for w in when][::-1]
    paging = Paging(4, frozenset(), EN)
    pages = list(paginate("", articles, 4, frozenset(), paging.dated))
    oldest, second = pages[-1], pages[-2]
    assert oldest.number == 1 and pages[0].label(pages[0].number) == ""
    assert [oldest.label(1), oldest.label(2)] == [_span(oldest), _span(second)]
    assert "\u2009–\u2009" in _span(oldest)  # two articles a day, runs of 2 to 8
    assert all(p.labels is pages[0].labels for p in pages)
    assert _span(oldest) in oldest.key_parts() and _span(oldest) in pages[0].key_parts()
    assert _span(second) in second.key_parts() and _span(second) in oldest.key_parts()


def test_page_labels_of_a_busy_day() -> None:
    """Pages of one day beside others of that day say their times too; a day's own
    listing says only the times."""
    when = [datetime(1987, 3, 2, 8 + i // 6, i % 6 * 10, tzinfo=UTC) for i in range(40)]
    articles = [_article(w) for w in when][::-1]
    pages = list(paginate("", articles, 4, frozenset(), Paging(4, frozenset(), EN).dated))
    assert len(pages) > 3
    for page in pages[1:]:
        times = f"{page.items[-1].posted:%H:%M}–{page.items[0].posted:%H:%M}"
        assert page.label(page.number) == f"2 Mar 1987, {times}"
    timed = list(paginate("", articles, 4, frozenset(), Paging.timed))
    first, last = timed[-1].items[-1].posted, timed[-1].items[0].posted
    assert timed[-1].label(1) == f"{first:%H:%M}–{last:%H:%M}"


def test_day_page_compact_list_and_links(build, write_articles) -> None:
    stories = {
        f"a{i}.txt": article_text(title=f"Story {i}", posted=f"{d}.1987 {h}", tags="Gold, Oil")
        for i, (d, h) in enumerate(
            [("26.02", "09:05"), ("02.03", "14:30"), ("02.03", "08:00"), ("10.06", "12:00")]
        )
    }
    _, site = build(write_articles(stories), Config(timezone="UTC"))
    day = (site / "1987/03/02/index.html").read_text()
    assert 'class="entry"' not in day and '<ol class="day-list">' in day
    assert re.search(
        r'<time datetime="1987-03-02T14:30:00[^"]*">14:30</time> <a class="headline"', day
    )
    assert day.index(">14:30<") < day.index(">08:00<")  # newest first, as every listing
    assert '<a class="previous" href="../../../1987/02/26/index.html">← 26 February 1987</a>' in day
    assert '<a class="next" href="../../../1987/06/10/index.html">10 June 1987 →</a>' in day
    month = (site / "1987/03/index.html").read_text()
    assert '<a class="previous" href="../../1987/02/index.html">← February 1987</a>' in month
    assert '<a class="next" href="../../1987/06/index.html">June 1987 →</a>' in month
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in month
    assert '<td class="empty"><span class="day">3</span></td>' in month
    assert re.search(
        r'<a href="../../1987/03/02/index.html"><span class="day">2</span> '
        r'<span class="count" aria-hidden="true">2</span>'
        r'<span class="visually-hidden">2 articles</span></a>',
        month,
    )
    year = (site / "1987/index.html").read_text()
    assert 'class="period-nav"' not in year  # one year: no neighbours
    assert re.search(
        r'<a href="../1987/03/index.html">March</a> <span class="count">2</span>'
        r'<svg class="month-bar"[^>]*><rect width="100%"',
        year,
    )
    assert '<rect width="50%"' in year  # February and June: one article of March's two


def test_russian_calendar(build, write_articles) -> None:
    """A Russian site's calendar starts on Monday with Russian day names."""
    stories = {
        f"a{i}.txt": article_text(title=f"S{i}", posted=f"02.03.1987 10:{i % 60:02d}")
        for i in range(3)
    }
    _, site = build(write_articles(stories), Config(timezone="UTC", language="ru"))
    month = Path(site / "1987/03/index.html").read_text()
    assert '<th scope="col"><abbr title="Понедельник">Пн</abbr></th>' in month


def test_editing_titles_keeps_every_page_of_a_listing() -> None:
    """Where a listing's pages begin depends on each article's file and time, not on its
    URL: giving every article another title (hence slug and URL) keeps every run, so a
    typo fixed in a title rewrites the pages that show it, never renumbers the newer ones
    (with the URL, about one edit in six did). A back-fill still may, by design."""
    when = [datetime(1987, 3, 1, tzinfo=UTC) + timedelta(minutes=37 * i) for i in range(400)]
    articles = [_article(w, f"src/a{i}.txt") for i, w in enumerate(when)]
    edited = [replace(a, title="Fixed", slug="fixed", url=f"y/{a.path}/fixed/") for a in articles]
    moved = [replace(a, path="elsewhere/" + a.path.split("/")[-1]) for a in articles]

    def starts(listing: list[Article]) -> list[int]:
        runs = page_runs(listing, 20, run_ends(listing, 20))
        return [listing.index(run[0]) for run in runs]

    assert len(starts(articles)) > 10
    assert starts(edited) == starts(articles) == starts(moved)
    # The hash does look at each article: other files, other cuts.
    renamed = [replace(a, path=a.path + ".md") for a in articles]
    assert starts(renamed) != starts(articles)
