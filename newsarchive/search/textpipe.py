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

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lunr.pipeline import Pipeline
from lunr.token import Token

from ..errors import ArchiveError
from ..languages import SUPPORTED, base_code
from ..stopwords import LUNR_STOP_WORDS
from .porter import CACHE_LIMIT, porter_stem, stemmer

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


STOP_WORDS = LUNR_STOP_WORDS  # lunr.stopWordFilter's list


def stop_word_filter(
    token: Token, i: int | None = None, tokens: list[Token] | None = None
) -> Token | None:
    """lunr.stopWordFilter: drop tokens that are exactly an English stop word.

    The empty string is not a stop word: lunr.js indexes the empty term that the trimmer
    leaves of a token like ``"..."``, and so must we to get the same field lengths.
    """
    return None if str(token) in STOP_WORDS else token


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
            if len(cache) + len(missing) > CACHE_LIMIT:
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
assert set(LANGUAGES) <= set(SUPPORTED), "languages.SUPPORTED names the pipelines defined here"


def get_language(code: str) -> Language:
    """The pipeline for a language code (``en``, ``en-GB`` -> ``en``); unknown codes raise
    (the config check names them first, see config.validate)."""
    base = base_code(code)
    if base is None:
        raise ArchiveError(
            f"no search pipeline for language {code!r} (available: {', '.join(SUPPORTED)})"
        )
    return LANGUAGES[base]
