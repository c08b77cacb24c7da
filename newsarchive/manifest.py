"""The manifest: what the site in an output folder was built from, kept in the cache folder.

Every page's input key, every other file's content digest, and every file's stamp (size,
modification time and inode as the build left it), by which the next build checks with one
stat that a file it would keep is still the one written (see :mod:`.output`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from .outlock import MARKER, pending, write_pieces

Stamp = list[int]  # [size, st_mtime_ns, st_ino] of a file as a build left it
Entry = list[str | int] | str  # a page's [key, size], or another file's content digest
_BITS = 1 << 128
_PIECE = 20_000  # entries of the manifest turned into JSON at a time (see json_pieces)
# In place, a commit appends its changes to the manifest's file while all of them stay under
# this share of the whole manifest's size (past it, reading them would cost more).
CHANGES_LIMIT = 1.0


@dataclass
class Manifest:
    """What the site in an output folder was built from.

    Its file is JSON Lines: the whole manifest on the first line, then the changes of each
    in-place commit since (:func:`changes`), so that an edit writes what it changed, not
    every entry. A commit writes the whole again once the changes outgrow it.
    """

    pages: dict[str, list[str | int]] = field(default_factory=dict)  # path -> [key, size]
    files: dict[str, str] = field(default_factory=dict)  # path -> content digest
    search: str = ""  # key of the search index's inputs (empty: none)
    search_files: list[str] = field(default_factory=list)
    search_scripts: list[str] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)  # every file's, not in token()

    # The sum of the entries' digests (see token()), kept up to date by changes().
    _sum: int | None = field(default=None, repr=False, compare=False)
    # Bytes of its file: the first line, and the whole (with the changes appended).
    _size: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)
    _token: str | None = field(default=None, repr=False, compare=False)
    # The size of every file (the stamps' sizes added), when known (see outpatch).
    _bytes: int | None = field(default=None, repr=False, compare=False)

    def json_pieces(self) -> Iterator[bytes]:
        """The whole manifest (the first line of its file) as compact JSON in pieces of at
        most _PIECE entries, to write one by one: made whole, it was three copies of 300 MB
        at a million articles, at the build's peak."""
        yield b'{"stamps":'
        yield from _object_pieces(self.stamps)
        yield b',"files":'
        yield from _object_pieces(self.files)
        yield b',"pages":'
        yield from _object_pieces(self.pages)
        for name in ("search", "search_files", "search_scripts"):
            yield b',"%s":%s' % (name.encode(), _dumps(getattr(self, name)).encode())
        yield b"}\n"

    def token(self) -> str:
        """A digest of everything but the stamps (two builds of the same inputs have the same
        token). Its entries' part is a sum of one digest per entry, so that a commit updates
        it by the entries it changed (:func:`changes`) instead of hashing every one."""
        if self._token is None:  # made once the build is complete, and not changed after
            if self._sum is None:
                entries = sum(map(_digest, self.files.items()))
                self._sum = sum(map(_digest, self.pages.items()), entries)
            search = json.dumps([self.search, self.search_files, self.search_scripts]).encode()
            digest = hashlib.sha1(b"%d\0" % (self._sum % _BITS) + search)
            self._token = digest.hexdigest()[:16]
        return self._token


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _object_pieces(mapping: dict[str, object]) -> Iterator[bytes]:
    """``json.dumps(mapping)`` (compact), the same text, made _PIECE entries at a time."""
    items, between = iter(mapping.items()), b"{"
    while chunk := dict(itertools.islice(items, _PIECE)):
        yield between + _dumps(chunk)[1:-1].encode()
        between = b","
    yield b"{}" if between == b"{" else b"}"


def _digest(item: tuple[str, Entry]) -> int:
    path, entry = item
    text = f"{path}\0{entry[0]}\0{entry[1]}" if type(entry) is list else f"{path}\0{entry}"
    return int.from_bytes(hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()[:16])


def changes(before: Manifest, after: Manifest, paths: Iterable[str]) -> bytes:
    """The line that turns ``before`` into ``after``, which differ only at ``paths``; it
    also gives ``after`` its token's sum from ``before``'s, so neither is hashed whole."""
    pages: dict[str, list[str | int] | None] = {}
    files: dict[str, str | None] = {}
    stamps: dict[str, Stamp | None] = {}
    total = before._sum if before._sum is not None else 0
    for path in paths:
        for kind, old, new in (
            (pages, before.pages, after.pages),
            (files, before.files, after.files),
        ):
            was, now = old.get(path), new.get(path)
            if was != now:
                kind[path] = now
                total += (_digest((path, now)) if now is not None else 0) - (
                    _digest((path, was)) if was is not None else 0
                )
        stamps[path] = after.stamps.get(path)
    if before._sum is not None:
        after._sum = total
    data: dict[str, object] = {"pages": pages, "files": files, "stamps": stamps}
    for name in ("search", "search_files", "search_scripts"):
        if getattr(before, name) != getattr(after, name):
            data[name] = getattr(after, name)
    return _dumps(data).encode() + b"\n"


def missing(
    previous: Manifest, paths: list[str], touched: list[str], seen: AbstractSet[str] = frozenset()
) -> list[str]:
    """The files of ``previous`` that a site of ``paths`` (each once) does not have: none
    when every path but the new ones (``touched`` has them) was there, the usual case.
    ``seen``: ``paths`` as a set, when the caller has one (else one is made)."""
    new = sum(path not in previous.pages and path not in previous.files for path in touched)
    if len(paths) - new == len(previous.pages) + len(previous.files):
        return []
    have = seen if len(seen) == len(paths) else set(paths)
    return sorted((previous.pages.keys() - have) | (previous.files.keys() - have))


def appendable(path: Path, previous: Manifest) -> bool:
    """Whether the file at ``path`` is the one ``previous`` was read from or written as."""
    try:
        return previous._size[0] > 0 and os.stat(path).st_size == previous._size[1]
    except OSError:
        return False


def save_changes(path: Path, previous: Manifest, manifest: Manifest, line: bytes | None) -> None:
    """Append ``line``, the changes from ``previous`` (None: not :func:`appendable`), to the
    manifest's file; or, when it may not be or they would outgrow the whole, write the
    whole beside it (``pending``), for the commit's journal to put in place."""
    before, total = previous._size
    if line is not None and total + len(line) <= (1 + CHANGES_LIMIT) * before:
        with open(path, "ab") as file:
            file.write(line)
        manifest._size = (before, total + len(line))
    else:
        size = write_pieces(pending(path), manifest.json_pieces())
        manifest._size = (size, size)


def _apply(manifest: Manifest, line: dict) -> None:
    for name in ("pages", "files", "stamps"):
        entries = getattr(manifest, name)
        for path, value in line[name].items():
            if value is None:
                entries.pop(path, None)
            else:
                entries[path] = value
    for name in ("search", "search_files", "search_scripts"):
        if name in line:
            setattr(manifest, name, line[name])


def output_id(out: Path) -> str:
    """``<name>-<hash of its absolute path>``: names what belongs to one output folder."""
    where = hashlib.sha1(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{out.name}-{where[:12]}"


def manifest_path(cache: Path, out: Path) -> Path:
    """Where the manifest of the site in ``out`` is kept: one file per output folder."""
    return cache / f"manifest-{output_id(out)}.json"


def load_manifest(cache: Path, out: Path, known: Manifest | None = None) -> Manifest | None:
    """The manifest of the site in ``out``, if it has one that matches its marker.

    ``known``: the manifest this process wrote last (``serve``), used when the marker still
    names it instead of reading and parsing the file again.
    """
    try:
        marker = (out / MARKER).read_text(encoding="utf-8")
        if known is not None and f"build {known.token()}" in marker:
            return known
        text = manifest_path(cache, out).read_bytes()
        first, *changed = text.splitlines()
        data = json.loads(first)
        if "stamps" not in data:  # an older version's: it cannot be checked
            return None
        manifest = Manifest(**data)
        for line in changed:
            _apply(manifest, json.loads(line))
        # Changes are appended after a line end only (an older version wrote none).
        manifest._size = (len(first) + 1, len(text)) if text.endswith(b"\n") else (0, 0)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return manifest if f"build {manifest.token()}" in marker else None


def content_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:20]


def stamp_of(st: os.stat_result) -> Stamp:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


# What open(path, "wb") asks of the system.
_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def write_file(path: Path | str, data: bytes) -> Stamp:
    """Write a new file; its stamp (from the open file: no second look-up). By descriptor,
    as ``open(path, "wb")`` makes it, without its file object (and the stat it makes)."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        done = os.write(fd, data)
        if done < len(data):
            view = memoryview(data)
            while done < len(data):
                done += os.write(fd, view[done:])
        return stamp_of(os.fstat(fd))
    finally:
        os.close(fd)
