"""Digests of every file of three sites, to show that a change left the output alone.

Builds, with the command line of the checkout at ``--repo``: the site of ``seeds/``; the
first ``--sample`` Reuters-21578 articles (by NEWID); and a ``serve`` session on that sample
(its site after each of five edits: a body, a title, a new article, a back-filled one and a
deletion). Writes ``{site: {path: sha1}}`` as JSON; ``--compare A B`` lists the differences.
The ``.newsarchive`` marker is left out: it names the build's inputs, our code among them.

    python bench/site_digests.py /tmp/before.json --repo /path/to/old/checkout
    python bench/site_digests.py /tmp/after.json
    python bench/site_digests.py --compare /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "reuters21578" / "articles"


def digests(site: Path) -> dict[str, str]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.name != ".newsarchive":
            out[path.relative_to(site).as_posix()] = hashlib.sha1(path.read_bytes()).hexdigest()
    return out


# The settings every site is built with (those of the repository's archive.toml when this
# script was written), so that checkouts with another archive.toml compare alike.
CONFIG = """title = "News Archive"
description = "A searchable archive of news articles."
base_url = "https://example.org/news/"
language = "en"
timezone = "Europe/Minsk"
per_page = 20
feed_size = 20
"""


def build(repo: Path, config: Path, source: Path, out: Path) -> dict[str, str]:
    command = [sys.executable, "build.py", "build", "--source", str(source), "--out", str(out)]
    subprocess.run([*command, "--config", str(config), "-q", "-j", "2"], cwd=repo, check=True)
    return digests(out)


class Session:
    """``build.py serve`` in the background; ``wait()`` for its next (re)build line."""

    def __init__(self, repo: Path, config: Path, source: Path, out: Path):
        command = [sys.executable, "build.py", "serve", "--config", str(config)]
        command += ["--source", str(source)]
        self.proc = subprocess.Popen(
            [*command, "--out", str(out), "--port", "0"],
            cwd=repo,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.done = threading.Semaphore(0)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)
            if line.startswith(("Built ", "Rebuilt ", "error:")):
                self.done.release()

    def wait(self) -> None:
        if not self.done.acquire(timeout=300):
            raise SystemExit("serve did not rebuild:\n" + "".join(self.lines[-20:]))
        if self.lines[-1].startswith("error:"):
            raise SystemExit("".join(self.lines[-5:]))

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(30)


def serve_session(repo: Path, config: Path, source: Path, out: Path) -> dict[str, dict[str, str]]:
    files = sorted(source.glob("*.txt"))
    session = Session(repo, config, source, out)
    states = {}
    try:
        session.wait()
        states["serve-start"] = digests(out)
        edits = [
            ("body", lambda: files[10].write_text(files[10].read_text() + "\nA new line.\n")),
            ("title", lambda: _retitle(files[20])),
            ("new", lambda: (source / "new.txt").write_text(_article("01.06.1987 10:00:00"))),
            ("backfill", lambda: (source / "old.txt").write_text(_article("02.01.1980 09:00:00"))),
            ("delete", lambda: files[30].unlink()),
        ]
        for name, edit in edits:
            time.sleep(0.2)
            edit()
            session.wait()
            states[f"serve-{name}"] = digests(out)
    finally:
        session.stop()
    return states


def _retitle(path: Path) -> None:
    head, _, rest = path.read_text().partition("\n\n")
    title, _, body = rest.partition("\n\n")
    path.write_text(f"{head}\n\n{title} (updated)\n\n{body}")


def _article(posted: str) -> str:
    return f"Posted: {posted}\n\nA wire story about wheat\n\nWheat prices rose in Chicago.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--compare", nargs=2, type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsarchive-site-digests"))
    args = parser.parse_args()
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        differ = 0
        for site in sorted(set(a) | set(b)):
            x, y = a.get(site, {}), b.get(site, {})
            bad = sorted(p for p in set(x) | set(y) if x.get(p) != y.get(p))
            differ += len(bad)
            print(
                f"{site}: {len(y)} files, {len(bad)} differ" + "".join(f"\n  {p}" for p in bad[:20])
            )
        raise SystemExit(1 if differ else 0)
    result: dict[str, dict[str, str]] = {}
    # A fixed folder: colliding URLs get a suffix hashed from the file's path as given.
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        config = work / "archive.toml"
        config.write_text(CONFIG)
        result["seeds"] = build(args.repo, config, args.repo / "seeds", work / "seeds-site")
        files = sorted(args.corpus.glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
        sample = work / "reuters"
        sample.mkdir()
        for path in files[: args.sample]:
            shutil.copyfile(path, sample / path.name)
        result["reuters"] = build(args.repo, config, sample, work / "reuters-site")
        result |= serve_session(args.repo, config, sample, work / "serve-site")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=0, sort_keys=True))
    print(f"{args.out}: " + ", ".join(f"{k} {len(v)} files" for k, v in result.items()))


if __name__ == "__main__":
    main()
