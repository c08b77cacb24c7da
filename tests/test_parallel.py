"""Forked tasks (``parallel.ForkedTasks``): each task in a child of its own, results in the
order of the tasks, and every way a child can fail reported here."""

from __future__ import annotations

import itertools
import os
import signal

import pytest

from newsarchive.errors import ArchiveError
from newsarchive.parallel import ForkedTasks, RemoteTraceback
from newsarchive.render.workers import task_ranges

# Set before the tasks start: the children see it because they fork, not through a pipe.
_SHARED: list[int] = []


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n + sum(_SHARED), os.getpid()


def test_each_task_runs_in_a_child_of_its_own_and_results_keep_task_order() -> None:
    _SHARED[:] = [100]
    tasks = ForkedTasks(_square_with_pid, list(range(12)), jobs=3)
    try:
        results = list(tasks.results())
    finally:
        tasks.close()
        _SHARED.clear()
    assert [value for value, _ in results] == [n * n + 100 for n in range(12)]
    pids = {pid for _, pid in results}
    assert len(pids) == 12 and os.getpid() not in pids


def _fail_on_three(n: int) -> int:
    if n == 3:
        raise ArchiveError("cannot render", "a/b.txt", 7)
    return n


def test_an_error_arrives_whole_with_the_childs_traceback_as_its_cause() -> None:
    tasks = ForkedTasks(_fail_on_three, [0, 1, 2, 3, 4, 5], jobs=2)
    got = []
    with pytest.raises(ArchiveError) as info:
        for value in tasks.results():
            got.append(value)
    tasks.close()
    assert got == [0, 1, 2]  # the tasks before the failed one, in order
    assert str(info.value) == "a/b.txt:7: cannot render"
    cause = info.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "_fail_on_three" in str(cause) and "raise ArchiveError" in str(cause)


class _Unpicklable(Exception):
    def __reduce__(self):  # type: ignore[no-untyped-def]
        raise TypeError("not this one")


def _raise_unpicklable(n: int) -> int:
    raise _Unpicklable(f"task {n}")


def _die(n: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    return n


def test_an_error_that_does_not_pickle_arrives_as_its_text() -> None:
    tasks = ForkedTasks(_raise_unpicklable, [5], jobs=1)
    with pytest.raises(RuntimeError, match="task 5"):
        list(tasks.results())
    tasks.close()


def test_a_child_killed_without_a_result_is_an_error_not_a_hang() -> None:
    tasks = ForkedTasks(_die, [1, 2], jobs=2)
    with pytest.raises(RuntimeError, match=r"ended without a result \(-9\)"):
        list(tasks.results())
    tasks.close()


def _slow(n: int) -> int:
    import time

    time.sleep(30)
    return n


def test_close_ends_the_children_still_running() -> None:
    tasks = ForkedTasks(_slow, [1, 2, 3, 4], jobs=2)
    tasks.close()  # at once, as after an error in this process
    assert all(future.done() for future in tasks.futures)


def test_task_ranges_cover_every_page_once_in_bounded_tasks() -> None:
    for pages, jobs in [(251, 2), (40_000, 2), (1_900_000, 2), (10_000, 8)]:
        ranges = task_ranges(pages, jobs)
        assert ranges[0][0] == 0 and ranges[-1][1] == pages
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        sizes = [end - start for start, end in ranges]
        assert max(sizes) <= 20_000
        assert len(ranges) >= min(4 * jobs, pages // 250)  # enough to balance the workers


def test_render_order_groups_listings_by_time_and_keeps_every_page() -> None:
    """The workers take the listings of every kind by the time of their newest article
    (so one task's listings share their entries); the other pages first, in their order."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from newsarchive.render.pages import PageJob
    from newsarchive.render.workers import render_order

    def listing(path: str, *days: int) -> PageJob:
        items = [SimpleNamespace(posted=datetime(2023, 1, d, tzinfo=UTC)) for d in days]
        return PageJob("tag.html", path, {"pagination": SimpleNamespace(items=items)})

    pages = [
        PageJob("article.html", "a/", {"article": 1}),
        listing("page/2/", 5, 4),
        listing("tags/x/", 9, 1),
        PageJob("article.html", "b/", {"article": 2}),
        listing("2023/01/05/", 5),
        listing("tags/empty/"),
        listing("page/1/", 9, 8),
    ]
    ordered = [job.path for job in render_order(pages)]
    assert ordered == ["a/", "b/", "tags/empty/", "tags/x/", "page/1/", "page/2/", "2023/01/05/"]


def test_a_fork_that_fails_is_every_tasks_error_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """No memory to fork: the tasks end with that error, and a waiter for the first fork
    (searchfork) is let go."""

    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    tasks = ForkedTasks(_square_with_pid, [1, 2], jobs=2)
    assert tasks.forked.wait(10)
    with pytest.raises(OSError, match="Cannot allocate memory"):
        list(tasks.results())
    tasks.close()


def test_a_task_that_ended_before_a_fork_failed_keeps_its_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A child is reaped after the next fork: when that fork fails, the child that ended
    before it still gives its result (and is reaped); the tasks not started get the error."""
    real_fork, forks = os.fork, []

    def fork_once() -> int:
        forks.append(1)
        if len(forks) > 1:
            raise OSError(12, "Cannot allocate memory")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork_once)
    tasks = ForkedTasks(_square_with_pid, [3, 4, 5], jobs=1)
    first = tasks.futures[0].result(timeout=30)
    assert first[0] == 9
    for future in tasks.futures[1:]:
        with pytest.raises(OSError, match="Cannot allocate memory"):
            future.result(timeout=30)
    tasks.close()
