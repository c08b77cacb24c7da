"""Every language's Python pipelines against the JavaScript the search page runs, word by word.

For each supported language, its wordfreq word list (with the hard tokens and its stop words,
bare and in punctuation) goes through the JavaScript under Node (lunr.js, the vendored
lunr-languages, js/languages.js: tests/js/languages-harness.js) and through the Python
pipelines; the index terms and the search terms of every word must be equal. The mixed-
language search function is compared the same way for a few sets of languages.

Slow (minutes): ``pytest -s -m slow tests/test_language_parity.py`` prints, per language,
the words compared and the differences found, for quoting.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.languages import SUPPORTED
from newsarchive.search import lunrlangdata, ownlangdata

from .languagecheck import (
    HARD_TOKENS,
    code_words,
    differences,
    python_multi,
    python_side,
    run_js,
    start_js,
)

wordfreq = pytest.importorskip("wordfreq", reason="the test extra's wordfreq gives the lists")

pytestmark = pytest.mark.slow

# Language -> the wordfreq lists it is run over: the 'large' list where there is one, else
# the default ('best') one. wordfreq has no Norwegian 'no' (its code is 'nb') and no large
# Danish list ('da' large is 'nb' large); Belarusian has no list at all (wordfreq falls back
# to Russian), so it gets the Russian and Ukrainian lists and Belarusian-spelled words.
LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("en", "large"),),
    "ru": (("ru", "large"),),
    "de": (("de", "large"),),
    "fr": (("fr", "large"),),
    "es": (("es", "large"),),
    "it": (("it", "large"),),
    "pt": (("pt", "large"),),
    "nl": (("nl", "large"),),
    "sv": (("sv", "large"),),
    "fi": (("fi", "large"),),
    "no": (("nb", "large"),),
    "da": (("nb", "large"), ("da", "best")),
    "hu": (("hu", "best"),),
    "ro": (("ro", "best"),),
    "tr": (("tr", "best"),),
    "be": (("ru", "large"), ("uk", "large")),
    "uk": (("uk", "large"),),
    "zh": (("zh", "large"),),
    "ja": (("ja", "large"),),
    "ko": (("ko", "best"),),
}
assert set(LISTS) == set(SUPPORTED)

MULTI = (("en", "ru"), ("be", "ru", "uk"), ("de", "en", "fr", "nl"), ("en", "ja", "ko", "zh"))
RESULTS: dict[str, str] = {}


def word_list(code: str, wordlist: str) -> list[str]:
    """A wordfreq list; the exact list is named by wordfreq's own files, offline."""
    available = wordfreq.available_languages(wordlist)
    assert code in available, f"wordfreq has no {wordlist!r} list for {code!r}"
    return list(wordfreq.get_frequency_dict(code, wordlist=wordlist))


def belarusian_spellings(words: list[str]) -> list[str]:
    """Russian words spelled with Belarusian letters: і, ў after a vowel, шч, apostrophes."""
    out = []
    for word in words:
        spelled = word.replace("и", "і").replace("щ", "шч")
        spelled = re.sub("([аеёіоуыэюя])у", "\\1ў", spelled)
        out += [spelled, re.sub("ъ|ь(?=[еёюя])", "'", spelled), f"’{spelled}’", f"«{spelled}»"]
    return out


def stop_words(code: str) -> list[str]:
    """The language's stop words, bare, with punctuation and capitalised."""
    if code == "en":
        from newsarchive.stopwords import LUNR_STOP_WORDS as words
    else:
        words = lunrlangdata.STOP_WORDS.get(code) or ownlangdata.STOP_WORDS.get(code, ())
    return [form for w in words for form in (w, f"«{w}»", f"{w},", f"({w})", w.upper())]


def words_of(code: str) -> tuple[list[str], str]:
    words: list[str] = []
    for source, wordlist in LISTS[code]:
        words += word_list(source, wordlist)
    if code == "be":
        words += belarusian_spellings(word_list("ru", "large")[:50_000])
    words += stop_words(code)
    names = " + ".join(f"{source} {wordlist}" for source, wordlist in LISTS[code])
    if code == "be":
        names += " + Belarusian spellings of 50,000 ru words"
    return code_words(words), names


@pytest.mark.parametrize("code", SUPPORTED)
def test_word_lists_give_the_javascripts_terms(code: str, tmp_path: Path) -> None:
    started = time.perf_counter()
    words, names = words_of(code)
    process, out = start_js({"code": code, "words": words}, tmp_path)
    python = python_side(code, words)
    assert process.wait(timeout=900) == 0
    js = json.loads(out.read_text(encoding="utf-8"))
    index = differences(words, python["index"], js["index"])
    search = differences(words, python["search"], js["search"])
    line = (
        f"{code}: {len(words):,} words ({names} + stop words + {len(HARD_TOKENS)} hard "
        f"tokens), index differences {len(index)}, search differences {len(search)}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    RESULTS[code] = line
    print(line)
    assert index == [], index[:20]
    assert search == [], search[:20]


@pytest.mark.parametrize("codes", MULTI, ids="-".join)
def test_multi_search_over_word_lists(codes: tuple[str, ...]) -> None:
    words: list[str] = []
    for code in codes:
        source, wordlist = LISTS[code][0]
        words += word_list(source, wordlist)[:20_000] + stop_words(code)
    words = code_words(words)
    js = run_js({"codes": list(codes), "words": words})
    found = differences(words, python_multi(codes, words), js["search"])
    print(f"newsarchive-multi-{'-'.join(codes)}: {len(words):,} words, differences {len(found)}")
    assert found == [], found[:20]


def test_russian_speed(tmp_path: Path) -> None:
    """get_language('ru').terms over the Russian list, one word at a time, cold caches."""
    words = word_list("ru", "large")
    assert len(set(words)) >= 200_000
    path = tmp_path / "ru.json"
    path.write_text(json.dumps(words), encoding="utf-8")
    script = (
        "import json, sys, time\n"
        "from newsarchive.search.textpipe import get_language\n"
        "words = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "ru = get_language('ru')\n"
        "start = time.perf_counter()\n"
        "for word in words:\n"
        "    ru.terms(word)\n"
        "print(len(words) / (time.perf_counter() - start))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    rate = float(proc.stdout)
    print(f"ru: get_language('ru').terms, cold: {rate:,.0f} words/s over {len(words):,} words")
    assert rate > 5_000
