"""English: lunr.js 2.3.9's own pipeline (trimmer, stopWordFilter, stemmer), ported exactly.

lunr.py's trimmer and stemmer differ from lunr.js's on thousands of common words
(``money`` -> ``monei``, ``u.s.`` is not trimmed), so these are written after the JavaScript.
English stays lunr.js's even where another language would do better: ``café`` is indexed
``caf`` because lunr.trimmer's ``\\W`` is ASCII-only (the contract is lunr.js's behaviour).
"""

from __future__ import annotations

import re

from lunr.token import Token

from ..stopwords import LUNR_STOP_WORDS
from .language import Language, register
from .porter import porter_stem, stemmer

# lunr.trimmer: s.replace(/^\W+/, '').replace(/\W+$/, ''), with \W = [^A-Za-z0-9_].
_TRIM_LEAD = re.compile(r"^[^A-Za-z0-9_]+")
_TRIM_TRAIL = re.compile(r"[^A-Za-z0-9_]+\Z")


_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def trim(word: str) -> str:
    """The string function of lunr.trimmer (a word that starts and ends with a word
    character, most of them, is left as it is without the regular expressions)."""
    if word[:1] in _WORD_CHARACTERS and word[-1:] in _WORD_CHARACTERS:
        return word
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


def _english_term(word: str) -> str | None:
    trimmed = trim(word)
    if trimmed in STOP_WORDS:
        return None
    return porter_stem(trimmed)


register((trimmer, stop_word_filter, stemmer), ("trimmer", "stopWordFilter", "stemmer"))

ENGLISH = Language(
    code="en",
    index_functions=(trimmer, stop_word_filter, stemmer),
    search_functions=(stemmer,),
    word_term=_english_term,
    search_word=lambda word: [porter_stem(word)],
)
