"""``serve`` mode: from saving a file to the updated page being served, as a writer sees it.

``build.py serve`` runs as a child process on a free port. The benchmark saves an edit to
one article's title (or adds or deletes an article) and polls the article's URL over HTTP until the
new text is served. That time includes everything a person waits for: the file watcher, the
debounce quiet period, the rebuild, the swap and the HTTP response.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from .corpus import Doc, SizeSet, file_name, plain_text
from .measure import MemoryWatch, kill_tree
from .tools import Settings, Workspace, newsarchive_command

POLL_INTERVAL = 0.02
REBUILT_RE = re.compile(r"Rebuilt [\d,]+ articles?, [\d,]+ pages? in ([\d.]+) s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body; a refused connection or an HTTP error is a status, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def wait_until(check: Any, timeout: float) -> float:
    """Poll ``check()`` until true; seconds taken. Raises TimeoutError past ``timeout``."""
    started = time.perf_counter()
    while True:
        if check():
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"not served within {timeout:.0f} s")
        time.sleep(POLL_INTERVAL)


@dataclass
class ServeProcess:
    """``build.py serve`` as a child in its own session; ``stop()`` returns its peak RSS."""

    proc: Any
    log: Path
    url: str
    _rusage: Any = None
    watch: MemoryWatch | None = None

    @classmethod
    def start(
        cls, command: list[str], log: Path, port: int, memory_limit: int | None = None
    ) -> ServeProcess:
        import subprocess

        with log.open("wb") as out:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_default_sigint,
            )
        server = cls(proc, log, f"http://127.0.0.1:{port}/")
        reaper = threading.Thread(target=server._reap, daemon=True)
        reaper.start()
        if memory_limit:
            server.watch = MemoryWatch(proc.pid, memory_limit, reaper)
        return server

    def _reap(self) -> None:
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self._rusage = usage

    @property
    def running(self) -> bool:
        return self._rusage is None

    def stop(self, grace: float = 60.0) -> int:
        """Ctrl+C (the server finishes a rebuild in progress), then SIGKILL after ``grace``."""
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)
        deadline = time.monotonic() + grace
        while self.running and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.running:
            kill_tree(self.proc.pid)
            while self.running and time.monotonic() < deadline + 10:
                time.sleep(0.05)
        return int(self._rusage.ru_maxrss * 1024) if self._rusage is not None else 0

    def rebuild_seconds(self) -> list[float]:
        """The server's own "Rebuilt ... in X s" figures (the build alone, no waiting)."""
        text = self.log.read_text("utf-8", "replace")
        return [float(m.group(1)) for m in REBUILT_RE.finditer(text)]


def _default_sigint() -> None:
    """In the child: Ctrl+C (SIGINT) back to its default. A shell starts background jobs
    with SIGINT ignored, children inherit that, and Python then installs no KeyboardInterrupt
    handler: a benchmark started with ``&`` waited the full grace period for every stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _save(path: Path, text: str) -> float:
    """Write like an editor's plain save; the clock starts when the file is closed."""
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
    return time.perf_counter()


# Title edits timed in every run: the figure is a median of 10, and an edit is cheap.
EDIT_RUNS = 10


def measure_serve(
    sizeset: SizeSet,
    ws: Workspace,
    settings: Settings,
    adds: int,
    edits: int = EDIT_RUNS,
    out: str | None = None,
) -> dict[str, Any]:
    """Start ``serve``; then ``edits`` title edits; as many new articles dated after the
    newest ("publish": what a newsroom does all day) and their deletion, newest first
    ("retract"); then ``adds`` articles dated in the middle of the archive ("add": a
    back-filled story shifts every newer one) and their deletion, one change at a time.
    The server is killed past ``settings.memory_limit`` (then it "exited"). It builds into
    its own folder, or into ``out`` of the workspace (the measured site: its manifest lets
    the first build reuse the pages, where a cold start would take minutes)."""
    port = free_port()
    command = [str(c) for c in newsarchive_command(sizeset, ws)]
    command[command.index("build")] = "serve"
    command[command.index("--out") + 1] = str(ws.path(out or "newsarchive-serve"))
    command.remove("--quiet")
    command += ["--port", str(port)]
    ws.logs.mkdir(parents=True, exist_ok=True)
    server = ServeProcess.start(command, ws.logs / "serve.log", port, settings.memory_limit)
    doc = sizeset.docs[len(sizeset.docs) // 2]
    newest = max(d.posted for d in sizeset.docs)
    article = sizeset.newsarchive / file_name(doc, ".txt")
    original = article.read_text("utf-8")
    added: list[Path] = []
    result: dict[str, Any] = {"out": out or "newsarchive-serve", "edits": edits, "adds": adds}

    def until(check: Any) -> float:
        """wait_until, but a server that died (its memory watch killed it) is an error at
        once, not an hour of polling a closed port."""

        def alive_and(check: Any = check) -> bool:
            if not server.running:
                killed = server.watch is not None and server.watch.killed
                what = "passed the memory limit and was killed" if killed else "exited"
                raise RuntimeError(f"serve {what} while it rebuilt after a change")
            return bool(check())

        return wait_until(alive_and, settings.timeout)

    def add(i: int, posted: Any, kind: str) -> tuple[Path, str, float]:
        slug = f"bench-{kind}-{i}-{uuid.uuid4().hex[:8]}"
        new = Doc(10_000_000 + i, f"BENCH NEW {slug}", posted, doc.tags, doc.paragraphs, slug)
        path = sizeset.newsarchive / file_name(new, ".txt")
        added.append(path)
        url = server.url + new.url
        saved = _save(path, plain_text(new))
        until(lambda: fetch(url)[0] == 200)
        return path, url, time.perf_counter() - saved

    def delete(path: Path, url: str) -> float:
        path.unlink()
        gone = time.perf_counter()
        until(lambda: fetch(url)[0] == 404)
        return time.perf_counter() - gone

    try:
        started = time.perf_counter()
        wait_until(lambda: not server.running or fetch(server.url)[0] == 200, settings.timeout)
        if not server.running:
            if server.watch is not None and server.watch.killed:
                limit = server.watch.limit / 2**30
                raise RuntimeError(f"out of memory: serve passed the {limit:.0f} GB limit")
            raise RuntimeError(f"serve exited: {server.log.read_text('utf-8', 'replace')[-400:]}")
        result["startup_seconds"] = time.perf_counter() - started
        times: dict[str, list[float]] = {k: [] for k in ("edit", "publish", "retract", "add")}
        times["delete"] = []
        for i in range(edits):
            token = f"BENCH EDIT {i} {uuid.uuid4().hex[:8].upper()}"
            edited = Doc(doc.number, token, doc.posted, doc.tags, doc.paragraphs, doc.slug)
            url = server.url + doc.url
            saved = _save(article, plain_text(edited))
            until(lambda url=url, token=token: token.encode() in fetch(url)[1])
            times["edit"].append(time.perf_counter() - saved)
            time.sleep(0.5)  # let the watcher settle so edits do not merge
        for kinds, count, dated in (
            (("publish", "retract"), edits, lambda i: newest + timedelta(minutes=i + 1)),
            # Back-fills at times of their own near the edited article, as real stories have.
            (("add", "delete"), adds, lambda i: doc.posted + timedelta(seconds=97 * i + 31)),
        ):
            made = []
            for i in range(count):
                path, url, seconds = add(i, dated(i), kinds[0])
                times[kinds[0]].append(seconds)
                made.append((path, url))
                time.sleep(0.5)
            for path, url in reversed(made):  # the newest first: each is the newest then
                times[kinds[1]].append(delete(path, url))
                time.sleep(0.5)
        result.update({kind: _summary(values) for kind, values in times.items()})
    finally:
        result["peak_rss"] = server.stop()
        article.write_text(original, encoding="utf-8")
        for path in added:
            path.unlink(missing_ok=True)
    result["rebuild_seconds"] = server.rebuild_seconds()
    return result


def _summary(times: list[float]) -> dict[str, Any]:
    return {"seconds": statistics.median(times), "all_seconds": [round(t, 3) for t in times]}
