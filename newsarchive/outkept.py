"""A part of :class:`.output.SiteWriter` kept apart for size: keeping and writing many files
at once.

serve's rebuild writes the search index's files every time (12,000 for 20,000 articles),
nearly all of them the very bytes objects it wrote last; one :meth:`.SiteWriter.write`
each was 35 ms of every rebuild. Those are on disk as they are, so their manifest
entries are the last build's, taken over at once.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .manifest import Manifest, Stamp

_NOTHING = (None, "")  # what this process wrote last at a path it did not write
_DATA, _DIGEST = operator.itemgetter(0), operator.itemgetter(1)
_KEY, _NO_PAGE = operator.itemgetter(0), (None,)  # a page's key; no page


class KeptFiles:
    """:meth:`reusable_pages`, :meth:`reuse_pages` and :meth:`write_all`, for SiteWriter
    (whose attributes below it uses)."""

    in_place: bool
    previous: Manifest | None
    manifest: Manifest
    paths: list[str]
    bytes: int
    digests: dict[str, tuple[bytes, str]]
    _ours: bool
    _begun: bool
    _seen: set[str]
    _digests_before: dict[str, tuple[bytes, str]] | None

    def write(self, path: str, data: bytes, key: str | None = None) -> Stamp | None:
        raise NotImplementedError  # SiteWriter's

    def reusable(self, path: str, key: str) -> bool:
        raise NotImplementedError  # SiteWriter's

    def reuse(self, path: str, key: str | None = None) -> int:
        raise NotImplementedError  # SiteWriter's

    def reusable_pages(self, keys: dict[str, str]) -> tuple[list[str], list[str]]:
        """The pages :meth:`reusable` with these keys and the others, each in their order
        (the others, a few in serve, found at once: a set of every kept page was 3 ms)."""
        if not self._ours:
            same = [self.reusable(path, key) for path, key in keys.items()]
        else:
            old = self.previous.pages  # type: ignore[union-attr]
            was = map(_KEY, map(old.get, keys, itertools.repeat(_NO_PAGE)))  # in C: every page
            same = list(map(operator.eq, was, keys.values()))
        other = itertools.compress(keys, map(operator.not_, same))
        return list(itertools.compress(keys, same)), list(other)

    def reuse_pages(self, paths: list[str]) -> None:
        """:meth:`reuse` these pages (:meth:`reusable_pages`) with the keys they had. In
        serve's in-place rebuild the new manifest starts as a copy of the last (the
        commit drops what the site no longer has): a manifest entry made per kept page was
        half a second of each rebuild at 100,000 articles."""
        if not paths:
            return
        old = self.previous
        assert old is not None and self._begun and not self.manifest.pages
        if not (self.in_place and self._ours) or not self._seen.isdisjoint(paths):
            for path in sorted(paths):  # (sorted: the new manifest's order, whatever the keys')
                self.reuse(path, old.pages[path][0])  # type: ignore[arg-type]
            return
        self._seen.update(paths)
        self.paths += paths
        self.manifest.pages, self.manifest.stamps = dict(old.pages), dict(old.stamps)
        self.bytes += sum(map(_DATA, map(old.stamps.__getitem__, paths)))

    def write_all(self, files: Mapping[str, bytes]) -> None:
        """:meth:`write` each of ``files`` (not pages). In place over the site this process
        wrote last, a file whose content is the very bytes object written then at the same
        path (and so the digest its manifest has) is recorded as write() records it, all
        such files at once; the others are written one by one, in path order."""
        before, old = self._digests_before, self.previous
        same: list[str] = []
        ours = self.in_place and self._ours and before is not None and old is not None
        if ours and self._seen.isdisjoint(files):  # else write() tells which path is twice
            assert old is not None and before is not None
            paths = list(files)  # in C: a loop over 12,000 files in Python was 5 ms
            made = map(before.get, paths, itertools.repeat(_NOTHING))
            same = list(
                itertools.compress(paths, map(operator.is_, map(_DATA, made), files.values()))
            )
            digests = map(_DIGEST, map(before.__getitem__, same))
            recorded = list(map(operator.eq, map(old.files.get, same), digests))
            if not all(recorded):
                same = list(itertools.compress(same, recorded))
        if same:
            assert old is not None and before is not None
            self._seen.update(same)
            self.paths += same
            self.bytes += sum(map(len, map(files.__getitem__, same)))
            self.digests.update(zip(same, map(before.__getitem__, same), strict=True))
            self.manifest.files.update(zip(same, map(old.files.__getitem__, same), strict=True))
            self.manifest.stamps.update(zip(same, map(old.stamps.__getitem__, same), strict=True))
            if not self.manifest.pages.keys().isdisjoint(same):
                for path in same:
                    self.manifest.pages.pop(path, None)
        for path in sorted(files.keys() - set(same)):
            self.write(path, files[path])
