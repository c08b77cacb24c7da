"""A listing's pages after articles came or went (serve): cut again around the change only.

A new article changed the home page's, its year's, its month's and its source's listing,
a thousand pages each at 20,841 articles, and each was cut into pages again, labelled and
compared page by page: 50 ms of a rebuild that renders a few pages. Runs are cut from the
oldest by content (:func:`.paging.page_runs`): a run depends only on the articles from its
start, so the runs before a change are the last build's, and once a run cut again after it
starts where one of the last build's did, the rest are the last build's too (shifted). A
page's label depends on its articles and its neighbours' only, and an older page shows
nothing of the pages far from it (:meth:`.paging.Pagination.key_parts`), so only the pages
near the change, and near the end of the listing, are made again.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat

from ..changes import changes
from ..model import Article
from . import paging as paged
from .paging import Context, Labeller, Listing, PageJob, Pagination, Paging


@dataclass(frozen=True)
class Recut:
    """The new run stops, and which runs are the last build's: runs ``[0, kept)`` are its
    runs at the same index; runs from ``after`` are its runs at index ``i - shift``."""

    stops: list[int]
    kept: int
    after: int
    shift: int | None  # None: none after the change was the last build's


def recut(old: Sequence[int], articles: Sequence[Article], a: int, b: int, paging: Paging) -> Recut:
    """Cut ``articles`` (newest first) again where positions ``[a, b)`` from the oldest
    changed (``[a, b - d)`` before, ``d`` articles more now), as :func:`.paging.run_stops`
    would: :func:`.chunking.cut_counted`'s runs, found from the last unchanged one."""
    count, delta = len(articles), len(articles) - (old[-1] if old else 0)
    kept = max(0, min(bisect.bisect_right(old, a), len(old) - 1))  # not the last: it may grow
    stops = list(old[:kept])
    position = stops[-1] if stops else 0
    shortest, longest = max(1, paging.per_page // 2), 2 * paging.per_page
    ends = paging.ends
    while position < count:
        end = position + longest - 1
        for p in range(position + shortest - 1, min(end, count - 1) + 1):
            if id(articles[count - 1 - p]) in ends:
                end = p
                break
        position = min(end + 1, count)
        stops.append(position)
        if b <= position < count:  # past the change: does a run of the last build start here?
            at = bisect.bisect_left(old, position - delta)
            if at < len(old) and old[at] == position - delta:
                after = len(stops)
                stops += map(operator.add, old[at + 1 :], repeat(delta))
                return Recut(stops, kept, after, after - at - 1)
    return Recut(stops, kept, len(stops), None)


def spliced(
    was: Listing,
    template: str,
    base: str,
    articles: Sequence[Article],
    paging: Paging,
    label: Labeller,
    shared: Context,
    whole: Context,
    scope: str = "",
) -> Listing | None:
    """The listing's jobs from the last build's (``was``, whose older pages showed
    ``shared`` too) when few articles came, went or moved; None when many did. ``scope``:
    see :func:`.paging.page_names`."""
    found = changes(was.articles, articles)
    if found is None or not was.stops or not found.spans:
        return None
    count = len(articles)
    a, b = count - found.spans[-1].stop, count - found.spans[0].start
    cut = recut(was.stops, articles, a, b, paging)
    stops, pages, old_pages = (
        cut.stops,
        paged.page_count(cut.stops, paging.per_page),
        len(was.jobs),
    )
    then_front = was.jobs[0].context["pagination"]
    then_labels, then_names = then_front.labels, then_front.names

    def source(i: int) -> int | None:
        """The last build's index of new older page ``i``'s run, if the same articles."""
        if i < cut.kept:
            return i if i < old_pages - 1 else None
        j = i - cut.shift if cut.shift is not None and i >= cut.after else -1
        return j if 0 <= j < old_pages - 1 else None

    sources = [source(i) for i in range(pages - 1)]
    labels = _labels(sources, then_labels, old_pages, articles, stops, label)
    oldest = (articles[count - 1 - (stops[n - 1] if n else 0)].posted for n in range(pages - 1))
    names = paged.page_names(oldest, scope)
    shows = _same_shown(sources, labels, names, then_labels, then_names, old_pages)
    newest = list(articles[: count - stops[pages - 2]] if pages > 1 else articles)
    front = Pagination(base, pages, pages, newest, count, labels, names)
    jobs = [PageJob(template, f"{base}index.html", {"pagination": front, **whole})]
    by_path: dict[str, PageJob] = {}  # the last build's older pages (made when needed)
    for number in range(pages - 1, 0, -1):
        j = sources[number - 1]  # (the page of the same run then: its number was j + 1)
        if j is not None:
            then: PageJob | None = was.jobs[old_pages - 1 - j]
            if shows(number, j):
                jobs.append(then)  # the same articles, name and links shown: the same page
                continue
        else:  # cut again (between two changes): the page of that name then, if any
            if not by_path:
                by_path = {job.path: job for job in was.jobs[1:]}
            then = by_path.get(f"{paged.page_url(base, names[number - 1])}index.html")
        items = paged.older_items(articles, stops, number)
        page = Pagination(base, number, pages, items, count, labels, names)
        if then is not None and paged.same_pagination(then.context["pagination"], page, False):
            jobs.append(then)
        else:
            jobs.append(PageJob(template, page.path + "index.html", {"pagination": page, **shared}))
    ends = [*map(operator.sub, repeat(count), reversed(stops[: pages - 1])), count]
    return Listing(jobs, articles, ends, was.labelled, stops)


def _same_shown(
    sources: list[int | None],
    labels: Sequence[str],
    names: Sequence[str],
    then_labels: Sequence[str],
    then_names: Sequence[str],
    old_pages: int,
) -> Callable[[int, int], bool]:
    """Whether new page ``number``, run ``j`` of the last build, shows what that page showed
    (:meth:`.paging.Pagination.key_parts`) without making either: the same name and label
    for itself, the pages two either side and page 1, each the same run shifted alike, and
    the same gaps (so neither near the front page, nor near page 1 unless not shifted). A
    page found not to is compared whole (:func:`.paging.same_pagination`)."""
    pages = len(sources) + 1
    kept = [
        j is not None and labels[i] == then_labels[j] and names[i] == then_names[j]
        for i, j in enumerate(sources)
    ]
    first = bool(kept) and sources[0] == 0 and kept[0]

    def shows(number: int, j: int) -> bool:
        shift = number - 1 - j
        if not first or number + 3 >= pages or j + 4 >= old_pages:
            return False
        if shift and (number <= 4 or j < 4):
            return False
        for m in range(max(1, number - 2), number + 3):
            if not kept[m - 1] or sources[m - 1] != m - 1 - shift:
                return False
        return True

    return shows


def _labels(
    sources: list[int | None],
    then: Sequence[str],
    old_pages: int,
    articles: Sequence[Article],
    stops: Sequence[int],
    label: Labeller,
) -> tuple[str, ...]:
    """The older pages' labels: the last build's where a page and both its neighbours are
    the same runs as then, the others made again with a neighbour either side."""
    last, then_last = len(sources) - 1, old_pages - 2
    labels: list[str | None] = []
    for i, j in enumerate(sources):
        left = i == 0 if j == 0 else i > 0 and j is not None and sources[i - 1] == j - 1
        right = (
            i == last
            if j == then_last
            else i < last and j is not None and j < then_last and sources[i + 1] == j + 1
        )
        labels.append(then[j] if j is not None and left and right else None)
    i = 0
    while i <= last:
        if labels[i] is not None:
            i += 1
            continue
        stop = i
        while stop <= last and labels[stop] is None:
            stop += 1
        first, until = max(0, i - 1), min(last, stop)  # with a neighbour either side
        window = [paged.older_items(articles, stops, n + 1) for n in range(first, until + 1)]
        labels[i:stop] = label(window)[i - first : stop - first]
        i = stop
    return tuple(labels)  # type: ignore[arg-type]
