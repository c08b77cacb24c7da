"""Search in other languages than English, and in archives that mix languages (issue 16).

The reference is stock lunr.js with lunr-languages (and languages.js for be, uk, CJK and the
mixed search pipeline), building from export-docs with each document's own language's
pipeline (tests/js/lunr-harness.js). Our Python index must equal it byte for byte, and the
site's search (both forms, through search-cli.js as ``build.py search`` runs it) must rank as
it does. The articles are the short ones in tests/data/languages and the English seed.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsarchive.build import load_archive
from newsarchive.config import Config
from newsarchive.model import Archive
from newsarchive.placing import build_archive
from newsarchive.search.assets import site_assets
from newsarchive.search.documents import export_docs
from newsarchive.search.lunrindex import build_index
from newsarchive.search.query import run_search
from newsarchive.search.scripts import index_json
from newsarchive.search.sharded import ShardState, sharded_assets

from .conftest import LUNR_HARNESS, node_json, run_cli
from .test_search import write_site

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "languages"
SEED = ROOT / "seeds" / "000_d46258573fad9701.txt"
CORE_HARNESS = ROOT / "tests" / "js" / "core-harness.js"

# Archive -> (its config language, its articles' files). "mixed" is English by default with
# Russian articles; "all" adds Belarusian and Chinese and is Russian by default (the English
# seed then gets a "Lang: en" line).
CASES: dict[str, tuple[str, list[Path]]] = {
    "ru": ("ru", sorted(DATA.glob("ru-*.txt"))),
    "be": ("be", sorted(DATA.glob("be-*.txt"))),
    "zh": ("zh", sorted(DATA.glob("zh-*.txt"))),
    "mixed": ("en", [SEED, *sorted(DATA.glob("ru-*.txt"))]),
    "all": ("ru", [SEED, *sorted(DATA.glob("*.txt"))]),
}
QUERIES = {
    "ru": [
        "Путина",
        "санкция",
        "смартф*",
        "москве",
        "title:минске",
        "+санкции -экономика",
        "станции метро",
        "беларуси~1",
    ],
    "be": ["выстава", "кнігі", "мінску", "беларускай"],
    "zh": ["经济", "合作", "白俄罗斯", "中欧班列"],
}
QUERIES["mixed"] = [*QUERIES["ru"], "Lukashenko", "security guarantees", "minsk", "Минск*"]
QUERIES["all"] = [*QUERIES["mixed"], *QUERIES["be"], *QUERIES["zh"]]
# A query -> a file whose article it must find (the words differ in form: the pipeline's doing).
MUST_FIND = {
    "Путина": "ru-putin-minsk",  # says "Путин"
    "санкция": "ru-sanctions",  # says "санкции", "санкций"
    "смартф*": "ru-smartphones",
    "москве": "ru-moscow-metro",  # "В Москве", "Мэр Москвы"
    "经济": "zh-economy",
    "Lukashenko": "000_d46258573fad9701",
}


def archive_of(case: str, tmp_path: Path) -> tuple[Archive, Config]:
    language, files = CASES[case]
    source = tmp_path / f"{case}-articles"
    source.mkdir()
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path == SEED and language != "en":
            posted, rest = text.split("\n", 1)
            text = f"{posted}\nLang: en\n{rest}"
        (source / path.name).write_text(text, encoding="utf-8")
    config = Config(language=language, timezone="UTC")
    archive = load_archive(config, source)
    assert len(archive.articles) == len(files)
    return archive, config


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name = request.param
    archive, config = archive_of(name, tmp_path_factory.mktemp(name))
    payload = {"export": export_docs(archive.articles, language=config.language)}
    payload["queries"] = QUERIES[name]
    reference = node_json(LUNR_HARNESS, ["build"], payload)
    return name, archive, config, reference


def test_index_equals_lunr_js(case: Any) -> None:
    name, archive, config, reference = case
    ours = index_json(build_index(archive.articles, language=config.language))
    assert ours == reference["index"]
    pipeline = json.loads(ours)["pipeline"]
    if name in ("mixed", "all"):
        assert len(pipeline) == 1 and pipeline[0].startswith("newsarchive-multi-")
    elif name == "ru":
        assert pipeline == ["trimmer-ru", "stemmer-ru"]


def test_export_docs_names_each_documents_language(case: Any) -> None:
    _, archive, config, _ = case
    exported = export_docs(archive.articles, language=config.language)
    langs = [d["lang"] for d in exported["documents"]]
    assert exported["languages"] == sorted(set(langs))
    for article, lang in zip(archive.articles, langs, strict=True):
        assert lang == (article.lang or config.language)


@pytest.mark.parametrize("form", ["sharded", "monolithic"])
def test_searches_equal_lunr_js(case: Any, form: str, tmp_path: Path) -> None:
    name, archive, config, reference = case
    config = Config(language=config.language, timezone="UTC", search_index=form)
    site = write_site(site_assets(archive, config), tmp_path / "site")
    for query in QUERIES[name]:
        theirs = reference["results"][query]
        assert not isinstance(theirs, dict), (query, theirs)
        hits = run_search(site, query)
        assert [h.url for h in hits] == [ref for ref, _ in theirs], query
        for hit, (_, score) in zip(hits, theirs, strict=True):
            assert hit.score == pytest.approx(score, rel=1e-12, abs=1e-12), query
        if query in MUST_FIND:
            stem = MUST_FIND[query]
            wanted = next(a for a in archive.articles if Path(a.path).stem == stem)
            assert "/" + wanted.url in [h.url for h in hits], query


def test_language_scripts_ship_only_what_the_archive_uses(case: Any) -> None:
    name, archive, config, _ = case
    for form in ("sharded", "monolithic"):
        assets = site_assets(archive, Config(language=config.language, search_index=form))
        scripts = [s for s in assets.scripts if "lunr-languages" in s or "languages" in s]
        for script in scripts:
            assert script in assets.files, script
        names = {s.rsplit("/", 1)[1].replace(".min", "") for s in scripts}
        expected = {
            "ru": {"lunr.stemmer.support.js", "lunr.ru.js"},
            "be": {"search-languages.js"},
            "zh": {"search-languages.js"},
            "mixed": {"lunr.stemmer.support.js", "lunr.ru.js", "search-languages.js"},
            "all": {"lunr.stemmer.support.js", "lunr.ru.js", "search-languages.js"},
        }[name]
        assert names == expected, form
        # Before search-core.js, after lunr.js: the order the page loads them in.
        assert assets.scripts.index(scripts[0]) == 1


def test_english_archive_ships_no_language_script(tmp_path: Path) -> None:
    source = tmp_path / "en"
    source.mkdir()
    shutil.copyfile(SEED, source / SEED.name)
    archive = load_archive(Config(), source)
    for form in ("sharded", "monolithic"):
        assets = site_assets(archive, Config(search_index=form))
        assert not [p for p in assets.files if "languages" in p], form
        assert len(assets.scripts) == (5 if form == "sharded" else 6)  # no language script
        data = b"".join(v for p, v in assets.files.items() if "entry-" in p or "docs.js" in p)
        assert b'"languages"' not in data and b'"scripts"' not in data


@pytest.mark.parametrize("form", ["sharded", "monolithic"])
def test_snippets_highlight_cyrillic_words(form: str, tmp_path: Path) -> None:
    archive, config = archive_of("mixed", tmp_path)
    config = Config(language=config.language, timezone="UTC", search_index=form)
    site = write_site(site_assets(archive, config), tmp_path / "site")
    queries = [{"q": "Путина"}, {"q": "санкция"}, {"q": "Lukashenko"}]
    results = node_json(CORE_HARNESS, [str(site)], {"queries": queries, "top": 3})
    putin, sanctions, english = results
    top = putin["hits"][0]
    assert top["lang"] == "ru"
    marked = [s["text"] for s in top["snippet"]["segments"] if s["mark"]]
    marked += [s["text"] for s in top["title"] if s["mark"]]
    assert "Путин" in marked
    sanction_marks = {s["text"] for s in sanctions["hits"][0]["snippet"]["segments"] if s["mark"]}
    assert sanction_marks & {"санкции", "санкций"}
    seed = next(h for h in english["hits"] if h["lang"] == "en")
    assert "Lukashenko" in [s["text"] for s in seed["snippet"]["segments"] if s["mark"]]


def test_serve_state_follows_a_change_of_language(tmp_path: Path) -> None:
    """``serve`` keeps each document's terms by language and text: an article that changes
    only its ``Lang:`` is indexed again, and the files equal a fresh build's."""
    archive, config = archive_of("mixed", tmp_path)
    state = ShardState()
    sharded_assets(archive, config, state)
    moved = [
        dataclasses.replace(a, lang="en") if a.lang == "ru" and "санкц" in a.title else a
        for a in archive.articles
    ]
    assert moved != list(archive.articles)
    changed = build_archive(moved)
    again = sharded_assets(changed, config, state)
    fresh = sharded_assets(changed, config)
    assert again.files == fresh.files and again.scripts == fresh.scripts
    before = sharded_assets(archive, config)
    assert set(fresh.files) != set(before.files)


def test_command_line_search_and_exports_in_a_mixed_archive(tmp_path: Path) -> None:
    """``build.py build``, ``export-docs``, ``export-index`` and ``search --json`` on a mixed
    archive: lunr.js + lunr-languages over the exported documents makes the exported index
    and ranks as ``build.py search`` does."""
    archive_of("mixed", tmp_path)  # writes the source folder
    source = tmp_path / "mixed-articles"
    (tmp_path / "archive.toml").write_text('timezone = "UTC"\nlanguage = "en"\n')
    common = ["--source", str(source), "--config", str(tmp_path / "archive.toml")]
    for args in (["build", "--out", "site"], ["export-docs", "docs.json"]):
        proc = run_cli(*args, *common, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    proc = run_cli("export-index", "index.json", *common, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads((tmp_path / "docs.json").read_text(encoding="utf-8"))
    assert docs["languages"] == ["en", "ru"]
    queries = ["Путина", "санкция", "security", "москве"]
    reference = node_json(LUNR_HARNESS, ["build"], {"export": docs, "queries": queries})
    assert json.loads(reference["index"]) == json.loads((tmp_path / "index.json").read_text())
    for query in queries:
        proc = run_cli("search", query, "--json", "--site", "site", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        hits = json.loads(proc.stdout)
        assert hits, query
        assert [h["url"] for h in hits] == [ref for ref, _ in reference["results"][query]]


def test_snippets_highlight_chinese_pairs(tmp_path: Path) -> None:
    """A Chinese sentence is one tokenizer word of many index terms (character pairs): the
    pairs a query matched are marked, not the sentence."""
    archive, config = archive_of("all", tmp_path)
    site = write_site(site_assets(archive, config), tmp_path / "site")
    queries = [{"q": "经济"}, {"q": "白俄罗斯"}]
    economy, belarus = node_json(CORE_HARNESS, [str(site)], {"queries": queries, "top": 3})
    top = economy["hits"][0]
    assert top["lang"] == "zh"
    assert [s["text"] for s in top["title"] if s["mark"]] == ["经济"]
    assert "".join(s["text"] for s in top["title"]) == "中国与白俄罗斯经济合作继续扩大"
    marked = [s["text"] for s in belarus["hits"][0]["snippet"]["segments"] if s["mark"]]
    assert "白俄罗斯" in marked
