"""How many processes a build may use, and the forked pools it uses them through."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def forked_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes forked from this one: they inherit what the build has made
    (the archive, compiled templates) instead of receiving it through a pipe."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
