"""Where a cold build's memory goes: resident size after each stage of ``build_site``.

Builds ``--source`` once, cold, into a temporary folder (or ``--out``), with the stages that
build.py calls wrapped from outside (as rebuild_stages.py does). After each stage it prints
this process's resident size (RSS) and its peak so far; a thread samples the forked page
workers (their own RSS, which counts the pages they share with this process, and their
proportional share, PSS). The last lines are what ``wait4`` reports as the peak RSS of the
largest process, which is what the bench's "Peak RSS" column shows.

    PYTHONPATH=$PWD python bench/memory_stages.py --source /dev/shm/articles-100k
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import newsarchive.build as build
import newsarchive.output as output
from newsarchive.config import load_config
from newsarchive.parallel import usable_cores

STAGES = ("read_sources", "tag_articles", "build_archive", "related_articles", "page_jobs")
STAGES += ("redirect_jobs", "_pages_to_render", "site_assets", "write_data", "_write_feeds")
STAGES += ("_sitemap", "_write_search", "related_rows")
MB = 1 << 20


def _status(pid: int | str, field: str) -> int:
    """A ``/proc/<pid>/status`` size field (VmRSS, VmHWM), in bytes; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Samples the children of this process: the largest RSS of one, and the largest sum of
    everyone's PSS (this process included), which is what the machine really had in use."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.child_rss = self.total_pss = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(0.2):
            children = []
            for task in os.listdir(f"/proc/{me}/task"):  # the page workers fork from a thread
                try:
                    with open(f"/proc/{me}/task/{task}/children", encoding="ascii") as f:
                        children += [int(pid) for pid in f.read().split()]
                except OSError:
                    pass
            rss = [_status(pid, "VmRSS") for pid in children]
            self.child_rss = max([self.child_rss, *rss])
            if children:
                total = _pss(me) + sum(_pss(pid) for pid in children)
                self.total_pss = max(self.total_pss, total)


def report(name: str, seconds: float) -> None:
    rss, peak = _status("self", "VmRSS"), _status("self", "VmHWM")
    print(f"  {name:18s} {seconds:7.2f} s  RSS {rss / MB:8.1f} MB  peak {peak / MB:8.1f} MB")


def wrapped(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            report(name, time.perf_counter() - started)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="folder of articles")
    parser.add_argument("--config", type=Path, help="archive.toml (default: none)")
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=usable_cores(), help="page workers")
    args = parser.parse_args()
    for name in STAGES:
        if hasattr(build, name):  # stages a checkout may not have
            setattr(build, name, wrapped(name, getattr(build, name)))
    build.PageKeys.keys = wrapped("page keys", build.PageKeys.keys)
    build.PageWriter.wait = wrapped("render (wait)", build.PageWriter.wait)
    output.SiteWriter.commit = wrapped("commit", output.SiteWriter.commit)
    config = load_config(args.config) if args.config else load_config(None)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    sampler = Sampler()
    sampler.start()
    with tempfile.TemporaryDirectory(dir=args.out.parent if args.out else None) as work:
        out = args.out or Path(work) / "site"
        started = time.perf_counter()
        cache = Path(work) / "cache"  # beside the site, not around it
        result = build.build_site(config, args.source, out, jobs=args.jobs, cache_dir=cache)
        seconds = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"{result.articles:,} articles, {result.files:,} files in {seconds:.1f} s")
    print(f"peak RSS: this process {me / MB:.1f} MB, largest worker {kids / MB:.1f} MB")
    print(f"sampled: largest worker RSS {sampler.child_rss / MB:.1f} MB, ", end="")
    print(f"largest total PSS {sampler.total_pss / MB:.1f} MB")


if __name__ == "__main__":
    main()
