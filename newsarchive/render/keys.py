"""Page keys: a fingerprint of what each page is made from, so that a rebuild renders only
the pages whose inputs changed and reuses the rest of the previous site."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterable
from typing import Any

from ..memo import ObjectMemo
from ..model import Archive, Article, Period, Tag
from .pages import ARTICLE_TEMPLATE, LATE_TEMPLATES, PageJob
from .paging import Pagination

# The page keys of a build, for the next (PageKeys.keys): salt, tags, path -> (the job,
# what the page was made from (see _atoms), key).
KeyMemo = tuple[
    str, tuple[tuple[str, str, str], ...], dict[str, tuple[PageJob, tuple[Any, ...] | None, str]]
]


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


# Article keys of a build for the next (serve): the tags' (name, slug, kind), and the keys by the
# very article object (an unchanged article stays the same object, see place_articles).
ArticleKeys = tuple[tuple[tuple[str, str, str], ...], ObjectMemo[bytes]]


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
        self.archive, self.salt, self.digests = archive, salt, digests
        self._memo: dict[int, bytes] = {}
        # serve: the last build's article keys, while every tag keeps its URL.
        tags = tuple((tag.name, tag.slug, tag.kind) for tag in archive.tags)
        if articles is None or articles[0] != tags:
            articles = (tags, ObjectMemo(keep))
        self.articles = articles

    def article(self, article: Article) -> bytes:
        return self.articles[1].get(article, lambda: self._article(article))

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
            return self.digest(value)
        # Archive objects live as long as this PageKeys, so their ids are theirs alone.
        memo = self._memo.get(id(value))
        if memo is not None:
            return memo
        if kind is Article:
            key = self.article(value)
        elif kind is Pagination:
            key = self.digest([*value.key_parts(), value.items])
        elif kind is Tag:
            key = self.digest([value.name, value.slug, value.kind, len(value.articles)])
        elif kind is Period:
            key = self.digest([value.url, len(value.articles), list(value.children)])
        else:
            raise TypeError(f"no page key for {kind.__name__}")
        self._memo[id(value)] = key
        return key

    def digest(self, values: Iterable[Any]) -> bytes:
        value = self.value
        parts = [item if type(item) is bytes else value(item) for item in values]
        lengths = b"".join([len(part).to_bytes(4, "big") for part in parts])
        return hashlib.sha1(lengths + b"".join(parts)).digest()

    def keys(
        self, jobs: Iterable[PageJob], before: KeyMemo | None = None
    ) -> tuple[dict[str, str], KeyMemo]:
        """Every page's key but the late pages' (LATE_TEMPLATES), and what the next build may
        reuse.

        ``before``, the last build's memo (serve): a page whose context holds the very same
        article objects (model.place_articles keeps unchanged ones) and otherwise equal
        values keeps its key, when the salt and every tag's URL and kind (which article keys
        include) are the same as then. The very same job (page_jobs keeps a listing's jobs
        while its inputs are the same objects) keeps it without a look at its context.
        """
        tags = tuple((tag.name, tag.slug, tag.kind) for tag in self.archive.tags)
        previous = before[2] if before is not None and before[:2] == (self.salt, tags) else {}
        out: dict[str, str] = {}
        kept: dict[str, tuple[PageJob, tuple[Any, ...] | None, str]] = {}
        for job in jobs:
            if job.template in LATE_TEMPLATES:
                continue
            path = job.path
            old = previous.get(path)
            if old is not None and old[0] is job:
                kept[path] = old
                out[path] = old[2]
                continue
            atoms = _atoms(job, self.value)
            if (
                atoms is not None
                and old is not None
                and old[1] is not None
                and _same(old[1], atoms)
            ):
                key = old[2]
            else:
                key = self.key(job)
            kept[path] = (job, atoms, key)  # no atoms: kept while the very same job comes
            out[path] = key
        return out, (self.salt, tags, kept)

    def key(self, job: PageJob) -> str:
        """The page's fingerprint (hex). Contexts are built in a fixed order (page_jobs)."""
        parts: list[Any] = [self.salt, job.template, job.path]
        for name, value in job.context.items():
            parts.append(name)
            parts.append(self.value(value))
        return self.digest(parts).hex()
