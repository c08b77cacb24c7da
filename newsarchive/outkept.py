"""A part of :class:`.output.SiteWriter` kept apart for size: writing many files at once.

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


class KeptFiles:
    """:meth:`write_all`, for SiteWriter (whose attributes below it uses)."""

    in_place: bool
    previous: Manifest | None
    manifest: Manifest
    paths: list[str]
    bytes: int
    digests: dict[str, tuple[bytes, str]]
    _ours: bool
    _seen: set[str]
    _digests_before: dict[str, tuple[bytes, str]] | None

    def write(self, path: str, data: bytes, key: str | None = None) -> Stamp | None:
        raise NotImplementedError  # SiteWriter's

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
