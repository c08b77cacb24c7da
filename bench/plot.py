"""Plot a cold build's time and memory per stage against the archive's size (bench/stages.svg).

    bench/.venv/bin/python bench/plot.py bench/results.json bench/results-1m.json

Runs in bench's own venv (bench/setup.sh installs matplotlib there, not in the project's).
Reads the stage profiles (``bench/stages.py``) of every size in the results files given; a
size in several files is taken from the last one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # after choosing the back end
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

BENCH = Path(__file__).resolve().parent
GROUPS = ("read", "tag", "model", "related", "render", "search", "write")
GB = 1e9


def profiles(paths: list[Path]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for path in paths:
        results = json.loads(path.read_text(encoding="utf-8"))
        for size, data in results.get("sizes", {}).items():
            profile = (data.get("newsarchive") or {}).get("profile")
            if profile:
                found[int(size)] = profile
    return dict(sorted(found.items()))


def per_group(profile: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """CPU seconds of the build process in each group (wall seconds for profiles from before
    CPU time was recorded), and the resident set after the group's last stage. A group a
    killed build did not reach is missing."""
    spent: dict[str, float] = {}
    resident: dict[str, float] = {}
    for record in profile["stages"]:
        group = profile["groups"].get(record["stage"], "other")
        seconds = record.get("cpu_seconds", record["seconds"])
        spent[group] = spent.get(group, 0.0) + seconds
        resident[group] = record["rss"]
    return spent, resident


def line(axes: Any, sizes: list[int], values: list[float | None], **style: Any) -> None:
    """One series; sizes without a value (not reached) are left out."""
    points = [(s, v) for s, v in zip(sizes, values, strict=True) if v]
    if points:
        axes.plot([p[0] for p in points], [p[1] for p in points], **style)


def plot(found: dict[int, dict[str, Any]], out: Path) -> None:
    sizes = list(found)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.6))
    groups = [per_group(found[size]) for size in sizes]
    finished = [found[s] if found[s].get("status") == 0 else {} for s in sizes]
    for name in GROUPS:
        line(left, sizes, [g[0].get(name) for g in groups], marker="o", label=name)
    workers_cpu = [f.get("children_cpu_seconds") for f in finished]
    line(left, sizes, workers_cpu, color="k", ls=":", marker="^", label="page and tag workers")
    left.set_title("CPU seconds per stage, build process (cold build)")
    peak = [f.get("peak_rss", 0) / GB for f in finished]
    line(right, sizes, peak, color="k", ls="--", marker="s", label="peak")
    for name in GROUPS:
        after = [g[1][name] / GB if name in g[1] else None for g in groups]
        line(right, sizes, after, marker="o", label=f"after {name}")
    workers = [f.get("children_peak_rss", 0) / GB for f in finished]
    line(right, sizes, workers, color="k", ls=":", marker="^", label="largest page worker")
    right.set_title("Resident memory of the build process (GB)")
    for axes in (left, right):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("articles (log scale)")
        axes.set_xticks(sizes, [f"{s:,}" for s in sizes])
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axes.yaxis.set_minor_formatter(NullFormatter())
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize=7, loc="lower right")
    note = "A size whose build was killed shows only the stages it finished."
    fig.text(0.01, 0.01, note, fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    plt.rcParams["svg.hashsalt"] = "newsarchive-bench"  # the same file for the same figures
    fig.savefig(out, metadata={"Date": None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="results .json files")
    parser.add_argument("--out", type=Path, default=BENCH / "stages.svg")
    args = parser.parse_args()
    found = profiles(args.results)
    if not found:
        raise SystemExit("no stage profiles in those results (bench/stages.py)")
    plot(found, args.out)
    print(f"wrote {args.out} ({', '.join(f'{s:,}' for s in found)} articles)")


if __name__ == "__main__":
    main()
