"""A cold build's time and memory per stage: ``build.py build`` with build.py's stages timed.

    python bench/stages.py PROFILE.json build --source DIR --out SITE --config archive.toml -q

Runs the command line of ``build.py`` in this process after wrapping the functions that
``newsarchive/build.py`` calls (the same way as ``bench/rebuild_stages.py``), so the build is
the one a user runs. After each stage it records the seconds and this process's CPU seconds
spent in it (a stage called inside another is subtracted from the outer one: on a shared
machine the CPU time says more than the wall time), the process's current resident set (from
``/proc/self/statm``), its peak so far (``getrusage``) and the peak of the page workers it
waited for (``RUSAGE_CHILDREN``), and writes them as JSON. The stage names are build.py's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/stages.py`: the checkout's newsarchive
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import newsarchive.build as build
import newsarchive.output as output
from bench.measure import resident

# build.py's functions in build order, with the stage of the issue each one belongs to
# (read, tag, model, related, render, search, write). "render pages" is the wait for the
# page workers after this process made the search index and the data files meanwhile.
STAGES: tuple[tuple[str, str], ...] = (
    ("inputs_digest", "read"),  # every source's stat (a cold build's reads take them), digested
    ("read_sources", "read"),
    ("tag_articles", "tag"),
    ("build_archive", "model"),
    ("related_articles", "related"),
    ("page_jobs", "render"),
    ("redirect_jobs", "render"),
    ("page keys", "render"),
    ("_pages_to_render", "render"),
    ("site_assets", "search"),  # in this process: serve, and a build over a last site
    ("search child", "search"),  # a cold build: the wait for searchfork's child, and its records
    ("write_data", "write"),
    ("render pages", "render"),
    ("_write_feeds", "write"),
    ("_sitemap", "write"),
    ("_write_search", "search"),
    ("commit", "write"),
)


def cpu() -> float:
    """This process's user + system seconds: on a shared machine, wall time is not enough."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peaks() -> tuple[int, int]:
    """Peak resident bytes of this process and of its largest waited-for child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return own, children


class Profile:
    """Stage records in call order; a stack subtracts nested stages from their caller."""

    def __init__(self, target: Path | None = None) -> None:
        self.target = target  # written after every stage, so a killed build leaves its part
        self.started = time.perf_counter()
        self.records: list[dict[str, Any]] = []
        self.stack: list[tuple[float, float]] = []  # nested stages' (seconds, CPU seconds)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began, began_cpu = time.perf_counter(), cpu()
            self.stack.append((0.0, 0.0))
            try:
                return fn(*args, **kwargs)
            finally:
                seconds, cpu_seconds = time.perf_counter() - began, cpu() - began_cpu
                nested, nested_cpu = self.stack.pop()
                if self.stack:
                    outer, outer_cpu = self.stack[-1]
                    self.stack[-1] = (outer + seconds, outer_cpu + cpu_seconds)
                own, children = peaks()
                self.records.append(
                    {
                        "stage": name,
                        "seconds": seconds - nested,
                        "cpu_seconds": cpu_seconds - nested_cpu,
                        "end": time.perf_counter() - self.started,
                        "rss": resident(),
                        "peak_rss": own,
                        "children_peak_rss": children,
                    }
                )
                if self.target is not None:
                    self.write(None)

        return timed

    def install(self) -> None:
        for name, _ in STAGES:
            if name == "page keys":
                build.PageKeys.keys = self.wrap(name, build.PageKeys.keys)
            elif name == "render pages":
                build.PageWriter.wait = self.wrap(name, build.PageWriter.wait)
            elif name == "search child":
                fork = getattr(build, "SearchFork", None)  # (a checkout from before it)
                if fork is not None:
                    fork.result = self.wrap(name, fork.result)
            elif name == "commit":
                output.SiteWriter.commit = self.wrap(name, output.SiteWriter.commit)
            elif hasattr(build, name):  # a checkout may not have every stage
                setattr(build, name, self.wrap(name, getattr(build, name)))

    def write(self, status: int | None) -> None:
        """The profile so far (``status`` None: the build has not finished)."""
        assert self.target is not None
        text = json.dumps(self.result(status), indent=1) + "\n"
        self.target.write_text(text, encoding="utf-8")

    def result(self, status: int | None) -> dict[str, Any]:
        own, children = peaks()
        total = time.perf_counter() - self.started
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "seconds": total,
            "cpu_seconds": cpu(),
            "children_cpu_seconds": workers.ru_utime + workers.ru_stime,
            "status": status,
            "stages": self.records,
            "other_seconds": total - sum(r["seconds"] for r in self.records),
            "peak_rss": own,
            "children_peak_rss": children,
            "groups": dict(STAGES),
        }


def main(argv: list[str]) -> int:
    target, args = Path(argv[0]), argv[1:]
    profile = Profile(target)
    profile.install()
    from newsarchive.cli import main as cli

    status = 0
    try:
        cli.main(args=args, prog_name="build.py", standalone_mode=False)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    profile.write(status)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
