"""Which pages a site has: every page as a job (template, output path, context), in a fixed
order (the order is part of determinism)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..model import Archive, Article, Period, Tag
from .i18n import Dates
from .paging import Labeller, paginate, run_ends
from .periods import neighbours

# The theme's templates, by what they render.
INDEX_TEMPLATE = "index.html"
ARTICLE_TEMPLATE = "article.html"
TAGS_TEMPLATE = "tags.html"
TAG_TEMPLATE = "tag.html"
PERIOD_TEMPLATE = "period.html"
ARCHIVE_TEMPLATE = "archive.html"
# The one page that names the search index's files, known only once the index is built.
SEARCH_TEMPLATE = "search.html"
NOT_FOUND_TEMPLATE = "404.html"
ENTRY_PARTIAL = "partials/entry.html"  # an article in a listing


@dataclass(frozen=True)
class PageJob:
    """One page to render: template, output path (links in it are relative to it), context."""

    template: str
    path: str
    context: dict[str, Any]


def page_jobs(archive: Archive, config: Config) -> list[PageJob]:
    """Every HTML page of the site, in a fixed order (the order is part of determinism)."""
    dates = Dates(config.site_language)
    paging = Paging(config.per_page, run_ends(archive.articles, config.per_page), dates)
    front: Context = {"years": archive.years, "oldest": _oldest(archive.articles)}
    jobs = _listing(INDEX_TEMPLATE, "", archive.articles, paging, front=front)
    for article in archive.articles:
        context = {
            "article": article,
            "newer": archive.newer(article),
            "older": archive.older(article),
            "related": archive.related.get(article.url, ()),
        }
        jobs.append(PageJob(ARTICLE_TEMPLATE, article.url + "index.html", context))
    jobs.append(PageJob(TAGS_TEMPLATE, "tags/index.html", {"tags": archive.tags}))
    for tag in archive.tags:
        front = {"months": _months(tag.articles), "oldest": _oldest(tag.articles)}
        jobs += _listing(TAG_TEMPLATE, tag.url, tag.articles, paging, front=front, tag=tag)
    near = neighbours(archive.years)
    for year in archive.years:
        jobs += _period(year, paging, near)
    jobs.append(PageJob(ARCHIVE_TEMPLATE, "archive/index.html", {"years": archive.years}))
    jobs.append(PageJob(SEARCH_TEMPLATE, "search/index.html", {}))
    # A 404 page is served at any depth: it resolves its links from base_url's path.
    base_path = {"base_path": urlsplit(config.site_url).path}
    jobs.append(PageJob(NOT_FOUND_TEMPLATE, "404.html", base_path))
    return jobs


@dataclass(frozen=True)
class Paging:
    """How listings are cut: articles per page, the archive's run_ends, the site's dates."""

    per_page: int
    ends: frozenset[int]
    dates: Dates

    def dated(self, pages: Sequence[Sequence[Article]]) -> tuple[str, ...]:
        """Page buttons' labels: the dates each page's articles span; a page of one day
        beside another of the same day (a busy day) with its times: ``2 Mar 1987, 09:12–11:40``."""
        dates = self.dates
        labels = [dates.date_range(p[-1].posted.date(), p[0].posted.date()) for p in pages]
        out = []
        for i, items in enumerate(pages):
            one_day = items[-1].posted.date() == items[0].posted.date()
            near = labels[max(0, i - 1) : i] + labels[i + 1 : i + 2]
            busy = one_day and labels[i] in near
            out.append(dates.at_times(labels[i], _times(items)) if busy else labels[i])
        return tuple(out)

    @staticmethod
    def timed(pages: Sequence[Sequence[Article]]) -> tuple[str, ...]:
        """A day's page buttons: the times each page's articles span (``09:12–11:40``)."""
        return tuple(_times(items) for items in pages)


def _times(items: Sequence[Article]) -> str:
    first, last = items[-1].posted.strftime("%H:%M"), items[0].posted.strftime("%H:%M")
    return first if first == last else f"{first}–{last}"


# What a page's template gets besides its pagination (keyed values only: see keys.py).
Context = dict[str, Any]


def _listing(
    template: str,
    base: str,
    articles: Sequence[Article],
    paging: Paging,
    front: Context | None = None,
    every: Context | None = None,
    labeller: Labeller | None = None,
    **context: Tag | Period,
) -> list[PageJob]:
    """A listing's pages. Only the front page gets its tag or period whole (count, children)
    and ``front``; older pages get it without articles, so that their keys, like their text,
    stay the same while newer articles arrive (see Pagination). Every page gets ``every``."""
    older = {name: _bare(value) for name, value in context.items()}
    pages = paginate(base, articles, paging.per_page, paging.ends, labeller or paging.dated)
    return [
        PageJob(
            template,
            page.path + "index.html",
            {
                "pagination": page,
                **(context if page.front else older),
                **((front or {}) if page.front else {}),
                **(every or {}),
            },
        )
        for page in pages
    ]


def _bare(value: Tag | Period) -> Tag | Period:
    if type(value) is Period:
        return replace(value, articles=(), children=())
    return replace(value, articles=())


def _oldest(articles: Sequence[Article]) -> Article | None:
    return articles[-1] if articles else None


def _months(articles: Sequence[Article]) -> tuple[Period, ...]:
    """A tag's articles by month, for its timeline (keyed by their counts)."""
    months: dict[tuple[int, int], list[Article]] = {}
    for article in articles:
        months.setdefault((article.posted.year, article.posted.month), []).append(article)
    return tuple(Period("month", y, m, 0, tuple(items)) for (y, m), items in months.items())


Near = dict[str, tuple[Period | None, Period | None]]


def _period(period: Period, paging: Paging, near: Near) -> list[PageJob]:
    """A period's pages, each with the previous and next period of its kind that has
    articles (bare: their dates and URLs are what the links show, and what keys cover)."""
    before, after = near.get(period.url, (None, None))
    every = {
        "previous": None if before is None else _bare(before),
        "next": None if after is None else _bare(after),
    }
    labeller = paging.timed if period.kind == "day" else None
    jobs = _listing(
        PERIOD_TEMPLATE, period.url, period.articles, paging, None, every, labeller, period=period
    )
    for child in period.children:
        jobs += _period(child, paging, near)
    return jobs
