"""Which files are articles: every ``.txt``, ``.md`` and ``.markdown`` file below the source
folder, hidden ones left out, and (for ``serve``) what changed since the last walk."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}


@dataclass(frozen=True)
class Source:
    """An input file: where it is on disk and how messages should name it."""

    path: Path
    display: str

    @property
    def kind(self) -> str:
        return SUFFIXES[self.path.suffix.lower()]


def discover(folder: Path) -> list[Source]:
    """Every article file below ``folder``, sorted, hidden files and folders skipped."""
    if not folder.is_dir():
        raise ArchiveError("source folder not found", str(folder))
    found = []
    seen: set[str] = set()  # real folders walked: a linked folder is read once, never looped
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in names:
            suffix = os.path.splitext(name)[1].lower()
            if suffix in SUFFIXES and not name.startswith("."):
                path = base / name
                if path.is_file():  # not a broken link
                    found.append(Source(path, str(path)))
    return sorted(found, key=lambda s: s.display)


def rediscover(
    folder: Path, previous: Sequence[Source], changed: Iterable[Path]
) -> tuple[list[Source], set[Path]] | None:
    """What :func:`discover` would find now, from what it found before and the paths the
    watcher saw change, and which of them are in ``folder`` (as discover names them); None
    when only a new walk can tell (a folder appeared, moved or went away). Saves ``serve``
    a walk and a stat of every file after each save."""
    root = Path(os.path.abspath(folder))
    found = list(previous)  # sorted by display, kept so by bisection (no sort of every file)
    fresh: set[Path] = set()
    for path in changed:
        absolute = Path(os.path.abspath(path))
        if root not in absolute.parents:
            continue  # a template, the config, ...: not an article
        relative = absolute.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        local = folder / relative
        fresh.add(local)
        if os.path.isdir(absolute) or os.path.islink(absolute):
            return None
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
