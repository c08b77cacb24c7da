"""Which file-system events matter, and when a burst of them has settled.

The parts that decide things are plain and unit-tested: which events matter
(``WatchFilter``) and when a burst of them has settled (``Debouncer``). watchdog is only a
thin adapter feeding them (``start_observer``).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserverVFS

# Events that can change what a build reads. Opening or reading a file must not count:
# the build itself reads every input, and would otherwise trigger itself forever.
CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "attrib", "closed"})
# Events after which a file is whole: closed after writing (inotify's IN_CLOSE_WRITE), renamed
# into place (how many editors save), deleted. After "created" or "modified" more writes may
# follow, so only these let a rebuild start before the full quiet period.
COMPLETE_EVENTS = frozenset({"closed", "deleted", "moved"})
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
TEMP_SUFFIXES = (
    ".swp", ".swo", ".swx", ".swn", ".swpx", ".tmp", ".temp", ".part", ".crdownload",
    ".kate-swp", "___jb_tmp___", "___jb_old___", ".pyc",
)  # fmt: skip


def is_temp_file(name: str) -> bool:
    """Editor and OS litter that never is an input: swap, backup, lock and autosave files.

    Vim writes ``4913`` (or 5036, 5159, ... if taken) to test a folder, ``x~`` backups and
    ``.x.swp``; Emacs ``.#x`` locks and ``#x#`` autosaves; JetBrains ``x___jb_tmp___``.
    """
    return (
        name in IGNORED_NAMES
        or name.startswith(".")
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or _is_vim_probe(name)
        or name.lower().endswith(TEMP_SUFFIXES)
    )


def _is_vim_probe(name: str) -> bool:
    # Not every all-digit name: year folders such as ``2023`` are real input.
    return name.isdigit() and int(name) >= 4913 and (int(name) - 4913) % 123 == 0


def _absolute(path: str | bytes | Path) -> Path:
    return Path(os.path.abspath(os.fsdecode(path)))


@dataclass(frozen=True)
class WatchFilter:
    """Which paths the site depends on.

    ``roots`` are watched recursively (articles, templates, static files); ``files`` are
    single files (the config) whose folder is watched for them alone; ``ignored`` (the
    output folder) never counts, even when it lies inside a root. Paths are compared as
    absolute paths, which is how the watchdog adapter schedules them.
    """

    roots: tuple[Path, ...]
    files: tuple[Path, ...] = ()
    ignored: tuple[Path, ...] = ()

    @classmethod
    def create(
        cls, roots: Iterable[Path], files: Iterable[Path] = (), ignored: Iterable[Path] = ()
    ) -> WatchFilter:
        return cls(
            tuple(_absolute(p) for p in roots),
            tuple(_absolute(p) for p in files),
            tuple(_absolute(p) for p in ignored),
        )

    def matters(self, path: str | bytes | Path) -> bool:
        """Could a change at ``path`` change the built site?"""
        target = _absolute(path)
        for ignored in self.ignored:
            if target == ignored or ignored in target.parents:
                return False
            # The build's temporary and previous folders, e.g. ``.site.tmp-123/``.
            if ignored.parent in target.parents:
                top = target.relative_to(ignored.parent).parts[0]
                if top.startswith(f".{ignored.name}."):
                    return False
        if target in self.files:
            return True
        for root in self.roots:
            if target == root:
                return True
            if root in target.parents:
                parts = target.relative_to(root).parts
                if any(p in IGNORED_DIRS or p.startswith(".") for p in parts[:-1]):
                    return False
                return not is_temp_file(parts[-1])
        return False

    def changed_paths(
        self, event_type: str, src: str | bytes, dest: str | bytes = "", is_directory: bool = False
    ) -> list[str]:
        """The paths of one file-system event that matter (none for noise).

        A folder's "modified" only says one of its children changed, which is reported on
        its own. For a move, either end may matter: editors save by renaming a temporary
        file over the real one.
        """
        if event_type not in CHANGE_EVENTS or (is_directory and event_type == "modified"):
            return []
        candidates = [src, dest] if event_type == "moved" and dest else [src]
        return [os.fsdecode(p) for p in candidates if p and self.matters(p)]


class Debouncer:
    """Runs ``action(paths)`` once changes have been quiet for ``quiet`` seconds, or for
    ``settle`` seconds when every changed file is known to be whole.

    Saving one file is often several events (write, rename, metadata) and saving all
    files in an editor is dozens; waiting for quiet turns each burst into one rebuild. A
    file last seen closed after writing, renamed or deleted (``complete``) needs no such
    wait: its save is over, so ``settle`` (long enough to gather the events of a save of
    several files, which come well under 10 ms apart) is enough; a file last seen only
    created or modified may still be being written, and keeps the whole quiet period.
    Changes that arrive while ``action`` runs are collected for the next run, never lost.
    ``add``/``take`` work on the injected clock alone, so the timing is testable without
    threads; ``start()`` runs the loop on a daemon thread.
    """

    def __init__(
        self,
        action: Callable[[set[str]], Any],
        quiet: float = 0.3,
        clock: Callable[[], float] = time.monotonic,
        settle: float = 0.02,
    ) -> None:
        self.action = action
        self.quiet = quiet
        self.settle = min(settle, quiet)
        self.clock = clock
        self._pending: set[str] = set()
        self._writing: set[str] = set()  # pending paths not yet seen whole
        self._last: float | None = None
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def add(self, path: str, complete: bool = False) -> None:
        with self._cond:
            self._pending.add(path)
            if complete:
                self._writing.discard(path)
            else:
                self._writing.add(path)
            self._last = self.clock()
            self._cond.notify()

    def remaining(self) -> float | None:
        """Seconds until the pending changes are due; None when nothing is pending."""
        with self._cond:
            return self._remaining()

    def take(self) -> set[str] | None:
        """The settled batch of changed paths (and forget it), or None if not due yet."""
        with self._cond:
            return self._take()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="newsarchive-rebuild", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the loop; a run in progress is waited for (up to ``timeout``)."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _remaining(self) -> float | None:
        if self._last is None:
            return None
        wait = self.quiet if self._writing else self.settle
        return max(0.0, self._last + wait - self.clock())

    def _take(self) -> set[str] | None:
        if self._remaining() != 0.0:
            return None
        batch, self._pending, self._last = self._pending, set(), None
        self._writing.clear()
        return batch

    def _run(self) -> None:
        while True:
            with self._cond:
                batch = None
                while not self._stopping and batch is None:
                    wait = self._remaining()
                    if wait is None or wait > 0:
                        self._cond.wait(wait)
                    else:
                        batch = self._take()
                if self._stopping:
                    return
            self.action(batch)  # outside the lock: new events keep arriving meanwhile


class _Handler(FileSystemEventHandler):
    """The watchdog adapter: every event through the filter, what matters to ``notify``."""

    def __init__(self, watch_filter: WatchFilter, notify: Callable[[str, bool], None]) -> None:
        self.filter = watch_filter
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder is made, moved or removed at once; its files' events come on their own.
        complete = event.is_directory or event.event_type in COMPLETE_EVENTS
        for path in self.filter.changed_paths(
            event.event_type, event.src_path, event.dest_path, event.is_directory
        ):
            self.notify(path, complete)


def watch_targets(watch_filter: WatchFilter) -> list[tuple[Path, bool]]:
    """``(folder, recursive)`` pairs to schedule: existing roots, and each file's folder
    unless a root already covers it."""
    targets = [(root, True) for root in dict.fromkeys(watch_filter.roots) if root.is_dir()]
    for file in watch_filter.files:
        folder = file.parent
        covered = any(folder == root or root in folder.parents for root, _ in targets)
        if folder.is_dir() and not covered and (folder, False) not in targets:
            targets.append((folder, False))
    return targets


def folder_identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of the folder now at ``folder``; None if there is none."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


class Watcher:
    """watchdog on the filter's folders, kept on the folders that are there now.

    A watch follows the folder it was given, not its name: when ``articles`` is deleted its
    watch ends for good, and when it is moved away the watch goes with it. So every
    ``interval`` seconds ``check()`` compares each folder's identity (device and inode) and
    its watch's health with what was scheduled, and schedules afresh what changed. A root
    that went, came back or was replaced is reported itself: the build then walks it again
    (and, while it is missing, fails and keeps the last good site).
    """

    def __init__(
        self,
        watch_filter: WatchFilter,
        notify: Callable[[str, bool], None],
        on_event: Callable[[str], None] = lambda message: None,
        interval: float = 0.5,
    ) -> None:
        self.filter = watch_filter
        self.notify = notify
        self.on_event = on_event
        self.interval = interval
        self._handler = _Handler(watch_filter, notify)
        self._observer: BaseObserver = Observer()
        self._watches: dict[tuple[Path, bool], tuple[tuple[int, int], ObservedWatch | None]] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Fall back to polling where the native watcher cannot start (e.g. the inotify
        watch limit is reached)."""
        self.check()
        try:
            self._observer.start()
        except OSError as exc:
            self.on_event(
                f"warning: file watching unavailable ({exc}); polling for changes instead"
            )
            # lstat and scandir: polling must not walk into links (discovery decides what
            # a link leads to; a link to / would make every poll walk the whole disk).
            polling = PollingObserverVFS(stat=os.lstat, listdir=os.scandir, polling_interval=1.0)
            self._observer, self._watches = polling, {}
            self.check()
            self._observer.start()
        self._thread = threading.Thread(target=self._run, name="newsarchive-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout)

    def check(self) -> list[Path]:
        """Schedule each folder there is now; the roots that went, came or changed."""
        wanted = {key: folder_identity(key[0]) for key in watch_targets(self.filter)}
        changed = []
        for key, (identity, watch) in list(self._watches.items()):
            if wanted.get(key) != identity or (watch is not None and not self._running(watch)):
                del self._watches[key]
                if watch is not None:
                    with contextlib.suppress(KeyError):
                        self._observer.unschedule(watch)
                changed.append(key)
        for key, identity in wanted.items():
            if key not in self._watches and identity is not None:
                self._watches[key] = (identity, self._schedule(*key))
                if self._thread is not None and key[1]:
                    changed.append(key)
        roots = sorted({folder for folder, recursive in changed if recursive})
        for root in roots:
            self.notify(str(root), False)  # it may be being copied or moved in
        return roots

    def _schedule(self, folder: Path, recursive: bool) -> ObservedWatch | None:
        try:
            return self._observer.schedule(self._handler, str(folder), recursive=recursive)
        except OSError as exc:
            self.on_event(f"warning: cannot watch {folder} ({exc}); restart serve to retry")
            return None

    def _running(self, watch: ObservedWatch) -> bool:
        if not self._observer.is_alive():
            return True  # not started yet: nothing to tell
        return any(e.watch == watch and e.is_alive() for e in list(self._observer.emitters))

    def _run(self) -> None:
        reported = ""
        while not self._stopping.wait(self.interval):
            try:
                self.check()
            except Exception as exc:  # the checks must go on; say so once per kind of failure
                if repr(exc) != reported:
                    self.on_event(f"warning: checking the watched folders failed: {exc!r}")
                reported = repr(exc)
