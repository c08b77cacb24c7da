"""One listing's page jobs (home, a tag, a period, a byline), and how ``serve`` remakes only
the pages an edit touched: the home page's, its year's and its source's listings are a
thousand pages each at 20,000 articles, and an edit changes every one of them."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate

from ..changes import changes
from ..model import Article, Period, Tag
from .paging import (
    Context,
    Labeller,
    Listing,
    PageJob,
    Pagination,
    Paging,
    pages_of,
    run_stops,
    same_pagination,
)
from .splicing import spliced


def listing(
    template: str,
    base: str,
    articles: Sequence[Article],
    paging: Paging,
    front: Context | None = None,
    every: Context | None = None,
    labeller: Labeller | None = None,
    reuse: Listing | None = None,
    scope: str = "",
    **context: Tag | Period,
) -> Listing:
    """A listing's pages. Only the front page gets its tag or period whole (count, children)
    and ``front``; older pages get it without articles, so that their keys, like their text,
    stay the same while newer articles arrive (see Pagination). Every page gets ``every``.
    ``scope``: a period's kind, for its pages' names (:func:`.paging.page_names`).

    ``reuse`` (serve): the listing of the last build. Where only articles were replaced in
    place, by ones of the same file and time (an edit), the pages are where they were and
    only those holding a replaced article are made (:func:`_edited`). Otherwise an older page
    that shows what it showed then (:func:`_same_shared`, :func:`.paging.same_pagination`)
    is that very job, which page keys then pass without a look."""
    older = {name: bare(value) for name, value in context.items()}
    shared = {**older, **(every or {})}  # what every older page shows besides its pagination
    whole = {**context, **(every or {}), **(front or {})}  # what the front page shows
    label = labeller or paging.dated
    labelled = (paging.per_page, paging.dates.code, getattr(label, "__func__", label), scope)
    if reuse is not None and reuse.labelled == labelled and _same_shared(reuse, template, shared):
        jobs = _edited(reuse, articles, shared, whole)
        if jobs is not None:
            return Listing(jobs, articles, reuse.ends, labelled, reuse.stops)
        made = spliced(reuse, template, base, articles, paging, label, shared, whole, scope)
        if made is not None:
            return made
        was = {job.path: job for job in reuse.jobs[1:]}
    else:
        was = {}
    stops = run_stops(articles, paging.per_page, paging.ends)
    pages = pages_of(base, articles, stops, paging.per_page, label, scope)
    jobs = []
    labels: tuple[bool, ...] = ()  # (whether the pages' labels and names are the last build's)
    for page in pages:
        path = page.path + "index.html"
        if page.front:
            jobs.append(PageJob(template, path, {"pagination": page, **whole}))
            continue
        old = was.get(path)
        if old is not None:
            then = old.context["pagination"]
            if not labels:
                labels = (_same_names(then, page),)
            if same_pagination(then, page, labels[0]):
                jobs.append(old)
                continue
        jobs.append(PageJob(template, path, {"pagination": page, **shared}))
    ends = list(accumulate(len(job.context["pagination"].items) for job in jobs))
    return Listing(jobs, articles, ends, labelled, stops)


def _same_names(then: Pagination, now: Pagination) -> bool:
    """Whether a listing's pages have the labels and names they had."""
    same = then.labels is now.labels or then.labels == now.labels
    return same and (then.names is now.names or then.names == now.names)


def _edited(
    was: Listing, articles: Sequence[Article], shared: Context, whole: Context
) -> list[PageJob] | None:
    """The listing's jobs when its articles were only replaced in place by ones of the same
    file and time: the cut of its pages (:func:`.paging.page_runs`, by file and time) and
    their labels (by time) are the last build's, so the pages holding a replaced article
    are made again and the others are the very same jobs. None otherwise."""
    found = changes(was.articles, articles)
    if found is None or not found.in_place:
        return None
    at = found.positions
    for i in at:
        old, new = was.articles[i], articles[i]
        if old.path != new.path or old.posted != new.posted:
            return None
    jobs = list(was.jobs)
    ends = was.ends
    for k in sorted({bisect.bisect_right(ends, i) for i in at}):
        items = articles[ends[k - 1] if k else 0 : ends[k]]
        then = was.jobs[k]
        page = replace(then.context["pagination"], items=items if k else list(items))
        jobs[k] = _job(then, page, shared if k else whole)
    if jobs[0] is was.jobs[0]:  # the front page shows the whole tag or period: made again
        jobs[0] = _job(was.jobs[0], was.jobs[0].context["pagination"], whole)
    return jobs


def _job(then: PageJob, page: Pagination, shown: Context) -> PageJob:
    return PageJob(then.template, then.path, {"pagination": page, **shown})


def _same_shared(was: Listing, template: str, shared: Context) -> bool:
    """Whether the last build's older pages of a listing showed the same values besides
    their pagination (a bare tag or period, a section and name, the neighbouring periods:
    no articles)."""
    reuse = was.jobs
    if len(reuse) < 2 or reuse[0].template != template:
        return len(reuse) == 1 and reuse[0].template == template
    then = reuse[1].context
    if then.keys() != {"pagination", *shared}:
        return False
    for name, value in shared.items():
        kind = type(value)
        if kind is Tag or kind is Period:
            if value.articles or (kind is Period and value.children) or then[name] != value:
                return False
        elif kind is tuple and any(type(item) is not str for item in value):
            return False  # a tag's older pages show no "often with" tags: ()
        elif kind not in (str, int, tuple, type(None)) or then[name] != value:
            return False
    return True


def bare(value: Tag | Period) -> Tag | Period:
    """A tag or period without its articles (and children): what an older page shows."""
    if type(value) is Period:
        return replace(value, articles=(), children=())
    return replace(value, articles=())
