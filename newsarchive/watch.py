"""The editing loop behind ``serve``: build, serve, watch, rebuild, reload the browser.

The parts that decide things are plain and unit-tested: which file-system events matter
(``WatchFilter``) and when a burst of them has settled (``Debouncer``). watchdog is only
a thin adapter feeding them, and the HTTP side lives in ``devserver``. Rebuilds go through
the same ``build_site`` as ``build``, with a cache of parsed files and index terms, and
update the output folder in place: every page and index file is computed first, then only
the files whose content changed are replaced (each atomically), so a failed rebuild
leaves the last good site served.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .build import STATIC, TEMPLATES, BuildCache, build_site
from .config import Config, load_config
from .devserver import DevHTTPServer, LiveReload
from .errors import ArchiveError, Problem

# Events that can change what a build reads. Opening or reading a file must not count:
# the build itself reads every input, and would otherwise trigger itself forever.
CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved", "attrib"})
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
    """Runs ``action(paths)`` once changes have been quiet for ``quiet`` seconds.

    Saving one file is often several events (write, rename, metadata) and saving all
    files in an editor is dozens; waiting for quiet turns each burst into one rebuild.
    Changes that arrive while ``action`` runs are collected for the next run, never lost.
    ``add``/``take`` work on the injected clock alone, so the timing is testable without
    threads; ``start()`` runs the loop on a daemon thread.
    """

    def __init__(
        self,
        action: Callable[[set[str]], Any],
        quiet: float = 0.3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.action = action
        self.quiet = quiet
        self.clock = clock
        self._pending: set[str] = set()
        self._last: float | None = None
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def add(self, path: str) -> None:
        with self._cond:
            self._pending.add(path)
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
        return max(0.0, self._last + self.quiet - self.clock())

    def _take(self) -> set[str] | None:
        if self._remaining() != 0.0:
            return None
        batch, self._pending, self._last = self._pending, set(), None
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

    def __init__(self, watch_filter: WatchFilter, notify: Callable[[str], None]) -> None:
        self.filter = watch_filter
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in self.filter.changed_paths(
            event.event_type, event.src_path, event.dest_path, event.is_directory
        ):
            self.notify(path)


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


def start_observer(
    watch_filter: WatchFilter,
    notify: Callable[[str], None],
    on_event: Callable[[str], None] = lambda message: None,
) -> BaseObserver:
    """Start watchdog on the filter's folders; fall back to polling where the native
    watcher cannot start (e.g. the inotify watch limit is reached)."""
    handler = _Handler(watch_filter, notify)
    targets = watch_targets(watch_filter)
    observer: BaseObserver = Observer()
    for folder, recursive in targets:
        observer.schedule(handler, str(folder), recursive=recursive)
    try:
        observer.start()
    except OSError as exc:
        on_event(f"warning: file watching unavailable ({exc}); polling for changes instead")
        observer = PollingObserver(timeout=1.0)
        for folder, recursive in targets:
            observer.schedule(handler, str(folder), recursive=recursive)
        observer.start()
    return observer


class BuildOutcome(Protocol):
    """What the loop needs from ``build.BuildResult``."""

    articles: int
    pages: int
    seconds: float
    problems: list[Problem]
    urls: dict[str, str]


Builder = Callable[[Config, Path, Path], BuildOutcome]


def moved_pages(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """Old URL path -> new one for articles whose URL changed (e.g. an edited title), so an
    open tab follows its article instead of reloading into a 404."""
    return {
        f"/{old}": f"/{after[path]}"
        for path, old in before.items()
        if path in after and after[path] != old
    }


def describe_exception(exc: BaseException) -> str:
    """One readable block for an unexpected build error, naming the template line if any."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))
    ]
    if frames and frames[-1].filename not in text:
        text = f"{frames[-1].filename}:{frames[-1].lineno}: {text}"
    return text


class DevServer:
    """Build once, then serve ``out`` over HTTP and rebuild whenever an input changes.

    ``start()`` returns once the site is built and served (port 0 picks a free port, see
    ``url``); ``stop()`` ends the watcher, the rebuild loop and the server. Messages for
    the user go to ``on_event``; the library itself never prints. A failing first build
    raises (there is no site to serve yet); a failing rebuild is reported, shown in the
    browser, and the previous site stays served.
    """

    def __init__(
        self,
        config_path: Path | None,
        source: Path | None = None,
        out: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        on_event: Callable[[str], None] | None = None,
        quiet: float = 0.1,  # an editor's save is a burst of events well under 10 ms apart
        heartbeat: float = 15.0,
        watch_dirs: Sequence[Path] | None = None,
        builder: Builder | None = None,
    ) -> None:
        self.config_path = config_path
        self.host = host
        self.port = port
        self.on_event = on_event or (lambda message: None)
        self.heartbeat = heartbeat
        self.watch_dirs = list(watch_dirs) if watch_dirs is not None else [TEMPLATES, STATIC]
        self.builder: Builder = builder or self._build
        self._cache = BuildCache()
        self.live = LiveReload()
        self.debouncer = Debouncer(self.rebuild, quiet)
        self._given = (source, out)
        self._base = config_path.parent if config_path is not None else Path()
        self.source = source or Path()
        self.out = out or Path()
        self.httpd: DevHTTPServer | None = None
        self._observer: BaseObserver | None = None
        self._http_thread: threading.Thread | None = None
        self._build_lock = threading.Lock()
        self._urls: dict[str, str] = {}
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        if self.httpd is None:
            raise RuntimeError("the server is not started")
        return self.httpd.url

    def start(self) -> None:
        """Bind first (a taken port fails before a long build), watch before building (edits
        made during the first build are not lost), then build and serve."""
        config = load_config(self.config_path)
        self.source, self.out = self._paths(config)
        self.httpd = DevHTTPServer(
            (self.host, self.port),
            self.out,
            self.live,
            heartbeat=self.heartbeat,
            base_path=urlsplit(config.site_url).path,
            report=self.on_event,
        )
        try:
            self._start_watching(config)
            with self._build_lock:
                result = self.builder(config, self.source, self.out)
            self._report_build(result, "Built")
            self._urls = dict(result.urls)
            self.live.built(self._problem_text(result))
            self._http_thread = threading.Thread(
                target=self.httpd.serve_forever,
                kwargs={"poll_interval": 0.2},
                name="newsarchive-http",
                daemon=True,
            )
            self._http_thread.start()
        except BaseException:
            self.stop()
            raise
        self.on_event(f"Serving {self.url} (press Ctrl+C to stop)")

    def _start_watching(self, config: Config) -> None:
        files = []
        if self.config_path is not None:  # the config, and the tag rules it names
            files = [self.config_path, self.config_path.parent / config.tags_file]
        watch_filter = WatchFilter.create([self.source, *self.watch_dirs], files, [self.out])
        self.debouncer.start()
        self._observer = start_observer(watch_filter, self.debouncer.add, self.on_event)
        watched = [p for p in watch_filter.roots if p.exists()] + list(watch_filter.files)
        self.on_event("Watching " + ", ".join(self._show(p) for p in watched))

    def stop(self) -> None:
        """Idempotent; waits briefly for a rebuild in progress so no half swap is left."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None
        self.debouncer.stop(timeout=30)
        self.live.close()
        if self.httpd is not None:
            if self._http_thread is not None:  # shutdown() waits forever if never served
                self.httpd.shutdown()
                self._http_thread.join(5)
                self._http_thread = None
            self.httpd.server_close()
            self.httpd = None
        self._stopped.set()

    def wait(self) -> None:
        """Block until ``stop()``; the timeout keeps Ctrl+C responsive on every platform."""
        while not self._stopped.wait(0.5):
            pass

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rebuild(self, changed: Iterable[str] = ()) -> bool:
        """Reload the config and build again; tell the browsers. True if a site was built.

        Never raises: the editing session must survive any error in the user's input or
        in a stage, so unexpected exceptions are reported like user errors.
        """
        changed = sorted(changed)
        if changed:
            shown = ", ".join(self._show(Path(p)) for p in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            self.on_event(f"Changed: {shown}{more}; rebuilding")
        with self._build_lock:
            # The default builder then reads only these files again (and walks the folder
            # when it cannot know more); a rebuild asked for without paths walks it.
            if not changed:
                self._cache.changed = None
            elif self._cache.changed is not None:
                self._cache.changed.update(Path(p) for p in changed)
            try:
                config = load_config(self.config_path)
                if self._paths(config) != (self.source, self.out):
                    self.on_event(
                        "note: source/output changed in the config; restart serve to use them"
                    )
                result = self.builder(config, self.source, self.out)
            except ArchiveError as exc:
                self._failed(str(exc))
                return False
            except Exception as exc:
                self._failed(describe_exception(exc))
                return False
        self._report_build(result, "Rebuilt")
        self.live.built(self._problem_text(result), moved_pages(self._urls, result.urls))
        self._urls = dict(result.urls)
        return True

    def _build(self, config: Config, source: Path, out: Path) -> BuildOutcome:
        """The default builder: keeps parse results and index terms between builds (and,
        like any rebuild, reuses unchanged pages and updates the folder in place)."""
        return build_site(config, source, out, cache=self._cache)

    def _failed(self, text: str) -> None:
        self.on_event(f"error: rebuild failed: {text}")
        self.on_event("Still serving the last good site; fix the problem and save again.")
        self.live.failed(
            "newsarchive: the rebuild failed; this is the last good site.\n\n"
            f"{text}\n\nFix it and save: the page reloads by itself."
        )

    def _report_build(self, result: BuildOutcome, verb: str) -> None:
        for problem in result.problems:
            self.on_event(str(problem))
        errors = sum(1 for p in result.problems if p.level == "error")
        skipped = f" ({errors} file{'s' if errors != 1 else ''} skipped)" if errors else ""
        self.on_event(
            f"{verb} {result.articles} articles, {result.pages} pages in "
            f"{result.seconds:.2f} s{skipped}"
        )

    @staticmethod
    def _problem_text(result: BuildOutcome) -> str | None:
        """Overlay text when files were skipped. Warnings alone stay in the terminal: an
        overlay for them would hide the page on every reload."""
        errors = [p for p in result.problems if p.level == "error"]
        if not errors:
            return None
        lines = "\n".join(str(p) for p in result.problems)
        return (
            f"newsarchive: the site was rebuilt, but {len(errors)} "
            f"file{'s were' if len(errors) != 1 else ' was'} skipped:\n\n{lines}\n\n"
            "Click to hide; fix and save to rebuild."
        )

    def _paths(self, config: Config) -> tuple[Path, Path]:
        source, out = self._given
        return (source or self._base / config.source, out or self._base / config.output)

    def _show(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)


def serve(
    config_path: Path | None,
    source: Path | None = None,
    out: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    on_event: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until Ctrl+C. Raises ArchiveError if the first
    build fails or the port is taken; later failures are reported through ``on_event``."""
    server = DevServer(config_path, source, out, host=host, port=port, on_event=on_event)
    try:
        server.start()
        server.wait()
    except KeyboardInterrupt:
        if on_event is not None:
            on_event("Stopping.")
    finally:
        server.stop()
