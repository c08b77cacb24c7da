"""Which pages a site has: every page as a job (template, output path, context), in a fixed
order (the order is part of determinism)."""

from __future__ import annotations

import operator
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..memo import InputMemo
from ..model import Archive, Article, Period, Tag
from .bylines import SECTIONS, Byline, bylines
from .i18n import Dates
from .paging import Labeller, Paging, paginate, run_ends, same_pagination
from .periods import neighbours
from .tagindex import PairCounts

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
# The page that describes the data files (their sizes: known once they are written).
DATA_TEMPLATE = "data.html"
LATE_TEMPLATES = (SEARCH_TEMPLATE, DATA_TEMPLATE)  # rendered last, written by content
NOT_FOUND_TEMPLATE = "404.html"
# An old address that moved: a page that sends the reader on (see redirect_jobs).
REDIRECT_TEMPLATE = "redirect.html"
BYLINES_TEMPLATE = "bylines.html"  # sources/ and authors/
BYLINE_TEMPLATE = "byline.html"  # one source's or author's articles
ENTRY_PARTIAL = "partials/entry.html"  # an article in a listing


@dataclass(frozen=True)
class PageJob:
    """One page to render: template, output path (links in it are relative to it), context."""

    template: str
    path: str
    context: dict[str, Any]


def page_jobs(
    archive: Archive,
    config: Config,
    memo: InputMemo[list[PageJob]] | None = None,
    pairs: PairCounts | None = None,
    articles: ArticleJobs | None = None,
) -> list[PageJob]:
    """Every HTML page of the site, in a fixed order (the order is part of determinism).

    ``memo`` (serve): each listing's jobs of the last build, taken again while their inputs
    are the same objects, so that page keys can skip them (keys.PageKeys.keys); ``pairs``
    (serve): the tag pairs counted last build; ``articles`` (serve): the article pages' jobs.
    """
    memo = memo if memo is not None else InputMemo(keep=False)
    dates = Dates(config.site_language)
    ends = run_ends(archive.articles, config.per_page, keep=memo.keeping)
    paging = Paging(config.per_page, ends, dates)
    front: Context = {"years": archive.years, "oldest": _oldest(archive.articles)}
    home = (INDEX_TEMPLATE, "", archive.articles, paging, front, None, None, memo.before(""))
    jobs = [*memo.get("", (archive.articles, config.per_page), _listing, *home)]
    found = {section: bylines(archive.articles, section) for section in SECTIONS}
    # The same string objects build after build, so that the memo's inputs are identical.
    byline_url = {(s, b.name.casefold()): sys.intern(b.url) for s in SECTIONS for b in found[s]}
    articles = articles if articles is not None else ArticleJobs(keep=False)
    jobs += articles.jobs_of(archive, byline_url)
    jobs.append(PageJob(TAGS_TEMPLATE, "tags/index.html", {"tags": archive.tags}))
    pairs = pairs if pairs is not None else PairCounts(keep=False)
    often = pairs.often_with(archive.tags, archive.articles)
    places = [tag for tag in archive.tags if tag.kind == "place"]
    jobs.append(PageJob(PLACES_TEMPLATE, "places/index.html", {"places": places}))
    for tag in archive.tags:
        shown = tuple((t.name, t.url, t.kind) for t in often[tag.slug])  # not counts
        inputs = (tag.name, tag.slug, tag.kind, tag.articles, shown, config.per_page)
        jobs += memo.get(tag.url, inputs, _tag, tag, paging, shown, memo.before(tag.url))
    jobs += _bylines(found, paging, memo)
    near = neighbours(archive.years)
    for year in archive.years:
        jobs += _period(year, paging, near, memo)
    jobs.append(PageJob(ARCHIVE_TEMPLATE, "archive/index.html", {"years": archive.years}))
    jobs.append(PageJob(SEARCH_TEMPLATE, "search/index.html", {}))
    if config.data:
        jobs.append(PageJob(DATA_TEMPLATE, "data/index.html", {}))
    # A 404 page is served at any depth: it resolves its links from base_url's path.
    base_path = {"base_path": urlsplit(config.site_url).path}
    jobs.append(PageJob(NOT_FOUND_TEMPLATE, "404.html", base_path))
    memo.next_build()
    return jobs


@dataclass
class ArticleJobs:
    """The article pages' jobs of the last build, kept by ``serve``: a rebuild makes a job
    again only where the page would show something else (its article, the newer or older
    one, its related articles, the bylines' URLs), found in one pass over the articles that
    compares objects, cheaper than a memo's lookup and inputs per article."""

    keep: bool = True
    articles: tuple[Article, ...] = ()
    jobs: list[PageJob] = field(default_factory=list)  # parallel to articles
    related: Mapping[str, tuple[Article, ...]] = field(default_factory=dict)
    byline_url: dict[tuple[str, str], str] = field(default_factory=dict)

    def jobs_of(self, archive: Archive, byline_url: dict[tuple[str, str], str]) -> list[PageJob]:
        """Every article page's job, newest first. ``byline_url``: (section, case-folded
        name) -> URL of every byline's listing."""
        articles, related = archive.articles, archive.related
        then, then_jobs, then_related = self.articles, self.jobs, self.related
        same = bool(then) and self.byline_url == byline_url
        at = {id(article): j for j, article in enumerate(then)} if same else {}
        last, then_last = len(articles) - 1, len(then) - 1
        jobs = []
        for i, article in enumerate(articles):
            newer = articles[i - 1] if i else None
            older = articles[i + 1] if i < last else None
            also = related.get(article.url, ())
            j = at.get(id(article))  # ids of objects that ``then`` keeps alive: theirs alone
            if (
                j is not None
                and (then[j - 1] if j else None) is newer
                and (then[j + 1] if j < then_last else None) is older
            ):
                was = then_related.get(article.url, ())
                if len(was) == len(also) and all(map(operator.is_, was, also)):
                    jobs.append(then_jobs[j])
                    continue
            source = byline_url.get(("sources", article.source.strip().casefold()))
            author = byline_url.get(("authors", article.author.strip().casefold()))
            jobs.append(_article_job(article, newer, older, source, author, also))
        if self.keep:
            self.articles, self.jobs, self.related = articles, jobs, related
            self.byline_url = byline_url
        return jobs


def _article_job(
    article: Article,
    newer: Article | None,
    older: Article | None,
    source_url: str | None,
    author_url: str | None,
    related: tuple[Article, ...],
) -> PageJob:
    context = {
        "article": article,
        "newer": newer,
        "older": older,
        "related": related,
        "source_url": source_url,
        "author_url": author_url,
    }
    return PageJob(ARTICLE_TEMPLATE, article.url + "index.html", context)


def _tag(
    tag: Tag,
    paging: Paging,
    often: tuple[tuple[str, str, str], ...],
    reuse: Sequence[PageJob] | None = None,
) -> list[PageJob]:
    """A tag's pages; its front page also shows its timeline and the tags often with it
    (older pages none, so that they stay put)."""
    front = {"months": _months(tag.articles), "oldest": _oldest(tag.articles), "often": often}
    listing = (TAG_TEMPLATE, tag.url, tag.articles, paging, front, {"often": ()}, None, reuse)
    return _listing(*listing, tag=tag)


def _bylines(
    found: dict[str, list[Byline]], paging: Paging, memo: InputMemo[list[PageJob]]
) -> list[PageJob]:
    """The sources' and authors' pages, where some article names one."""
    jobs = []
    for section, group in found.items():
        if not group:
            continue
        listed = tuple((b.name, b.url, len(b.articles)) for b in group)
        context: dict[str, Any] = {"section": section, "bylines": listed}
        jobs.append(PageJob(BYLINES_TEMPLATE, f"{section}/index.html", context))
        for byline in group:
            every = {"section": section, "name": byline.name}
            inputs = (byline.name, byline.articles, paging.per_page)
            reuse = memo.before(byline.url)
            listing = (
                BYLINE_TEMPLATE,
                byline.url,
                byline.articles,
                paging,
                None,
                every,
                None,
                reuse,
            )
            jobs += memo.get(byline.url, inputs, _listing, *listing)
    return jobs


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
    reuse: Sequence[PageJob] | None = None,
    **context: Tag | Period,
) -> list[PageJob]:
    """A listing's pages. Only the front page gets its tag or period whole (count, children)
    and ``front``; older pages get it without articles, so that their keys, like their text,
    stay the same while newer articles arrive (see Pagination). Every page gets ``every``.

    ``reuse`` (serve): the listing's jobs of the last build. An older page that shows what
    it showed then (:func:`_reusable`, :func:`.paging.same_pagination`) is that very job,
    which page keys then pass
    without a look: an edit remakes the jobs of every listing its article is on, and the
    home page's and its year's are a thousand pages each at 20,000 articles."""
    older = {name: _bare(value) for name, value in context.items()}
    pages = paginate(base, articles, paging.per_page, paging.ends, labeller or paging.dated)
    shared = {**older, **(every or {})}  # what every older page shows besides its pagination
    was = _reusable(reuse, template, shared)
    jobs = []
    labels: tuple[bool, ...] = ()  # (whether the pages' labels are the last build's)
    for page in pages:
        path = page.path + "index.html"
        if page.front:
            values = {"pagination": page, **context, **(every or {}), **(front or {})}
            jobs.append(PageJob(template, path, values))
            continue
        old = was.get(path)
        if old is not None:
            then = old.context["pagination"]
            if not labels:
                labels = (then.labels is page.labels or then.labels == page.labels,)
            if same_pagination(then, page, labels[0]):
                jobs.append(old)
                continue
        jobs.append(PageJob(template, path, {"pagination": page, **shared}))
    return jobs


def _reusable(
    reuse: Sequence[PageJob] | None, template: str, shared: Context
) -> dict[str, PageJob]:
    """The last build's older pages of a listing by path, if they showed the same values
    besides their pagination (a bare tag or period, a section and name, the neighbouring
    periods: no articles); else none."""
    if not reuse or len(reuse) < 2 or reuse[0].template != template:
        return {}
    then = reuse[1].context
    if then.keys() != {"pagination", *shared}:
        return {}
    for name, value in shared.items():
        kind = type(value)
        if kind is Tag or kind is Period:
            if value.articles or (kind is Period and value.children) or then[name] != value:
                return {}
        elif kind is tuple and any(type(item) is not str for item in value):
            return {}  # a tag's older pages show no "often with" tags: ()
        elif kind not in (str, int, tuple, type(None)) or then[name] != value:
            return {}
    return {job.path: job for job in reuse[1:]}


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


def _period_pages(
    period: Period,
    paging: Paging,
    every: Context,
    labeller: Labeller | None,
    reuse: Sequence[PageJob] | None,
) -> list[PageJob]:
    return _listing(
        PERIOD_TEMPLATE,
        period.url,
        period.articles,
        paging,
        None,
        every,
        labeller,
        reuse,
        period=period,
    )


def _period(
    period: Period, paging: Paging, near: Near, memo: InputMemo[list[PageJob]]
) -> list[PageJob]:
    """A period's pages, each with the previous and next period of its kind that has
    articles (bare: their dates and URLs are what the links show, and what keys cover)."""
    before, after = near.get(period.url, (None, None))
    every = {
        "previous": None if before is None else _bare(before),
        "next": None if after is None else _bare(after),
    }
    labeller = paging.timed if period.kind == "day" else None
    # What the pages show of the periods either side: their dates and URLs (from the URL).
    sides = tuple(side.url if side is not None else "" for side in (before, after))
    inputs = (period.articles, sides, paging.per_page)
    pages = (period, paging, every, labeller, memo.before(period.url))
    jobs = [*memo.get(period.url, inputs, _period_pages, *pages)]
    for child in period.children:
        jobs += _period(child, paging, near, memo)
    return jobs
