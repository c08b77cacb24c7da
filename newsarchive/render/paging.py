"""Listing pages: a listing (home, a tag, a year, a month, a day) cut into pages that stay
put as news arrives."""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate, compress
from typing import Any

from ..changes import changes
from ..chunking import cut_counted, hash_fraction
from ..model import Article
from .i18n import Dates


@dataclass(frozen=True)
class Pagination:
    """One page of a listing, counted from the oldest so that pages stay put as news arrives.

    Page ``k`` of ``pages`` holds the ``k``-th oldest run of articles that :func:`page_runs`
    cuts, at ``base/page/<name>/`` (:func:`page_url`), named by its oldest article's time
    (:func:`page_names`), not its number: a back-filled or deleted article that starts or
    ends a run numbers the newer pages again, and their addresses (and what each shows)
    would all move with it. The front page (at ``base``, number ``pages``) holds the newest
    runs, at least ``per_page`` articles (all, in a short listing). A new article then
    changes the front page only (and, once a run has left it, adds one page).

    What a page shows must come from ``key_parts`` alone (the page's key): an older page
    shows neither the listing's count nor its number or number of pages, only its own name
    and the names and labels of the pages it links to (the front page's: "").

    ``labels``: what each numbered page holds (``12–14 Mar 1987``), page 1 first, made once
    per listing and shared by its pages; the front page's label is "Latest" (the template's).
    ``names``: each numbered page's name, page 1 first, shared likewise.
    """

    base: str
    number: int
    pages: int
    items: Sequence[Article]
    count: int
    labels: Sequence[str] = ()
    names: Sequence[str] = ()

    @property
    def front(self) -> bool:
        return self.number == self.pages

    def key_parts(self) -> tuple[Any, ...]:
        if self.front:
            shown = tuple(self.label(i) for i in self.numbers if i is not None)
            return (self.base, self.number, self.pages, self.count, *shown)
        parts: list[Any] = [self.base, self.name(self.number), -1]
        for i in self.numbers:  # (None: a gap)
            parts += ("",) if i is None else (self.name(i), self.label(i))
        return tuple(parts)

    def name(self, number: int) -> str:
        """Page ``number``'s name in its address; "" for the front page (the listing's)."""
        if number >= self.pages:
            return ""
        return self.names[number - 1] if number <= len(self.names) else str(number)

    def url(self, number: int) -> str:
        return self.base if number >= self.pages else page_url(self.base, self.name(number))

    def label(self, number: int) -> str:
        """What page ``number`` holds; "" for the front page (the template says "Latest")."""
        if number >= self.pages:
            return ""
        return self.labels[number - 1] if number <= len(self.labels) else str(number)

    @property
    def caption(self) -> str:
        """What this page holds, for its title: its label ("" for the front page)."""
        return self.label(self.number)

    @property
    def path(self) -> str:
        return self.url(self.number)

    @property
    def newer(self) -> str | None:
        return None if self.front else self.url(self.number + 1)

    @property
    def older(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def numbers(self) -> list[int | None]:
        """Pages to link, newest first: the front page, two either side of this one and page
        1; None for a gap. (Computed here: a template loop over every page of a long listing
        was a quadratic share of the build.)"""
        near = range(min(self.pages, self.number + 2), max(1, self.number - 2) - 1, -1)
        out: list[int | None] = []
        for i in sorted({self.pages, 1, *near}, reverse=True):
            if out and (out[-1] or 0) - i > 1:
                out.append(None)
            out.append(i)
        return out


# What a page's template gets besides its pagination (keyed values only: see keys.py).
Context = dict[str, Any]


@dataclass(frozen=True)
class PageJob:
    """One page to render: template, output path (links in it are relative to it), context."""

    template: str
    path: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Listing:
    """A listing's jobs (front page first), with what the next build needs to remake only the
    pages whose articles changed: the articles (newest first), where each page's end in
    them, and what its labels were made with (per page, language, labeller)."""

    jobs: list[PageJob]
    articles: Sequence[Article] = ()
    ends: Sequence[int] = ()
    labelled: tuple[object, ...] = ()
    stops: Sequence[int] = ()  # its runs' (:func:`run_stops`), to cut it again (splicing.py)


def page_url(base: str, name: str) -> str:
    """Where the numbered page ``name`` (:func:`page_names`) of a listing lives."""
    return f"{base}page/{name}/"


# What of a page's time its name leaves out, by the listing's period ("": every listing
# but a period's), as the period's own address already says it.
SCOPES = {"": 0, "year": 5, "month": 8, "day": 11}


def page_names(oldest: Iterable[datetime], scope: str = "") -> tuple[str, ...]:
    """The numbered pages' names, page 1 first, from each one's oldest article's time:
    ``1987/03/12/0912`` (a page's address, ``page/1987/03/12/0912/``), less what the
    listing's period says (``scope``: ``03/12/0912`` in a year's, ``12/0912`` in a
    month's, ``0912`` in a day's); ``-2``, ``-3``, ... for a page that starts in the same
    minute as an older one (a busy minute; or, as clocks go back, the same local time).

    A page keeps its name while its oldest article stays its oldest, so a back-fill or a
    deletion renames only the page whose run starts or ends there. The folders are the
    archive's own dates: a year's holds its months, a month's its days, and a day's the
    pages that start on it, which grow with a day's news (like the day's folder of
    articles), not with the archive's size."""
    skip = SCOPES[scope]
    names: list[str] = []
    seen: dict[str, int] = {}
    for when in oldest:
        name = (
            f"{when.year:04d}/{when.month:02d}/{when.day:02d}/{when.hour:02d}{when.minute:02d}"
        )[skip:]
        repeat = seen[name] = seen.get(name, 0) + 1
        names.append(name if repeat == 1 else f"{name}-{repeat}")
    return tuple(names)


def _cut_fraction(path: str, posted: datetime) -> float:
    """Where an article falls in [0, 1) for run_ends: a hash of its file's name and time
    (seconds since the epoch), which editing its title, slug, text or tags leaves alone;
    not its URL, whose slug follows the title, so that fixing a typo in a title renumbered
    a listing's newer pages about one time in six. Not the path: it depends on how the
    source folder was named on the command line."""
    name = os.path.basename(path).encode("utf-8", "surrogatepass")
    return hash_fraction(b"%d\0%s" % (int(posted.timestamp()), name))


# serve asks again for the same articles each rebuild; a one-off build asks once, and a
# cache of a million articles' fractions was 190 MB at its peak.
_kept_cut_fraction = functools.lru_cache(maxsize=1 << 20)(_cut_fraction)


def run_end_chance(per_page: int) -> float:
    """The share of articles a page run may end after (:func:`_cut_fraction` under it)."""
    return 1 / (per_page - max(1, per_page // 2) + 1)


def run_ends(articles: Iterable[Article], per_page: int, keep: bool = False) -> frozenset[int]:
    """The ids of the articles a page run may end after (the hash test of page_runs), for
    a build to test each article once rather than once per listing it is on; ``keep``
    (serve): remember each article's hash for the next build."""
    chance = run_end_chance(per_page)
    cut = _kept_cut_fraction if keep else _cut_fraction
    return frozenset(id(a) for a in articles if cut(a.path, a.posted) < chance)


class RunEnds:
    """The archive's :func:`run_ends` of the last build, kept by ``serve``: a rebuild tests
    only the articles that are not the same objects as then (:func:`.changes.changes`),
    where every article's test was a pass over the archive. ``keep=False`` keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self._articles: Sequence[Article] = ()
        self._per_page = 0
        self._ends: frozenset[int] = frozenset()

    def of(self, articles: Sequence[Article], per_page: int) -> frozenset[int]:
        """:func:`run_ends` of ``articles``."""
        same = self._per_page == per_page and bool(self._articles)
        found = changes(self._articles, articles) if same else None
        if found is None:
            ends = run_ends(articles, per_page, keep=self.keeping)
        else:  # the gone articles' ids are theirs alone while ``_articles`` holds them
            gone = frozenset(map(id, found.gone()))
            ends = (self._ends - gone) | run_ends(found.came(), per_page, keep=True)
        if self.keeping:
            self._articles, self._per_page, self._ends = articles, per_page, ends
        return ends


def page_runs(
    articles: Sequence[Article], per_page: int, ends: frozenset[int] | None = None
) -> list[Sequence[Article]]:
    """Cut ``articles`` (oldest first) into runs of about ``per_page``: content-defined.

    A run ends after an article whose file and time (:func:`_cut_fraction`) hash under
    1 / (per_page - shortest + 1), once it holds at least ``shortest`` (half a page), or at
    twice ``per_page``. Where a run ends depends on the articles near it, not on how many
    are older, so an article back-filled into (or deleted from) the middle of a listing
    changes the page that holds it, not every newer page; about one time in ``per_page`` it
    starts or ends a run, and the newer pages of that listing are numbered again.
    Fixed-size pages would all shift by one article.
    """
    if ends is None:
        ends = run_ends(articles, per_page)
    # The positions of the articles a run may end after, found in C (no loop of Python's).
    at = list(compress(range(len(articles)), map(ends.__contains__, map(id, articles))))
    runs = cut_counted(at, len(articles), shortest=max(1, per_page // 2), longest=2 * per_page)
    return [articles[run.start : run.stop] for run in runs]


# What each numbered page holds, from their articles (oldest page first, each newest
# first): "12–14 Mar 1987", ... A page's label depends on its articles and its neighbours'
# only (a busy day's page beside another of that day shows times): serve labels again only
# the pages a change touched, and their neighbours (see splicing.py).
Labeller = Callable[[Sequence[Sequence[Article]]], tuple[str, ...]]


def paginate(
    base: str,
    articles: Sequence[Article],
    per_page: int,
    ends: frozenset[int] | None = None,
    labeller: Labeller | None = None,
    scope: str = "",
) -> Iterator[Pagination]:
    """The pages of a listing of ``articles`` (newest first): the front page, then older.
    ``ends``: :func:`run_ends` of the archive, if known; ``labeller``: each numbered page's
    label (its number without one); ``scope``: the listing's period's kind (see
    :func:`page_names`)."""
    stops = run_stops(articles, per_page, ends)
    yield from pages_of(base, articles, stops, per_page, labeller, scope)


def run_stops(
    articles: Sequence[Article], per_page: int, ends: frozenset[int] | None = None
) -> list[int]:
    """Where each run of :func:`page_runs` of ``articles`` (newest first) stops, counted
    from the oldest: what serve keeps to cut a listing again around a change only."""
    return list(accumulate(map(len, page_runs(articles[::-1], per_page, ends))))


def page_count(stops: Sequence[int], per_page: int) -> int:
    """How many pages a listing cut at ``stops`` has: the front page takes the newest runs,
    a page's worth (at least ``per_page`` articles, or all)."""
    pages, held = len(stops), 0
    while pages > 1 and held + stops[pages - 1] - stops[pages - 2] < per_page:
        held += stops[pages - 1] - stops[pages - 2]
        pages -= 1
    return max(pages, 1)


def pages_of(
    base: str,
    articles: Sequence[Article],
    stops: Sequence[int],
    per_page: int,
    labeller: Labeller | None = None,
    scope: str = "",
) -> Iterator[Pagination]:
    """:func:`paginate` of a listing cut at ``stops`` (:func:`run_stops`)."""
    count = len(articles)
    pages = page_count(stops, per_page)
    newest = list(articles[: count - stops[pages - 2]] if pages > 1 else articles)
    older = [older_items(articles, stops, number) for number in range(1, pages)]
    labels = labeller(older) if labeller is not None else ()
    names = page_names((items[-1].posted for items in older), scope)
    yield Pagination(base, pages, pages, newest, count, labels, names)
    for number in range(pages - 1, 0, -1):
        yield Pagination(base, number, pages, older[number - 1], count, labels, names)


def older_items(
    articles: Sequence[Article], stops: Sequence[int], number: int
) -> Sequence[Article]:
    """The articles of older page ``number`` (run ``number`` from the oldest), newest first."""
    count = len(articles)
    return articles[count - stops[number - 1] : count - (stops[number - 2] if number > 1 else 0)]


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
    first, last = _hh_mm(items[-1].posted), _hh_mm(items[0].posted)
    return first if first == last else f"{first}–{last}"


def _hh_mm(when: datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"  # strftime("%H:%M"), a tenth of its time


def same_pagination(then: Pagination, now: Pagination, same_labels: bool) -> bool:
    """Whether an older page shows what it showed (keys.py gives it the same key): the
    same name, pages near it and labels, the very same articles. ``same_labels``: the
    listing's labels and names are the last build's (then each page's are where they were)."""
    if then.base != now.base or then.name(then.number) != now.name(now.number):
        return False
    if same_labels and then.number == now.number:
        near = now.number + 4  # see Pagination.key_parts
        if min(then.pages, near) != min(now.pages, near):
            return False
    elif then.key_parts() != now.key_parts():
        return False
    return len(then.items) == len(now.items) and all(map(operator.is_, then.items, now.items))
