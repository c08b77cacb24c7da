"""What automatic tags and related articles add to a build of the 20,000-article corpus.

Builds the Reuters-21578 articles (about 20,800, read from ../shared/corpora) cold, into a
fresh folder, with each feature off and on, and prints the median wall time of ``--runs``
builds of each:

    .venv/bin/python bench/features.py [--runs 3] [--source DIR]

A benchmark, not a test (CI does not run it). The issue's budget: related articles must add
less than 20% to the build time of this corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import corpus_dir

REPO = Path(__file__).resolve().parents[1]
CONFIGS = {
    "baseline: no found tags, no related": 'auto_tags = "never"\nrelated = 0\n',
    "+ related articles": 'auto_tags = "never"\nrelated = 5\n',
    "+ related, found tags for untagged articles (default)": 'auto_tags = "missing"\n',
    "+ related, found tags for every article": 'auto_tags = "always"\n',
}


def build_once(config: Path, source: Path, work: Path) -> tuple[float, str]:
    out = work / "site"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    os.sync()  # the last build's writes would otherwise be flushed during this one
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "build",
            "--config",
            str(config),
            "--source",
            str(source),
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr}")
    return seconds, proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, default=None)
    args = parser.parse_args()
    source = args.source or corpus_dir()
    print(
        f"source: {source} ({sum(1 for _ in source.glob('*.txt')):,} files), "
        f"{args.runs} cold builds each, median wall time"
    )
    base = None
    times: dict[str, list[float]] = {label: [] for label in CONFIGS}
    # In memory when the machine has /dev/shm: this disk's write speed varied threefold from
    # one build to the next, which hid what the features themselves cost.
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        work = Path(tmp)
        for _ in range(args.runs):  # in turns, so a slow spell of the machine hits all alike
            for label, text in CONFIGS.items():
                config = work / "archive.toml"
                config.write_text('base_url = "https://example.org/"\n' + text, encoding="utf-8")
                times[label].append(build_once(config, source, work)[0])
        for label in CONFIGS:
            median = statistics.median(times[label])
            base = base or median
            extra = f"{100 * (median / base - 1):+.1f}%" if median is not base else ""
            print(
                f"{label:56} {median:6.2f} s  {extra}   (runs: "
                + ", ".join(f"{t:.2f}" for t in times[label])
                + ")"
            )


if __name__ == "__main__":
    main()
