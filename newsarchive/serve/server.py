"""The editing loop behind ``serve``: build, serve, watch, rebuild, reload the browser.

Rebuilds go through the same ``build_site`` as ``build``, with a :class:`BuildCache`, and
update the output folder in place: every page and index file is computed first, then only
the files whose content changed are replaced (each atomically), so a failed rebuild leaves
the last good site served.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ..build import build_site
from ..config import Config, load_config
from ..errors import ArchiveError, Problem, shown_path
from ..incremental import BuildCache
from ..model import Archive, Article
from ..outtrash import wait as trash_emptied
from ..render.theme import Theme
from ..wording import plural, shown_problems
from .collector import collector_frozen_after
from .http import DevHTTPServer
from .livereload import LiveReload
from .moves import changed_urls, moved_notes, moved_pages
from .watching import Debouncer, Watcher, WatchFilter


class BuildOutcome(Protocol):
    """What the loop needs from ``build.BuildResult``."""

    articles: int
    pages: int
    seconds: float
    problems: list[Problem]
    archive: Archive | None  # what was built (see moves)


Builder = Callable[[Config, Path, Path], BuildOutcome]


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
        cache_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        on_event: Callable[[str], None] | None = None,
        quiet: float = 0.1,  # an editor's save is a burst of events well under 10 ms apart
        heartbeat: float = 15.0,
        watch_dirs: Sequence[Path] | None = None,
        builder: Builder | None = None,
        verbosity: tuple[bool, bool] = (False, False),
    ) -> None:
        """``verbosity``: (quiet, verbose) as the command line's --quiet and --verbose: which
        of a build's problems are shown (see wording.shown_problems)."""
        self.config_path = config_path
        self.host = host
        self.port = port
        self.on_event = on_event or (lambda message: None)
        self.heartbeat = heartbeat
        self.verbosity = verbosity
        # None: the theme's folders (Theme.of the config when the server starts).
        self.watch_dirs = list(watch_dirs) if watch_dirs is not None else None
        self.builder: Builder = builder or self._build
        self._cache = BuildCache()
        self.live = LiveReload()
        self.debouncer = Debouncer(self.rebuild, quiet)
        self._given = (source, out, cache_dir)
        self.source = source or Path()
        self.out = out or Path()
        self.cache_dir = cache_dir or Path()
        self.httpd: DevHTTPServer | None = None
        self._watcher: Watcher | None = None
        self._http_thread: threading.Thread | None = None
        self._build_lock = threading.Lock()
        self._articles: Sequence[Article] = ()  # the last build's (see moves)
        self._stopped = threading.Event()
        self._builds = 0

    @property
    def url(self) -> str:
        if self.httpd is None:
            raise RuntimeError("the server is not started")
        return self.httpd.url

    def start(self) -> None:
        """Bind first (a taken port fails before a long build), watch before building (edits
        made during the first build are not lost), then build and serve."""
        config = load_config(self.config_path)
        self.source, self.out, self.cache_dir = self._paths(config)
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
            self._articles = result.archive.articles if result.archive is not None else ()
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
            files = [self.config_path, config.path(config.tags_file)]
        folders = Theme.of(config).folders if self.watch_dirs is None else self.watch_dirs
        ignored = [self.out, self.cache_dir]
        watch_filter = WatchFilter.create([self.source, *folders], files, ignored)
        self.debouncer.start()
        self._watcher = Watcher(watch_filter, self.debouncer.add, self.on_event)
        self._watcher.start()
        watched = [p for p in watch_filter.roots if p.exists()] + list(watch_filter.files)
        self.on_event("Watching " + ", ".join(self._show(p) for p in watched))

    def stop(self) -> None:
        """Idempotent; waits briefly for a rebuild in progress so no half swap is left, and
        for the old files of the last commit to be freed (nothing is left in the cache)."""
        if self._watcher is not None:
            self._watcher.stop(5)
            self._watcher = None
        self.debouncer.stop(timeout=30)
        trash_emptied()
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
            # when it cannot know more); a rebuild asked for without paths walks it, and
            # so does one after the folder itself went, came back or was replaced (rediscover).
            if not changed:
                self._cache.changed = None
            elif self._cache.changed is not None:
                self._cache.changed.update(Path(p) for p in changed)
            try:
                config = load_config(self.config_path)
                if self._paths(config) != (self.source, self.out, self.cache_dir):
                    self.on_event(
                        "note: source/output/cache folders changed in the config; "
                        "restart serve to use them"
                    )
                result = self.builder(config, self.source, self.out)
            except ArchiveError as exc:
                self._failed(*(str(part) for part in exc.parts))
                return False
            except Exception as exc:
                self._failed(describe_exception(exc))
                return False
        self._report_build(result, "Rebuilt")
        now = result.archive
        before, after = changed_urls(self._articles, now.articles if now is not None else ())
        for note in moved_notes(before, after, now.positions if now is not None else None):
            self.on_event(note)
        self.live.built(self._problem_text(result), moved_pages(before, after))
        self._articles = now.articles if now is not None else ()
        return True

    def _build(self, config: Config, source: Path, out: Path) -> BuildOutcome:
        """The default builder: keeps parse results and index terms between builds (and,
        like any rebuild, reuses unchanged pages and updates the folder in place)."""
        self._builds += 1
        with collector_frozen_after(self._builds):
            return build_site(
                config,
                source,
                out,
                cache=self._cache,
                cache_dir=self.cache_dir,
                waiting=self.on_event,
            )

    def _failed(self, *errors: str) -> None:
        """One ``error:`` line per error (a config can have several), as the CLI prints."""
        for n, text in enumerate(errors):
            self.on_event(f"error: {'rebuild failed: ' if n == 0 else ''}{text}")
        self.on_event("Still serving the last good site; fix the problem and save again.")
        listed = "\n".join(errors)
        self.live.failed(
            "newsarchive: the rebuild failed; this is the last good site.\n\n"
            f"{listed}\n\nFix it and save: the page reloads by itself."
        )

    def _report_build(self, result: BuildOutcome, verb: str) -> None:
        """The build's problems as the command line shows them, and a summary line."""
        quiet, verbose = self.verbosity
        shown, warnings = shown_problems(result.problems, quiet, verbose)
        for problem in shown:
            self.on_event(str(problem))
        if quiet:
            return
        errors = sum(1 for p in result.problems if p.level == "error")
        notes = [f"{plural(errors, 'file')} skipped"] if errors else []
        notes += [warnings] if warnings else []
        self.on_event(
            f"{verb} {plural(result.articles, 'article')}, {plural(result.pages, 'page')} in "
            f"{result.seconds:.2f} s" + (f" ({'; '.join(notes)})" if notes else "")
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
            f"newsarchive: the site was rebuilt, but {plural(len(errors), 'file')} "
            f"{'were' if len(errors) != 1 else 'was'} skipped:\n\n{lines}\n\n"
            "Click to hide; fix and save to rebuild."
        )

    def _paths(self, config: Config) -> tuple[Path, Path, Path]:
        source, out, cache = self._given
        return (
            source or config.path(config.source),
            out or config.path(config.output),
            cache or config.path(config.cache_dir),
        )

    def _show(self, path: Path) -> str:
        """A path for the terminal: relative when it can be, quoted when odd (errors.shown_path)."""
        try:
            return shown_path(str(path.relative_to(Path.cwd())))
        except ValueError:
            return shown_path(str(path))


def serve(
    config_path: Path | None,
    source: Path | None = None,
    out: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    on_event: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    verbosity: tuple[bool, bool] = (False, False),
) -> None:
    """Build, serve and rebuild on change until Ctrl+C. Raises ArchiveError if the first
    build fails or the port is taken; later failures are reported through ``on_event``."""
    server = DevServer(
        config_path,
        source,
        out,
        cache_dir=cache_dir,
        host=host,
        port=port,
        on_event=on_event,
        verbosity=verbosity,
    )
    try:
        server.start()
        server.wait()
    except KeyboardInterrupt:
        if on_event is not None:
            on_event("Stopping.")
    finally:
        server.stop()
