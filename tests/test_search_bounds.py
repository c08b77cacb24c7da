"""Bounds on fuzzy and wildcard terms (search-core.js, js/core/bounds.js).

lunr.js expands `term~N` and wildcards without limit: `zzzzzzzzzzzzzzzzzzzz~6` ran 47 s in
`build.py search` and needs gigabytes, and the page runs the same code. Now a query of up to
1,000 characters answers at once; within the bounds results are still lunr.js's own, beyond
them they are lunr.js's for the bounded query (or a part of them), and the reader is told.
A killed `build.py search` takes its Node child with it.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.model import Archive, Article
from newsarchive.placing import build_archive
from newsarchive.search.assets import site_assets
from newsarchive.search.documents import export_docs
from newsarchive.search.query import run_search

from .conftest import LUNR_HARNESS, REPO, node_json
from .test_search import write_site

NOTE = "note: some fuzzy or wildcard terms were limited, so results may be incomplete"
MAX_EXPANSIONS = 2000  # bounds.js: index terms one wildcard or fuzzy term may match
# "zq" and three consonants (no s, no y): words the stemmer leaves alone, 2,400 of them, so
# that zq* matches more terms than one clause may expand to and zqb* fewer.
CONSONANTS = "bcdfghjklmnpqrtvwxz"
WORDS = ["zq" + "".join(c) for c in itertools.product(CONSONANTS, repeat=3)][:2400]
SECONDS = 5.0  # a hostile query through build.py search (Python and Node start included)


def hostile_queries() -> list[str]:
    """Queries of up to 1,000 characters that made lunr.js work for minutes, or would."""
    queries = [
        "zzzzzzzzzzzzzzzzzzzz~6",  # the issue's: 47 s and gigabytes before
        "abcdefghijklmnopqrstuvwxyz~9",
        "z" * 997 + "~2",
        " ".join(["abcdefghijklmnopqrstuv~2"] * 40),
        " ".join(f"{w}~5" for w in WORDS),
        " ".join(f"{a}~3" for a in "abcdefghijklmnopqrstuvwxyz" * 10),  # 250 fuzzy terms
        "*" + "*".join("abcdefghijklmnopqrstuvwxyz" * 20),  # a*b*c*...
        "*e" * 499 + "*",
        " ".join(["*a*"] * 250),
        " ".join(["*"] * 500),
        " ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz" * 20),
        "*" * 1000,
        "+" + " +".join(f"{w}~2" for w in WORDS[:160]),
    ]
    # Cut to 1,000 characters at a space where there is one (a lone "+" does not parse).
    return [q if len(q) <= 1000 else q[:1001].rsplit(" ", 1)[0][:1000] for q in queries]


HOSTILE = hostile_queries()


def article(number: int, body: str) -> Article:
    posted = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=number)
    return Article(
        path=f"a{number}.md",
        title=f"Report {number}",
        posted=posted,
        html="",
        body_text=body,
        summary=body[:100],
        tags=("Grain",) if number % 3 else ("Banks",),
    )


def vocabulary_archive() -> Archive:
    """60 articles: a few English sentences and 40 of WORDS each (every word at least once)."""
    english = [
        "Farmers brought in a record wheat harvest and exports rose.",
        "The central bank raised interest rates; markets expected it.",
        "International commissions discussed agriculture and petroleum.",
    ]
    articles = []
    for n in range(60):
        words = " ".join(WORDS[n * 40 : (n + 1) * 40])
        articles.append(article(n, f"{english[n % 3]} {words}"))
    return build_archive(articles)


@pytest.fixture(scope="module")
def archive() -> Archive:
    return vocabulary_archive()


@pytest.fixture(scope="module")
def sites(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The archive's search files in each index form."""
    return {
        form: write_site(
            site_assets(archive, Config(search_index=form)),
            tmp_path_factory.mktemp(f"bounds-{form}"),
        )
        for form in ("sharded", "monolithic")
    }


@pytest.fixture(params=["sharded", "monolithic"])
def site(request: pytest.FixtureRequest, sites: dict[str, Path]) -> Path:
    """Each form: both must be bounded the same way."""
    return sites[request.param]


def lunr_js(archive: Archive, queries: list[str]) -> dict[str, list[list]]:
    """Stock lunr.js's results for these queries, on its own index of the archive."""
    payload = {"export": export_docs(archive.articles), "queries": queries}
    return node_json(LUNR_HARNESS, ["build"], payload)["results"]  # type: ignore[index]


def search(site: Path, query: str) -> tuple[list[tuple[str, float]], list[str]]:
    """The page's results for a query (url, score), and the notes it comes with."""
    notes: list[str] = []
    hits = run_search(site, query, on_note=notes.append)
    return [(hit.url, hit.score) for hit in hits], notes


def assert_same(ours: list[tuple[str, float]], theirs: list[list], query: str) -> None:
    assert [url for url, _ in ours] == [url for url, _ in theirs], query
    for (_, score), (_, expected) in zip(ours, theirs, strict=True):
        assert score == pytest.approx(expected, abs=0.001), query


# --- within the bounds: lunr.js; beyond: lunr.js on the bounded query ------------------------

# query -> the same query within the bounds (Lucene's AUTO: 0 edits up to 2 characters of the
# stemmed term, 1 up to 5, then 2; never more than 2).
BOUNDED_EDITS = {
    "harvest~1": "harvest~1",
    "harvst~2": "harvst~2",
    "internationl~2": "internationl~2",
    "zqbcd~1": "zqbcd~1",
    "wheet~2": "wheet~1",  # five characters: one edit
    "zqbcd~2": "zqbcd~1",
    "ra~1": "ra~0",  # two characters: none
    "rates~3": "rates~1",  # stemmed "rate"
    "agricultur~3": "agricultur~2",
    "zqbcdfgh~4": "zqbcdfgh~2",
    "+zqbcd~2 -zqbcf": "+zqbcd~1 -zqbcf",
}


def test_fuzzy_terms_get_at_most_lucenes_auto_edits(archive: Archive, site: Path) -> None:
    reference = lunr_js(archive, sorted(set(BOUNDED_EDITS.values())))
    for query, bounded in BOUNDED_EDITS.items():
        ours, notes = search(site, query)
        assert_same(ours, reference[bounded], query)
        assert notes == ([] if query == bounded else [NOTE]), query
    assert reference["wheet~1"] and reference["zqbcd~1"]  # not a vacuous comparison
    # Longer than any index term by more than its edits: nothing at any distance, as in
    # lunr.js (which takes 47 s to find that out), and nothing was bounded.
    assert search(site, "zzzzzzzzzzzzzzzzzzzz~6") == ([], [])


def test_a_wildcard_expands_to_at_most_max_expansions_terms(archive: Archive, site: Path) -> None:
    assert 2 * len(CONSONANTS) ** 2 < MAX_EXPANSIONS < len(WORDS)
    reference = lunr_js(archive, ["zqb*", "zq*", "*", "zqb* zqc*"])
    for query in ("zqb*", "zqb* zqc*"):  # 361 and 722 terms: lunr.js's
        ours, notes = search(site, query)
        assert_same(ours, reference[query], query)
        assert notes == [], query
    for query in ("zq*", "*"):  # 2,400 terms and more: cut
        ours, notes = search(site, query)
        assert notes == [NOTE], query
        assert 0 < len(ours) < len(reference[query]), query
        assert {url for url, _ in ours} < {url for url, _ in reference[query]}, query


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_answers_at_once(site: Path, query: str) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "search", query, "--json", "--site", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert elapsed < SECONDS, (query[:40], elapsed)


def test_quiet_search_leaves_out_the_note(site: Path) -> None:
    args = [sys.executable, str(REPO / "build.py"), "search", "wheet~2", "--site", str(site)]
    loud = subprocess.run(args, capture_output=True, text=True, check=True)
    quiet = subprocess.run([*args, "--quiet"], capture_output=True, text=True, check=True)
    assert NOTE in loud.stderr and "result" in loud.stderr
    assert quiet.stderr == "" and quiet.stdout == loud.stdout


# --- a killed build.py search takes Node with it ---------------------------------------------


def gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for init to reap it counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT], ids=lambda s: s.name
)
def test_killed_search_ends_its_node(
    sites: dict[str, Path], tmp_path: Path, signum: signal.Signals
) -> None:
    """A `node` that never finishes stands in for a slow search: it writes its process id and
    spins without ever returning to its event loop."""
    real = subprocess.run(["which", "node"], capture_output=True, text=True, check=True)
    fake = tmp_path / "bin"
    fake.mkdir()
    pid_file = tmp_path / "node.pid"
    (fake / "node").write_text(
        f"#!/bin/sh\necho $$ > {pid_file}\nexec {real.stdout.strip()} -e 'for (;;) {{}}'\n"
    )
    (fake / "node").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    search = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "search", "oil", "--site", str(sites["sharded"])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # SIGINT as at a terminal, even when this test runs with it ignored (in the background).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    node = 0
    try:
        deadline = time.monotonic() + 30
        while not node and time.monotonic() < deadline:
            time.sleep(0.05)
            node = int(pid_file.read_text() or 0) if pid_file.exists() else 0
        assert node, "the search never started node"
        time.sleep(0.2)  # let Python settle into waiting for it
        search.send_signal(signum)
        search.wait(timeout=10)
        deadline = time.monotonic() + 2
        while not gone(node) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(node), f"node {node} outlived build.py search ({signum.name})"
    finally:
        if search.poll() is None:
            search.kill()
        if node and not gone(node):
            os.kill(node, signal.SIGKILL)
