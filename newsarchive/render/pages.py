"""Which pages a site has: every page as a job (template, output path, context), in a fixed
order (the order is part of determinism)."""

from __future__ import annotations

import bisect
import operator
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, count, repeat
from typing import Any
from urllib.parse import urlsplit

from ..changes import Changes, changes
from ..config import Config
from ..memo import InputMemo
from ..model import Archive, Article, Period, Tag
from .bylines import SECTIONS, Byline, BylineMemo
from .i18n import Dates
from .listing import Context, Listing, PageJob, bare, listing
from .paging import Labeller, Paging, RunEnds
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


def page_jobs(
    archive: Archive,
    config: Config,
    memo: InputMemo[Listing] | None = None,
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
    articles = articles if articles is not None else ArticleJobs(keep=False)
    ends = articles.ends.of(archive.articles, config.per_page)
    paging = Paging(config.per_page, ends, dates)
    front: Context = {"years": archive.years, "oldest": _oldest(archive.articles)}
    home = (INDEX_TEMPLATE, "", archive.articles, paging, front, None, None, memo.before(""))
    jobs = [*memo.get("", (archive.articles, config.per_page), listing, *home).jobs]
    found = articles.bylines.find(archive.articles)
    # The same string objects build after build, so that the memo's inputs are identical.
    byline_url = {(s, b.name.casefold()): sys.intern(b.url) for s in SECTIONS for b in found[s]}
    jobs += articles.jobs_of(archive, byline_url)
    jobs.append(PageJob(TAGS_TEMPLATE, "tags/index.html", {"tags": archive.tags}))
    pairs = pairs if pairs is not None else PairCounts(keep=False)
    often = pairs.often_with(archive.tags, archive.articles)
    places = [tag for tag in archive.tags if tag.kind == "place"]
    jobs.append(PageJob(PLACES_TEMPLATE, "places/index.html", {"places": places}))
    for tag in archive.tags:
        reuse = memo.before(tag.url)
        shown = _shown(often[tag.slug], reuse)
        inputs = (tag.name, tag.slug, tag.kind, tag.articles, shown, config.per_page)
        jobs += memo.get(tag.url, inputs, _tag, tag, paging, shown, reuse).jobs
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
    """What ``serve`` keeps of the archive's articles for page_jobs: the article pages' jobs
    of the last build, its bylines and its page run ends. A rebuild makes an article's job
    again only where the page would show something else (its article, the newer or older
    one, its related articles, the bylines' URLs): where the articles changed
    (:func:`.changes.changes`, by identity in C) and where their related articles did, else
    in one pass over the articles that compares objects."""

    keep: bool = True
    articles: tuple[Article, ...] = ()
    jobs: list[PageJob] = field(default_factory=list)  # parallel to articles
    related: Mapping[str, tuple[Article, ...]] = field(default_factory=dict)
    byline_url: dict[tuple[str, str], str] = field(default_factory=dict)
    bylines: BylineMemo = field(init=False)
    ends: RunEnds = field(init=False)

    def __post_init__(self) -> None:
        self.bylines, self.ends = BylineMemo(self.keep), RunEnds(self.keep)

    def jobs_of(self, archive: Archive, byline_url: dict[tuple[str, str], str]) -> list[PageJob]:
        """Every article page's job, newest first. ``byline_url``: (section, case-folded
        name) -> URL of every byline's listing."""
        same = bool(self.articles) and self.byline_url == byline_url
        found = changes(self.articles, archive.articles) if same else None
        if found is not None:
            jobs = self._changed(found, archive, byline_url)
        else:
            jobs = self._compared(archive, byline_url, same)
        if self.keep:
            self.articles, self.jobs, self.related = archive.articles, jobs, archive.related
            self.byline_url = byline_url
        return jobs

    def _changed(
        self, found: Changes[Article], archive: Archive, byline_url: dict[tuple[str, str], str]
    ) -> list[PageJob]:
        """The last build's jobs, made again at the changed articles, their neighbours and
        the articles whose related articles changed."""
        articles, related = archive.articles, archive.related

        def make(i: int) -> PageJob:
            return _article_job_at(articles, i, related, byline_url)

        jobs = found.splice(self.jobs, make)
        near = {
            i + step
            for span in found.spans
            for i in (span.start, span.stop - 1)
            for step in (-1, 1)
        }
        urls = list(map(operator.attrgetter("url"), articles))
        was = list(map(self.related.get, urls, repeat(())))
        now = list(map(related.get, urls, repeat(())))
        inside = set(found.positions)
        for i in near | _other_related(was, now, found):
            if 0 <= i < len(articles) and i not in inside:
                jobs[i] = make(i)
        return jobs

    def _compared(
        self, archive: Archive, byline_url: dict[tuple[str, str], str], same: bool
    ) -> list[PageJob]:
        """Every job, the last build's where the article, its neighbours and its related
        articles are the same objects."""
        articles, related = archive.articles, archive.related
        then, then_jobs, then_related = self.articles, self.jobs, self.related
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
            jobs.append(_article_job_at(articles, i, related, byline_url))
        return jobs


def _other_related(
    was: list[tuple[Article, ...]], now: list[tuple[Article, ...]], found: Changes[Article]
) -> set[int]:
    """The positions whose related articles are not the very same objects as then. Two
    articles of one build are never equal (their files differ), so a related article
    that is another object but equal to the one it replaces is the same file's new object:
    unless a changed article is equal to its old self (a file saved again unchanged), the
    tuples that are equal hold the very same objects, and comparing them in C is enough
    (made again, every tuple is another object when articles came or went)."""
    gone = {article.path: article for article in found.gone()}
    if any(gone.get(article.path) == article for article in found.came()):
        return _other_items(was, now)
    return set(compress(count(), map(operator.ne, was, now)))


def _other_items(was: list[tuple[Article, ...]], now: list[tuple[Article, ...]]) -> set[int]:
    """The positions where ``now``'s tuple does not hold the very same objects as ``was``'s,
    compared in C: every related article of every article, a hundred thousand at 20,000."""
    same_length = list(map(operator.eq, map(len, was), map(len, now)))
    out = set(compress(count(), map(operator.not_, same_length)))
    where = list(compress(count(), same_length))
    was, now = list(compress(was, same_length)), list(compress(now, same_length))
    ends = list(accumulate(map(len, now)))
    flat = map(operator.is_not, chain.from_iterable(was), chain.from_iterable(now))
    out.update(where[bisect.bisect_right(ends, k)] for k in compress(count(), flat))
    return out


def _article_job_at(
    articles: Sequence[Article],
    i: int,
    related: Mapping[str, tuple[Article, ...]],
    byline_url: dict[tuple[str, str], str],
) -> PageJob:
    article = articles[i]
    newer = articles[i - 1] if i else None
    older = articles[i + 1] if i + 1 < len(articles) else None
    source = byline_url.get(("sources", article.source.strip().casefold()))
    author = byline_url.get(("authors", article.author.strip().casefold()))
    return _article_job(article, newer, older, source, author, related.get(article.url, ()))


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


def _shown(often: tuple[Tag, ...], reuse: Listing | None) -> tuple[tuple[str, str, str], ...]:
    """What a tag's front page shows of the tags often with it (not their counts): the last
    build's very tuple while equal, so that the memo compares it at once, not item by item
    (for every tag, every rebuild)."""
    shown = tuple((t.name, t.url, t.kind) for t in often)
    was = reuse.jobs[0].context.get("often") if reuse is not None else None
    return was if was == shown else shown


def _tag(
    tag: Tag,
    paging: Paging,
    often: tuple[tuple[str, str, str], ...],
    reuse: Listing | None = None,
) -> Listing:
    """A tag's pages; its front page also shows its timeline and the tags often with it
    (older pages none, so that they stay put)."""
    front = {"months": _months(tag.articles), "oldest": _oldest(tag.articles), "often": often}
    pages = (TAG_TEMPLATE, tag.url, tag.articles, paging, front, {"often": ()}, None, reuse)
    return listing(*pages, tag=tag)


def _bylines(
    found: dict[str, list[Byline]], paging: Paging, memo: InputMemo[Listing]
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
            pages = (
                BYLINE_TEMPLATE,
                byline.url,
                byline.articles,
                paging,
                None,
                every,
                None,
                reuse,
            )
            jobs += memo.get(byline.url, inputs, listing, *pages).jobs
    return jobs


def _oldest(articles: Sequence[Article]) -> Article | None:
    return articles[-1] if articles else None


_MONTH = operator.attrgetter("posted.year", "posted.month")


def _months(articles: Sequence[Article]) -> tuple[Period, ...]:
    """A tag's articles by month, for its timeline (keyed by their counts). Newest first, a
    month's articles are one run, found in C (an edit makes its tags' months again, and a
    tag may hold half the archive); a month that comes again (see dates.group_periods) is merged."""
    keys = list(map(_MONTH, articles))
    if not keys:
        return ()
    starts = [0, *compress(count(1), map(operator.ne, keys[1:], keys[:-1])), len(keys)]
    firsts = [keys[at] for at in starts[:-1]]
    if len(set(firsts)) == len(firsts):
        runs = zip(firsts, starts, starts[1:], strict=False)
        return tuple(Period("month", y, m, 0, tuple(articles[a:b])) for (y, m), a, b in runs)
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
    reuse: Listing | None,
) -> Listing:
    return listing(
        PERIOD_TEMPLATE,
        period.url,
        period.articles,
        paging,
        None,
        every,
        labeller,
        reuse,
        period.kind,
        period=period,
    )


def _period(period: Period, paging: Paging, near: Near, memo: InputMemo[Listing]) -> list[PageJob]:
    """A period's pages, each with the previous and next period of its kind that has
    articles (bare: their dates and URLs are what the links show, and what keys cover)."""
    before, after = near.get(period.url, (None, None))
    every = {
        "previous": None if before is None else bare(before),
        "next": None if after is None else bare(after),
    }
    labeller = paging.timed if period.kind == "day" else None
    # What the pages show of the periods either side: their dates and URLs (from the URL).
    sides = tuple(side.url if side is not None else "" for side in (before, after))
    inputs = (period.articles, sides, paging.per_page)
    pages = (period, paging, every, labeller, memo.before(period.url))
    jobs = [*memo.get(period.url, inputs, _period_pages, *pages).jobs]
    for child in period.children:
        jobs += _period(child, paging, near, memo)
    return jobs
