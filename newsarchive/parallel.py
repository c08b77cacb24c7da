"""How many processes a build may use, and the forked processes it uses them through."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import selectors
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def task_ranges(count: int, jobs: int, least: int, most: int) -> list[tuple[int, int]]:
    """``(start, end)`` ranges that cut ``count`` items into tasks for ``jobs`` processes:
    about four a process (each task is a fork and one result), of ``least`` to ``most``
    items (what one task copies of the parent's memory, and holds before it reports)."""
    size = min(max(least, -(-count // (4 * jobs))), most)
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def forked_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes forked from this one: they inherit what the build has made
    (the archive, compiled templates) instead of receiving it through a pipe."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))


class ForkedTasks(Generic[T, R]):
    """``work(task)`` for each task, each in a child forked for that task alone, at most
    ``jobs`` at a time; a thread of this process forks them and collects their results.

    Why not a pool: a worker that lives for the whole build keeps every memory page of this
    process as it was when it forked, so each page that this process or the worker then
    touches (a reference count is a write) is copied. At a million articles the page
    workers and this process, which makes the search index meanwhile, held the archive
    about three times over. A child that lives for one task shares the pages as they are
    when it starts, copies only what its task touches, and gives it all back when it ends.

    The children only run ``work`` and write its pickled result to a pipe; they must not
    need a lock that another thread of this process may hold (logging, stdout), as a
    forked child has only the thread that forked it.
    """

    def __init__(self, work: Callable[[T], R], tasks: Sequence[T], jobs: int):
        self._work, self._tasks, self._jobs = work, tasks, max(1, jobs)
        self.futures: list[Future[R]] = [Future() for _ in tasks]
        self._stop = threading.Event()
        self.forked = threading.Event()  # set once the first child is forked
        self._wake = os.pipe()  # close() wakes the thread with a byte here
        self._running: dict[int, tuple[int, int, list[bytes]]] = {}  # fd: pid, task, bytes
        self._thread = threading.Thread(target=self._run, name="newsarchive-forks", daemon=True)
        self._thread.start()

    def results(self) -> Iterator[R]:
        """The results in the order of the tasks; a task's error is raised when reached."""
        for future in self.futures:
            yield future.result()

    def close(self) -> None:
        """Fork no more; end the children still running (after an error elsewhere)."""
        self._stop.set()
        os.write(self._wake[1], b"!")
        self._thread.join()
        for fd in self._wake:
            os.close(fd)
        for future in self.futures:
            future.cancel()

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as error:  # a fork that failed (no memory): the tasks' error
            for future in self.futures:
                if not future.done():
                    future.set_exception(error)
        finally:
            self.forked.set()  # no waiter waits for a fork that will not come

    def _loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._wake[0], selectors.EVENT_READ)
            following = 0
            ended: list[tuple[int, int, list[bytes]]] = []
            while True:
                try:
                    if self._stop.is_set():  # here, not in close(): no fork can slip past
                        for pid, _, _ in self._running.values():
                            with contextlib.suppress(ProcessLookupError):  # already ended
                                os.kill(pid, signal.SIGKILL)
                    else:
                        while following < len(self._tasks) and len(self._running) < self._jobs:
                            selector.register(self._fork(following), selectors.EVENT_READ)
                            following += 1
                finally:
                    # Reaped once the next children run (or a fork failed): a child that
                    # has sent its result still unmaps what it copied of this process (at a
                    # million articles, a 5 GB one) before waitpid returns, and no child
                    # was forked meanwhile.
                    for child in ended:
                        self._finish(*child)
                    ended.clear()
                if not self._running:
                    return
                for key, _ in selector.select():
                    fd = key.fd
                    if fd == self._wake[0]:
                        selector.unregister(fd)
                        continue
                    chunk = os.read(fd, 1 << 20)
                    if chunk:
                        self._running[fd][2].append(chunk)
                        continue
                    selector.unregister(fd)
                    os.close(fd)
                    ended.append(self._running.pop(fd))

    def _fork(self, index: int) -> int:
        """Start the child for task ``index``; the pipe it reports through."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(write, self._work, self._tasks[index])
        os.close(write)  # before any other fork, so only this child holds it
        self.forked.set()
        self._running[read] = (pid, index, [])
        return read

    def _finish(self, pid: int, index: int, chunks: list[bytes]) -> None:
        _, status = os.waitpid(pid, 0)
        future = self.futures[index]
        try:
            ok, value, trace = pickle.loads(b"".join(chunks))
        except Exception:  # killed, or died before it could say (out of memory)
            code = os.waitstatus_to_exitcode(status)
            ok, value = False, RuntimeError(f"a forked worker ended without a result ({code})")
            trace = ""
        if ok:
            future.set_result(value)
            return
        if trace:  # where in the child it failed, as a pool shows it
            value.__cause__ = RemoteTraceback(trace)
        future.set_exception(value)


class RemoteTraceback(Exception):
    """The traceback of an error raised in a forked child, as its cause here."""

    def __str__(self) -> str:
        return self.args[0]


def _child(fd: int, work: Callable[[T], R], task: T) -> None:
    """In a forked child: run the task, send ``(ok, result or error, traceback)``, and
    leave at once (``os._exit``: nothing of the parent's, such as buffered output, runs
    twice)."""
    code = 0
    try:
        try:
            outcome: tuple[bool, object, str] = (True, work(task), "")
        except BaseException as error:  # every error goes to the parent
            trace = "".join(traceback.format_exception(error))
            outcome = (False, error, f'\n"""\n{trace}"""')
        try:
            data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error that does not pickle: its text does
            data = pickle.dumps((False, RuntimeError(repr(outcome[1])), outcome[2]))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent reports a child without a result
        code = 1
    finally:
        os._exit(code)
