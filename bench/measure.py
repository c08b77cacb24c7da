"""Timing, peak memory and output size of a child process, with a hard timeout.

Peak RSS comes from ``wait4()`` on the child itself: the kernel reports the largest resident
set of that child or of any descendant it waited for, never of this benchmark process (which
holds the corpus in memory). Every child runs in its own session, so a timeout kills the
whole tree and a stuck tool cannot hang the run.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    """One finished (or killed) child process."""

    command: list[str]
    seconds: float
    peak_rss: int  # bytes
    returncode: int
    timed_out: bool = False
    log: str = ""  # the tail of stdout and stderr, for error messages
    out_of_memory: int = 0  # the memory limit (bytes) the child tree was killed at, if it was
    session_peak: int = 0  # the largest sum the MemoryWatch went by (see there)
    cpu_seconds: float = 0.0  # user + system time of the child and the children it waited for

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.out_of_memory

    def describe_failure(self) -> str:
        if self.out_of_memory:
            limit = self.out_of_memory / 2**30
            return f"out of memory: over the {limit:.0f} GB limit after {self.seconds:.0f} s"
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        return f"exit status {self.returncode}: {self.log.strip()[-400:]}"


class ToolFailed(RuntimeError):
    """A tool exited with an error or timed out; the table shows this instead of a figure."""


def run(
    command: Sequence[str | Path],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    check: bool = True,
    memory_limit: int | None = None,
) -> Run:
    """Run ``command`` to completion; wall time, the child tree's peak RSS and exit status.

    Output goes to a file (a full pipe would stall the child and distort its timing).
    ``memory_limit`` (bytes): kill the child tree once its resident sets add up to more
    (see :class:`MemoryWatch`).
    """
    args = [str(c) for c in command]
    log_path = _log_path(log_dir, args)
    reaped = _Reaped()
    with log_path.open("wb") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        waiter = threading.Thread(target=reaped.wait, args=(proc.pid,), daemon=True)
        waiter.start()
        watch = MemoryWatch(proc.pid, memory_limit, waiter) if memory_limit else None
        try:
            waiter.join(timeout)
        except BaseException:  # Ctrl+C: the child is in its own session and would live on
            kill_tree(proc.pid)
            raise
        timed_out = waiter.is_alive()
        if timed_out:
            kill_tree(proc.pid)
            waiter.join(30)
        if watch is not None:
            watch.join()
    proc.returncode = reaped.returncode  # reaped here, so Popen must not wait for it again
    done = Run(
        command=args,
        seconds=(reaped.end or time.perf_counter()) - started,
        peak_rss=reaped.peak_rss,
        returncode=reaped.returncode,
        timed_out=timed_out and not (watch and watch.killed),
        log=_tail(log_path),
        out_of_memory=memory_limit if watch and watch.killed else 0,
        session_peak=watch.peak if watch else 0,
        cpu_seconds=reaped.cpu_seconds,
    )
    if check and not done.ok:
        raise ToolFailed(f"{Path(args[0]).name}: {done.describe_failure()}")
    return done


@dataclass
class _Reaped:
    """What ``wait4`` tells about a finished child."""

    end: float | None = None
    returncode: int = -9
    peak_rss: int = 0
    cpu_seconds: float = 0.0

    def wait(self, pid: int) -> None:
        _, status, usage = os.wait4(pid, 0)
        self.end = time.perf_counter()
        self.returncode = os.waitstatus_to_exitcode(status)
        self.peak_rss = usage.ru_maxrss * 1024  # kilobytes on Linux
        self.cpu_seconds = usage.ru_utime + usage.ru_stime


class MemoryWatch(threading.Thread):
    """A memory limit without cgroups: every 0.2 s, add up the resident sets of the child's
    session (``/proc/*/stat`` session id, ``/proc/*/statm``); past ``limit``, add up their
    proportional set sizes (``Pss`` of ``/proc/*/smaps_rollup``: a page shared by forked
    workers counts once in all, where their resident sets count it in each) and kill the
    session when that sum passes ``limit``.

    Why not the usual tools: this machine's init is not systemd (``systemd-run --scope``
    cannot run), its cgroups belong to the session machinery, and ``prlimit --as`` limits
    virtual memory, which Go programs like Hugo reserve far beyond what they use. Resident
    memory between two polls is not seen, so a child can pass the limit briefly before the
    kill (by what it allocates in 0.2 s).

    Why not the proportional sizes at every poll: ``smaps_rollup`` walks the process's page
    tables, 40 ms of CPU for a 3 GB process here, and at a million articles four processes
    of 5 GB (the build, its search child, two page workers) made the watch take more than
    half of one of the machine's two cores from the build it measured. Each proportional
    sum is now good for as long as the memory left under the limit lasts at ``GROWTH``
    bytes a second (at most ``LONGEST`` seconds); a resident sum under the limit needs none.
    ``peak``: the largest sum the watch went by (the resident one while under the limit,
    which is never less than the proportional one; else the last proportional one).
    """

    INTERVAL = 0.2
    GROWTH = 2 * 2**30  # bytes a second: a tool's memory is taken to grow no faster
    LONGEST = 5.0  # seconds between two proportional sums at most

    def __init__(self, pid: int, limit: int, waiter: threading.Thread) -> None:
        super().__init__(daemon=True)
        self.pid, self.limit, self.waiter = pid, limit, waiter
        self.killed = False
        self.peak = 0
        self.start()

    def run(self) -> None:
        proportional, due = 0, 0.0
        while self.waiter.is_alive():
            resident = session_memory(self.pid, proportional=False)
            if resident <= self.limit:
                self.peak = max(self.peak, resident)
                due = 0.0  # past the limit again: a proportional sum at once
            else:
                now = time.monotonic()
                if now >= due:
                    proportional = session_memory(self.pid, proportional=True)
                    due = now + min((self.limit - proportional) / self.GROWTH, self.LONGEST)
                self.peak = max(self.peak, proportional)
                if proportional > self.limit:
                    self.killed = True
                    kill_tree(self.pid)
                    return
            self.waiter.join(self.INTERVAL)


PAGE = os.sysconf("SC_PAGE_SIZE")


def resident(pid: int | str = "self") -> int:
    """A process's resident bytes now (``/proc/<pid>/statm``, second field): a read that,
    unlike ``smaps_rollup``, does not walk the process's page tables."""
    with open(f"/proc/{pid}/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE


def session_memory(session: int, proportional: bool = True) -> int:
    """Memory of every process in ``session``: the sum of their proportional set sizes, or
    (cheaper: no walk of their page tables) of their resident sets."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != session:  # field 6: session id
                continue
            if not proportional:
                total += resident(entry.name)
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as smaps:
                for line in smaps:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024  # kB
                        break
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return total


def kill_tree(pid: int) -> None:
    """SIGKILL the child's whole session (it was started with ``start_new_session``)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


_log_counter = iter(range(1_000_000))


def _log_path(log_dir: Path | None, args: list[str]) -> Path:
    folder = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{next(_log_counter):03d}-{Path(args[0]).name}.log"


def _tail(path: Path, limit: int = 4000) -> str:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - limit))
        return f.read().decode("utf-8", "replace")


@dataclass
class Series:
    """Repeated runs of one measurement; the table shows the median."""

    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_rss(self) -> int:
        return max(r.peak_rss for r in self.runs)

    def as_dict(self) -> dict[str, object]:
        return {
            "seconds": self.seconds,
            "all_seconds": [round(r.seconds, 3) for r in self.runs],
            "peak_rss": self.peak_rss,
            "session_peak": max(r.session_peak for r in self.runs),
            "cpu_seconds": statistics.median(r.cpu_seconds for r in self.runs),
            "runs": len(self.runs),
        }


def repeat(
    once: Callable[[], Run], runs: int, short: float, before: Callable[[], None] | None = None
) -> Series:
    """Up to ``runs`` runs, but only one when the first takes ``short`` seconds or more.

    ``before`` resets the state (e.g. removes the output folder) and is not timed.
    """
    series = Series()
    for i in range(max(1, runs)):
        if before is not None:
            before()
        series.runs.append(once())
        if i == 0 and series.runs[0].seconds >= short:
            break
    return series


@dataclass(frozen=True)
class Tree:
    """Files and bytes below a folder (what a tool wrote), and their gzip -6 total."""

    files: int
    bytes: int

    def as_dict(self) -> dict[str, int]:
        return {"files": self.files, "bytes": self.bytes}


def tree_size(folder: Path, exclude: Sequence[str] = ()) -> Tree:
    """Count regular files below ``folder``; ``exclude`` names top-level entries to skip."""
    files = total = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        if Path(dirpath) == folder:
            dirnames[:] = [d for d in dirnames if d not in exclude]
            filenames = [f for f in filenames if f not in exclude]
        for name in filenames:
            files += 1
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return Tree(files, total)


def gzip_size(data: bytes) -> int:
    """Bytes after ``gzip -6``, the usual on-the-fly compression level of a web server."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def files_size(paths: Sequence[Path]) -> tuple[int, int]:
    """Raw and gzipped bytes of some files (each compressed on its own, as served)."""
    raw = gz = 0
    for path in paths:
        data = path.read_bytes()
        raw += len(data)
        gz += gzip_size(data)
    return raw, gz
