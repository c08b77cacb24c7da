"""What the language tests share: the Node side (tests/js/languages-harness.js), the Python
side, and the hand-picked hard tokens every language is run over."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsarchive.languages import SUPPORTED
from newsarchive.search.textpipe import from_code_units, get_language, multi_search

HARNESS = Path(__file__).resolve().parent / "js" / "languages-harness.js"

# Punctuation around and inside words, digits, mixed scripts, characters beyond the BMP,
# accents, apostrophes, case, separators inside tokens, CJK next to other scripts.
HARD_TOKENS: tuple[str, ...] = (
    "",
    "...",
    "—",
    "-",
    "'",
    "’",
    "a",
    "I",
    "İstanbul",
    "ı",
    "ß",
    "ẞ",
    "ﬁn",
    "Ǆemal",
    "café",
    "Café!",
    "(café)",
    "«café»",
    "naïve",
    "œuvre",
    "Æsir",
    "l'économie",
    "l’économie",
    "don't",
    "'quoted'",
    '"quoted"',
    "u.s.",
    "U.S.A.",
    "e-mail",
    "co--op",
    "3.14",
    "1,000",
    "2024",
    "2024-05-01",
    "12:30",
    "$100",
    "100%",
    "№5",
    "x²",
    "½",
    "٣",
    "१२",
    "๓",
    "«Москва»",
    "Москва,",
    "(Россия)",
    "ёлка",
    "ЁЛКА",
    "пам'ять",
    "пам’ять",
    "Мінск",
    "ўсё",
    "Ўзбек",
    "і",
    "ї",
    "Київ",
    "ґанок",
    "\ufeffа",
    "а\ufeff",
    "﻿",
    "россия2024",
    "abcабв",
    "Müller",
    "Straße",
    "Äpfel",
    "über",
    "Ökonomie",
    "garçon",
    "ação",
    "ências",
    "aciaria",
    "ciue",
    "arciue",
    "averiguei",
    "çç",
    "ñandú",
    "Ελλάδα",
    "שלום",
    "مرحبا",
    "नमस्ते",
    "ไทย",
    "中国",
    "中国经济",
    "中",
    "中国，经济",
    "iphone手机",
    "手机iphone",
    "中-国",
    "〇〇七",
    "々",
    "日々",
    "〆切",
    "ひらがな",
    "カタカナー",
    "ｶﾀｶﾅ",
    "・",
    "ゝゞ",
    "゛",
    "한국",
    "한국은",
    "ㄱㄴ",
    "ᄀᄁ",
    "𠀀𠀁",
    "中𠀀国",
    "😀",
    "😀word",
    "word😀",
    "a😀b",
    "\ud83d",
    "\ude00x",
    "x\u0301",
    "\u0301x",
    "e\u0301té",
    "ǅ",
    "ΣΑΣ",
    "ὈΔΥΣΣΕΎΣ",
    "K",
    "Å",
    "ŉ",
    "İ̇",
    "\u00a0word\u00a0",
    "word\u2028word",
    "tab\tword",
    "a_b",
    "_a_",
    "__",
    "a/b",
    "a&b",
)


def code_words(word_lists: Sequence[str]) -> list[str]:
    """The words, the hard tokens and each language's stop words, deduplicated, sorted."""
    return sorted(set(word_lists).union(HARD_TOKENS))


def run_js(payload: dict[str, Any]) -> dict[str, list[list[str]]]:
    """The harness's answer for a payload (written to and read from files: lists are big)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(payload), encoding="utf-8")
        subprocess.run(["node", str(HARNESS), str(src), str(out)], check=True, timeout=900)
        return json.loads(out.read_text(encoding="utf-8"))


def start_js(payload: dict[str, Any], tmp: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start the harness on a payload, to run while Python computes its side."""
    src, out = tmp / "in.json", tmp / "out.json"
    src.write_text(json.dumps(payload), encoding="utf-8")
    return subprocess.Popen(["node", str(HARNESS), str(src), str(out)]), out


def python_side(code: str, words: Sequence[str]) -> dict[str, list[list[str]]]:
    """What the Python pipelines make of each word: index and search terms."""
    language = get_language(code)
    return {
        "index": [[from_code_units(t) for t in language.terms(w)] for w in words],
        "search": [[from_code_units(t) for t in language.search_terms(w)] for w in words],
    }


def python_multi(codes: Sequence[str], words: Sequence[str]) -> list[list[str]]:
    """The mixed-language search terms of each word."""
    multi = multi_search(codes)
    split = get_language(codes[0]).split
    return [[from_code_units(t) for tok in split(w) for t in multi.search_word(tok)] for w in words]


def differences(
    words: Sequence[str], python: Sequence[list[str]], js: Sequence[list[str]]
) -> list[tuple[str, list[str], list[str]]]:
    """The words whose terms differ: (word, Python's, JavaScript's)."""
    assert len(python) == len(js) == len(words)
    return [(w, p, j) for w, p, j in zip(words, python, js, strict=True) if p != j]


__all__ = ["HARD_TOKENS", "SUPPORTED", "code_words", "differences", "python_side", "run_js"]
