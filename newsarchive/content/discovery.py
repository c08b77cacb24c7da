"""Which files are articles: every ``.txt``, ``.md`` and ``.markdown`` file below the source
folder (hidden ones and links leaving the folder left out), and (for ``serve``) what
changed since the last walk."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}


# Why a link is not read: its content could be anything on the machine (an
# ``/etc/shadow`` link would have a line of it quoted in a message).
LEAVES = "skipped: a symbolic link leaving the source folder is not followed"


@dataclass(frozen=True)
class Source:
    """An input file: where it is on disk and how messages should name it.

    ``refused`` says why it must not be opened (see LEAVES); the reader reports it instead."""

    path: Path
    display: str
    refused: str = ""

    @property
    def kind(self) -> str:
        return SUFFIXES[self.path.suffix.lower()]


def stat_key(path: Path | str) -> bytes:
    """A file as a build's inputs record knows it, from its stat (as ``make`` knows a file,
    with the inode and change time too: a file replaced by another of the same size and
    modification time still differs); ``b"gone"`` when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return b"gone"
    return b"%d %d %d %d" % (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def discover(folder: Path) -> list[Source]:
    """Every article file below ``folder``, sorted, hidden files and folders skipped.

    Links are followed while they stay inside the folder (each real folder is walked once,
    so a loop ends); one leaving it is listed as refused, never read."""
    if not folder.is_dir():
        raise ArchiveError("source folder not found", str(folder))
    top = os.path.realpath(folder)
    found = []
    seen: set[str] = set()  # real folders walked: a linked folder is read once, never looped
    for root, dirs, files in _walk(str(folder)):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if _leaves(base / d, top)]:
            dirs.remove(name)
            found.append(Source(base / name, str(base / name), LEAVES))
        for entry in files:
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix in SUFFIXES and not entry.name.startswith("."):
                path = base / entry.name
                if entry.is_symlink() and _leaves(path, top):
                    found.append(Source(path, str(path), LEAVES))
                elif _is_file(entry):  # not a broken link
                    found.append(Source(path, str(path)))
    return sorted(found, key=lambda s: s.display)


def _walk(top: str) -> Iterator[tuple[str, list[str], list[os.DirEntry[str]]]]:
    """``os.walk(top, followlinks=True)``, but with the files' directory entries: what a
    file is comes with its folder's listing (``d_type``): an lstat and a stat of each file
    were 7 of the 16 s it took to discover a million files from a cold disk, before the
    read. The caller may prune ``dirs`` as with os.walk."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError:
        return
    dirs, files = [], []
    for entry in entries:
        (dirs if _is_dir(entry) else files).append(entry)
    names = [entry.name for entry in dirs]
    yield top, names, files
    for name in names:
        yield from _walk(os.path.join(top, name))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # a link is followed, as os.walk does
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _leaves(path: Path, top: str) -> bool:
    """Whether ``path`` is a link to something outside the real folder ``top`` (only links
    need resolving: every folder walked is inside). A broken link leaves nothing to read."""
    if not os.path.islink(path):
        return False
    real = os.path.realpath(path)
    return os.path.exists(real) and not _within(real, top)


def _within(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def rediscover(
    folder: Path, previous: Sequence[Source], changed: Iterable[Path]
) -> tuple[list[Source], set[Path]] | None:
    """What :func:`discover` would find now, from what it found before and the paths the
    watcher saw change, and which of them are in ``folder`` (as discover names them); None
    when only a new walk can tell (a folder appeared, moved or went away). Saves ``serve``
    a walk and a stat of every file after each save."""
    root = Path(os.path.abspath(folder))
    real = os.path.realpath(folder)
    found = list(previous)  # sorted by display, kept so by bisection (no sort of every file)
    fresh: set[Path] = set()
    for path in changed:
        absolute = Path(os.path.abspath(path))
        if absolute == root or absolute in root.parents:
            return None  # the folder itself (or one above it) went, came back or was replaced
        if root not in absolute.parents:
            continue  # a template, the config, ...: not an article
        relative = absolute.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        local = folder / relative
        fresh.add(local)
        if os.path.isdir(absolute) or os.path.islink(absolute):
            return None
        if not _within(os.path.realpath(absolute), real):
            return None  # reached through a linked folder: discover decides what it is
        display = str(local)
        at = bisect.bisect_left(found, display, key=_display)
        there = at < len(found) and found[at].display == display
        if os.path.isfile(absolute):
            if os.path.splitext(relative.name)[1].lower() in SUFFIXES and not there:
                found.insert(at, Source(local, display))
        elif there:
            del found[at]
        else:
            inside = display + os.sep
            if any(source.display.startswith(inside) for source in previous):
                return None
    return found, fresh


def _display(source: Source) -> str:
    return source.display
