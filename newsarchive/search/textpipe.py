"""The text pipelines of every supported language: the registry the index builders use.

The search page queries the index with lunr.js, so every term the Python side writes must be
the term the JavaScript itself would have produced from the same text, per language:

* English is lunr.js 2.3.9's own pipeline (:mod:`.english`);
* ru de fr es it pt nl sv fi no da hu ro tr are lunr-languages 1.22.0's plugins
  (:mod:`.lunrlanguages`, the browser loads the vendored ``vendor/lunr-languages/`` files);
* be uk zh ja ko are our own, written twice, here (:mod:`.ownlanguages`) and in
  ``js/languages.js``, with the same data;
* an archive in several languages indexes each document with its own language's pipeline and
  searches with ``newsarchive-multi-<codes>``, every language's search pipeline at once
  (:func:`multi_search`).

The tokenizer and JavaScript's string semantics are shared (:mod:`.jstext`). This module
re-exports the names other modules have always imported from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..errors import ArchiveError
from ..languages import SUPPORTED, base_code
from .english import ENGLISH, STOP_WORDS, stop_word_filter, trim, trimmer
from .jstext import (
    _LOWER_EXTRA,
    JS_WHITESPACE,
    from_code_units,
    js_lower,
    split_words,
    to_code_units,
    tokenize,
)
from .language import Language, PipelineFunction, register
from .lunrlanguages import LUNR_LANGUAGES
from .ownlanguages import OWN_LANGUAGES, MultiSearch, build_multi_search
from .porter import stemmer

__all__ = [
    "ENGLISH",
    "JS_WHITESPACE",
    "LANGUAGES",
    "STOP_WORDS",
    "_LOWER_EXTRA",
    "Language",
    "MultiSearch",
    "PipelineFunction",
    "from_code_units",
    "get_language",
    "js_lower",
    "language_scripts",
    "multi_search",
    "register",
    "search_pipeline_labels",
    "split_words",
    "stemmer",
    "stop_word_filter",
    "to_code_units",
    "tokenize",
    "trim",
    "trimmer",
]

HERE = Path(__file__).resolve().parent
LUNR_LANGUAGES_DIR = HERE / "vendor" / "lunr-languages"
LANGUAGES_JS = HERE / "js" / "languages.js"

LANGUAGES: dict[str, Language] = {"en": ENGLISH, **LUNR_LANGUAGES, **OWN_LANGUAGES}
assert set(LANGUAGES) == set(SUPPORTED), "languages.SUPPORTED names the pipelines defined here"


def get_language(code: str) -> Language:
    """The pipeline for a language code (``en``, ``en-GB`` -> ``en``); unknown codes raise
    (the config check names them first, see config.validate)."""
    base = base_code(code)
    if base is None:
        raise ArchiveError(
            f"no search pipeline for language {code!r} (available: {', '.join(SUPPORTED)})"
        )
    return LANGUAGES[base]


def multi_search(codes: Iterable[str]) -> MultiSearch:
    """The search function ``newsarchive-multi-<codes>`` of an archive in these languages
    (codes as get_language takes them; order and repeats do not matter)."""
    return _multi_search(tuple(sorted({get_language(code).code for code in codes})))


@cache
def _multi_search(codes: tuple[str, ...]) -> MultiSearch:
    return build_multi_search([LANGUAGES[code] for code in codes])


def search_pipeline_labels(codes: Iterable[str]) -> list[str]:
    """The search pipeline an index of documents in these languages stores: the language's
    own for one language (exactly lunr-languages', e.g. ``["trimmer-ru", "stemmer-ru"]``),
    else the one mixed-language function."""
    distinct = sorted({get_language(code).code for code in codes})
    if len(distinct) == 1:
        return LANGUAGES[distinct[0]].search_labels
    return [multi_search(distinct).label]


def language_scripts(codes: Iterable[str], minified: bool = False) -> list[Path]:
    """The files a page loads after lunr.js to search an archive in these languages, in
    order: lunr-languages' support and plugin files, then js/languages.js when one of our own
    languages or the mixed-language function is needed (nothing for English alone)."""
    distinct = sorted({get_language(code).code for code in codes})
    suffix = ".min.js" if minified else ".js"
    stemmed = [code for code in distinct if code in LUNR_LANGUAGES]
    files: list[Path] = []
    if stemmed:
        names = ["stemmer.support", *stemmed]
        files = [LUNR_LANGUAGES_DIR / f"lunr.{name}{suffix}" for name in names]
    if len(distinct) > 1 or any(code in OWN_LANGUAGES for code in distinct):
        files.append(LANGUAGES_JS)
    return files
