"""Which pages a site has: every page as a job (template, output path, context), in a fixed
order (the order is part of determinism)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..model import Archive, Article, Period, Tag
from .paging import paginate, run_ends

# The theme's templates, by what they render.
INDEX_TEMPLATE = "index.html"
ARTICLE_TEMPLATE = "article.html"
TAGS_TEMPLATE = "tags.html"
TAG_TEMPLATE = "tag.html"
PLACES_TEMPLATE = "places.html"  # the map of the place tags
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
    paging = (config.per_page, run_ends(archive.articles, config.per_page))
    jobs = _listing(INDEX_TEMPLATE, "", archive.articles, paging)
    for article in archive.articles:
        context = {
            "article": article,
            "newer": archive.newer(article),
            "older": archive.older(article),
            "related": archive.related.get(article.url, ()),
        }
        jobs.append(PageJob(ARTICLE_TEMPLATE, article.url + "index.html", context))
    jobs.append(PageJob(TAGS_TEMPLATE, "tags/index.html", {"tags": archive.tags}))
    places = [tag for tag in archive.tags if tag.kind == "place"]
    jobs.append(PageJob(PLACES_TEMPLATE, "places/index.html", {"places": places}))
    for tag in archive.tags:
        jobs += _listing(TAG_TEMPLATE, tag.url, tag.articles, paging, tag=tag)
    for year in archive.years:
        jobs += _period(year, paging)
    jobs.append(PageJob(ARCHIVE_TEMPLATE, "archive/index.html", {"years": archive.years}))
    jobs.append(PageJob(SEARCH_TEMPLATE, "search/index.html", {}))
    # A 404 page is served at any depth: it resolves its links from base_url's path.
    base_path = {"base_path": urlsplit(config.site_url).path}
    jobs.append(PageJob(NOT_FOUND_TEMPLATE, "404.html", base_path))
    return jobs


# Articles per page and the run_ends of the archive.
Paging = tuple[int, frozenset[int]]


def _listing(
    template: str,
    base: str,
    articles: Sequence[Article],
    paging: Paging,
    **context: Tag | Period,
) -> list[PageJob]:
    """A listing's pages. Only the front page gets its tag or period whole (count, children);
    older pages get it without articles, so that their keys, like their text, stay the same
    while newer articles arrive (see Pagination)."""
    older = {name: _bare(value) for name, value in context.items()}
    return [
        PageJob(
            template,
            page.path + "index.html",
            {"pagination": page, **(context if page.front else older)},
        )
        for page in paginate(base, articles, *paging)
    ]


def _bare(value: Tag | Period) -> Tag | Period:
    if type(value) is Period:
        return replace(value, articles=(), children=())
    return replace(value, articles=())


def _period(period: Period, paging: Paging) -> list[PageJob]:
    jobs = _listing(PERIOD_TEMPLATE, period.url, period.articles, paging, period=period)
    for child in period.children:
        jobs += _period(child, paging)
    return jobs
