"""Snowball stemmers exactly as lunr-languages runs them.

lunr-languages' stemmers were generated (2013) from the Snowball algorithms of that time; the
Snowball project has changed several since (Russian ``ё``, German ``ae``/``oe``, Dutch, ...).
snowballstemmer 1.2.1 was generated from the same algorithms, so it is pinned: the parity
tests run lunr-languages under Node over each language's word list and find no difference.
The stemmer classes are imported directly, never through ``snowballstemmer.stemmer()``,
which would switch to PyStemmer (today's algorithms) when that is installed. Portuguese is
lunr.pt.js's own variant (see :class:`_LunrPortugueseStemmer`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from snowballstemmer.portuguese_stemmer import PortugueseStemmer

# Language code -> snowballstemmer 1.2.1 module and class. English is lunr.js's own Porter
# stemmer (search/porter.py), not Snowball's.
_SNOWBALL = {
    "ru": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "sv": "swedish",
    "fi": "finnish",
    "no": "norwegian",
    "da": "danish",
    "hu": "hungarian",
    "ro": "romanian",
    "tr": "turkish",
}
STEMMED: frozenset[str] = frozenset(_SNOWBALL)


def snowball(code: str) -> Callable[[str], str] | None:
    """A function stemming one lower-cased word as lunr-languages' ``lunr.<code>.stemmer``
    does, or None for a language lunr-languages does not stem (be, uk, CJK) or English."""
    name = _SNOWBALL.get(code)
    if name is None:
        return None
    if code == "pt":
        stemmer = _LunrPortugueseStemmer()
    else:
        module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
        stemmer = getattr(module, f"{name.capitalize()}Stemmer")()

    # stemWord's own cache sorts itself every 2,000 new words; callers cache the results.
    def stem(word: str) -> str:
        stemmer.set_current(word)
        stemmer._stem()
        return stemmer.get_current()

    return stem


class _LunrPortugueseStemmer(PortugueseStemmer):  # type: ignore[misc]
    """Portuguese as lunr.pt.js runs it: two slips of its hand-edited port, kept for parity.

    After a standard or verb suffix, Snowball deletes an ``i`` preceded by ``c`` only inside
    RV; lunr.pt.js moves the cursor to the end before testing RV, so it always deletes it
    (``ências`` -> ``ênc``, Snowball ``ênci``). In residual_form, when ``u`` matches but ``g``
    does not, Snowball goes back to the end before trying ``i`` + ``c``; lunr.pt.js tries
    them before the ``u``. The rest is snowballstemmer 1.2.1's, as generated.
    """

    def _stem(self) -> bool:
        start = self.cursor
        self.r_prelude()
        self.cursor = start
        self.r_mark_regions()
        self.limit_backward = start
        self.cursor = self.limit
        self._suffixes()
        self.cursor = self.limit
        self._residual_form()
        self.cursor = self.limit_backward
        self.r_postlude()
        return True

    def _suffixes(self) -> None:
        """lunr.pt.js's ``habr1``."""
        if not self.r_standard_suffix():
            self.cursor = self.limit
            if not self.r_verb_suffix():
                self.cursor = self.limit
                self.r_residual_suffix()
                return
        self.cursor = self.limit
        self.ket = self.cursor
        if self.eq_s_b(1, "i"):
            self.bra = self.cursor
            if self.eq_s_b(1, "c"):
                self.cursor = self.limit  # the slip: RV is then tested at the end
                if self.r_RV():
                    self.slice_del()

    def _residual_form(self) -> None:
        """lunr.pt.js's ``r_residual_form``."""
        self.ket = self.cursor
        among_var = self.find_among_b(PortugueseStemmer.a_8, 4)
        if among_var == 0:
            return
        self.bra = self.cursor
        if among_var == 1:
            if self.r_RV():
                self.slice_del()
                self.ket = self.cursor
                if self._letter_before(("u", "g")):
                    self._letter_before(("i", "c"))
        elif among_var == 2:
            self.slice_from("c")

    def _letter_before(self, letters: tuple[str, str]) -> bool:
        """lunr.pt.js's ``habr6``: False when it matched (and maybe deleted), True to go on,
        with the cursor left where a first-letter match put it (the slip)."""
        first, second = letters
        if self.eq_s_b(1, first):
            self.bra = self.cursor
            before = self.limit - self.cursor
            if self.eq_s_b(1, second):
                self.cursor = self.limit - before
                if self.r_RV():
                    self.slice_del()
                return False
        return True
