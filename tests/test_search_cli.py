"""The archive as data, end to end through the command line: export-docs, export-index and
`build.py search --json` against lunr.js itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import LUNR_HARNESS as HARNESS
from .conftest import REPO, node_json
from .test_search import QUERIES

# QUERIES[:9] are the words stock lunr.py tokenises differently; add case and query syntax.
CLI_EXTRA = ["u.s", "U.S.", "+oil -opec", "title:cocoa", "wheat*", "monye~1", "oil prices"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def exported(reuters_source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Site, export-docs and export-index made by the CLI from the same Reuters sample."""
    work = tmp_path_factory.mktemp("cli")
    config = work / "archive.toml"
    config.write_text('timezone = "UTC"\n')
    common = ["--source", str(reuters_source), "--config", str(config)]
    built = cli("build", *common, "--out", str(work / "site"))
    assert built.returncode == 0, built.stderr
    for command, name in (("export-docs", "docs.json"), ("export-index", "index.json")):
        proc = cli(command, str(work / name), *common)
        assert proc.returncode == 0, proc.stderr
    return {
        "site": work / "site",
        "docs": json.loads((work / "docs.json").read_text()),
        "index": json.loads((work / "index.json").read_text()),
    }


def test_export_docs_format(exported: dict) -> None:
    docs = exported["docs"]
    assert docs["ref"] == "url"
    assert docs["fields"] == [
        {"name": "title", "boost": 10},
        {"name": "body", "boost": 1},
        {"name": "tags", "boost": 1},
    ]
    assert docs["languages"] == ["en"]
    first = docs["documents"][0]
    assert set(first) == {"url", "title", "body", "tags", "lang"}
    assert {d["lang"] for d in docs["documents"]} == {"en"}
    assert first["url"].startswith("/1987/") and first["url"].endswith("/")
    assert (exported["site"] / first["url"].strip("/") / "index.html").is_file()


def test_export_index_is_lunr_js_loadable_with_url_refs(exported: dict) -> None:
    payload = {"export": exported["docs"], "queries": ["money"]}
    reference = node_json(HARNESS, ["build"], payload)
    assert json.loads(reference["index"]) == exported["index"]
    refs = {ref.split("/", 1)[1] for ref, _ in exported["index"]["fieldVectors"]}
    assert refs == {d["url"] for d in exported["docs"]["documents"]}


def test_search_json_equals_lunr_js_over_export_docs(exported: dict) -> None:
    queries = sorted(set(QUERIES[:9]) | set(CLI_EXTRA))
    reference = node_json(HARNESS, ["build"], {"export": exported["docs"], "queries": queries})
    found_any = 0
    for query in queries:
        proc = cli("search", query, "--json", "--site", str(exported["site"]))
        assert proc.returncode == 0, (query, proc.stderr)
        hits = json.loads(proc.stdout)
        expected = reference["results"][query]
        assert [h["url"] for h in hits] == [ref for ref, _ in expected], query
        for hit, (_, score) in zip(hits, expected, strict=True):
            assert hit["score"] == pytest.approx(score, abs=0.001)
            assert set(hit) >= {"url", "title", "date", "tags", "score"}
        found_any += bool(hits)
    assert found_any >= len(queries) - 3  # "u.s." style queries legitimately find nothing


def test_search_reports_unparseable_query(exported: dict) -> None:
    proc = cli("search", "title:", "--json", "--site", str(exported["site"]))
    assert proc.returncode == 1
    assert "cannot parse search query" in proc.stderr
