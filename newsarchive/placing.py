"""The model stage: place every article at its URL, order the archive in time, group it by
tag and date, and relate the articles (:func:`build_archive`).

``serve`` keeps a :class:`Placement`, so that a rebuild places only the articles that
changed instead of sorting and naming every article again.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .dates import PeriodMemo, chronological_key, group_periods
from .errors import Problem
from .grouping import Grouping, came_and_gone, group_names
from .model import Archive, Article, Tag
from .slugs import file_slug, suffixed, title_slug

# The placed articles, their related rows (numbers in the first) and related articles by URL.
LastRelated = tuple[list[Article], Sequence[tuple[int, ...]], dict[str, tuple[Article, ...]]]

# Past this many articles come or gone, a rebuild places every article again.
FEW_PLACED = 64


@dataclass
class Placement:
    """The last build's placing, kept by ``serve`` (``keep=False``: nothing is kept).

    ``given`` are the articles as given, oldest first, ``placed`` their placed copies. A
    rebuild whose changes cannot move another article's URL (see :meth:`patched`) places
    only the changed articles; every other keeps its placed copy, the very same object.
    """

    keep: bool = True
    given: list[Article] = field(default_factory=list)
    placed: list[Article] = field(default_factory=list)
    taken: dict[str, str] = field(default_factory=dict)  # place -> path of its article
    suffixed_bases: set[str] = field(default_factory=set)  # plain places given a suffix
    warnings: dict[int, list[Problem]] = field(default_factory=dict)  # by id(given article)
    arrived: list[Article] = field(default_factory=list)  # the articles in the order given
    related: LastRelated | None = None  # the last build's, see _related
    periods: PeriodMemo = field(init=False)  # see dates.group_periods
    tags: Grouping = field(init=False)  # the last tags' articles, see grouping.group_names

    def __post_init__(self) -> None:
        self.periods = PeriodMemo(keep=self.keep)
        self.tags = Grouping(keep=self.keep)

    def clear(self) -> None:
        self.given, self.placed, self.arrived = [], [], []
        self.taken, self.suffixed_bases, self.warnings = {}, set(), {}

    def patched(self, articles: list[Article]) -> bool:
        """Place ``articles`` by patching the last placing, if no URL other than the
        changed articles' own can move; False (and the state left unusable) otherwise.

        An article keeps its plain place unless an earlier one holds it, and a suffixed one
        skips every candidate taken by then. So taking a gone article away moves nothing
        when it held its plain place, no other article has that plain place (it would be
        in ``suffixed_bases``) and no suffixed article could have skipped it; and adding
        one moves nothing when its plain place is no article's place or plain place. An
        article replaced by one that differs in nothing placing reads (its tags, its body)
        takes its place, whatever its URL (:meth:`_swapped`).
        """
        found = came_and_gone(self.arrived, articles, FEW_PLACED, ordered=False)
        if found is None:
            return False
        gone, came = self._swapped(found[1], found[0])
        if gone is None:
            return False
        bases = self.suffixed_bases
        for i in reversed(gone):
            place = self.placed[i].url[:-1]
            if place != _plain_place(self.given[i])[0] or place in bases:
                return False
            if any(place.rsplit("-", n)[0] in bases for n in (1, 2)):  # see suffixed
                return False
            del self.taken[place]
            self.warnings.pop(id(self.given[i]), None)
            del self.given[i], self.placed[i]
        for article in came:
            plain, lettered = _plain_place(article)
            if not lettered or plain in self.taken or plain in bases:
                return False
            at = bisect.bisect(self.given, chronological_key(article), key=chronological_key)
            self.given.insert(at, article)
            self.placed.insert(at, article.replaced(url=plain + "/"))
            self.taken[plain] = article.path
        return True

    def _swapped(
        self, gone: list[Article], came: list[Article]
    ) -> tuple[list[int] | None, list[Article]]:
        """Put each new article in the place of the gone one it replaces when placing reads
        nothing that differs (a new tag: its URL, suffix and warnings are the same, even in
        a run of articles sharing a plain place); the positions of the other gone articles
        among the placed, sorted, None when one is not where it should be; and the others
        that came."""
        by_path = {article.path: article for article in gone}
        swapped, others = set(), []
        for article in came:
            was = by_path.get(article.path)
            if was is None or _placing_reads(was) != _placing_reads(article):
                others.append(article)
                continue
            at = self._at(was)
            if at is None:
                return None, came
            self.given[at] = article
            self.placed[at] = article.replaced(url=self.placed[at].url)
            if id(was) in self.warnings:  # in its place: warnings come oldest first
                mine = {id(was): id(article)}
                self.warnings = {mine.get(k, k): found for k, found in self.warnings.items()}
            swapped.add(id(was))
        left = [self._at(article) for article in gone if id(article) not in swapped]
        found = [at for at in left if at is not None]
        return (sorted(found) if len(found) == len(left) else None), others

    def _at(self, article: Article) -> int | None:
        """Where ``article`` is among the placed (oldest first), None if it is not there."""
        at = bisect.bisect_left(self.given, chronological_key(article), key=chronological_key)
        return at if at < len(self.given) and self.given[at] is article else None


def _placing_reads(article: Article) -> tuple[object, ...]:
    """All of an article that placing reads (see _place_all)."""
    plain = _plain_place(article)
    return (article.path, article.title, article.slug, chronological_key(article), plain)


def _plain_place(article: Article) -> tuple[str, str]:
    """``YYYY/MM/DD/<slug>`` of an article, and its slug from the title (or ``slug``),
    "" when that has no letters or digits (the file's name then gives the slug)."""
    lettered = title_slug(article.slug or article.title, article.lang)
    slug = lettered or file_slug(article.source_name)
    when = article.posted
    return f"{when.year:04d}/{when.month:02d}/{when.day:02d}/{slug}", lettered


def place_articles(
    articles: Iterable[Article], placement: Placement | None = None
) -> tuple[list[Article], list[Problem]]:
    """Give every article its URL ``YYYY/MM/DD/<slug>/``; return them newest first.

    Collisions: the earliest article (by time, then file name) keeps the plain slug; each
    later one gets a suffix hashed from its own path below the source folder (longer if an
    earlier article took that URL), so its URL does not depend on which newer articles
    exist or where the archive is, and adding newer articles never moves an existing one.
    A title (or ``slug``) with no letters or digits gives the file's name, with a warning.
    ``placement`` (serve): the last build's, patched when only a few articles changed, else
    made again; unchanged articles keep their placed copies (the same objects) either way.
    """
    state = placement if placement is not None else Placement(keep=False)
    articles = list(articles)
    if not (state.given and state.patched(articles)):
        _place_all(articles, state)
    placed = state.placed[::-1]
    warnings = [problem for found in state.warnings.values() for problem in found]
    state.arrived = articles
    if not state.keep:
        state.clear()
    return placed, warnings


def _place_all(articles: list[Article], state: Placement) -> None:
    """Place every article again (see place_articles), into ``state``."""
    before = {
        id(given): (given, kept) for given, kept in zip(state.given, state.placed, strict=True)
    }
    state.clear()
    keys = [chronological_key(article) for article in articles]
    for n in sorted(range(len(articles)), key=keys.__getitem__):
        article = articles[n]
        plain, lettered = _plain_place(article)
        taken = plain in state.taken
        place = suffixed(plain, article.source_name, state.taken) if taken else plain
        url = place + "/"
        warnings = []
        if not lettered:
            what, wanted = ("slug", article.slug) if article.slug else ("title", article.title)
            message = f"no letters or digits in the {what} {wanted!r} for a URL; named {url}"
            warnings.append(Problem(article.path, 1, message + " after the file", "warning"))
        if taken:
            message = f"same URL as {state.taken[plain]}; published at {url} instead"
            warnings.append(Problem(article.path, 1, message, "warning"))
            state.suffixed_bases.add(plain)
        if warnings:
            state.warnings[id(article)] = warnings
        state.taken[place] = article.path
        found = before.get(id(article))
        kept = found[1] if found is not None and found[0] is article else None
        if kept is None or kept.url != url:
            kept = article.replaced(url=url)
        state.given.append(article)
        state.placed.append(kept)


def group_tags(
    articles: Sequence[Article],
    kinds: dict[str, str] | None = None,
    grouping: Grouping | None = None,
) -> list[Tag]:
    """Tags compared case-insensitively (see :func:`.grouping.group_names`, ``grouping``
    too) of ``articles``, newest first (the archive's order). ``kinds``: each tag's kind by
    its case-folded name (see tagging.tag_articles)."""
    kinds = kinds or {}
    groups = group_names(articles, _tags_of, grouping, chronological_key)
    return [Tag(name, slug, found, kinds.get(name.casefold(), "")) for name, slug, found in groups]


_tags_of = operator.attrgetter("tags")


@dataclass(frozen=True)
class RelatedRows:
    """Each placed article's related articles, as positions in the placed list (newest
    first), best first; and what the related stage knows of its last call (``serve``):
    ``redone``, the rows that may list other articles than at the call given ``since`` (the
    very list of placed articles), every other row listing the very same articles as then.
    Without ``since``, any row may differ."""

    rows: Sequence[tuple[int, ...]]
    redone: Sequence[int] = ()
    since: Sequence[Article] | None = None


# Each article's related articles (see RelatedRows), for the list given.
Relate = Callable[[Sequence[Article]], Sequence[tuple[int, ...]] | RelatedRows]


def build_archive(
    articles: Iterable[Article],
    problems: Iterable[Problem] = (),
    drafts: int = 0,
    placement: Placement | None = None,
    kinds: dict[str, str] | None = None,
    relate: Relate | None = None,
    renamed: Mapping[str, str] | None = None,
    grouped: Callable[[Archive], None] | None = None,
) -> Archive:
    """The model stage: place, order, group and relate every article that parsed
    (``placement``: the last build's placing, periods and tags, see place_articles;
    ``kinds``: see group_tags; ``relate``: the related articles of the placed articles, see
    :func:`newsarchive.related.related_articles`). ``grouped`` is given the archive before
    its related articles are found (a cold build starts its search stage then)."""
    state = placement if placement is not None else Placement(keep=False)
    placed, warnings = place_articles(articles, state)
    tags = tuple(group_tags(placed, kinds, state.tags))
    years = tuple(group_periods(placed, state.periods))
    problems = tuple(sorted([*problems, *warnings]))
    if grouped is not None:
        grouped(Archive(tuple(placed), tags, years, problems, drafts, renamed=renamed or {}))
    related = relate(placed) if relate is not None else ()
    return Archive(
        articles=tuple(placed),
        tags=tags,
        years=years,
        problems=problems,
        drafts=drafts,
        related=_related(placed, related, state),
        renamed=renamed or {},
    )


def _related(
    placed: list[Article], related: Sequence[tuple[int, ...]] | RelatedRows, state: Placement
) -> dict[str, tuple[Article, ...]]:
    """Each placed article's related articles by its URL, those with any. ``state``: the
    last build's, patched where the related stage says a row lists other articles (serve:
    making all 20,000 took a tenth of the model stage); plain lists are made whole."""
    out = None
    if state.related is not None and isinstance(related, RelatedRows):
        out = _related_redone(placed, related, state.related)
    rows = related.rows if isinstance(related, RelatedRows) else related
    if out is None:
        urls = itertools.compress(map(_URL, placed), rows)
        found = map(tuple, map(map, itertools.repeat(placed.__getitem__), filter(None, rows)))
        out = dict(zip(urls, found, strict=True))
    state.related = (placed, rows, out) if state.keep else None
    return out


def _related_redone(
    placed: list[Article], related: RelatedRows, last: LastRelated
) -> dict[str, tuple[Article, ...]] | None:
    """The last build's related articles by URL with the rows made again that the related
    stage says may list other articles (it compares them by identity, wherever positions
    moved), and the gone articles' taken out; None when it compared with another call's,
    or many articles came or went."""
    placed_before, _, before = last
    since = related.since is placed_before
    found = came_and_gone(placed_before, placed, ordered=False) if since else None
    if found is None:
        return None
    out = dict(before)
    for article in found[1]:
        out.pop(article.url, None)
    rows = related.rows
    for at in related.redone:  # with every new article's row
        if row := rows[at]:
            out[placed[at].url] = tuple(map(placed.__getitem__, row))
        else:
            out.pop(placed[at].url, None)
    return out


_URL = operator.attrgetter("url")
