"""Run the benchmark: newsarchive against Hugo + Pagefind, Pelican and plain lunr.

    .venv/bin/python bench/run.py             # 1,000, 20,000 and 100,000 articles
    .venv/bin/python bench/run.py --quick     # 1,000 and 20,000 only
    .venv/bin/python bench/run.py --sizes 300 --runs 1
    .venv/bin/python bench/run.py --million  # 200,000 and 1,000,000 (`make bench-1m`)

`make bench` installs the alternatives first (bench/setup.sh). Prints the Markdown table
and writes it to bench/results.md (raw figures to bench/results.json). A benchmark, not a
test: CI does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/run.py`: make `bench` importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import browser, corpus, devloop, report, tools

BENCH = Path(__file__).resolve().parent
FULL_SIZES = (1_000, 20_000, 100_000)
QUICK_SIZES = (1_000, 20_000)
MILLION_SIZES = (200_000, 1_000_000)
GB = 2**30


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark newsarchive against Hugo + Pagefind, Pelican and plain lunr.",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 and 20,000 articles only.")
    parser.add_argument(
        "--million",
        action="store_true",
        help="200,000 and 1,000,000 articles, into bench/results-1m.md, with a 1 h timeout.",
    )
    parser.add_argument(
        "--sizes", help="Comma-separated article counts (default 1000,20000,100000)."
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Runs of each short measurement (median shown)."
    )
    parser.add_argument(
        "--short",
        type=float,
        default=30.0,
        help="A measurement is repeated only while one run takes less (seconds).",
    )
    parser.add_argument(
        "--timeout", type=float, help="Limit for any one child process (s; default 900)."
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=14.0,
        help="Kill any one tool past this resident memory (GB; 0: no limit).",
    )
    parser.add_argument("--out", type=Path, help="Markdown table (default bench/results.md).")
    parser.add_argument("--json", type=Path, help="Raw figures (default: beside --out, as .json).")
    parser.add_argument(
        "--keep", type=Path, help="Generate into DIR and keep inputs and outputs there."
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="Keep the sizes of the last results (--json) that this run does not measure, "
        "and of the sizes it measures, the parts it skips.",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="With --keep: where DIR/size-N/cold.json says a cold build was measured (and "
        "its inputs and output are there), measure the rest without generating or building.",
    )
    parser.add_argument(
        "--retry-slow",
        action="store_true",
        help="Run Pelican at a size where the last results (--json) say it ran out of time.",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="Comma-separated parts to leave out: newsarchive (and so serve), serve, hugo, "
        "pelican, lunr, browser.",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s})
    else:
        sizes = MILLION_SIZES if args.million else QUICK_SIZES if args.quick else FULL_SIZES
        args.size_list = list(sizes)
    name = "results-1m.md" if args.million else "results.md"
    args.out = args.out or BENCH / name
    args.timeout = args.timeout or (3600.0 if args.million else 900.0)
    args.skip_set = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip_set - {"newsarchive", "serve", "hugo", "pelican", "lunr", "browser"}
    if unknown:
        parser.error(f"unknown --skip part(s): {', '.join(sorted(unknown))}")
    args.json = args.json or args.out.with_suffix(".json")
    args.last = last_results(args.json)
    # What failed at a size in the last full run (bench/results.json) fails above it too.
    args.history = [args.last, last_results(BENCH / "results.json")]
    return args


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    memory_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_kb / 1024 / 1024,
        "os": platform.platform(terse=True),
    }


def missing_tools() -> list[str]:
    """What bench/setup.sh should have installed."""
    missing = []
    if shutil.which("hugo") is None:
        missing.append("hugo (apt-get install hugo)")
    if not tools.pagefind_binary().exists():
        missing.append("pagefind (npm install in bench/)")
    if not tools.PELICAN.exists():
        missing.append("pelican (bench/.venv)")
    if not Path(browser.CHROMIUM).exists():
        missing.append(f"chromium ({browser.CHROMIUM})")
    return missing


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def step(results: dict[str, Any], key: str, what: str, action: Callable[[], Any]) -> Any:
    """Run one part of a size; a failure is recorded in the results, never fatal."""
    log(f"  {what} ...")
    started = time.perf_counter()
    try:
        value = action()
    except Exception as exc:
        value = {"error": f"{type(exc).__name__}: {exc}"[:600]}
        log(f"  {what} FAILED: {value['error']}")
    else:
        log(f"  {what} done in {time.perf_counter() - started:.1f} s")
    results[key] = value
    return value


def run_size(
    size: int,
    source: list[corpus.Source],
    root: Path,
    args: argparse.Namespace,
    previous: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    limit = int(args.memory_limit * GB) or None
    settings = tools.Settings(args.runs, args.short, args.timeout, limit)
    data: dict[str, Any] = {"articles": size, "memory_limit": limit}
    skip = set(args.skip_set)
    hugo_failed = failed_below(previous, size, "hugo_pagefind")
    if hugo_failed and "hugo" not in skip:
        data["hugo_pagefind"] = {"skipped": f"not run: {hugo_failed}"}
        log(f"  Hugo + Pagefind not run: {hugo_failed}")
        skip.add("hugo")
    slow = None if args.retry_slow else timed_out_before(args.history, size, "pelican")
    slow = slow or failed_below(previous, size, "pelican")
    if "pelican" not in skip and slow:
        data["pelican"] = {"skipped": slow, "timed_out": slow}
        log(f"  Pelican skipped: {slow}")
        skip.add("pelican")
    ws = tools.Workspace(root / "work")
    cold = root / "cold.json"
    formats = {f for f in ("hugo", "pelican", "lunr") if f not in skip}
    if args.reuse and cold.exists():  # inputs and a measured cold build are already there
        docs = corpus.make_set(source, size)
        sizeset = corpus.SizeSet(size, root / "input", docs)
        log(f"  reusing the inputs, output and cold build in {root}")
        corpus.write_formats(sizeset, formats)
        ours = step(data, "newsarchive", "newsarchive rebuild (cold build reused)",
                    lambda: tools.measure_newsarchive(sizeset, ws, settings, cold))  # fmt: skip
    else:
        if root.exists():
            shutil.rmtree(root)
        started = time.perf_counter()
        wanted = formats if "newsarchive" in skip else {"newsarchive", *formats}
        sizeset = corpus.generate(source, size, root / "input", wanted)
        data["generate_seconds"] = time.perf_counter() - started
        log(f"  generated the inputs in {data['generate_seconds']:.1f} s")
        ws.logs.mkdir(parents=True, exist_ok=True)
        ours = {}
        if "newsarchive" not in skip:
            ours = step(data, "newsarchive", "newsarchive build and rebuild",
                        lambda: tools.measure_newsarchive(sizeset, ws, settings))  # fmt: skip
    if "hugo" not in skip:
        step(data, "hugo_pagefind", "Hugo + Pagefind",
             lambda: tools.measure_hugo_pagefind(sizeset, ws, settings))  # fmt: skip
    if "pelican" not in skip:
        estimate = pelican_estimate(size, previous)
        step(data, "pelican", "Pelican",
             lambda: tools.measure_pelican(sizeset, ws, settings, estimate))  # fmt: skip
    if "lunr" not in skip:
        step(data, "plain_lunr", "plain lunr indexes",
             lambda: tools.measure_plain_lunr(sizeset, ws, settings))  # fmt: skip
    if "browser" not in skip:
        sites = {}
        if "site" in ours:
            sites["newsarchive"] = Path(ours["site"])
        hugo = data.get("hugo_pagefind") or {}
        if "site" in hugo:
            sites["pagefind"] = Path(hugo["site"])
        step(data, "search", f"search in Chromium ({len(browser.QUERIES)} queries per site)",
             lambda: browser.measure_search(sites, timeout=min(settings.timeout, 300)))  # fmt: skip
    # Last: past five minutes of build, serve edits the measured site.
    if "serve" not in skip and "newsarchive" not in skip:
        build_seconds = ours.get("cold", {}).get("seconds")
        edits, adds = serve_edits(build_seconds)
        out = "newsarchive-site" if build_seconds and build_seconds >= 300 else None
        what = f"newsarchive serve ({edits} edit(s) and publish(es), {adds} back-fill(s))"
        step(data, "serve", what,
             lambda: devloop.measure_serve(sizeset, ws, settings, adds, edits, out))  # fmt: skip
    return data


def serve_edits(build_seconds: float | None) -> tuple[int, int]:
    """Title edits (and as many publishes and retractions), and back-filled (then deleted)
    articles to time in serve mode: devloop.EDIT_RUNS of each while a full build takes under
    a minute; two back-fills past that, in case one rebuilds much of the site (a rare
    renumbering of listing pages); one of each past five minutes (a million articles), where
    a rebuild can take a minute and the server's start is a whole build (there the server
    starts on the measured site, so its first build reuses the pages)."""
    if build_seconds is not None and build_seconds >= 300:
        return 1, 1
    if build_seconds is None or build_seconds >= 60:
        return devloop.EDIT_RUNS, 2
    return devloop.EDIT_RUNS, devloop.EDIT_RUNS


def last_results(path: Path) -> dict[str, Any]:
    """The results of the last run (read before this run overwrites them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def timed_out_before(history: list[dict[str, Any]], size: int, tool: str) -> str | None:
    """Why not to run ``tool`` at ``size`` again: earlier results say it ran out of time
    there or at a smaller size (15 min for Pelican). Its time does not scale from smaller
    sizes: Pelican took 66 s for 20,000 articles and did not finish 100,000 in 15 min
    (2026-11-27)."""
    for last in history:
        sizes = last.get("sizes") if isinstance(last.get("sizes"), dict) else {}
        for key in sorted(sizes, key=int):
            if int(key) > size:
                continue
            entry = sizes[key].get(tool) or {}
            at = "" if int(key) == size else f"at {int(key):,} articles: "
            if entry.get("timed_out"):  # already says where, when carried over
                said = str(entry["timed_out"])
                return said if said.startswith("at ") else at + said
            if "timed out" in str(entry.get("error", "")):
                date = last.get("date", "?")
                return f"{at}did not finish in 15 min in the run of {date}; --retry-slow"
    return None


def failed_below(previous: dict[int, dict[str, Any]], size: int, tool: str) -> str | None:
    """Why not to run ``tool`` at ``size``: it failed (out of memory or time) or was not run
    at a smaller size in this run; a larger set would not fit either."""
    for smaller in sorted(s for s in previous if s < size):
        entry = previous[smaller].get(tool) or {}
        if "error" in entry:
            return f"failed at {smaller:,} articles ({entry['error'][:160]})"
        if "skipped" in entry:
            return f"not run at {smaller:,} articles either"
    return None


def pelican_estimate(size: int, previous: dict[int, dict[str, Any]]) -> float | None:
    """Pelican's time at ``size``, scaled linearly from the largest smaller size measured."""
    measured = [
        (s, d["pelican"]["cold"]["seconds"])
        for s, d in previous.items()
        if s < size and "cold" in (d.get("pelican") or {})
    ]
    if not measured:
        return None
    s, seconds = max(measured)
    return seconds * size / s


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    missing = missing_tools()
    if missing:
        print("missing: " + ", ".join(missing) + "\nrun `sh bench/setup.sh` (or `make bench`)")
        return 2
    started = time.perf_counter()
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    command = "bench/run.py" + ("" if argv is None and len(sys.argv) < 2 else " ")
    command += " ".join(sys.argv[1:] if argv is None else argv)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command.strip(),
        "machine": machine(),
        "versions": tools.versions(),
        "settings": {
            "runs": args.runs,
            "short": args.short,
            "timeout": args.timeout,
            "memory_limit": int(args.memory_limit * GB),
            "drop_caches": tools.can_drop_caches(),
        },
        "sizes": {},
    }
    if args.merge and isinstance(args.last.get("sizes"), dict):
        results["sizes"] = {
            k: v for k, v in args.last["sizes"].items() if int(k) not in args.size_list
        }
        results["command"] = f"{args.last.get('command', '?')}; then {results['command']}"
        results["date"] = f"{args.last.get('date', '?')} and {results['date']}"
    log(f"working in {work}")
    source = corpus.load_corpus()
    results["corpus_articles"] = len(source)
    measured = {int(k): v for k, v in results["sizes"].items()}  # kept by --merge
    try:
        for size in args.size_list:
            log(f"{size:,} articles")
            root = work / f"size-{size}"
            try:
                data = run_size(size, source, root, args, measured)
                if args.merge:
                    kept = keep_skipped(data, args.last.get("sizes", {}).get(str(size), {}))
                    if kept:
                        log(f"  kept from the last results: {', '.join(kept)}")
                measured[size] = data
                results["sizes"][str(size)] = data
                results["total_seconds"] = time.perf_counter() - started
                write(results, args)  # before the removal: a million files take a while
            finally:
                if not args.keep:
                    shutil.rmtree(root, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = report.render(results)
    print(text)
    log(f"wrote {args.out} and {args.json} in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


def keep_skipped(data: dict[str, Any], last: dict[str, Any]) -> list[str]:
    """Add to one size's ``data`` the parts this run did not measure, as the ``last``
    results of that size had them (``--merge``: a run of newsarchive alone keeps the serve
    and the other tools' rows); the names of those parts."""
    kept = sorted(part for part in last if part not in data)
    data.update((part, last[part]) for part in kept)
    return kept


def write(results: dict[str, Any], args: argparse.Namespace) -> None:
    """Write after every size, so an interrupted run keeps what it measured."""
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    args.out.write_text(report.render(results), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
