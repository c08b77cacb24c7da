"""JavaScript's string semantics and lunr.js 2.3.9's tokenizer, for every language.

Every term the Python side writes must be the term lunr.js (with lunr-languages, or our own
languages.js) produces from the same text, so the text is first seen as JavaScript sees it:

* strings are sequences of UTF-16 code units: text containing characters outside the BMP is
  converted to "code-unit form" (each such character becomes its surrogate pair) before it is
  tokenised, so lengths, positions and regular expressions see what JavaScript sees;
* ``\\s`` is ECMAScript's white space, ``\\W`` is ASCII-only, ``.`` excludes all four line
  terminators and ``$`` only matches at the very end;
* ``toLowerCase`` is Python's ``str.lower`` plus the mappings Unicode added after Python's
  tables (as Node 20's ICU has them).
"""

from __future__ import annotations

import re
from typing import Any

from lunr.token import Token

# ECMAScript WhiteSpace and LineTerminator (what \s matches without the u flag): TAB, VT, FF,
# ZWNBSP, the Zs category, LF, CR, LS and PS. Python's \s differs (it adds U+001C-U+001F and
# U+0085 and lacks U+FEFF), so the class is spelled out.
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# lunr.tokenizer.separator = /[\s\-]+/; a token is a maximal run of other characters.
_SEPARATORS = re.compile(f"[{JS_WHITESPACE}\\-]+")
_TOKEN = re.compile(f"[^{JS_WHITESPACE}\\-]+")

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")

# Lowercase mappings of Unicode 16/17 that Python 3.11's Unicode 14 tables lack but
# String.prototype.toLowerCase in Node 20 (ICU 78) applies; tests compare every code point.
# fmt: off
_LOWER_EXTRA: dict[int, int] = {
    0x1C89: 0x1C8A, 0xA7CB: 0x0264, 0xA7CC: 0xA7CD, 0xA7CE: 0xA7CF, 0xA7D2: 0xA7D3,
    0xA7D4: 0xA7D5, 0xA7DA: 0xA7DB, 0xA7DC: 0x019B,
    **{c: c + 0x20 for c in range(0x10D50, 0x10D66)},  # Garay
    **{c: c + 0x1B for c in range(0x16EA0, 0x16EB9)},  # Beria Erfe
}
# fmt: on
_LOWER_EXTRA_RE = re.compile("[" + "".join(map(chr, sorted(_LOWER_EXTRA))) + "]")


def js_lower(text: str) -> str:
    """``String.prototype.toLowerCase`` (full mappings, final sigma) as Node 20 applies it."""
    lowered = text.lower()
    if not lowered.isascii() and _LOWER_EXTRA_RE.search(lowered):
        lowered = lowered.translate(_LOWER_EXTRA)
    return lowered


def _pair(match: re.Match[str]) -> str:
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _unpair(match: re.Match[str]) -> str:
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def to_code_units(text: str) -> str:
    """Spell characters beyond U+FFFF as surrogate pairs, one Python char per UTF-16 unit."""
    if text.isascii() or not _ASTRAL.search(text):
        return text
    return _ASTRAL.sub(_pair, text)


def from_code_units(text: str) -> str:
    """Inverse of :func:`to_code_units`; lone surrogates (as JavaScript can make) stay."""
    if text.isascii() or not _SURROGATE_PAIR.search(text):
        return text
    return _SURROGATE_PAIR.sub(_unpair, text)


def _js_string(value: Any) -> str:
    """lunr.utils.asString for the values an index sees: null/undefined -> "", else toString."""
    return "" if value is None else str(value)


def tokenize(obj: Any, metadata: dict[str, Any] | None = None) -> list[Token]:
    """lunr.tokenizer: lower-case, split on ``/[\\s\\-]+/``, record position and index.

    Token strings and ``position`` ([start, length] in the lower-cased string) are in UTF-16
    code units, exactly as lunr.js reports them. Sequences are not split: each element
    becomes one token, as in lunr.js.
    """
    if obj is None:
        return []
    if isinstance(obj, (list, tuple)):
        return [Token(to_code_units(js_lower(_js_string(item))), _clone(metadata)) for item in obj]
    text = to_code_units(js_lower(str(obj)))
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        token_metadata = _clone(metadata)
        token_metadata["position"] = [match.start(), match.end() - match.start()]
        token_metadata["index"] = len(tokens)
        tokens.append(Token(match.group(), token_metadata))
    return tokens


def _clone(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """lunr.utils.clone: a shallow copy in which arrays are copied too."""
    if not metadata:
        return {}
    return {k: list(v) if isinstance(v, list) else v for k, v in metadata.items()}


# Python's white space (str.split) is JavaScript's but for these, which only the regular
# expression splits right; and U+FEFF, which JavaScript's has and Python's lacks.
_PYTHON_ONLY_SPACE = re.compile("[\x1c-\x1f\x85]")


def split_words(text: str) -> list[str]:
    """The token strings of :func:`tokenize` without metadata (the indexing fast path).

    ``str.split`` in C, with hyphens and U+FEFF made spaces first, where the text has none
    of Python's other white space: a quarter of the regular expression's time (0.8 s of
    a cold build of 20,000 articles)."""
    lowered = to_code_units(js_lower(text))
    if _PYTHON_ONLY_SPACE.search(lowered):
        return [word for word in _SEPARATORS.split(lowered) if word]
    return lowered.replace("-", " ").replace("\ufeff", " ").split()
