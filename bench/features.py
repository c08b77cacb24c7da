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
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, text in CONFIGS.items():
            config = work / "archive.toml"
            config.write_text('base_url = "https://example.org/"\n' + text, encoding="utf-8")
            times = [build_once(config, source, work)[0] for _ in range(args.runs)]
            median = statistics.median(times)
            base = base or median
            extra = f"{100 * (median / base - 1):+.1f}%" if median is not base else ""
            print(
                f"{label:56} {median:6.2f} s  {extra}   (runs: "
                + ", ".join(f"{t:.2f}" for t in times)
                + ")"
            )


if __name__ == "__main__":
    main()
