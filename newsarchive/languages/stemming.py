"""Snowball stemmers exactly as lunr-languages runs them.

lunr-languages' stemmers were generated (2013) from the Snowball algorithms of that time; the
Snowball project has changed several since (Russian ``ё``, German ``ae``/``oe``, Dutch, ...).
snowballstemmer 1.2.1 was generated from the same algorithms, so it is pinned: the parity
tests run lunr-languages under Node over each language's word list and find no difference.
The stemmer classes are imported directly, never through ``snowballstemmer.stemmer()``,
which would switch to PyStemmer (today's algorithms) when that is installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

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
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    stemmer = getattr(module, f"{name.capitalize()}Stemmer")()
    return stemmer.stemWord
