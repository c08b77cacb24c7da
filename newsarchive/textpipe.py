"""lunr.js 2.3.9's text pipeline, ported so Python-built indexes hold exactly lunr.js's terms.

The search page queries the index with lunr.js, so every term the Python side writes must be
the term lunr.js itself would have produced from the same text; lunr.py's own tokenizer,
trimmer and stemmer differ on thousands of common words (``money`` -> ``monei``, ``u.s.`` is
not trimmed, U+2028 and U+FEFF do not separate words). Everything here follows the JavaScript
literally, including JavaScript string semantics:

* strings are sequences of UTF-16 code units: text containing characters outside the BMP is
  converted to "code-unit form" (each such character becomes its surrogate pair) before it is
  tokenised, so lengths, positions and regular expressions see what JavaScript sees;
* ``\\s`` is ECMAScript's white space, ``\\W`` is ASCII-only, ``.`` excludes all four line
  terminators and ``$`` only matches at the very end;
* ``toLowerCase`` is Python's ``str.lower`` plus the mappings Unicode added after Python's
  tables (as Node 20's ICU has them).

One :class:`Language` bundles tokenizer and pipeline per language code in :data:`LANGUAGES`,
so other languages can be added later under the same rule (each must match its lunr.js
counterpart, e.g. lunr-languages).
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lunr.pipeline import Pipeline
from lunr.token import Token

from .errors import ArchiveError

__all__ = [
    "ENGLISH",
    "JS_WHITESPACE",
    "LANGUAGES",
    "STOP_WORDS",
    "Language",
    "from_code_units",
    "get_language",
    "js_lower",
    "js_math_log",
    "js_math_round",
    "porter_stem",
    "stemmer",
    "stop_word_filter",
    "to_code_units",
    "tokenize",
    "trimmer",
]

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


def split_words(text: str) -> list[str]:
    """The token strings of :func:`tokenize` without metadata (the indexing fast path)."""
    lowered = to_code_units(js_lower(text))
    return [word for word in _SEPARATORS.split(lowered) if word]


# lunr.trimmer: s.replace(/^\W+/, '').replace(/\W+$/, ''), with \W = [^A-Za-z0-9_].
_TRIM_LEAD = re.compile(r"^[^A-Za-z0-9_]+")
_TRIM_TRAIL = re.compile(r"[^A-Za-z0-9_]+\Z")


def trim(word: str) -> str:
    """The string function of lunr.trimmer."""
    return _TRIM_TRAIL.sub("", _TRIM_LEAD.sub("", word, count=1), count=1)


def trimmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """lunr.trimmer as a lunr.py pipeline function."""
    return token.update(lambda s, _metadata=None: trim(s))


# lunr.stopWordFilter's list, in lunr.js's order.
# fmt: off
STOP_WORDS: frozenset[str] = frozenset(
    (
        "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an",
        "and", "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot",
        "could", "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from",
        "get", "got", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however",
        "i", "if", "in", "into", "is", "it", "its", "just", "least", "let", "like", "likely",
        "may", "me", "might", "most", "must", "my", "neither", "no", "nor", "not", "of", "off",
        "often", "on", "only", "or", "other", "our", "own", "rather", "said", "say", "says",
        "she", "should", "since", "so", "some", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "tis", "to", "too", "twas", "us", "wants", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "yet", "you", "your",
    )
)
# fmt: on


def stop_word_filter(
    token: Token, i: int | None = None, tokens: list[Token] | None = None
) -> Token | None:
    """lunr.stopWordFilter: drop tokens that are exactly an English stop word.

    The empty string is not a stop word: lunr.js indexes the empty term that the trimmer
    leaves of a token like ``"..."``, and so must we to get the same field lengths.
    """
    return None if str(token) in STOP_WORDS else token


# --- lunr.stemmer: the Porter stemmer exactly as lunr.js 2.3.9 writes it -------------------
# JavaScript's "." excludes all line terminators and "$" (without the m flag) only matches at
# the end of input; Python's "." only excludes "\n" and "$" also matches before a final "\n".
_DOT = "[^\n\r\u2028\u2029]"
_END = r"\Z"

# fmt: off
_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize",
    "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful",
    "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}
_STEP3 = {
    "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
    "ness": "",
}
# fmt: on
_c = "[^aeiou]"  # consonant
_v = "[aeiouy]"  # vowel
_C = _c + "[^aeiouy]*"  # consonant sequence
_V = _v + "[aeiou]*"  # vowel sequence

_RE_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)  # [C]VC... is m>0
_RE_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?" + _END)  # [C]VC[V] is m=1
_RE_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)  # [C]VCVC... is m>1
_RE_S_V = re.compile("^(" + _C + ")?" + _v)  # vowel in stem

_RE_1A = re.compile(f"^({_DOT}+?)(ss|i)es{_END}")
_RE2_1A = re.compile(f"^({_DOT}+?)([^s])s{_END}")
_RE_1B = re.compile(f"^({_DOT}+?)eed{_END}")
_RE2_1B = re.compile(f"^({_DOT}+?)(ed|ing){_END}")
_RE_1B_2 = re.compile(f"{_DOT}{_END}")
_RE2_1B_2 = re.compile(f"(at|bl|iz){_END}")
_RE3_1B_2 = re.compile(f"([^aeiouylsz])\\1{_END}")
_RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]" + _END)
_RE_1C = re.compile(f"^({_DOT}+?[^aeiou])y{_END}")
_RE_2 = re.compile(f"^({_DOT}+?)({'|'.join(_STEP2)}){_END}")
_RE_3 = re.compile(f"^({_DOT}+?)({'|'.join(_STEP3)}){_END}")
_RE_4 = re.compile(
    f"^({_DOT}+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)"
    + _END
)
_RE2_4 = re.compile(f"^({_DOT}+?)(s|t)(ion){_END}")
_RE_5 = re.compile(f"^({_DOT}+?)e{_END}")
_RE_5_1 = re.compile(f"ll{_END}")
_RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]" + _END)


def _porter(w: str) -> str:
    """lunr.js's porterStemmer(w), statement by statement (JS ``re.test`` is ``search``)."""
    if len(w) < 3:
        return w
    firstch = w[:1]
    if firstch == "y":
        w = firstch.upper() + w[1:]

    # Step 1a
    if _RE_1A.search(w):
        w = _RE_1A.sub(r"\1\2", w, count=1)
    elif _RE2_1A.search(w):
        w = _RE2_1A.sub(r"\1\2", w, count=1)

    # Step 1b
    if fp := _RE_1B.search(w):
        if _RE_MGR0.search(fp.group(1)):
            w = _RE_1B_2.sub("", w, count=1)
    elif fp := _RE2_1B.search(w):
        stem = fp.group(1)
        if _RE_S_V.search(stem):
            w = stem
            if _RE2_1B_2.search(w):
                w = w + "e"
            elif _RE3_1B_2.search(w):
                w = _RE_1B_2.sub("", w, count=1)
            elif _RE4_1B_2.search(w):
                w = w + "e"

    # Step 1c
    if fp := _RE_1C.search(w):
        w = fp.group(1) + "i"

    # Step 2
    if (fp := _RE_2.search(w)) and _RE_MGR0.search(fp.group(1)):
        w = fp.group(1) + _STEP2[fp.group(2)]

    # Step 3
    if (fp := _RE_3.search(w)) and _RE_MGR0.search(fp.group(1)):
        w = fp.group(1) + _STEP3[fp.group(2)]

    # Step 4
    if fp := _RE_4.search(w):
        if _RE_MGR1.search(fp.group(1)):
            w = fp.group(1)
    elif fp := _RE2_4.search(w):
        stem = fp.group(1) + fp.group(2)
        if _RE_MGR1.search(stem):
            w = stem

    # Step 5
    if fp := _RE_5.search(w):
        stem = fp.group(1)
        if _RE_MGR1.search(stem) or (_RE_MEQ1.search(stem) and not _RE3_5.search(stem)):
            w = stem
    if _RE_5_1.search(w) and _RE_MGR1.search(w):
        w = _RE_1B_2.sub("", w, count=1)

    # and turn initial Y back to y
    if firstch == "y":
        w = firstch.lower() + w[1:]
    return w


_STEM_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 2_000_000


def porter_stem(word: str) -> str:
    """Stem one word (in code-unit form) as lunr.stemmer does; results are cached."""
    stem = _STEM_CACHE.get(word)
    if stem is None:
        if len(_STEM_CACHE) >= _CACHE_LIMIT:
            _STEM_CACHE.clear()
        stem = _STEM_CACHE[word] = _porter(word)
    return stem


def stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """lunr.stemmer as a lunr.py pipeline function."""
    return token.update(lambda s, _metadata=None: porter_stem(s))


# --- numbers as V8 computes them (the builder's BM25 weights) ------------------------------
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_TWO54 = 1.80143985094819840000e16
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


def js_math_log(x: float) -> float:
    """V8's ``Math.log`` (fdlibm's __ieee754_log), bit for bit.

    Python's math.log (the C library's) differs from V8's in the last bit for about one
    argument in thirteen, which after lunr's rounding to 0.001 can change a stored weight.
    """
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    hx = bits >> 32  # signed high word
    k = 0
    if hx < 0x00100000:  # x < 2**-1022
        if ((hx & 0x7FFFFFFF) | (bits & 0xFFFFFFFF)) == 0:
            return float("-inf")
        if hx < 0:
            return float("nan")
        k -= 54
        x *= _TWO54  # subnormal: scale up
        bits = struct.unpack("<q", struct.pack("<d", x))[0]
        hx = bits >> 32
    if hx >= 0x7FF00000:
        return x + x
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    bits = ((hx | (i ^ 0x3FF00000)) << 32) | (bits & 0xFFFFFFFF)  # normalise x or x/2
    x = struct.unpack("<d", struct.pack("<q", bits))[0]
    k += i >> 20
    f = x - 1.0
    if (0x000FFFFF & (2 + hx)) < 3:  # -2**-20 <= f < 2**-20
        if f == 0.0:
            if k == 0:
                return 0.0
            dk = float(k)
            return dk * _LN2_HI + dk * _LN2_LO
        r = f * f * (0.5 - 0.33333333333333333 * f)
        if k == 0:
            return f - r
        dk = float(k)
        return dk * _LN2_HI - ((r - dk * _LN2_LO) - f)
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    i = hx - 0x6147A
    w = z * z
    j = 0x6B851 - hx
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    i |= j
    r = t2 + t1
    if i > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + r))
        return dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - r)
    return dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)


def js_math_round(x: float) -> float:
    """ECMAScript ``Math.round``: nearest integer, halves toward +infinity (not to even)."""
    r = float(math.floor(x))
    return r + 1.0 if x - r >= 0.5 else r


# --- languages ---------------------------------------------------------------------------
PipelineFunction = Callable[..., Any]


@dataclass
class Language:
    """One language's lunr.js-exact text processing, swappable per language code.

    ``index_functions`` is the builder pipeline, ``search_functions`` the pipeline stored in
    the index (what lunr.js runs on query terms). Their ``label`` attributes name lunr.js
    functions, which is how lunr.js re-creates the pipeline when it loads the index.
    ``word_term`` maps one tokenizer word to its indexed term (``None`` = dropped); it must
    equal running ``index_functions`` on that single token, and is cached per distinct word.
    """

    code: str
    index_functions: tuple[PipelineFunction, ...]
    search_functions: tuple[PipelineFunction, ...]
    word_term: Callable[[str], str | None]
    split: Callable[[str], list[str]] = split_words
    tokenizer: Callable[..., list[Token]] = tokenize
    _terms: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def pipeline(self) -> Pipeline:
        """A lunr.py Pipeline with the indexing functions."""
        pipeline = Pipeline()
        pipeline.add(*self.index_functions)
        return pipeline

    def search_pipeline(self) -> Pipeline:
        """A lunr.py Pipeline with the query-time functions (serialised into the index)."""
        pipeline = Pipeline()
        pipeline.add(*self.search_functions)
        return pipeline

    @property
    def index_labels(self) -> list[str]:
        return [fn.label for fn in self.index_functions]

    def terms(self, text: Any) -> list[str]:
        """The indexed terms of a field value, in order: lunr.js's tokenizer + pipeline.

        Equivalent to ``self.pipeline().run(self.tokenizer(text))`` but one dict lookup per
        word, because each pipeline function here maps a single token to a single token.
        """
        if text is None:
            return []
        if isinstance(text, (list, tuple)):
            words = [str(token) for token in self.tokenizer(text)]
        else:
            words = self.split(str(text))
        cache = self._terms
        missing = set(words).difference(cache)
        if missing:
            if len(cache) + len(missing) > _CACHE_LIMIT:
                cache.clear()
            for word in missing:
                cache[word] = self.word_term(word)
        return [term for word in words if (term := cache[word]) is not None]

    def run(self, text: Any) -> list[Token]:
        """Tokenise and run the index pipeline with lunr.py's Pipeline (the reference path)."""
        return self.pipeline().run(self.tokenizer(text))


def _english_term(word: str) -> str | None:
    trimmed = trim(word)
    if trimmed in STOP_WORDS:
        return None
    return porter_stem(trimmed)


def register(functions: Iterable[PipelineFunction], labels: Sequence[str]) -> None:
    """Register pipeline functions with lunr.py under lunr.js's labels.

    lunr.py registers its own (different) trimmer and stemmer under the same labels; ours
    replace them, so a serialised index loaded by lunr.py gets lunr.js's behaviour too.
    The registry is written directly to skip lunr.py's "overwriting" warning.
    """
    for fn, label in zip(functions, labels, strict=True):
        fn.label = label  # type: ignore[attr-defined]
        Pipeline.registered_functions[label] = fn


register((trimmer, stop_word_filter, stemmer), ("trimmer", "stopWordFilter", "stemmer"))

ENGLISH = Language(
    code="en",
    index_functions=(trimmer, stop_word_filter, stemmer),
    search_functions=(stemmer,),
    word_term=_english_term,
)

LANGUAGES: dict[str, Language] = {"en": ENGLISH}


def get_language(code: str) -> Language:
    """The pipeline for a language code (``en``, ``en-GB`` -> ``en``); unknown codes raise."""
    key = code.strip().lower().replace("_", "-")
    language = LANGUAGES.get(key) or LANGUAGES.get(key.split("-", 1)[0])
    if language is None:
        raise ArchiveError(
            f"no search pipeline for language {code!r} (available: {', '.join(LANGUAGES)})"
        )
    return language
