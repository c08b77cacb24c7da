"""How serve's builds use the cyclic garbage collector and give freed memory back.

Split from :mod:`.server` so that the policy, its numbers and its tests sit in one place.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator

# serve's builds freeze what they leave for the cyclic collector (see collector_frozen_after);
# every this many, a full collection frees the few cycles frozen since.
FULL_COLLECTION_EVERY = 25


@contextlib.contextmanager
def collector_frozen_after(builds: int) -> Iterator[None]:
    """Build with the cyclic garbage collector off, then freeze (``gc.freeze``) the objects
    alive at the end, so that no later collection walks them again.

    Nearly all a rebuild makes stays until the next one (serve keeps it), and it was made
    while the collector was paused (build.py), so the first collections after it walked
    every one of those objects: 0.3 s at 20,000 articles, often a full collection of
    1 s, and seconds at 100,000, each on the way from the save to the changed page. What
    a build leaves is freed by reference counting, frozen or not, once nothing holds it;
    only reference cycles need the collector, and a rebuild leaves few (jinja's
    environment: about 500 objects; the renderer holds the archive weakly for that
    reason), so every FULL_COLLECTION_EVERY builds they are collected for real. The first
    build renders every page, and each page that imports a macro "with context" leaves a
    cycle (jinja's module of it: 556,000 objects at 100,000 articles), so it is collected
    at once, and the allocator's free memory given back (260 MB there).
    """
    if builds % FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
        gc.collect()
        release_free_memory()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if builds == 1:
            gc.collect()
            release_free_memory()
        gc.freeze()
        if enabled:
            gc.enable()


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc's ``malloc_trim``): what
    a build freed stays resident otherwise, between the objects that live on. Nothing
    elsewhere (another C library has no such call)."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)
