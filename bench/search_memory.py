"""Where the search stage's memory goes: resident size around each of its steps.

Loads ``--source`` as a cold one-off build does (read, tags, model, related articles), then
runs the search stage (``site_assets``, files made but not written) in this process with
its steps wrapped: after each one it prints the resident size and the peak since the step
before (a thread samples ``VmRSS`` every 0.2 s). This is how the one-off build's heads were
found to decode every big term at once (2.3 GB at a million articles, see docs/memory.md).

    PYTHONPATH=$PWD python bench/search_memory.py --source /tmp/c100k
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import resident
from newsarchive.build import _load
from newsarchive.config import load_config
from newsarchive.incremental import BuildCache
from newsarchive.parallel import usable_cores
from newsarchive.search import assets, packed, sharded
from newsarchive.serve.collector import release_free_memory

STEPS = ("documents", "collect_records", "shard_files", "tag_files", "docs_files")
STEPS += ("article_files", "fan_out")


def _rss_mb() -> int:
    return resident() >> 20


class Probe:
    """Prints each mark with the resident size now and the largest seen since the last."""

    def __init__(self) -> None:
        self.started, self.peak = time.perf_counter(), 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, _rss_mb())
            time.sleep(0.2)

    def mark(self, label: str) -> None:
        now = _rss_mb()
        seconds = time.perf_counter() - self.started
        print(
            f"{seconds:8.1f} s  {label:28} RSS {now:7,} MB  peak since {max(self.peak, now):7,} MB"
        )
        self.peak = now

    def wrapped(self, module: Any, name: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def step(*args: Any, **kwargs: Any) -> Any:
            self.mark(f"> {name}")
            try:
                return real(*args, **kwargs)
            finally:
                self.mark(f"< {name}")

        setattr(module, name, step)


def _nowhere(path: str, data: bytes) -> None:
    """The index files are made, not written."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="the articles")
    parser.add_argument("--config", type=Path, default=Path("archive.toml"))
    args = parser.parse_args()
    config = load_config(args.config)
    probe = Probe()
    for name in STEPS:
        probe.wrapped(sharded, name)
    encoded = packed._encoded  # its first call: every document's postings counted
    first = [True]

    def encode(*a: Any, **k: Any) -> Any:
        if first[0]:
            probe.mark("counted")
            first[0] = False
        return encoded(*a, **k)

    packed._encoded = encode
    loaded = _load(config, args.source, None, BuildCache.one_off(), usable_cores())
    probe.mark("loaded")
    made = assets.site_assets(
        loaded.archive, config, None, lambda path, data: None, lambda moves: None
    )
    probe.mark("search stage done")
    del made
    release_free_memory()
    probe.mark("free memory given back")


if __name__ == "__main__":
    main()
