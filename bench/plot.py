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
    """Seconds in each group, and the resident set after the group's last stage."""
    spent: dict[str, float] = dict.fromkeys(GROUPS, 0.0)
    resident: dict[str, float] = {}
    for record in profile["stages"]:
        group = profile["groups"].get(record["stage"], "other")
        spent[group] = spent.get(group, 0.0) + record["seconds"]
        resident[group] = record["rss"]
    return spent, resident


def plot(found: dict[int, dict[str, Any]], out: Path) -> None:
    sizes = list(found)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    groups = [per_group(found[size]) for size in sizes]
    for name in GROUPS:
        left.plot(sizes, [g[0].get(name, 0) for g in groups], marker="o", label=name)
    left.plot(sizes, [found[s]["seconds"] for s in sizes], "k--", marker="s", label="whole build")
    left.set_title("Seconds per stage (cold build)")
    right.plot(sizes, [found[s]["peak_rss"] / GB for s in sizes], "k--", marker="s", label="peak")
    for name in GROUPS:
        right.plot(
            sizes, [g[1].get(name, 0) / GB for g in groups], marker="o", label=f"after {name}"
        )
    workers = [found[s]["children_peak_rss"] / GB for s in sizes]
    right.plot(sizes, workers, "k:", marker="^", label="largest page worker")
    right.set_title("Resident memory of the build process (GB)")
    for axes in (left, right):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("articles")
        axes.set_xticks(sizes, [f"{s:,}" for s in sizes])
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize=7)
    fig.tight_layout()
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
