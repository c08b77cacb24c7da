"""One build at a time per output folder, and what a killed build left behind.

Two builds writing one folder at once made a site that matched neither, so a build holds an
OS advisory lock (``flock``) on ``output-<name>-<hash of its path>.lock`` in the cache folder,
beside the manifest it guards, from before it reads the manifest until it has committed. A
second build waits for it (the caller is told, to say so). The kernel drops the lock when
its process ends, however it ends, so a killed build never leaves it stuck; the file itself
stays, holding the last holder's process id. Builds given different cache folders for one
output folder do not see each other's lock; the manifest's stamps (:mod:`.manifest`) then
make the next build write again whatever the other changed.

Holding the lock, a build first repairs what a killed one left (:func:`recover`): it
finishes an interrupted in-place commit from its journal (see :class:`Journal`), puts back
the old site if a swap was cut between its two renames, and removes the temporary and old
folders of builds that are no longer running (every one of them, since only the lock's
holder makes them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outtrash import Trash

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking (documented)
    fcntl = None  # type: ignore[assignment]

MARKER = ".newsarchive"
MARKER_TEXT = "Built by newsarchive; safe to delete and rebuild.\n"
# A new file of an in-place commit, beside the file it replaces until the commit renames it.
NEW_SUFFIX = ".newsarchive-new"


class OutputLock:
    """The exclusive right to write ``out`` (and its manifest, journal and staging folders)."""

    def __init__(self, path: Path, out: Path, waiting: Callable[[str], None] | None = None):
        """``path``: the lock file; ``waiting``: told once, in words, when another build
        holds the lock."""
        self.path, self.out = path, out
        self.waiting = waiting
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if self.waiting is not None:
                        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                        self.waiting(
                            f"another build (process {holder}) is writing {self.out}; "
                            "waiting for it to finish"
                        )
                    fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        # Closing releases it. The file stays: deleting it could let a build that opened it
        # already lock a file the next build no longer finds.
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class Journal:
    """An in-place commit, kept in the cache folder while it runs.

    ``state`` "write": the new files are being written beside their targets (``NEW_SUFFIX``)
    and the new manifest beside the old one; the site is still the old one, and a next build
    removes them. "commit": all of it is written, and the renames have begun or are about to;
    a next build does the rest (:meth:`finish`), which leaves exactly the new site.
    """

    path: Path
    out: Path
    manifest: Path  # where the manifest goes; the new one waits at ``pending(manifest)``
    state: str = "write"
    files: list[str] = field(default_factory=list)  # replaced or added
    delete: list[str] = field(default_factory=list)
    token: str = ""  # the new marker's
    # The manifest's size before the commit appended its changes (-1: it writes a new
    # manifest at ``pending(manifest)`` instead).
    manifest_size: int = -1
    # Each new file's inode, by ``files`` (empty: not known, an older version's journal): a
    # commit swaps a new file with the old one before moving the old away (outtrash).
    inodes: list[int] = field(default_factory=list)

    def save(self, state: str) -> None:
        self.state = state
        data = {"state": state, "files": self.files, "delete": self.delete, "token": self.token}
        data["manifest_size"], data["inodes"] = self.manifest_size, self.inodes
        atomic_write(self.path, json.dumps(data).encode())

    @classmethod
    def load(cls, path: Path, out: Path, manifest: Path) -> Journal | None:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:  # cannot happen (written atomically); distrust the site
            data = {"state": "broken"}
        journal = cls(path, out, manifest)
        journal.state = data.get("state", "broken")
        journal.files, journal.delete = data.get("files", []), data.get("delete", [])
        journal.token = data.get("token", "")
        journal.manifest_size = data.get("manifest_size", -1)
        journal.inodes = data.get("inodes", [])
        return journal

    def finish(self, trash: Trash | None = None) -> None:
        """Rename the new files into place, delete the old, switch manifest and marker.
        ``trash`` (the commit itself, not a repair): takes the old files, emptied after."""
        root = str(self.out)
        inodes = self.inodes if len(self.inodes) == len(self.files) else None
        for n, path in enumerate(self.files):
            target = f"{root}/{path}"
            new = new_name_of(target)
            if trash is not None:
                if os.path.lexists(new):
                    trash.replace(new, target)
                continue
            try:
                found = os.lstat(new).st_ino
            except FileNotFoundError:
                continue
            if inodes is None or found == inodes[n]:
                os.replace(new, target)
            else:  # the old file: the commit swapped it out and was killed before moving it
                os.unlink(new)
        for path in self.delete:
            target = f"{root}/{path}"
            if trash is None or not trash.take(target):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
        remove_empty_folders(self.delete, self.out)
        if os.path.lexists(pending(self.manifest)):
            os.replace(pending(self.manifest), self.manifest)
        if trash is not None:  # (the distrusting marker the commit wrote: freed after too)
            trash.keep(f"{root}/{MARKER}")
        atomic_write(self.out / MARKER, f"{MARKER_TEXT}build {self.token}\n".encode())
        if trash is None or not trash.take(str(self.path)):  # (gone either way: done)
            self.path.unlink()
        if trash is not None:
            trash.empty()

    def undo(self) -> None:
        """Remove what a commit that never began wrote: the old site is untouched."""
        for path in self.files:
            new = new_name(self.out / path)
            new.unlink(missing_ok=True)
            remove_empty_parents(new, self.out)
        pending(self.manifest).unlink(missing_ok=True)
        if self.manifest_size >= 0:  # the changes it may have appended
            with contextlib.suppress(FileNotFoundError), open(self.manifest, "r+b") as file:
                file.truncate(self.manifest_size)
        if self.state != "write" and self.out.is_dir():  # unknown: trust nothing there
            atomic_write(self.out / MARKER, MARKER_TEXT.encode())
        self.path.unlink()


def new_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{NEW_SUFFIX}")


def new_name_of(path: str) -> str:
    """:func:`new_name` of a path as a string (a commit makes hundreds)."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/.{name}{NEW_SUFFIX}"


def pending(manifest: Path) -> Path:
    return manifest.with_name(manifest.name + ".new")


def recover(out: Path, journal: Journal | None, staging: list[tuple[Path, str, bool]]) -> None:
    """Repair what a killed build left, holding the lock. ``staging``: (folder, name prefix,
    only if its process is gone) of every place a build of ``out`` makes its temporary and
    old folders; the last is for names an older version used, which another output's build
    may share."""
    if journal is not None:
        if not out.is_dir():  # the site was deleted since: nothing to finish
            pending(journal.manifest).unlink(missing_ok=True)
            journal.path.unlink()
        elif journal.state == "commit":
            journal.finish()
        else:
            journal.undo()
    if out.is_dir():  # a marker's temporary, if a kill came between its write and rename
        (out / f"{MARKER}.tmp").unlink(missing_ok=True)
    leftovers = []
    for folder, prefix, only_dead in staging:
        pattern = re.compile(re.escape(prefix) + r"\.(tmp|old|trash)-([0-9]+)(-[0-9]+)?")
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        found = [(folder / n, pattern.fullmatch(n)) for n in names]
        leftovers += [
            path
            for path, m in found
            if m and not ((only_dead or m.group(1) == "trash") and _alive(int(m.group(2))))
        ]
    if not out.exists():  # a swap cut between its two renames: the old site is whole
        old = [p for p in leftovers if ".old-" in p.name and (p / MARKER).is_file()]
        if old:
            newest = max(old, key=lambda p: p.stat().st_mtime_ns)
            newest.rename(out)
            leftovers.remove(newest)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's
        return True
    return True


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Replace ``path`` in one rename with ``data`` (or its pieces); its size. The
    temporary's name is fixed: only the lock's holder writes here, and one a kill left is
    replaced by the next write."""
    temporary = path.with_name(f"{path.name}.tmp")
    size = write_pieces(temporary, [data] if isinstance(data, bytes) else data)
    os.replace(temporary, path)
    return size


def write_pieces(path: Path, pieces: Iterable[bytes]) -> int:
    """Write a file piece by piece (never all of it in memory at once); its size."""
    size = 0
    with open(path, "wb") as file:
        for piece in pieces:
            size += file.write(piece)
    return size


def remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty
            return
        parent = parent.parent


def remove_empty_folders(paths: Iterable[str], root: Path) -> None:
    """Remove the folders under ``root`` that deleting ``paths`` (relative) left empty, and
    their parents that are then empty: each folder tried once, the deepest first."""
    levels: dict[int, set[str]] = {}
    for path in paths:
        folder = path.rpartition("/")[0]
        if folder:
            levels.setdefault(folder.count("/"), set()).add(folder)
    for depth in range(max(levels, default=-1), -1, -1):
        for folder in levels.get(depth, ()):
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty
                continue
            parent = folder.rpartition("/")[0]
            if parent:
                levels.setdefault(depth - 1, set()).add(parent)
