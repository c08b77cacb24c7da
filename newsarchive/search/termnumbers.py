"""A one-off build's terms as numbers (for :mod:`.packed`): each field's words through its
language's pipeline, as :meth:`.language.Language.terms` does (lunr.js's terms), each
distinct term numbered in the order it first appears.

A word's terms depend on the word and the language alone, so each distinct word is run
through the pipeline once a build and is then one dict lookup, in C (``map``): per word
and per term in Python, the terms and their counts were a third of the search stage.
"""

from __future__ import annotations

from typing import Any

from .language import Language
from .porter import CACHE_LIMIT

DROPPED = -1  # the number of a word the pipeline drops (a stop word)


class TermNumbers:
    """Every term seen, by number (``terms``), and per language each word's number (or,
    in a language of ``several`` terms a word, its numbers)."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self._numbers: dict[str, int] = {}
        self._words: dict[str, dict[str, Any]] = {}  # by language code

    def field(self, text: str, language: Language) -> list[int]:
        """The numbers of a field's terms in order, DROPPED for each dropped word (every
        other one counts in the field's length)."""
        words = language.split(text)
        memo = self._words.setdefault(language.code, {})
        numbers = list(map(memo.get, words))
        if None in numbers:  # new words, numbered as they come in the text
            if len(memo) > CACHE_LIMIT:
                memo.clear()
                numbers = [None] * len(words)
            for word, number in zip(words, numbers, strict=True):
                if number is None and word not in memo:  # not met before, nor in this field
                    memo[word] = self._word(word, language)
            numbers = list(map(memo.__getitem__, words))
        if language.several:
            return [number for each in numbers for number in each]
        return numbers

    def _word(self, word: str, language: Language) -> Any:
        terms = language.word_term(word)
        if language.several:
            return tuple(map(self._term, terms))
        return DROPPED if terms is None else self._term(terms)

    def _term(self, term: str) -> int:
        number = self._numbers.get(term)
        if number is None:
            number = self._numbers[term] = len(self.terms)
            self.terms.append(term)
        return number
