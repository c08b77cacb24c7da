"""Our own pipelines (be, uk, zh, ja, ko) and the mixed-language search function: the same
data on both sides, and the same terms as js/languages.js for the hard tokens of every
language. The word-list parity is tests/test_language_parity.py (slow)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from newsarchive.languages import SUPPORTED
from newsarchive.search import ownlangdata
from newsarchive.search.textpipe import (
    get_language,
    language_scripts,
    multi_search,
    search_pipeline_labels,
)

from .conftest import REPO
from .languagecheck import HARD_TOKENS, HARNESS, differences, python_multi, python_side, run_js

JS = REPO / "newsarchive" / "search" / "js" / "languages.js"


def test_javascript_data_is_the_pythons() -> None:
    script = REPO / "scripts" / "own_languages_data.py"
    proc = subprocess.run(
        [sys.executable, script, "--check"], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(
        subprocess.run(
            ["node", HARNESS, "--data"], capture_output=True, check=True, text=True
        ).stdout
    )
    assert data["unicodeWord"] == ownlangdata.UNICODE_WORD
    assert data["cjk"] == ownlangdata.CJK
    assert {k: tuple(v) for k, v in data["stopWords"].items()} == ownlangdata.STOP_WORDS


def test_character_class_literals_are_written_alike() -> None:
    def literal(text: str, name: str, quote: str) -> str:
        match = re.search(rf"{name} =\s*\(?((?:\s*{quote}[^{quote}]*{quote}\s*\+?)+)", text)
        assert match, name
        return "".join(re.findall(rf"{quote}([^{quote}]*){quote}", match.group(1)))

    python = (REPO / "newsarchive" / "search" / "ownlangdata.py").read_text(encoding="utf-8")
    js = JS.read_text(encoding="utf-8")
    for name in ("UNICODE_WORD", "CJK"):
        assert literal(python, name, '"') == literal(js, name, "'") != ""


@pytest.mark.parametrize("code", SUPPORTED)
def test_hard_tokens_give_the_javascripts_terms(code: str) -> None:
    words = list(HARD_TOKENS)
    js = run_js({"code": code, "words": words})
    python = python_side(code, words)
    assert differences(words, python["index"], js["index"]) == []
    assert differences(words, python["search"], js["search"]) == []
    # The labelled pipeline functions (what lunr.py runs) agree with the fast paths.
    language = get_language(code)
    for word in words:
        assert [str(t) for t in language.run(word)] == language.terms(word), word
        searched = language.search_pipeline().run(language.tokenizer(word))
        assert [str(t) for t in searched] == language.search_terms(word), word


@pytest.mark.parametrize(
    "codes", [["en", "ru"], ["be", "ru", "uk"], ["de", "en", "fr"], ["en", "ja", "ko", "zh"]]
)
def test_multi_search_gives_the_javascripts_terms(codes: list[str]) -> None:
    words = [*HARD_TOKENS, "экономики", "Häuser", "économies", "running", "中国经济"]
    js = run_js({"codes": codes, "words": words})
    assert differences(words, python_multi(codes, words), js["search"]) == []


def test_own_pipelines() -> None:
    zh = get_language("zh")
    assert zh.terms("中国经济增长，出口下降。 iPhone手机 中") == [
        "中国",
        "国经",
        "经济",
        "济增",
        "增长",
        "出口",
        "口下",
        "下降",
        "iphone",
        "手机",
        "中",
    ]
    assert zh.search_terms("中国经济") == ["中国", "国经", "经济"]
    assert [str(t) for t in zh.run("中国经济")] == ["中国", "国经", "经济"]
    assert get_language("be").terms("«Мінск» пам'ять ...") == ["мінск", "пам'ять"]
    assert get_language("uk").terms("І в Києві") == ["києві"]
    assert get_language("uk").search_pipeline().serialize() == ["trimmer-uk"]
    assert get_language("ja").index_labels == ["newsarchive-cjk-bigrams", "newsarchive-cjk-trimmer"]


def test_multi_search() -> None:
    multi = multi_search(["ru", "en", "ru_RU"])
    assert multi.codes == ("en", "ru") and multi.label == "newsarchive-multi-en-ru"
    assert multi.search_word("экономики") == ["экономики", "экономик"]
    assert multi.search_word("running") == ["run"]  # ru's trimmer leaves "": left out
    assert multi_search(["de", "en"]).search_word("hand") == ["hand"]  # agreed: one term
    assert search_pipeline_labels(["ru"]) == ["trimmer-ru", "stemmer-ru"]
    assert search_pipeline_labels(["en", "ru"]) == ["newsarchive-multi-en-ru"]
    assert multi_search(["en", "ru"]) is multi


def test_language_scripts_load_in_a_page() -> None:
    assert language_scripts(["en", "en-GB"]) == []
    names = [p.name for p in language_scripts(["ru"], minified=True)]
    assert names == ["lunr.stemmer.support.min.js", "lunr.ru.min.js"]
    names = [p.name for p in language_scripts(["ru", "de"])]  # the multi function: ours
    assert names == ["lunr.stemmer.support.js", "lunr.de.js", "lunr.ru.js", "languages.js"]
    assert [p.name for p in language_scripts(["zh"])] == ["languages.js"]
    files = [REPO / "node_modules/lunr/lunr.min.js", *language_scripts(["en", "ru", "uk"], True)]
    assert files[-1].name == "languages.js"
    # As <script> tags run them: one global scope, no module system.
    page = (
        "const vm = require('vm'); const fs = require('fs'); const context = vm.createContext({});"
        "for (const f of JSON.parse(process.argv[1])) vm.runInContext(fs.readFileSync(f, 'utf8'),"
        " context, {filename: f});"
        "process.stdout.write(JSON.stringify(vm.runInContext(`"
        "const p = new lunr.Pipeline(); p.add(lunr.newsarchive.multiSearch(['uk', 'ru', 'en']));"
        "[p.toJSON(), p.runString('экономики'), lunr.newsarchive.pipelines('uk').pipeline.toJSON()]"
        "`, context)))"
    )
    proc = subprocess.run(
        ["node", "-e", page, json.dumps([str(f) for f in files])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(proc.stdout) == [
        ["newsarchive-multi-en-ru-uk"],
        ["экономики", "экономик"],
        ["trimmer-uk", "stopWordFilter-uk"],
    ]
