"""serve's in-place rebuild: the new manifest is the last one patched, not a copy of it.

Copying the last manifest's entries (every page's and file's: 300,000 at 100,000 articles)
was 40 ms of every rebuild, and recording every search file again as much. But the
manifest of the site this process wrote last (``SiteWriter._ours``) belongs to this process
alone, so the new manifest takes over its dictionaries and changes only the entries the
build changes, each entry's value before kept aside (an undo log) for three uses: what the
commit appends to the manifest's file (:func:`.manifest.changes` compares before and after),
which files the site no longer has, and an abort, which puts the old entries back so that
the last manifest stays whole for the next build.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .manifest import Manifest

_ABSENT = object()
_SIZE = operator.itemgetter(0)
KINDS = ("pages", "files", "stamps")


@dataclass
class Patch:
    """The new manifest as ``previous`` changed in place, and what each entry was."""

    previous: Manifest
    manifest: Manifest = field(init=False)
    # The previous values of the entries changed so far, by kind (_ABSENT: none).
    undo: dict[str, dict[str, object]] = field(init=False)
    # How many pages and files ``previous`` had.
    size: int = field(init=False)
    # Search files of ``previous`` this build did not make again (see search_list).
    gone_search: list[str] = field(default_factory=list)
    # The size of every file of ``previous``.
    bytes: int = field(init=False)

    def __post_init__(self) -> None:
        old = self.previous
        self.manifest = Manifest(pages=old.pages, files=old.files, stamps=old.stamps)
        self.undo = {kind: {} for kind in KINDS}
        self.size = len(old.pages) + len(old.files)
        known = old._bytes
        self.bytes = known if known is not None else sum(map(_SIZE, old.stamps.values()))

    def total(self) -> int:
        """The size of every file of the new site: the last one's, and the changes (the
        stamps changed), not every page's size added again (10 ms at 100,000 articles)."""
        stamps, total = self.manifest.stamps, self.bytes
        for path, was in self.undo["stamps"].items():
            now = stamps.get(path)
            total += (now[0] if now is not None else 0) - (0 if was is _ABSENT else was[0])
        self.manifest._bytes = total
        return total

    def put(self, kind: str, path: str, value: object) -> None:
        entries, undo = getattr(self.manifest, kind), self.undo[kind]
        if path not in undo:
            undo[path] = entries.get(path, _ABSENT)
        entries[path] = value

    def record(self, kind: str, path: str, entry: object, stamp: list[int] | None) -> None:
        """A page's or file's entry (``kind``), and its stamp unless None."""
        self.put(kind, path, entry)
        self.drop("files" if kind == "pages" else "pages", path)  # a path is one or the other
        if stamp is not None:
            self.put("stamps", path, stamp)

    def put_stamp(self, path: str, stamp: list[int]) -> None:
        self.put("stamps", path, stamp)

    def drop(self, kind: str, path: str) -> None:
        entries = getattr(self.manifest, kind)
        if path in entries:
            self.undo[kind].setdefault(path, entries[path])
            del entries[path]

    def forget(self, path: str, digests: dict[str, object]) -> None:
        """Drop every entry of a file the site no longer has (and its content digest)."""
        for kind in KINDS:
            self.drop(kind, path)
        digests.pop(path, None)

    def was(self, kind: str, path: str) -> object:
        """The entry ``previous`` had (None: none)."""
        undo = self.undo[kind]
        value = undo[path] if path in undo else getattr(self.manifest, kind).get(path)
        return None if value is _ABSENT else value

    def before(self, paths: Iterable[str]) -> Manifest:
        """``previous`` as it was, at ``paths`` only (for :func:`.manifest.changes`)."""
        old = self.previous
        view = Manifest(search=old.search, search_files=old.search_files)
        view.search_scripts, view._sum = old.search_scripts, old._sum
        for path in paths:
            for kind in ("pages", "files"):
                value = self.was(kind, path)
                if value is not None:
                    getattr(view, kind)[path] = value
        return view

    def restore(self) -> None:
        """Put back every entry as ``previous`` had it (a build that failed)."""
        for kind, undo in self.undo.items():
            entries = getattr(self.manifest, kind)
            for path, value in undo.items():
                if value is _ABSENT:
                    entries.pop(path, None)
                else:
                    entries[path] = value
            undo.clear()

    def missing(
        self, paths: int, touched: list[str], seen: set[str], kept: Iterable[str] = ()
    ) -> list[str]:
        """The files of ``previous`` that the site of ``paths`` files (``touched`` holding the
        new ones, ``seen`` and the pages ``kept`` all) no longer has: by counting, none or
        the search files :meth:`search_list` found gone (the usual cases), else every path
        looked at."""
        was = self.was
        new = sum(was("pages", p) is None and was("files", p) is None for p in touched)
        if paths - new == self.size:
            return []
        gone = [p for p in self.gone_search if p not in seen and was("files", p) is not None]
        if gone and paths - new == self.size - len(gone):
            return sorted(gone)
        now, have = self.manifest, seen.union(kept)
        return sorted((now.pages.keys() - have) | (now.files.keys() - have))

    def search_list(self, files: Mapping[str, bytes], others: list[str]) -> list[str]:
        """The sorted paths of ``files``, the search files, from the last build's sorted list
        (``others``: the paths of ``files`` that were not written last build as they are,
        a few): the gone ones taken out and the new put in, not every path sorted again."""
        old = self.previous.search_files
        there = list(map(files.__contains__, old))
        kept = list(itertools.compress(old, there))
        self.gone_search = list(itertools.compress(old, map(operator.not_, there)))
        added = [path for path in others if not _has(old, path)]
        if len(kept) + len(added) != len(files):  # (cannot be; but never a wrong list)
            return sorted(files)
        kept += sorted(added)
        kept.sort()  # two sorted runs: merged
        return kept


def _has(ordered: list[str], path: str) -> bool:
    at = bisect.bisect_left(ordered, path)
    return at < len(ordered) and ordered[at] == path
