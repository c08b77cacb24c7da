"""The fourteen stemmed languages of lunr-languages 1.22.0, exactly as its plugins run them.

Each ``lunr.<code>`` plugin sets the builder's pipeline to trimmer, stop word filter and
stemmer (French adds ``accentFold-fr`` before its stemmer) and the search pipeline to the
same without the stop word filter; the labels (``trimmer-ru``, ``stopWordFilter-ru``,
``stemmer-ru``, ...) are the ones the plugin registers, so lunr.js re-creates the pipelines
from a Python-built index. The data (word characters, stop words) is the vendored
JavaScript's own (:mod:`.lunrlangdata`); the stemmers are Snowball's as lunr-languages
generated them (:mod:`newsarchive.languages.stemming`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..languages.stemming import snowball
from .language import Language, step_function
from .lunrlangdata import STOP_WORDS, WORD_CHARACTERS
from .porter import CACHE_LIMIT

CODES: tuple[str, ...] = tuple(WORD_CHARACTERS)


def generate_trimmer(word_characters: str) -> Callable[[str], str]:
    """lunr.trimmerSupport.generateTrimmer: strip leading and trailing runs of characters
    outside the class (ASCII digits added), as JavaScript regexes without flags do."""
    allowed = word_characters + "0-9"
    start = re.compile(f"^[^{allowed}]+")
    end = re.compile(f"[^{allowed}]+\\Z")

    def trim(word: str) -> str:
        return end.sub("", start.sub("", word, count=1), count=1)

    return trim


def stop_filter(stop_words: tuple[str, ...]) -> Callable[[str], str | None]:
    """lunr.generateStopWordFilter: drop a token that is exactly one of the words."""
    words = frozenset(stop_words)

    def keep(word: str) -> str | None:
        return None if word in words else word

    return keep


# lunr.fr.accentFoldTerm's nine replacements; each yields plain ASCII, so one pass is the same.
_FRENCH_FOLD = str.maketrans(
    {
        **dict.fromkeys("àáâäÀÁÂÄ", "a"),
        **dict.fromkeys("çÇ", "c"),
        **dict.fromkeys("éèêëÉÈÊË", "e"),
        **dict.fromkeys("îïÎÏ", "i"),
        **dict.fromkeys("ôöÔÖ", "o"),
        **dict.fromkeys("ùûüÙÛÜ", "u"),
        **dict.fromkeys("Ÿÿ", "y"),
        **dict.fromkeys("æÆ", "ae"),
        **dict.fromkeys("œŒ", "oe"),
    }
)


def french_fold(word: str) -> str:
    """lunr.fr.accentFold's string function (lunr.fr.accentFoldTerm)."""
    return word.translate(_FRENCH_FOLD)


def lunr_language(code: str) -> Language:
    """The :class:`Language` lunr-languages' ``lunr.<code>`` plugin makes."""
    trim = generate_trimmer(WORD_CHARACTERS[code])
    stop_words = frozenset(STOP_WORDS[code])
    keep = stop_filter(STOP_WORDS[code])
    stem = snowball(code)
    assert stem is not None, code
    trimmer = step_function(trim, f"trimmer-{code}")
    stop_word_filter = step_function(keep, f"stopWordFilter-{code}")
    stemmer = step_function(stem, f"stemmer-{code}")
    if code == "fr":
        fold = step_function(french_fold, "accentFold-fr")

        def fold_stem(word: str) -> str:
            return stem(french_fold(word))

        index: tuple[Callable[..., object], ...] = (trimmer, stop_word_filter, fold, stemmer)
        search: tuple[Callable[..., object], ...] = (trimmer, fold, stemmer)
        last = fold_stem
    else:
        index = (trimmer, stop_word_filter, stemmer)
        search = (trimmer, stemmer)
        last = stem

    # Shared by both pipelines, so a query word is stemmed once.
    final = lru_cache(maxsize=CACHE_LIMIT)(last)

    def word_term(word: str) -> str | None:
        trimmed = trim(word)
        return None if trimmed in stop_words else final(trimmed)

    return Language(
        code=code,
        index_functions=index,
        search_functions=search,
        word_term=word_term,
        search_word=lambda word: [final(trim(word))],
    )


LUNR_LANGUAGES: dict[str, Language] = {code: lunr_language(code) for code in CODES}
