"""The search stage: the Python-built index must behave exactly like one lunr.js builds.

References run stock lunr.js under Node (tests/js/lunr-harness.js); searches go through the
site's shipped scripts (search-cli.js via run_search), as the browser runs them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jinja2
import pytest

from newsarchive.build import build_site, load_archive
from newsarchive.config import Config
from newsarchive.errors import ArchiveError
from newsarchive.model import Archive, Article
from newsarchive.placing import build_archive
from newsarchive.render.i18n import Dates
from newsarchive.search import monolithic
from newsarchive.search import query as search_query
from newsarchive.search.assets import site_assets
from newsarchive.search.documents import export_docs, index_documents
from newsarchive.search.lunrindex import build_index
from newsarchive.search.query import run_search
from newsarchive.search.scripts import SEARCH_CLI, SearchAssets, core_source, index_json
from newsarchive.search.sorting import SORT_LABELS, SORTS
from newsarchive.search.textpipe import ENGLISH

from .conftest import LUNR_HARNESS as HARNESS
from .conftest import node_json

ROOT = Path(__file__).resolve().parents[1]
CORE_HARNESS = ROOT / "tests" / "js" / "core-harness.js"
REUTERS_SAMPLE = 600
REUTERS_CONFIG = Config(timezone="UTC")

QUERIES = [
    "money",
    "pay",
    "buy",
    "day",
    "today",
    "key",
    "friday",
    "try",
    "u.s.",
    "u.s",
    "U.S",
    "oil prices",
    "money market rates",
    "+oil -opec",
    "+wheat +export",
    "-oil",
    "title:cocoa",
    "tags:grain",
    "body:dividend title:dividend",
    "wheat*",
    "*port",
    "expor*",
    "monye~1",
    "dividnd~2",
    "oil^10 gas",
    "bank of england",
    "zzzznotaword",
]


def write_site(assets: SearchAssets, dest: Path) -> Path:
    """What the render stage does for search: the generated files plus the static/ folder."""
    for rel, data in assets.files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.copytree(ROOT / "static", dest / "static", dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def reuters(reuters_source: Path) -> Archive:
    archive = load_archive(REUTERS_CONFIG, reuters_source)
    assert len(archive.articles) == REUTERS_SAMPLE
    return archive


@pytest.fixture(scope="module")
def reuters_site(reuters_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole site built by build_site: search runs on exactly what gets published."""
    out = tmp_path_factory.mktemp("reuters-out") / "site"
    result = build_site(REUTERS_CONFIG, reuters_source, out, cache_dir=out.parent / "cache")
    assert result.ok and result.articles == REUTERS_SAMPLE
    return out


@pytest.fixture(scope="module")
def reference(reuters: Archive) -> dict:
    """lunr.js's own monolithic index (default pipeline) and its results for QUERIES."""
    payload = {"export": export_docs(reuters.articles), "queries": QUERIES}
    return node_json(HARNESS, ["build"], payload)  # type: ignore[return-value]


def test_index_is_byte_identical_to_lunr_js(reuters: Archive, reference: dict) -> None:
    ours = index_json(build_index(reuters.articles))
    assert len(ours) > 1_000_000
    assert ours == reference["index"]


@pytest.mark.parametrize("query", QUERIES)
def test_run_search_matches_lunr_js(reuters_site: Path, reference: dict, query: str) -> None:
    expected = reference["results"][query]
    hits = run_search(reuters_site, query)
    assert [h.url for h in hits] == [ref for ref, _ in expected]
    for hit, (_, score) in zip(hits, expected, strict=True):
        assert hit.score == pytest.approx(score, abs=0.001)


def test_reference_queries_find_documents(reference: dict) -> None:
    # Guard against a vacuous comparison: the word queries must actually match.
    results = reference["results"]
    for query in QUERIES:
        if query not in ("u.s.", "zzzznotaword"):  # lunr.js does not trim query terms
            assert results[query], query
    assert results["u.s."] == []


BUILD_IN_A_PROCESS = """
import sys
from pathlib import Path
from newsarchive.build import build_site
from newsarchive.config import Config
source, out, cache = map(Path, sys.argv[1:])
result = build_site(Config(timezone="UTC"), source, out, cache_dir=cache)
assert result.ok, result.errors
"""


def test_builds_under_other_hash_seeds_are_byte_identical(
    reuters_source: Path, tmp_path: Path
) -> None:
    """Two independent builds of the Reuters sample, in two processes whose string hashes
    (so set and dict orders) differ, into two folders: every search file, and every other
    file, is the same byte for byte."""
    builds = {}
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = tmp_path / f"seed-{seed}"
        cache = tmp_path / f"cache-{seed}"  # each its own: nothing reused between them
        args = [sys.executable, "-c", BUILD_IN_A_PROCESS, *map(str, (reuters_source, out, cache))]
        builds[out] = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    sites = []
    for out, process in builds.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        sites.append({p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()})
    first, second = sites
    assert sorted(first) == sorted(second)
    search = [name for name in first if name.startswith("search/")]
    assert len(search) > 100, search  # shards, heads, texts, metadata: not a vacuous check
    differ = [n for n, path in first.items() if path.read_bytes() != second[n].read_bytes()]
    assert differ == []


def test_build_index_is_deterministic_across_processes(tmp_path: Path) -> None:
    # Set and dict iteration orders vary with the string hash seed between processes.
    script = (
        "import hashlib, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
        "from tests.test_search import sample_archive\n"
        "from newsarchive.search.lunrindex import build_index\n"
        "from newsarchive.search.scripts import index_json\n"
        "text = index_json(build_index(sample_archive().articles))\n"
        "print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        digests.add(out.stdout.strip())
    expected = hashlib.sha256(index_json(build_index(sample_archive().articles)).encode())
    assert digests == {expected.hexdigest()}


def test_index_loads_in_lunr_py() -> None:
    from lunr.index import Index

    index = Index.load(build_index(sample_archive().articles))
    refs = [r["ref"] for r in index.search("rates")]
    assert refs and all(ref.startswith("/20") for ref in refs)


# --- a small archive with several years, tags and awkward text ------------------------------


def article(title: str, posted: str, tags: tuple[str, ...], body: str) -> Article:
    when = datetime.fromisoformat(posted).replace(tzinfo=timezone(timedelta(hours=2)))
    return Article(
        path=f"{title.lower().replace(' ', '-')}.md",
        title=title,
        posted=when,
        html="",
        body_text=body,
        summary=body[:100],
        tags=tags,
    )


def sample_archive() -> Archive:
    filler = "Nothing to see here. " * 30
    return build_archive(
        [
            article(
                "Central bank raises rates",
                "2021-03-01T10:00",
                ("Economy", "Banks"),
                f"{filler}The central bank raised interest rates by half a point today.",
            ),
            article(
                "Rates stay on hold",
                "2022-06-15T09:30",
                ("economy",),
                "Policy makers kept rates unchanged.\n\nMarkets had expected a cut.",
            ),
            article(
                "Wheat harvest record",
                "2022-08-20T12:00",
                ("Agriculture",),
                "Farmers brought in a record wheat harvest; rates of export rose.",
            ),
            article(
                "Bank merger approved",
                "2023-01-05T08:00",
                ("Banks", "Companies"),
                "Regulators approved the merger of two banks.\u2028No rates were mentioned.",
            ),
            article(
                "Café society 😀 returns",
                "2023-11-30T23:30",
                ("Culture",),
                "Москва: the café reopened; naïve visitors queued with U.S. tourists.",
            ),
            article(
                "Quote \"marks\" and 'apostrophes' \\ backslash </script>",
                "2023-12-01T00:00",
                ("Culture", "Economy"),
                "Escaping test: rates <b>bold</b> & ampersands.",
            ),
        ]
    )


@pytest.fixture(scope="module", params=["sharded", "monolithic"])
def sample_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive's search files in each index form: both must behave the same."""
    assets = site_assets(sample_archive(), Config(search_index=request.param))
    return write_site(assets, tmp_path_factory.mktemp(f"sample-site-{request.param}"))


def test_site_assets_layout() -> None:
    archive = sample_archive()
    assets = site_assets(archive, Config(search_index="monolithic"))
    assert assets.scripts == [
        "static/lunr.js",
        "static/search-core.js",
        "search/docs.js",
        "search/index.js",
        "static/search-page.js",
        "static/search-ui.js",
    ]
    # lunr.js ships inside the package: it must be the npm package's own file.
    assert assets.files["static/lunr.js"] == (ROOT / "node_modules/lunr/lunr.js").read_bytes()
    assert assets.files["static/search-core.js"] == core_source()
    assert "static/search-ui.js" not in assets.files  # the theme's, copied with static/
    assert "static/search-page.js" not in assets.files
    for script in assets.scripts:
        assert script in assets.files or (ROOT / script).is_file(), script
    texts = [p for p in assets.files if p.startswith("search/text/")]
    expected_chunks = -(-len(archive.articles) // monolithic.TEXT_CHUNK_SIZE)
    assert texts == [f"search/text/{i}.js" for i in range(expected_chunks)]
    assert assets.files["search/index.js"].startswith(b"NewsArchiveSearch.setIndex(JSON.parse('")
    assert b"fetch(" not in assets.files["search/docs.js"]


def test_index_documents_and_export() -> None:
    archive = sample_archive()
    docs = index_documents(archive.articles)
    first = archive.articles[-1]  # oldest
    assert docs[-1] == {
        "url": "/" + first.url,
        "title": "Central bank raises rates",
        "body": first.body_text,
        "tags": "Economy, Banks",
        "lang": "en",
    }
    exported = export_docs(archive.articles)
    assert exported["languages"] == ["en"]
    assert exported["ref"] == "url"
    assert exported["fields"] == [
        {"name": "title", "boost": 10},
        {"name": "body", "boost": 1},
        {"name": "tags", "boost": 1},
    ]
    assert exported["documents"] == docs


def test_sample_index_matches_lunr_js() -> None:
    archive = sample_archive()
    reference = node_json(HARNESS, ["build"], {"export": export_docs(archive.articles)})
    assert index_json(build_index(archive.articles)) == reference["index"]  # type: ignore[index]


@pytest.mark.parametrize("form", ["sharded", "monolithic"])
def test_empty_archive(form: str, tmp_path: Path) -> None:
    archive = build_archive([])
    index = build_index(archive.articles)
    assert index["invertedIndex"] == [] and index["fieldVectors"] == []
    assets = site_assets(archive, Config(search_index=form))
    assert not any(p.startswith(("search/text/", "search/x/")) for p in assets.files)
    site = write_site(assets, tmp_path)
    assert run_search(site, "anything") == []
    assert run_search(site, "-anything") == []
    assert run_search(site, "any*thing~1") == []


def test_filters_and_sorting(sample_site: Path) -> None:
    hits = run_search(sample_site, "rates")
    assert len(hits) == 5
    assert hits[0].title == "Rates stay on hold"  # title boost
    assert all(hits[i].score >= hits[i + 1].score for i in range(len(hits) - 1))

    newest = run_search(sample_site, "rates", sort="newest")
    assert [h.posted for h in newest] == sorted((h.posted for h in hits), reverse=True)
    oldest = run_search(sample_site, "rates", sort="oldest")
    assert [h.url for h in oldest] == [h.url for h in reversed(newest)]

    by_year = run_search(sample_site, "rates", year=2022)
    assert {h.title for h in by_year} == {"Rates stay on hold", "Wheat harvest record"}
    assert all(h.posted.year == 2022 for h in by_year)

    by_tag = run_search(sample_site, "rates", tag="economy")
    assert {h.url for h in by_tag} == {h.url for h in hits if "Economy" in h.tags}
    assert len(by_tag) == 3
    assert run_search(sample_site, "rates", tag="Economy") == by_tag  # name works too
    both = run_search(sample_site, "rates", tag="banks", year=2021)
    assert [h.title for h in both] == ["Central bank raises rates"]
    assert both[0].tags == ("Economy", "Banks")
    assert both[0].date == "2021-03-01T10:00:00+02:00"
    assert both[0].posted == datetime(2021, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert both[0].as_dict() == {
        "url": both[0].url,
        "title": "Central bank raises rates",
        "date": "2021-03-01T10:00:00+02:00",
        "tags": ["Economy", "Banks"],
        "score": both[0].score,
    }

    assert len(run_search(sample_site, "rates", limit=2)) == 2
    assert run_search(sample_site, "rates", year=1999) == []


def test_browse_by_filter_without_query(sample_site: Path) -> None:
    culture = run_search(sample_site, "", tag="culture")
    assert [h.title[:5] for h in culture] == ["Quote", "Café "]  # newest first
    assert [h.score for h in culture] == [0, 0]
    oldest = run_search(sample_site, "  ", year=2023, sort="oldest")
    assert [h.posted.year for h in oldest] == [2023, 2023, 2023]
    assert oldest[0].title == "Bank merger approved"
    assert run_search(sample_site, "") == []


def test_query_syntax(sample_site: Path) -> None:
    assert [h.title for h in run_search(sample_site, "+rates +bank -merger")] == [
        "Central bank raises rates"
    ]
    assert {h.title for h in run_search(sample_site, "title:rates")} == {
        "Central bank raises rates",
        "Rates stay on hold",
    }
    assert run_search(sample_site, "harv*")[0].title == "Wheat harvest record"
    assert run_search(sample_site, "harvset~2")[0].title == "Wheat harvest record"
    assert run_search(sample_site, "tourists")[0].title.startswith("Café")


def test_errors(sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ArchiveError, match="cannot parse search query") as parse_error:
        run_search(sample_site, "title:")
    assert "expecting term" in str(parse_error.value)
    with pytest.raises(ArchiveError, match="unknown tag"):
        run_search(sample_site, "rates", tag="no-such-tag")
    with pytest.raises(ArchiveError, match="build the site first"):
        run_search(tmp_path, "rates")
    with pytest.raises(ArchiveError, match="unknown sort"):
        run_search(sample_site, "rates", sort="random")
    monkeypatch.setattr(search_query.shutil, "which", lambda name: None)
    with pytest.raises(ArchiveError, match=r"Node\.js"):
        run_search(sample_site, "rates")


def test_cli_exit_codes(sample_site: Path) -> None:
    node = shutil.which("node")
    assert node
    cli = str(SEARCH_CLI)
    ok = subprocess.run([node, cli, "--", str(sample_site), "-rates"], capture_output=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)  # a query may start with "-"
    bad = subprocess.run([node, cli, "--", str(sample_site), "rates~"], capture_output=True)
    assert bad.returncode == 2 and bad.stderr
    usage = subprocess.run([node, cli, "--bogus=1", str(sample_site), "x"], capture_output=True)
    assert usage.returncode == 1


def test_snippets_and_highlighting(reuters_site: Path) -> None:
    queries = [{"q": "money"}, {"q": "+oil -opec", "sort": "newest"}, {"q": "wheat*"}]
    results = node_json(CORE_HARNESS, [str(reuters_site)], {"queries": queries, "top": 8})
    for result in results:  # type: ignore[union-attr]
        assert result["hits"]
        for hit in result["hits"]:
            snippet = hit["snippet"]
            marked = [s["text"] for s in snippet["segments"] if s["mark"]]
            shown = "".join(s["text"] for s in snippet["segments"])
            assert len(shown) <= 260
            if hit["text"] and any(t in hit["text"].lower() for t in hit["terms"]):
                assert marked, (hit["url"], hit["terms"])
            # Marked text is a whole word (without punctuation) whose term matched.
            assert all(m_term(m) in hit["terms"] for m in marked)
            assert all(re.fullmatch(r"\w(.*\w)?", m, re.ASCII) for m in marked)
            # Every snippet word is from the article text, in order.
            assert " ".join(shown.split())[:40] in " ".join(hit["text"].split())
    money = results[0]["hits"][0]  # type: ignore[index]
    assert any(s["mark"] and s["text"].lower() == "money" for s in money["title"])


def m_term(word: str) -> str:
    (term,) = ENGLISH.terms(word)
    return term


def test_facets_and_unknown_tag(sample_site: Path) -> None:
    queries = [{"q": "rates", "tag": "economy"}, {"q": "rates", "tag": "nope"}]
    with_tag, unknown = node_json(CORE_HARNESS, [str(sample_site)], {"queries": queries})  # type: ignore[misc]
    # Year counts honour the tag filter; tag counts are over all matches (no year chosen).
    assert with_tag["facets"]["years"] == [[2023, 1], [2022, 1], [2021, 1]]
    assert unknown["unknownTag"] is True and unknown["total"] == 0
    # The chosen tag's count is known in both index forms (the sharded one knows no other).
    economy = [t.slug for t in sample_archive().tags].index("economy")
    assert dict(with_tag["facets"]["tags"])[economy] == 3


def test_search_page_template() -> None:
    base = (
        "<!doctype html><html lang=en><head><title>{% block title %}{% endblock %}</title>"
        "</head><body>{% block content %}{% endblock %}{% block scripts %}{% endblock %}"
        "</body></html>"
    )
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.DictLoader({"base.html": base}), jinja2.FileSystemLoader(ROOT / "templates")]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    html = env.get_template("search.html").render(
        site_lang="en",
        script_dates=Dates("en").for_script,
        plural_forms=lambda singular, plural: {"one": singular, "other": plural},
        config=Config(title="Archive <test>"),
        root="../",
        link=lambda target: "../" + target + "index.html",
        asset=lambda path: "../" + path,
        search_scripts=monolithic.SCRIPTS,
        sort_labels=SORT_LABELS,
    )
    positions = [html.index(f'<script src="../{s}"></script>') for s in monolithic.SCRIPTS]
    assert positions == sorted(positions)
    # The sort select offers the orders search-core.js knows, the default first.
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', html)
    assert options == [(name, SORT_LABELS[name]) for name in SORTS]
    assert "Archive &lt;test&gt;" in html
    assert 'data-root="../"' in html
    for control in ("search-q", "search-tag", "search-year", "search-sort"):
        assert f'<label for="{control}">' in html
    assert 'aria-live="polite"' in html


@pytest.fixture(scope="module")
def core_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """search-core.js as the site ships it, joined from its parts."""
    path = tmp_path_factory.mktemp("core") / "search-core.js"
    path.write_bytes(core_source())
    return path


def test_ui_never_parses_data_as_html(core_script: Path) -> None:
    page_scripts = (ROOT / "static/search-ui.js", ROOT / "static/search-page.js")
    for path in (*page_scripts, core_script):
        source = path.read_text(encoding="utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source
        assert "document.write" not in source and "fetch(" not in source
        assert "XMLHttpRequest" not in source
    for path in (*page_scripts, core_script, SEARCH_CLI):
        check = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_core_knows_the_sorts_python_knows(core_script: Path) -> None:
    """The sort names have one home (search/sorting.py), written into the joined script."""
    code = "console.log(JSON.stringify(require(process.argv[1]).SORTS))"
    out = subprocess.run(
        ["node", "-e", code, str(core_script)], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == list(SORTS)


def test_core_formats_dates_like_the_site(core_script: Path) -> None:
    code = (
        "const S = require(process.argv[1]);"
        "console.log(JSON.stringify(['1987-03-02T10:00:00+00:00', '2023-12-31T23:59:00-05:00']"
        ".map(S.formatDate)))"
    )
    out = subprocess.run(
        ["node", "-e", code, str(core_script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == ["2 March 1987", "31 December 2023"]
