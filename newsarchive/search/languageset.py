"""The languages one archive's index is made with, and what follows from them: the pipeline
lunr.js runs on query terms, the language scripts the search page ships, and what the
index's metadata tells search-core.js about them.

Each document is indexed with its own language's pipeline (lunr.js's Builder has one
``pipeline``; ours and the reference swap it per document). A one-language archive is then
exactly ``lunr(function () { this.use(lunr.ru) ... })`` (English: plain lunr) and searches
with that language's search pipeline; a mixed one searches with one function of
languages.js, ``newsarchive-multi-<sorted codes>``, which runs every language's search
pipeline on a query term (:func:`.textpipe.multi_search`). An English-only archive ships no
language script at all, so its search files are what they were before languages existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from .textpipe import PipelineFunction, get_language, language_scripts, multi_search

# Where the page finds them (site-relative).
VENDOR_PREFIX = "static/lunr-languages/"
LANGUAGES_JS_PATH = "static/search-languages.js"


def used_languages(codes: Iterable[str]) -> list[str]:
    """The distinct codes, sorted: the order of every list of an archive's languages, as of
    the mixed search function's label (so one set of languages has one name)."""
    return sorted(set(codes))


@dataclass(frozen=True)
class LanguageSet:
    """The archive's default language and the languages its documents use (sorted; the
    default alone when there are no documents)."""

    default: str
    codes: tuple[str, ...]
    minified: bool = False  # ship lunr-languages' own .min.js files (the sharded page)

    @classmethod
    def of(
        cls, default: str, document_codes: Iterable[str], *, minified: bool = False
    ) -> LanguageSet:
        default = get_language(default).code
        return cls(default, tuple(used_languages(document_codes)) or (default,), minified)

    @property
    def mixed(self) -> bool:
        return len(self.codes) > 1

    @cached_property
    def search_functions(self) -> tuple[PipelineFunction, ...]:
        """What lunr.js runs on a query term: the one language's search pipeline, or the
        function that runs each language's (:func:`.textpipe.multi_search`)."""
        if not self.mixed:
            return get_language(self.codes[0]).search_functions
        return (multi_search(self.codes).function,)

    @cached_property
    def search_labels(self) -> list[str]:
        return [fn.label for fn in self.search_functions]

    @cached_property
    def scripts(self) -> dict[str, Path]:
        """Site path -> file of each language script the page loads after lunr.js, in order
        (:func:`.textpipe.language_scripts`): lunr-languages' under ``static/lunr-languages/``,
        languages.js as ``static/search-languages.js``; none for English alone."""
        files = language_scripts(self.codes, minified=self.minified)
        return {
            LANGUAGES_JS_PATH if f.name == "languages.js" else VENDOR_PREFIX + f.name: f
            for f in files
        }

    def files(self) -> dict[str, bytes]:
        """The language scripts' contents, by site path."""
        out = {}
        for path, source in self.scripts.items():
            try:
                out[path] = source.read_bytes()
            except OSError as exc:
                raise ArchiveError(
                    "a language script is missing from the installed package", str(source)
                ) from exc
        return out

    def metadata(self) -> dict[str, Any]:
        """What search-core.js needs besides ``language`` and ``pipeline`` (the default's):
        every language's index pipeline, for highlighting (when any document's language is
        not the default), and the language scripts (for search-cli.js, which loads what the
        page names). Nothing for an archive all in its default language without scripts."""
        out: dict[str, Any] = {}
        if self.codes != (self.default,):
            out["languages"] = {c: get_language(c).index_labels for c in self.codes}
        if self.scripts:
            out["scripts"] = list(self.scripts)
        return out
