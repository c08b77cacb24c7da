"""A part of :class:`.output.SiteWriter` kept apart for size: keeping and writing many files
at once, and the streamed data files.

serve's rebuild writes the search index's files every time (12,000 for 20,000 articles),
nearly all of them the very bytes objects it wrote last; one :meth:`.SiteWriter.write`
each was 35 ms of every rebuild. Those are on disk as they are, so their manifest
entries are the last build's, taken over at once.
"""

from __future__ import annotations

import itertools
import operator
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING

from .manifest import stamp_of

if TYPE_CHECKING:
    from .manifest import Manifest, Stamp
    from .outpatch import Patch

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
    _patch: Patch | None
    _background: Background
    _spool: Path
    spooled: dict[str, Path]
    changed: list[str]
    record: Callable[..., None]  # SiteWriter's (path, size, key, digest, stamp)
    _others: Sequence[str] = ()  # the files write_all wrote one by one
    # Patched (serve): every page's key, those rendered, and the pages kept, which are
    # claimed by being in the first and not the second (a set of every kept page was 10 ms
    # of each rebuild at 100,000 articles; see _claims).
    _keys: Mapping[str, str] | None = None
    _rendered: AbstractSet[str] = frozenset()
    _kept: Sequence[str] = ()

    def write(self, path: str, data: bytes, key: str | None = None) -> Stamp | None:
        raise NotImplementedError  # SiteWriter's

    def _claim(self, path: str) -> None:
        raise NotImplementedError  # SiteWriter's

    def _target(self, path: str) -> str:
        raise NotImplementedError  # SiteWriter's

    def reusable(self, path: str, key: str) -> bool:
        raise NotImplementedError  # SiteWriter's

    def reuse(self, path: str, key: str | None = None) -> int:
        raise NotImplementedError  # SiteWriter's

    def write_stream(self, path: str, chunks: Iterable[bytes], key: str, held: bool = False) -> int:
        """Write a file made piece by piece (the data files: a large archive's would not fit
        in memory whole), keyed like a page (see :meth:`reusable`); its size. It goes where
        :meth:`write`'s files go: the new folder, or, in place, a spool file in the cache
        folder that ``commit()`` moves beside its target (``abort()`` removes it). ``held``:
        the pieces are made of bytes kept in memory (serve's rows), so in place a thread
        writes them while the build goes on (see :class:`Background`)."""
        assert self._begun
        self._claim(path)
        if self.in_place:
            self._spool.mkdir(parents=True, exist_ok=True)
            target = f"{self._spool}/{len(self.spooled)}"
            self.spooled[path] = Path(target)
            if held:
                pieces = list(chunks)
                self._background.write(target, pieces)
                size = sum(map(len, pieces))
                self.record(path, size, key)
                return size
        else:
            target = self._target(path)
        size = 0
        with open(target, "wb") as file:
            for chunk in chunks:
                size += file.write(chunk)
            file.flush()
            stamp: Stamp | None = stamp_of(os.fstat(file.fileno()))
        if self.in_place:
            stamp = None
        else:
            self.changed.append(path)
        self.record(path, size, key, stamp=stamp)
        return size

    def reusable_pages(self, keys: dict[str, str]) -> tuple[list[str], list[str]]:
        """The pages :meth:`reusable` with these keys and the others, each in their order
        (the others, a few in serve, found at once: a set of every kept page was 3 ms)."""
        if not self._ours:
            same = [self.reusable(path, key) for path, key in keys.items()]
        else:
            old = self.previous.pages  # type: ignore[union-attr]
            was = map(_KEY, map(old.get, keys, itertools.repeat(_NO_PAGE)))  # in C: every page
            same = list(map(operator.eq, was, keys.values()))
        other = list(itertools.compress(keys, map(operator.not_, same)))
        if self._ours:
            self._keys, self._rendered = keys, set(other)
        return list(itertools.compress(keys, same)), other

    def reuse_pages(self, paths: list[str]) -> None:
        """:meth:`reuse` these pages (:meth:`reusable_pages`) with the keys they had. In
        serve's in-place rebuild the new manifest is the last one, patched (see
        :mod:`.outpatch`), where they are already: a manifest entry made per kept page was
        half a second of each rebuild at 100,000 articles, a copy of the last 40 ms."""
        if not paths:
            return
        old = self.previous
        assert old is not None and self._begun
        keys = self._keys  # (the kept pages are those reusable_pages found: all but these)
        whole = keys is not None and len(paths) + len(self._rendered) == len(keys)
        if self._patch is None or self._seen or not whole:
            for path in sorted(paths):  # (sorted: the new manifest's order, whatever the keys')
                self.reuse(path, old.pages[path][0])  # type: ignore[arg-type]
            return
        self._kept = paths  # claimed (see _claims)
        self.paths += paths  # (their sizes: see Patch.total)

    def _claims(self, path: str) -> bool:
        """Whether ``path`` is a page :meth:`reuse_pages` kept without a claim each."""
        keys = self._keys
        return bool(self._kept) and path in keys and path not in self._rendered  # type: ignore[operator]

    def write_all(self, files: Mapping[str, bytes]) -> None:
        """:meth:`write` each of ``files`` (not pages). In place over the site this process
        wrote last, a file whose content is the very bytes object written then at the same
        path (and so the digest its manifest has) is recorded as write() records it, all
        such files at once; the others are written one by one, in path order."""
        before, old = self._digests_before, self.previous
        same: list[str] = []
        others: list[str] | None = None  # the paths of files not in same, when known
        ours = self.in_place and self._ours and before is not None and old is not None
        kept = not self._kept or self._keys.keys().isdisjoint(files)  # type: ignore[union-attr]
        if ours and kept and files.keys().isdisjoint(self._seen):  # else write() says which
            assert old is not None and before is not None
            paths = list(files)  # in C: a loop over 12,000 files in Python was 5 ms
            made = map(before.get, paths, itertools.repeat(_NOTHING))
            alike = list(map(operator.is_, map(_DATA, made), files.values()))
            same = list(itertools.compress(paths, alike))
            digests = map(_DIGEST, map(before.__getitem__, same))
            recorded = list(map(operator.eq, map(old.files.get, same), digests))
            if all(recorded):
                others = list(itertools.compress(paths, map(operator.not_, alike)))
            else:
                same = list(itertools.compress(same, recorded))
        if same:
            assert old is not None and before is not None
            self._seen.update(same)
            self.paths += same
            if self._patch is None or self.digests is not before:
                self.digests.update(zip(same, map(before.__getitem__, same), strict=True))
            if self._patch is None:  # (patched: the last manifest's entries are these)
                self.bytes += sum(map(len, map(files.__getitem__, same)))
                manifest = self.manifest
                manifest.files.update(zip(same, map(old.files.__getitem__, same), strict=True))
                manifest.stamps.update(zip(same, map(old.stamps.__getitem__, same), strict=True))
                if not manifest.pages.keys().isdisjoint(same):
                    for path in same:
                        manifest.pages.pop(path, None)
        self._others = sorted(others) if others is not None else sorted(files.keys() - set(same))
        for path in self._others:
            self.write(path, files[path])

    def search_list(self, files: Mapping[str, bytes], more: list[str]) -> list[str]:
        """The sorted paths of the search files (``files`` just given to :meth:`write_all`,
        and ``more``), for the manifest; patched from the last list in serve."""
        if self._patch is not None and not more and self.previous.search_files:  # type: ignore[union-attr]
            return self._patch.search_list(files, self._others)
        return sorted([*files, *more])


class Background:
    """Files a thread writes while the build goes on: serve's data files, whose bytes are
    all kept rows (130 MB at 100,000 articles, 80 to 110 ms of every rebuild in which an
    article changed, written from Python; the writes release the GIL). The commit waits
    for them before it moves them in place."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._failed: list[BaseException] = []

    def write(self, target: str, pieces: list[bytes]) -> None:
        thread = threading.Thread(target=self._write, args=(target, pieces), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _write(self, target: str, pieces: list[bytes]) -> None:
        try:
            with open(target, "wb") as file:
                for piece in pieces:
                    file.write(piece)
        except BaseException as exc:  # raised in the build's thread, by wait()
            self._failed.append(exc)

    def wait(self, quiet: bool = False) -> None:
        """Until every file is written; raises the first failure unless ``quiet``."""
        while self._threads:
            self._threads.pop().join()
        if self._failed and not quiet:
            raise self._failed[0]
