"""Our own pipelines, for the languages lunr-languages does not stem (be, uk) or cannot cut
without a native module (zh, ja, ko), and the search function of mixed-language archives.

Each is written twice, here and in ``js/languages.js``, from the same data
(:mod:`.ownlangdata`); the parity tests run both over word lists.

* be, uk: a Unicode-aware trimmer (keeps letters, marks and numbers of every script, so
  ``«Мінск»`` -> ``мінск`` and ``пам'ять`` keeps its apostrophe), then a stop word filter; no
  stemmer, so a query finds other forms of a word only as a prefix (``мінск*``). The trimmer
  drops a token it empties (lunr.trimmer would index the empty term).
* zh, ja, ko: ``newsarchive-cjk-bigrams`` cuts each run of CJK characters in a token into
  overlapping pairs (``中国经济`` -> ``中国 国经 经济``; a lone character stays one term), the
  rest of the token staying a token of its own (``iphone手机`` -> ``iphone 手机``), then the
  trimmer. The query runs the same, so a two-character query is one term and a longer one
  finds the documents holding its pairs.
* ``newsarchive-multi-<codes>``: for an archive in several languages, each query word runs
  through every language's search pipeline, and the distinct terms, in language order, are
  all looked up (:func:`build_multi_search`; textpipe.multi_search by codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lunr.token import Token

from .language import Language, PipelineFunction, register, steps_language
from .ownlangdata import CJK, STOP_WORDS, UNICODE_WORD

_TRIM_START = re.compile(f"^[^{UNICODE_WORD}]+")
_TRIM_END = re.compile(f"[^{UNICODE_WORD}]+\\Z")
_CJK = re.compile(f"[{CJK}]")
_CJK_RUN = re.compile(f"[{CJK}]+|[^{CJK}]+")


def unicode_trim(word: str) -> str | None:
    """Strip characters other than letters, marks and numbers from both ends; None if
    nothing is left."""
    trimmed = _TRIM_END.sub("", _TRIM_START.sub("", word, count=1), count=1)
    return trimmed or None


def stop_filter(code: str) -> Callable[[str], str | None]:
    """Drop a token that is exactly one of the language's stop words."""
    words = frozenset(STOP_WORDS[code])

    def keep(word: str) -> str | None:
        return None if word in words else word

    return keep


def cjk_bigrams(word: str) -> str | list[str]:
    """Runs of CJK characters as overlapping pairs (a lone one alone), other runs whole."""
    if not _CJK.search(word):
        return word
    out: list[str] = []
    for run in _CJK_RUN.findall(word):
        if len(run) > 1 and _CJK.match(run):
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def _alphabetic(code: str) -> Language:
    trim = (f"trimmer-{code}", unicode_trim)
    return steps_language(
        code, index=(trim, (f"stopWordFilter-{code}", stop_filter(code))), search=(trim,)
    )


_CJK_STEPS = (
    ("newsarchive-cjk-bigrams", cjk_bigrams),
    ("newsarchive-cjk-trimmer", unicode_trim),
)

OWN_LANGUAGES: dict[str, Language] = {
    "be": _alphabetic("be"),
    "uk": _alphabetic("uk"),
    **{code: steps_language(code, _CJK_STEPS, _CJK_STEPS) for code in ("zh", "ja", "ko")},
}


@dataclass(frozen=True)
class MultiSearch:
    """The query side of an archive in several languages: one pipeline function,
    ``newsarchive-multi-<codes>``, running every language's search pipeline on a copy of
    each query token and keeping the distinct terms in language order (a term two languages
    agree on is looked up once). The empty term is left out: lunr-languages' trimmers make it
    of any word in another script, and it would match every document holding such a word.
    js/languages.js's ``lunr.newsarchive.multiSearch(codes)`` registers the same function
    under the same label."""

    codes: tuple[str, ...]
    label: str
    function: PipelineFunction
    search_word: Callable[[str], list[str]]


def build_multi_search(languages: Sequence[Language]) -> MultiSearch:
    """The mixed-language search function for these languages (sorted by code)."""
    ordered = sorted({language.code: language for language in languages}.items())
    codes = tuple(code for code, _ in ordered)
    label = "newsarchive-multi-" + "-".join(codes)
    words = [language.search_word for _, language in ordered]

    def search_word(word: str) -> list[str]:
        terms: dict[str, None] = {}
        for terms_of in words:
            terms.update(dict.fromkeys(terms_of(word)))
        terms.pop("", None)
        return list(terms)

    def function(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Any:
        return [token.clone(lambda _s, _m=None, t=t: t) for t in search_word(str(token))]

    register((function,), (label,))
    return MultiSearch(codes=codes, label=label, function=function, search_word=search_word)
