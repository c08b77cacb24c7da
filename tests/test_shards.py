"""The sharded search index: the same results as lunr.js's own monolithic index, file by file.

The reference is stock lunr.js 2.3.9 building its own index from export_docs
(tests/js/lunr-harness.js). Our side is the built site's shipped scripts under Node: cold, one
process per search (run_search, as `build.py search`), and warm, every query in one context
(tests/js/core-harness.js, as a reader searching again in the same page).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsarchive.build import load_archive
from newsarchive.config import Config
from newsarchive.errors import ArchiveError
from newsarchive.model import Archive
from newsarchive.placing import build_archive
from newsarchive.search import bm25, documents, hashed, lunrindex, metadata
from newsarchive.search import postings as post
from newsarchive.search.assets import site_assets
from newsarchive.search.documents import export_docs
from newsarchive.search.heads import HEAD_SIZE
from newsarchive.search.porter import porter_stem
from newsarchive.search.query import SearchHit, run_search
from newsarchive.search.scripts import SEARCH_CLI, SearchAssets
from newsarchive.search.sorting import SORTS
from newsarchive.search.textpipe import ENGLISH

from .conftest import LUNR_HARNESS, REPO, node_json, reuters_articles
from .test_search import sample_archive, write_site

CORE_HARNESS = REPO / "tests" / "js" / "core-harness.js"
SIZE = 2000
CONFIG = Config(timezone="UTC")
TOLERANCE = 0.001


def read_varints(data: bytes) -> list[int]:
    """Decode the index's unsigned LEB128 varints (7 bits a byte, low first, high bit = more
    follows): the test's own decoder of what postings.varints writes."""
    numbers, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            numbers.append(value)
            value, shift = 0, 0
    return numbers


@pytest.fixture(scope="module")
def source(reuters_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first SIZE Reuters articles (by NEWID)."""
    files = sorted(reuters_dir.glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    folder = tmp_path_factory.mktemp("shards-source")
    for path in files[:SIZE]:
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def archive(source: Path) -> Archive:
    archive = load_archive(CONFIG, source)
    assert len(archive.articles) == SIZE
    return archive


@pytest.fixture(scope="module")
def assets(archive: Archive) -> SearchAssets:
    return site_assets(archive, CONFIG)


@pytest.fixture(scope="module")
def site(assets: SearchAssets, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(assets, tmp_path_factory.mktemp("shards-site"))


# --- queries ---------------------------------------------------------------------------------


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "add", "change"])
    if kind == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    letter = rng.choice("aeiorstn")
    if kind == "add":
        return word[:i] + letter + word[i:]
    return word[:i] + letter + word[i + 1 :]


def auto_edits(term: str) -> int:
    """The most edits the page allows a fuzzy term (Lucene's AUTO: 0, 1 from 3, 2 from 6)."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def generate_queries(archive: Archive, seed: int = 1987) -> list[str]:
    """At least 300 distinct queries over the archive's own words: rare and common terms,
    several terms, +/-, fields, wildcards (leading, trailing, inner), fuzzy ~1/~2, boosts."""
    rng = random.Random(seed)
    df: Counter[str] = Counter()
    surface: dict[str, set[str]] = {}
    for article in archive.articles:
        seen = set()
        for word in re.findall(r"[a-z]+", f"{article.title} {article.body_text}".lower()):
            terms = ENGLISH.terms(word)
            if terms:
                seen.add(terms[0])
                surface.setdefault(terms[0], set()).add(word)
        df.update(seen)
    by_df = sorted(df, key=lambda t: (-df[t], t))
    common = by_df[:60]
    mid = [t for t in by_df if 20 <= df[t] < 200]
    low = [t for t in by_df if 4 <= df[t] < 20]
    rare = [t for t in by_df if df[t] <= 3 and len(t) > 3]
    tag_words = sorted({w for a in archive.articles for t in a.tags for w in t.lower().split("-")})

    def word(pool: Sequence[str]) -> str:
        return rng.choice(sorted(surface[rng.choice(pool)]))

    def term(pool: Sequence[str], min_length: int = 1) -> str:
        return rng.choice([t for t in pool if len(t) >= min_length])

    pools = [common, mid, low, rare]
    queries: list[str] = ["mln", "pct", "said", "the", "zzzznotaword", "u.s", "1987", "-mln"]
    # lunr's corner cases: a term twice (boosts add up), boost 0 (0/0 scores 0), required
    # or prohibited terms scoped to a field, a required term that matches nothing, a term
    # both required and prohibited, wildcard and fuzzy terms with boosts and presence.
    queries += ["oil oil prices", "oil^0", "+oil^0 prices", "expor*^3 trade", "+title:oil prices"]
    queries += ["-title:oil prices", "+oil -oil", "+zzzznotaword oil", "-zzzznotaword"]
    queries += ["oil~1^2 -title:prices", "+tags:crude -body:oil", "-tags:crude -title:oil"]
    queries += [word(common) for _ in range(15)] + [word(mid) for _ in range(15)]
    queries += [word(low) for _ in range(15)] + [word(rare) for _ in range(15)]
    for _ in range(50):
        queries.append(" ".join(word(rng.choice(pools)) for _ in range(rng.randint(2, 4))))
    for _ in range(50):
        a, b = word(rng.choice(pools)), word(rng.choice(pools))
        queries.append(
            rng.choice(["+{a} +{b}", "+{a} -{b}", "{a} -{b}", "-{a}", "-{a} -{b}", "+{a} {b}"])
            .replace("{a}", a)
            .replace("{b}", b)
        )
    for _ in range(30):
        field = rng.choice(["title", "body", "tags"])
        value = rng.choice(tag_words) if field == "tags" else word(rng.choice(pools))
        extra = rng.choice(["", f" {word(common)}", f" title:{word(mid)}"])
        queries.append(f"{field}:{value}{extra}")
    for _ in range(30):
        t = term(rng.choice(pools), 4)
        queries.append(t[: rng.randint(2, min(5, len(t) - 1))] + "*")
    for _ in range(15):
        t = term(rng.choice(pools), 5)
        queries.append("*" + t[-rng.randint(3, 4) :])
    for _ in range(15):
        t = term(rng.choice(pools), 5)
        cut = rng.randint(1, len(t) - 2)
        queries.append(t[:cut] + "*" + t[cut + 1 :])
    for _ in range(30):
        w = word([t for t in rng.choice(pools) if len(t) >= 5])
        typo = _typo(w, rng) if len(w) > 3 else w
        # Within the page's bounds (search-core.js bounds): test_search_bounds.py goes beyond.
        queries.append(f"{typo}~{min(rng.choice([1, 1, 2]), auto_edits(porter_stem(typo)))}")
    for _ in range(10):
        queries.append(f"{word(mid)}^{rng.choice([2, 5, 10])} {word(common)}")
    for _ in range(10):
        queries.append(f"title:{term(mid, 4)[:3]}* +{word(common)} -{word(rare)}")
    unique = list(dict.fromkeys(q for q in queries if q.strip()))
    assert len(unique) >= 300, len(unique)
    return unique


@dataclass(frozen=True)
class Case:
    q: str
    tag: str | None = None
    year: int | None = None
    sort: str = "relevance"


def generate_cases(archive: Archive, queries: list[str], seed: int = 21578) -> list[Case]:
    """Every query unfiltered, plus about one in five again with a tag, a year and/or a sort."""
    rng = random.Random(seed)
    tags = sorted(t.slug for t in archive.tags if len(t.articles) >= 30)
    cases = [Case(q) for q in queries]
    for q in rng.sample(queries, 70):
        cases.append(
            Case(
                q,
                tag=rng.choice([None, *tags[:12]]),
                year=rng.choice([None, None, 1987, 1986]),
                sort=rng.choice(SORTS),
            )
        )
    return cases


@pytest.fixture(scope="module")
def queries(archive: Archive) -> list[str]:
    return generate_queries(archive)


@pytest.fixture(scope="module")
def reference(archive: Archive, queries: list[str]) -> dict[str, Any]:
    """lunr.js's own monolithic index over export_docs, and its results for every query."""
    payload = {"export": export_docs(archive.articles), "queries": queries}
    return node_json(LUNR_HARNESS, ["build"], payload)["results"]  # type: ignore[index]


def expected(archive: Archive, reference: dict[str, Any], case: Case) -> list[tuple[str, float]]:
    """The reference results for a case: filtered by tag and year, sorted by date if asked."""
    rows = reference[case.q]
    assert not isinstance(rows, dict), rows
    position = {"/" + a.url: i for i, a in enumerate(archive.articles)}
    article = {"/" + a.url: a for a in archive.articles}
    out = []
    for url, score in rows:
        a = article[url]
        if case.tag is not None and case.tag not in {archive.tag_slug(t) for t in a.tags}:
            continue
        if case.year is not None and a.posted.year != case.year:
            continue
        out.append((url, score))
    if case.sort != "relevance":
        out.sort(key=lambda row: position[row[0]], reverse=case.sort == "oldest")
    return out


def assert_same_ranking(
    ours: list[tuple[str, float]], theirs: list[tuple[str, float]], what: object
) -> None:
    """Same documents, scores within TOLERANCE, same order except between tied scores."""
    assert len(ours) == len(theirs), what
    score = dict(theirs)
    assert set(score) == {url for url, _ in ours}, what
    for url, value in ours:
        assert abs(value - score[url]) <= TOLERANCE, (what, url, value, score[url])
        assert value == pytest.approx(score[url], rel=1e-12, abs=1e-12), (what, url)
    for (url, _), (their_url, their_score) in zip(ours, theirs, strict=True):
        if url != their_url:
            assert abs(score[url] - their_score) <= TOLERANCE, (what, url, their_url)


# --- results equal lunr.js's -----------------------------------------------------------------


def test_generated_queries_cover_the_syntax(queries: list[str], reference: dict) -> None:
    assert len(queries) >= 300
    kinds = {
        "fuzzy": lambda q: "~" in q,
        "leading *": lambda q: q.startswith("*"),
        "trailing *": lambda q: re.fullmatch(r"[^*\s]+\*", q) is not None,
        "inner *": lambda q: re.search(r"\w\*\w", q) is not None,
        "field": lambda q: ":" in q,
        "required": lambda q: "+" in q,
        "prohibited": lambda q: "-" in q,
        "several words": lambda q: " " in q,
    }
    for kind, test in kinds.items():
        assert sum(1 for q in queries if test(q)) >= 10, kind
    found = [q for q in queries if reference[q] and not isinstance(reference[q], dict)]
    assert len(found) >= 0.8 * len(queries)  # not a vacuous comparison
    assert max(len(reference[q]) for q in found) > SIZE // 2


def test_cold_searches_equal_lunr_js(
    archive: Archive, site: Path, queries: list[str], reference: dict
) -> None:
    """run_search (a fresh Node process per search) on every query, some with filters."""
    cases = generate_cases(archive, queries)

    def run(case: Case) -> list[SearchHit]:
        return run_search(site, case.q, tag=case.tag, year=case.year, sort=case.sort)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(run, cases))
    same_order = 0
    for case, hits in zip(cases, results, strict=True):
        theirs = expected(archive, reference, case)
        ours = [(hit.url, hit.score) for hit in hits]
        assert_same_ranking(ours, theirs, case)
        same_order += [url for url, _ in ours] == [url for url, _ in theirs]
    # In fact scores differ at most in the last bits (the order terms are summed in), so
    # the order is lunr.js's in all but (at most) a rare near-tie.
    assert same_order >= len(cases) - 3


def test_warm_searches_equal_lunr_js(site: Path, queries: list[str], reference: dict) -> None:
    """Every query one after another in one context, reusing what earlier ones loaded."""
    payload = {"queries": [{"q": q} for q in queries], "top": 0, "all": True}
    results = node_json(CORE_HARNESS, [str(site)], payload)
    for q, result in zip(queries, results, strict=True):  # type: ignore[arg-type]
        assert_same_ranking([tuple(row) for row in result["results"]], reference[q], q)


def test_unparseable_query(site: Path) -> None:
    with pytest.raises(ArchiveError, match="expecting term"):
        run_search(site, "title:")
    with pytest.raises(ArchiveError, match="unrecognised field"):
        run_search(site, "author:smith")


def test_browsing_by_filters(archive: Archive, site: Path) -> None:
    tag = max(archive.tags, key=lambda t: len(t.articles))
    hits = run_search(site, "", tag=tag.slug)
    assert [h.url for h in hits] == ["/" + a.url for a in tag.articles]
    oldest = run_search(site, "", tag=tag.name, year=1987, sort="oldest")
    assert [h.url for h in oldest] == ["/" + a.url for a in reversed(tag.articles)]
    assert run_search(site, "", year=1986) == []
    assert len(run_search(site, "", year=1987)) == SIZE


def test_both_forms_agree_on_filters_across_years(tmp_path: Path) -> None:
    """Year ranges, tags and sorts on the multi-year sample, sharded against monolithic."""
    archive = sample_archive()
    sites = {
        form: write_site(site_assets(archive, Config(search_index=form)), tmp_path / form)
        for form in ("sharded", "monolithic")
    }
    cases = [
        Case("rates"),
        Case("rates", year=2022),
        Case("rates", year=2023, sort="oldest"),
        Case("rates", tag="economy", sort="newest"),
        Case("-rates"),
        Case("", year=2023),
        Case("", tag="banks", sort="oldest"),
        Case("", tag="economy", year=2022),
        Case("ra*", year=2021),
        Case("tourist~1"),
    ]
    for case in cases:
        found = [
            run_search(s, case.q, tag=case.tag, year=case.year, sort=case.sort)
            for s in sites.values()
        ]
        assert found[0] == found[1], case
        assert found[0] or case.year == 2021, case


# --- what a query loads ----------------------------------------------------------------------


def read_scripts(paths: Sequence[Path]) -> list[list[Any]]:
    """The calls the generated scripts make, as [function, args...] (run under Node)."""
    code = (
        "const vm = require('vm'), fs = require('fs'); const calls = [];"
        "const target = new Proxy({}, {get: (_, name) => (...a) => calls.push([name, ...a])});"
        "const context = {NewsArchiveSearch: target};"
        "for (const f of process.argv.slice(1))"
        "  vm.runInContext(fs.readFileSync(f, 'utf8'), vm.createContext({...context}));"
        "console.log(JSON.stringify(calls))"
    )
    out = subprocess.run(
        ["node", "-e", code, *map(str, paths)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def entry(assets: SearchAssets, site: Path) -> dict[str, Any]:
    ((name, data),) = read_scripts([site / assets.scripts[2]])
    assert name == "setEntry"
    return data


def loaded(site: Path, query: str, *options: str) -> list[str]:
    """The site files search-cli.js reads for one search, in order."""
    proc = subprocess.run(
        ["node", str(SEARCH_CLI), "--trace=1", *options, "--", str(site), query],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.removeprefix("loaded: ") for line in proc.stderr.splitlines()]


def shard_of(entry: dict[str, Any], term: str) -> str:
    return f"search/p/{shard_row(entry, term)[1]}.js"


def shard_row(entry: dict[str, Any], term: str) -> list[str]:
    firsts = [row[0] for row in entry["shards"]]
    return entry["shards"][max(i for i, first in enumerate(firsts) if first <= term)]


def test_single_word_loads_entry_one_shard_and_a_page_of_titles(
    site: Path, entry: dict[str, Any], assets: SearchAssets
) -> None:
    """A page of results of one word: the entry, the word's shard (or, for a word with a
    shard of its own, its head) and the titles of the page's results, nothing else."""
    for word, term in (("oil", "oil"), ("prices", "price"), ("mln", "mln"), ("cocoa", "cocoa")):
        files = loaded(site, word, "--limit=20")
        assert files[:3] == assets.scripts[:3]
        rest = files[3:]
        row = shard_row(entry, term)
        wanted = f"search/h/{row[2]}.js" if len(row) > 2 else f"search/p/{row[1]}.js"
        assert rest[0] == wanted, word
        metas = rest[1:]
        assert 1 <= len(metas) <= 20 and all(f.startswith("search/m/") for f in metas), rest
        assert len(set(files)) == len(files)
    assert len(shard_row(entry, "mln")) == 3  # a very common word: a head
    assert len(shard_row(entry, "cocoa")) == 2
    # All results of a word with a head need its whole shard (and no head).
    row = shard_row(entry, "mln")
    files = loaded(site, "mln")
    assert f"search/p/{row[1]}.js" in files and f"search/h/{row[2]}.js" not in files


def test_heads_give_the_first_hits_and_every_count(
    archive: Archive, site: Path, entry: dict[str, Any], reference: dict
) -> None:
    """A common word's head holds exactly lunr's first HEAD_SIZE hits, and the number of
    hits and their years; anything beyond the head, a filter or a sort loads the shard."""
    common = ["mln", "pct", "said", "year", "dlrs", "company", "shares", "oil", "+mln"]
    queries = [{"q": q, "need": need} for q in common for need in (20, HEAD_SIZE)]
    queries += [{"q": "mln", "need": HEAD_SIZE + 1}, {"q": "mln", "sort": "newest"}]
    queries += [{"q": "mln", "need": 20, "year": "1987"}, {"q": "title:mln", "need": 20}]
    queries += [{"q": "mln^2", "need": 20}, {"q": "mlm", "need": 20}]
    payload = {"queries": queries, "top": 0, "all": True}
    results = node_json(CORE_HARNESS, [str(site)], payload)
    position = {"/" + a.url: i for i, a in enumerate(archive.articles)}
    heads = 0
    for query, result in zip(queries, results, strict=True):  # type: ignore[arg-type]
        q = query["q"]
        if q not in reference:
            reference.update(
                node_json(
                    LUNR_HARNESS,
                    ["build"],
                    {"export": export_docs(archive.articles), "queries": [q]},
                )["results"]  # type: ignore[index]
            )
        theirs = [tuple(row) for row in reference[q]]
        ours = [tuple(row) for row in result["results"]]
        assert result["total"] == len(theirs), query
        if query.get("sort") == "newest":
            theirs.sort(key=lambda row: position[row[0]])
        if result["partial"]:
            heads += 1
            assert len(ours) == min(HEAD_SIZE, len(theirs)), query
            assert query["need"] <= HEAD_SIZE, query
            assert "year" not in query and "sort" not in query
            assert ours == theirs[: len(ours)], query  # exactly: the same additions
            years = Counter(a.posted.year for a in archive.articles if "/" + a.url in dict(theirs))
            assert [tuple(y) for y in result["facets"]["years"]] == sorted(
                years.items(), reverse=True
            )
        else:
            assert_same_ranking(ours, theirs, query)
    assert heads >= 6
    for query, result in zip(queries, results, strict=True):  # type: ignore[arg-type]
        if query["q"] in ("mln", "+mln") and query.get("need", 999) <= HEAD_SIZE:
            assert result["partial"] == ("year" not in query), query


def test_other_queries_load_only_what_they_touch(site: Path, entry: dict[str, Any]) -> None:
    terms_file = f"search/terms-{entry['terms']}.js"
    # (Words used here have no head, so the shards themselves load.)
    shards_of = lambda files: {f for f in files if f.startswith("search/p/")}  # noqa: E731
    # A trailing wildcard: the shards of its prefix's range, no term list.
    firsts = [row[0] for row in entry["shards"]]
    files = loaded(site, "expor*", "--limit=1")
    start = max(i for i, first in enumerate(firsts) if first <= "expor")
    wanted = {f"search/p/{entry['shards'][start][1]}.js"}
    for first, key, *_ in entry["shards"][start + 1 :]:
        if not first.startswith("expor"):
            break
        wanted.add(f"search/p/{key}.js")
    assert shards_of(files) == wanted and terms_file not in files
    # Fuzzy: the term list, then only the shards of the terms within the edit distance.
    ((_, all_terms),) = read_scripts([site / terms_file])
    files = loaded(site, "wheet~1", "--limit=1")
    near = {shard_of(entry, t) for t in all_terms if _distance1(t, "wheet")}
    assert terms_file in files and shards_of(files) == near and len(near) < len(firsts) / 4
    # A tag filter: that tag's document list, and nothing about other tags.
    tag = next(t for t in entry["tags"] if t[0] == "crude")
    files = loaded(site, "oil", "--tag=crude", "--limit=5")
    assert [f for f in files if f.startswith("search/t/")] == [f"search/t/{tag[2]}.js"]
    # Browsing by year needs that year's list of documents (their slots), no index part.
    files = loaded(site, "", "--year=1987", "--limit=20")
    assert not [f for f in files if f.startswith(("search/p/", "search/t/", "search/terms"))]
    year = next(r for r, run in enumerate(entry["years"]) if run[0] == 1987)
    assert [f for f in files if f.startswith("search/d/")] == [f"search/d/{entry['docs'][year]}.js"]


def _distance1(a: str, b: str) -> bool:
    """Levenshtein distance (with transpositions, as lunr's fuzzy automaton) at most 1."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swap = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) <= 1 or (swap and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- the files -------------------------------------------------------------------------------


def test_layout_and_content_hashed_names(assets: SearchAssets, entry: dict) -> None:
    entry_path = assets.scripts[2]
    assert assets.scripts == [
        "static/lunr.min.js",
        "static/search-core.js",
        entry_path,
        "static/search-page.js",
        "static/search-ui.js",
    ]
    assert re.fullmatch(r"search/entry-[0-9a-f]{10}\.js", entry_path)
    lunr_min = (REPO / "node_modules/lunr/lunr.min.js").read_bytes()
    assert assets.files["static/lunr.min.js"] == lunr_min
    for path, data in assets.files.items():
        if path.startswith("static/"):
            continue
        assert b"fetch(" not in data and data.startswith(b"NewsArchiveSearch."), path
        name = path.rsplit("/", 1)[1].removesuffix(".js")
        key = name.rsplit("-", 1)[-1]
        if path.startswith("search/m/"):
            # Named by the hash of their group (first slot F): its chunks in order.
            first = name.split("-")[0]
            members = [
                p for p in assets.files if re.fullmatch(f"search/m/{first}-\\d+-{key}.js", p)
            ]
            members.sort(key=lambda p: int(p.split("-")[1]))
            data = b"".join(assets.files[m] for m in members)
        # The hash is of the content without its own name (shards register under it).
        unnamed = data.replace(json.dumps(key).encode(), b'""', 1)
        assert hashlib.sha256(unnamed).hexdigest().startswith(key), path
    kinds = Counter(re.sub(r"\d+-|[0-9a-f]{8,}", "#", p) for p in assets.files)
    # A metadata file (and its text file) per chunk: up to about META_CHUNK documents (a
    # result's chunk holds META_CHUNK on average; dates cluster, so many hold fewer).
    assert kinds["search/m/###.js"] == kinds["search/x/###.js"]
    assert SIZE / metadata.META_CHUNK <= kinds["search/m/###.js"] <= SIZE / 2
    assert kinds["search/p/#.js"] == len(entry["shards"]) > 10
    assert kinds["search/h/#.js"] == sum(len(row) > 2 for row in entry["shards"]) >= 3
    assert kinds["search/d/#.js"] == len(entry["years"]) == len(entry["docs"])
    groups = {p.split("/")[2].split("-")[0] for p in assets.files if p.startswith("search/m/")}
    assert len(entry["meta"]) == hashed.CHUNK_HASH_DIGITS * len(groups)
    assert len(read_varints(base64.b64decode(entry["groups"]))) == 2 * len(groups)


def test_shards_cover_the_sorted_terms(site: Path, entry: dict) -> None:
    paths = [site / f"search/p/{row[1]}.js" for row in entry["shards"]]
    calls = read_scripts(paths)
    all_terms = read_scripts([site / f"search/terms-{entry['terms']}.js"])[0][1]
    joined = [t for _, _, (terms, _) in calls for t in terms]
    assert joined == all_terms == sorted(all_terms)
    previous = None
    for (first, key, *_), (_, name, (terms, _)) in zip(entry["shards"], calls, strict=True):
        # The entry names a shard by the shortest prefix of its first term that sorts after
        # the previous shard's last term.
        assert name == key and terms[0].startswith(first)
        assert previous is None or previous < first
        assert previous is None or not previous < first[:-1]
        previous = terms[-1]
    assert entry["shards"][0][0] == ""


def test_postings_give_lunrs_exact_weights(archive: Archive) -> None:
    """Decoded shard postings, weighed by bm25.bm25 (the formula search-core.js runs), are
    the postings and field vectors of the monolithic index (itself byte-identical to
    lunr.js's, tests/test_search.py)."""
    articles = archive.articles[:300]
    docs = documents.index_documents(articles)
    index = lunrindex.built_index(docs)
    by_age = [post.document_terms(a, ENGLISH) for a in articles][::-1]
    postings, stats = post.collect_postings(by_age)
    assert set(postings) == set(index.inverted_index)
    last = len(docs) - 1
    for term, posting in index.inverted_index.items():
        values = read_varints(postings[term].encode())
        term_idf = bm25.idf(postings[term].with_term, stats.count)
        for f, spec in enumerate(documents.FIELDS):
            count, values = values[0], values[1:]
            gaps, tfs, lengths = (values[i * count : (i + 1) * count] for i in range(3))
            values = values[3 * count :]
            ages = [sum(gaps[: i + 1]) + i for i in range(count)]
            urls = [docs[last - age]["url"] for age in ages]
            assert urls[::-1] == list(posting[spec.name])
            for url, tf, length in zip(urls, tfs, lengths, strict=True):
                weight = bm25.bm25(term_idf, tf, length, stats.average(f), spec.boost)
                elements = index.field_vectors[f"{spec.name}/{url}"].elements
                at = elements[::2].index(posting["_index"])
                assert weight == elements[2 * at + 1]
        assert values == []


def test_deterministic(archive: Archive, assets: SearchAssets) -> None:
    again = site_assets(archive, CONFIG)
    assert again.files == assets.files and again.scripts == assets.scripts


@contextmanager
def edited(path: Path, text: str) -> Iterator[None]:
    """``path`` holds ``text`` (a new file if it did not exist) until the block ends.

    The edits are made in the shared source folder, not a copy, because an article's URL
    suffix (two titles on one day) is made from its source path, folder included.
    """
    old = path.read_bytes() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        if old is None:
            path.unlink()
        else:
            path.write_bytes(old)


def _changes(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, set[str]]:
    """Files of ``after`` that are new, by kind (added or changed content: a new name)."""
    out: dict[str, set[str]] = {}
    for path in set(after) - set(before):
        out.setdefault(path.split("/")[1].split("-")[0], set()).add(path)
    return out


def _shard_rows_of(entry: dict[str, Any], terms: set[str]) -> set[str]:
    """The shards of ``terms`` and the ones after them: a term whose postings grow or shrink
    may start or stop being a cut point (shards.cut_shards), merging two shards."""
    keys = [row[1] for row in entry["shards"]]
    out = set()
    for term in terms:
        at = keys.index(shard_row(entry, term)[1])
        out.update(f"search/p/{key}.js" for key in keys[at : at + 2])
    return out


def test_editing_a_body_changes_only_the_files_it_touches(
    source: Path, archive: Archive, assets: SearchAssets, entry: dict
) -> None:
    """Rewrite a sentence of a body (other terms, another length): the entry, the article's
    metadata and text files, and the shards of the terms whose postings changed (its old and
    new terms: their frequency or the field length differ) change; nothing else. Weights are
    computed in the browser, so the new average length changes no other shard."""
    target = next(a for a in archive.articles if " wheat " in a.body_text and len(a.tags) > 1)
    path = Path(target.path)
    text = path.read_text(encoding="utf-8").replace(" wheat ", " barley and sorghum exports ", 1)
    with edited(path, text):
        after = site_assets(load_archive(CONFIG, source), CONFIG).files
    changed = _changes(assets.files, after)
    removed = _changes(after, assets.files)
    assert set(changed) == set(removed) <= {"entry", "m", "x", "p"}
    # The article's text file, the entry, and the metadata files of its group (renamed).
    assert len(changed["x"]) == len(changed["entry"]) == 1
    groups = {p.split("/")[2].split("-")[0] for p in changed["m"]}  # first slots
    assert len(groups) == 1 and 1 <= len(changed["m"]) <= metadata.META_GROUP_MAX
    body_terms = set(ENGLISH.terms(target.body_text)) | set(ENGLISH.terms(text))
    assert removed["p"] <= _shard_rows_of(entry, body_terms)
    assert len(changed["p"]) == len(removed["p"]) < 0.5 * len(entry["shards"])


@contextmanager
def removed(path: Path) -> Iterator[None]:
    """``path`` is gone until the block ends."""
    old = path.read_bytes()
    path.unlink()
    try:
        yield
    finally:
        path.write_bytes(old)


def _entry_of(files: dict[str, bytes], scripts: list[str], tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "entry.js").write_bytes(files[scripts[2]])
    ((_, data),) = read_scripts([tmp_path / "entry.js"])
    return data


def _assert_only_its_files(
    before: SearchAssets,
    after: SearchAssets,
    article: Any,
    slugs: set[str],
    tmp_path: Path,
) -> None:
    """Between two builds that differ by ``article`` (added or deleted; ``slugs``: its
    tags'), the search files that are new, and those that are gone, are exactly explained
    by it: shards holding its terms (or next to them: a cut point may move), heads of such
    shards, its tags' files, the chunks of one metadata group (two when the article starts
    one), the entry, the list of all documents (and of all terms, when one is new or
    gone). Every other file keeps its name."""
    fields = documents.index_documents([article])[0]
    terms = {t for f in documents.FIELDS for t in ENGLISH.terms(fields[f.name])}
    entries = [_entry_of(a.files, a.scripts, tmp_path) for a in (before, after)]
    shard_files = set().union(*(_shard_rows_of(e, terms) for e in entries))
    head_files = {
        f"search/h/{row[2]}.js"
        for e in entries
        for row in e["shards"]
        if len(row) > 2 and f"search/p/{row[1]}.js" in shard_files
    }
    for new, old in ((after, before), (before, after)):
        changed = _changes(old.files, new.files)
        assert set(changed) <= {"entry", "d", "terms", "p", "h", "t", "m", "x"}, changed.keys()
        assert len(changed["entry"]) == len(changed["d"]) == 1
        # The list of all terms, when it brings a term no other article has.
        assert len(changed.get("terms", ())) <= 1
        assert changed["p"] <= shard_files
        assert changed.get("h", set()) <= head_files
        # Its tags' files, each naming its slug.
        assert len(changed.get("t", ())) <= len(slugs)
        for path in changed.get("t", ()):
            assert any(f"({json.dumps(slug)}, ".encode() in new.files[path] for slug in slugs)
        groups = {p.split("/")[2].split("-")[0] for p in changed["m"]}  # first slots
        assert 1 <= len(groups) <= 2, groups
        assert {p.split("/")[2].split("-")[0] for p in changed["x"]} <= groups
        # Texts are named by their content: the chunks that changed (all when the shift did).
        assert 1 <= len(changed["x"]) <= len(changed["m"]) <= 2 * metadata.META_GROUP_MAX
    same = set(before.files) & set(after.files)
    assert len(same) > 0.9 * len(before.files)


def test_adding_an_article_changes_only_its_terms_shards_and_the_newest_chunks(
    source: Path, assets: SearchAssets, entry: dict, tmp_path: Path
) -> None:
    """A new newest article adds to the postings of its own terms only (postings name
    documents by slot, and weights are computed in the browser): every other shard keeps
    its name, as do shard boundaries and the per-article files of older articles."""
    extra = sorted(reuters_articles().glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    with edited(source / extra[SIZE].name, extra[SIZE].read_text(encoding="utf-8")):
        grown = load_archive(CONFIG, source)
        assert len(grown.articles) == SIZE + 1
        after = site_assets(grown, CONFIG)
        paths = [a.path for a in grown.articles]
        new = grown.articles[paths.index(str(source / extra[SIZE].name))]
    new_entry = _entry_of(after.files, after.scripts, tmp_path)
    old = [row[0] for row in entry["shards"]]
    assert len(set(old) & {row[0] for row in new_entry["shards"]}) >= 0.95 * len(old)
    slugs = {grown.tag_slug(t) for t in new.tags}
    _assert_only_its_files(assets, after, new, slugs, tmp_path)


def _middle_article_text(archive: Archive) -> tuple[Any, str]:
    """The article in the middle of the archive, and a new article of the same date (the
    same second: its slot is packed after the other one's) with other words and tags."""
    middle = archive.articles[len(archive.articles) // 2]
    extra = sorted(reuters_articles().glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    text = extra[SIZE + 5].read_text(encoding="utf-8").split("\n")
    assert text[0].startswith("Posted: ")
    text[0] = "Posted: " + middle.posted.strftime("%d.%m.%Y %H:%M:%S")
    return middle, "\n".join(text)


def test_a_mid_archive_article_changes_only_its_own_files(
    source: Path, archive: Archive, assets: SearchAssets, tmp_path: Path
) -> None:
    """Back-filling an article dated in the middle of the archive, or deleting one there,
    renumbers no other document (slots come from dates), so only the files of its terms,
    its tags and its metadata group change, and the entry."""
    middle, text = _middle_article_text(archive)
    with edited(source / "zz-back-filled.txt", text):
        grown = load_archive(CONFIG, source)
        after = site_assets(grown, CONFIG)
    added = next(a for a in grown.articles if a.path.endswith("zz-back-filled.txt"))
    position = list(grown.articles).index(added)
    assert 0.3 * SIZE < position < 0.7 * SIZE
    _assert_only_its_files(assets, after, added, {grown.tag_slug(t) for t in added.tags}, tmp_path)
    with removed(Path(middle.path)):
        shrunk = site_assets(load_archive(CONFIG, source), CONFIG)
    slugs = {archive.tag_slug(t) for t in middle.tags}
    _assert_only_its_files(assets, shrunk, middle, slugs, tmp_path)


def test_monolithic_option_keeps_the_old_layout(archive: Archive) -> None:
    few = build_archive(list(archive.articles[:50]))
    files = site_assets(few, Config(search_index="monolithic")).files
    assert {"search/docs.js", "search/index.js", "static/lunr.js"} <= set(files)
    assert not any(p.startswith(("search/p/", "search/entry-")) for p in files)


def test_config_rejects_unknown_index_form(tmp_path: Path) -> None:
    from newsarchive.config import load_config
    from newsarchive.errors import ArchiveError

    path = tmp_path / "archive.toml"
    path.write_text('search_index = "split"\n')
    with pytest.raises(ArchiveError, match="'search_index' must be one of 'sharded', 'monolithic'"):
        load_config(path)
    path.write_text('search_index = "monolithic"\n')
    assert load_config(path).search_index == "monolithic"
