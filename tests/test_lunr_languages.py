"""lunr-languages in the package: the vendored files are the npm package's own, the Python data
is read from them, and the Python pipelines carry lunr-languages' labels and behaviour.

The word-list parity with the JavaScript is tests/test_language_parity.py (slow).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.languages.stemming import snowball
from newsarchive.search import lunrlanguages
from newsarchive.search.textpipe import get_language

from .conftest import REPO

VENDOR = REPO / "newsarchive" / "search" / "vendor" / "lunr-languages"
NPM = REPO / "node_modules" / "lunr-languages"
STEMMED = ("ru", "de", "fr", "es", "it", "pt", "nl", "sv", "fi", "no", "da", "hu", "ro", "tr")


def test_vendored_files_are_the_npm_packages_own() -> None:
    expected = {"LICENSE", "lunr.stemmer.support.js", "lunr.stemmer.support.min.js"}
    for code in STEMMED:
        expected |= {f"lunr.{code}.js", f"lunr.{code}.min.js"}
    assert {p.name for p in VENDOR.iterdir()} == expected
    for name in sorted(expected):
        source = NPM / ("min/" + name if name.endswith(".min.js") else name)
        assert (VENDOR / name).read_bytes() == source.read_bytes(), name


def test_data_module_is_what_the_vendored_javascript_holds() -> None:
    script = REPO / "scripts" / "lunr_languages_data.py"
    proc = subprocess.run(
        [sys.executable, script, "--check"], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_stemmed_language_has_lunr_languages_labels() -> None:
    assert lunrlanguages.CODES == STEMMED
    for code in STEMMED:
        language = get_language(code)
        extra = ["accentFold-fr"] if code == "fr" else []
        trimmer, stop, stemmer = f"trimmer-{code}", f"stopWordFilter-{code}", f"stemmer-{code}"
        assert language.index_labels == [trimmer, stop, *extra, stemmer]
        assert language.search_pipeline().serialize() == [trimmer, *extra, stemmer]


# Expected terms as lunr-languages gives them under Node (checked when written).
@pytest.mark.parametrize(
    ("code", "text", "terms"),
    [
        ("ru", "«Экономика» России, и 2024", ["экономик", "росс", "2024"]),
        ("de", "Die Häuser (1990)", ["haus", "1990"]),
        ("fr", "Les économies du café", ["econom", "caf"]),
        ("pt", "ências aciaria", ["ênc", "ac"]),  # lunr.pt.js's own slip, see stemming.py
        ("tr", "Türkiye'nin ekonomisi", ["türkiye'n", "ekonomis"]),
    ],
)
def test_terms(code: str, text: str, terms: list[str]) -> None:
    language = get_language(code)
    assert language.terms(text) == terms
    assert [str(t) for t in language.run(text)] == terms


def test_portuguese_follows_lunr_pt_js() -> None:
    stem = snowball("pt")
    assert stem is not None
    assert [stem(w) for w in ("ências", "inciada", "myrciaria")] == ["ênc", "inc", "myrc"]
