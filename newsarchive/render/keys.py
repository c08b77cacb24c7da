"""Page keys: a fingerprint of what each page is made from, so that a rebuild renders only
the pages whose inputs changed and reuses the rest of the previous site."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple

from ..changes import MOST
from ..matching import matching
from ..memo import ObjectMemo
from ..model import Archive, Article, Period, Tag
from .pages import ARTICLE_TEMPLATE, LATE_TEMPLATES, PageJob
from .paging import Pagination
from .tagstale import KIND, SLUG, TagState, carrying, changed_tags, positions, showing, tag_state

# A page's job, what the page was made from (see _atoms) and its key.
Kept = tuple[PageJob, tuple[Any, ...] | None, str]
_PATH = operator.attrgetter("path")


class KeyMemo(NamedTuple):
    """The page keys of a build, for the next (:meth:`PageKeys.keys`): valid while the salt
    is the same (the pages that show a tag whose URL or kind changed since ``tags`` are
    keyed again); the jobs in their order and the keys by path, so that the next build
    looks only at the jobs that changed."""

    salt: str
    tags: TagState
    kept: dict[str, Kept]  # path ->
    jobs: Sequence[PageJob] = ()
    keys: dict[str, str] = {}  # noqa: RUF012 (a NamedTuple's default: never changed)
    unique: bool = False  # whether no two keyed jobs had one path


def _atoms(job: PageJob, value_key: Callable[[Any], bytes]) -> tuple[Any, ...] | None:
    """What a page's key is made from, flat: articles (compared by identity), strings,
    numbers and the keys of periods (``value_key``: computed once a build for each); None
    when its context holds anything else (its key is always computed)."""
    if job.template == ARTICLE_TEMPLATE:  # most pages: their articles (page_jobs)
        context = job.context
        bylines = (context["source_url"], context["author_url"])
        return (
            context["article"],
            context["newer"],
            context["older"],
            *context["related"],
            *bylines,
        )
    atoms: list[Any] = [job.template]
    for name, value in job.context.items():
        kind = type(value)
        atoms.append(name)
        if kind is Article or kind is str or kind is int or value is None:
            atoms.append(value)
        elif kind is Pagination:
            atoms += (*value.key_parts(), len(value.items), *value.items)
        elif kind is Tag:
            atoms += (value.name, value.slug, value.kind, len(value.articles))
        elif kind is Period:
            atoms.append(value_key(value))
        elif (kind is tuple or kind is list) and all(type(v) is Period for v in value):
            atoms += (len(value), *map(value_key, value))  # a timeline's months
        else:
            return None
    return tuple(atoms)


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Articles the same objects, everything else equal."""
    if len(old) == len(new) and all(map(operator.is_, old, new)):
        return True  # the usual case, and the cheap test
    return len(old) == len(new) and all(
        a is b or (type(a) is not Article and type(b) is not Article and a == b)
        for a, b in zip(old, new, strict=True)
    )


def _hashed(parts: list[bytes]) -> bytes:
    """A digest of ``parts``, each with its length (no two lists of parts share one); the
    lengths are encoded in C, a Python loop at every article for the archive's digest."""
    lengths = b"".join(map(int.to_bytes, map(len, parts), repeat(4), repeat("big")))
    return hashlib.sha1(lengths + b"".join(parts)).digest()


@dataclass
class Listed:
    """The archive's articles of a build and their keys in that order, for the digest of
    them all (the search index's and the data files' key): the next build makes the keys
    of only the articles that changed (:func:`.matching.matching`)."""

    articles: Sequence[Article] = ()
    keys: list[bytes] = field(default_factory=list)
    tags: TagState = ()  # the tags of the build that made the keys


class ArticleKeys(NamedTuple):
    """Article keys of a build for the next (serve): the keys by the very article object (an
    unchanged article stays the same object, see place_articles), and the archive's in
    order; those of the articles that carry a tag whose URL or kind changed since ``tags``
    are made again (:mod:`.tagstale`). ``memo`` also holds each tag's key by the very tag
    object (a frozen value: a tag whose URL, kind or articles changed is a new object)."""

    tags: TagState
    memo: ObjectMemo[bytes]  # by article, and by tag
    listed: Listed


class PageKeys:
    """A fingerprint of what each page is made from, so that a rebuild renders only the pages
    whose inputs changed (and reuses the rest of the previous site).

    It must cover everything a template can show: ``salt`` covers the configuration, the
    templates and this code; an article is its source file's digest, its URL and its tags
    (as it spells them, with their URLs and kinds); a tag or period what listings show of it
    (name, URL, article count, children); a pagination its position and items. Any other
    kind of context value is refused, so a template given something new cannot be served
    stale.
    """

    def __init__(
        self,
        archive: Archive,
        salt: str,
        digests: dict[str, str],
        articles: ArticleKeys | None = None,
        keep: bool = True,
    ):
        """``articles``: serve's article keys of the last build; ``keep``: whether to keep
        this build's for the next (a one-off build does not: an estimated 130 MB at a
        million)."""
        self.archive, self.salt, self.digests, self.keep = archive, salt, digests, keep
        self._memo: dict[int, bytes] = {}
        self.tags = tags = tag_state(archive.tags)
        # serve: the last build's article keys, but those of the articles that carry a tag
        # whose URL or kind changed (an article's key holds them, its object does not).
        self._stale: dict[TagState, dict[int, Article]] = {tags: {}}
        if articles is None:
            articles = ArticleKeys(tags, ObjectMemo(keep), Listed())
        elif articles.tags != tags:
            articles.memo.forget(self.stale(articles.tags).values())
            articles = articles._replace(tags=tags)
        self.articles = articles

    def stale(self, tags: TagState) -> dict[int, Article]:
        """The articles (by id) whose key changed since a build whose tags were ``tags``,
        while each is the very same object: they carry a tag whose URL or kind changed."""
        found = self._stale.get(tags)
        if found is None:
            changed = changed_tags(tags, self.tags, (SLUG, KIND))
            found = self._stale[tags] = carrying(self.archive.tags, changed)
        return found

    def article(self, article: Article) -> bytes:
        """The article's key: the last build's for the very same object, else made once."""
        key = self._memo.get(id(article))  # (made this build: the memo has only the last's)
        if key is None:
            key = self.articles.memo.get(article, lambda: self._article(article))
            self._memo[id(article)] = key
        return key

    def _every_article(self) -> bytes:
        """The digest of the archive's articles: of their keys, the last build's where the
        articles are the same objects in the same places (a title edit, an addition)."""
        articles, listed = self.archive.articles, self.articles.listed
        found = matching(listed.articles, articles, MOST, _PATH) if listed.articles else None
        if found is not None:
            keys = found.splice(listed.keys, lambda i: self.article(articles[i]))
            stale = self.stale(listed.tags)
            for i in positions(articles, stale) if stale else ():
                keys[i] = self.article(articles[i])
        else:
            keys = [self.value(article) for article in articles]
        if self.keep:
            listed.articles, listed.keys, listed.tags = articles, keys, self.tags
        # Every key is a digest of one length: joined as they are, no two lists are alike
        # (their lengths encoded too were a pass in Python-called C over every article).
        return hashlib.sha1(b"".join(keys)).digest()

    def _article(self, article: Article) -> bytes:
        # Tags as the article spells them too: its found tags are not in its file, and a
        # found name's spelling follows the archive ("Charles De Gaulle" or "Charles de
        # Gaulle", whichever more articles use) while its URL and kind stay the same.
        archive = self.archive
        tags = [f"{t}\0{archive.tag_slug(t)}:{archive.tag_kind(t)}" for t in article.tags]
        parts = [self.digests[article.path], article.url, *tags]
        return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).digest()

    def value(self, value: Any) -> bytes:
        kind = type(value)
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass")
        if kind is int:
            return b"i%d" % value
        if value is None:
            return b"-"
        if kind is list or kind is tuple:  # not memoised: a temporary's id gets reused
            if value is self.archive.articles:
                return self._every_article()
            return self.digest(value)
        # Archive objects live as long as this PageKeys, so their ids are theirs alone.
        memo = self._memo.get(id(value))
        if memo is not None:
            return memo
        if kind is Article:
            key = self.article(value)
        elif kind is Pagination:
            key = self.digest([*value.key_parts(), value.items])
        elif kind is Tag:  # the last build's for the very same tag (a frozen value)
            key = self.articles.memo.find(value)
            if key is None:
                key = self.digest([value.name, value.slug, value.kind, len(value.articles)])
            self.articles.memo.keep(value, key)
        elif kind is Period:
            key = self.digest([value.url, len(value.articles), list(value.children)])
        else:
            raise TypeError(f"no page key for {kind.__name__}")
        self._memo[id(value)] = key
        return key

    def digest(self, values: Iterable[Any]) -> bytes:
        value = self.value
        return _hashed([item if type(item) is bytes else value(item) for item in values])

    def keys(
        self, jobs: Iterable[PageJob], before: KeyMemo | None = None
    ) -> tuple[dict[str, str], KeyMemo]:
        """Every page's key but the late pages' (LATE_TEMPLATES), and what the next build may
        reuse.

        ``before``, the last build's memo (serve): a page whose context holds the very same
        article objects (model.place_articles keeps unchanged ones) and otherwise equal
        values keeps its key, when the salt is the same as then; but the pages whose atoms
        hold an article that carries a tag whose URL or kind changed (which article keys
        include), or that have no atoms, are keyed again. The very same job (page_jobs keeps
        a listing's jobs while its inputs are the same objects) keeps it without a look at
        its context.
        """
        tags = self.tags
        jobs = list(jobs)
        usable = before is not None and before.salt == self.salt
        previous = before.kept if before is not None and usable else {}
        redo: set[str] = set()
        if before is not None and usable and before.tags != tags:
            redo = showing(before.kept, self.stale(before.tags))
        if before is not None and usable and before.unique:
            walked = _walk(before.jobs, jobs, before.kept, max(MOST, len(jobs) // 16))
            memo = None if walked is None else self._changed(before, redo, jobs, *walked)
            if memo is not None:
                return memo.keys, memo
        if redo:
            previous = {path: kept for path, kept in previous.items() if path not in redo}
        out: dict[str, str] = {}
        kept: dict[str, Kept] = {}
        for job in jobs:
            if job.template not in LATE_TEMPLATES:
                out[job.path] = self._keep(job, previous, kept)
        unique = len(out) == sum(1 for job in jobs if job.template not in LATE_TEMPLATES)
        return out, KeyMemo(self.salt, tags, kept, jobs, out, unique)

    def _changed(
        self,
        before: KeyMemo,
        redo: set[str],
        jobs: list[PageJob],
        came: list[PageJob],
        went: list[PageJob],
    ) -> KeyMemo | None:
        """The last build's keys, with those of the jobs that changed (``went``, ``came``:
        see :func:`_walk`) brought up to date, and those of the pages at ``redo`` made
        again; None when two jobs now share a path (the full pass decides)."""
        out, kept = dict(before.keys), dict(before.kept)
        previous = before.kept
        if redo:  # (rare: a tag's URL or kind changed)
            previous = {path: kept for path, kept in previous.items() if path not in redo}
        gone = [job for job in went if job.template not in LATE_TEMPLATES]
        for job in gone:
            del out[job.path], kept[job.path]
        made = 0
        for job in came:
            if job.template not in LATE_TEMPLATES:
                out[job.path] = self._keep(job, previous, kept)
                made += 1
        # The very same jobs as then (neither gone nor replaced), keyed again.
        for job in [before.kept[path][0] for path in redo if kept.get(path) is before.kept[path]]:
            out[job.path] = self._keep(job, previous, kept)
        if len(out) != len(before.keys) - len(gone) + made:
            return None
        return KeyMemo(self.salt, self.tags, kept, jobs, out, True)

    def _keep(self, job: PageJob, previous: dict[str, Kept], kept: dict[str, Kept]) -> str:
        """The job's key (the last build's while what it shows is the same); kept."""
        if not self.keep:  # a one-off build: no next build to keep the atoms for
            return self.key(job)
        path = job.path
        old = previous.get(path)
        if old is not None and old[0] is job:
            kept[path] = old
            return old[2]
        atoms = _atoms(job, self.value)
        if atoms is not None and old is not None and old[1] is not None and _same(old[1], atoms):
            key = old[2]
        else:
            key = self.key(job)
        kept[path] = (job, atoms, key)  # no atoms: kept while the very same job comes
        return key

    def key(self, job: PageJob) -> str:
        """The page's fingerprint (hex). Contexts are built in a fixed order (page_jobs)."""
        parts: list[Any] = [self.salt, job.template, job.path]
        for name, value in job.context.items():
            parts.append(name)
            parts.append(self.value(value))
        return self.digest(parts).hex()


def _walk(
    old: list[PageJob], new: list[PageJob], paths: dict[str, Kept], most: int
) -> tuple[list[PageJob], list[PageJob]] | None:
    """The jobs of ``new`` not matched with the very same object in ``old`` (came) and the
    old ones not matched (went), or None past ``most`` of them (:mod:`.matching`; a job
    whose path was not keyed, ``paths``, came)."""
    found = matching(old, new, most, _PATH, paths)
    if found is None:
        return None
    return list(map(new.__getitem__, found.came)), list(map(old.__getitem__, found.went))
