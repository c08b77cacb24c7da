"""What one build keeps for the next: the whole state of ``serve``'s editing loop, in one place.

The rule that makes every piece of it safe: **an article whose file did not change is the
same object in the next build.** The read stage keeps each file's parse result by its
modification time and size (and, told by the watcher, stats only the files that changed);
the tags stage keeps its tagged copy of the very same parsed object; the model keeps its
placed copy of the very same tagged object (a new copy when its found tags or its URL
change, which other articles and the tag rules decide, not its file). Every later stage
keeps what it made from an article by that object's identity
(:class:`~newsarchive.memo.ObjectMemo`): related-articles features, page keys, search
metadata rows; index terms are kept by the text they are made from. Articles are frozen,
so an object that is the same holds the same values, and a kept value is valid exactly
while its object is. Whatever is kept, the output is byte for byte that of a build
without it: the tests build incrementally and from scratch and compare.

A one-off build (``build``) uses :meth:`BuildCache.one_off`: the same code path, with
memos that keep nothing, so it pays nothing for a next build it will not have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .content.discovery import Source, discover, rediscover
from .content.reader import SourceCache
from .memo import InputMemo
from .output import Manifest
from .placing import Placement
from .related import RelatedCache
from .render.datafiles import DataRows
from .render.keys import ArticleKeys, KeyMemo
from .render.listing import Listing
from .render.pages import ArticleJobs
from .render.redirects import RealPaths
from .render.sitemap import SitemapMemo
from .render.tagindex import PairCounts
from .search.sharded import ShardState
from .tags.kept import TagMemo


@dataclass
class BuildCache:
    """Everything ``serve`` keeps between builds, by the stage that owns it."""

    keep: bool = True
    # Read: the source folder's files at the last build, and the paths the watcher saw
    # change since (None: unknown, walk the folder again); parse results by file.
    found: tuple[Path, list[Source]] | None = None
    changed: set[Path] | None = None
    sources: SourceCache = field(init=False)
    tagging: TagMemo = field(init=False)  # mentions and tagged copies, by parsed article
    placed: Placement = field(init=False)  # the last placing, periods and tags' articles
    related: RelatedCache = field(init=False)  # each article's row and related list
    shards: ShardState = field(init=False)  # the sharded search index
    data_rows: DataRows = field(init=False)  # each article's rows of the data files
    # Render and write: each listing's and article's page jobs by their inputs, page keys,
    # the manifest of the site this process wrote last, the content digests of its files,
    # its sitemap and feeds by their inputs.
    jobs: InputMemo[Listing] = field(init=False)
    article_jobs: ArticleJobs = field(init=False)
    pairs: PairCounts = field(init=False)  # tags on one article, for "often with"
    real_paths: RealPaths = field(init=False)  # the pages' paths casefolded, for redirects
    page_keys: KeyMemo | None = None
    article_keys: ArticleKeys | None = None
    manifest: Manifest | None = None
    digests: dict[str, tuple[bytes, str]] | None = field(init=False)
    sitemap: SitemapMemo = field(default_factory=SitemapMemo)
    feeds: InputMemo[bytes] = field(init=False)  # each feed by its path and inputs

    def __post_init__(self) -> None:
        self.sources = SourceCache(keep=self.keep)
        self.tagging = TagMemo(keep=self.keep)
        self.placed = Placement(keep=self.keep)
        self.related = RelatedCache(keep=self.keep)
        self.shards = ShardState(keep=self.keep)
        self.jobs = InputMemo(keep=self.keep)
        self.feeds = InputMemo(keep=self.keep)
        self.article_jobs = ArticleJobs(keep=self.keep)
        self.pairs = PairCounts(keep=self.keep)
        self.real_paths = RealPaths(keep=self.keep)
        self.data_rows = DataRows(keep=self.keep)
        self.digests = {} if self.keep else None

    @classmethod
    def one_off(cls) -> BuildCache:
        """For a build with no next one: keeps nothing."""
        return cls(keep=False)

    def discover(self, source: Path) -> tuple[list[Source], set[Path] | None]:
        """The article files below ``source``, and which of them may have changed since the
        last build (None: any). Walks the folder unless the watcher's report (``changed``)
        says enough; either way, the next build starts from what is found now."""
        found = None
        if self.changed is not None and self.found is not None and self.found[0] == source:
            found = rediscover(source, self.found[1], self.changed)
        sources, fresh = found if found is not None else (discover(source), None)
        if self.keep:
            self.found, self.changed = (source, sources), set()
        return sources, fresh
