"""The script files the search page loads, and how data becomes a script.

Everything loads through ``<script>`` tags (never fetch/XHR) so the site also works from
``file://``. lunr.js ships inside this package (``vendor/``, the npm package's own files,
checked against it by the tests); search-core.js is joined from its parts (``js/core/``) in
the order :data:`CORE_PARTS` gives, as lunr.js itself is built from its ``lib/`` files.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from .lunrindex import LUNR_VERSION
from .sorting import SORTS

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
CORE_DIR = HERE / "js" / "core"
SEARCH_CLI = HERE / "js" / "search-cli.js"
# search-core.js: the shared state, then the stages of a query, then the public API.
CORE_PARTS = (
    "begin",  # what the script is, the wrapper, the state every part shares
    "loading",  # loading script files; the functions the data scripts call
    "decoding",  # base64 and varints of the sharded files; a term's postings
    "bounds",  # how much a fuzzy or wildcard term may cost
    "planning",  # which files a query needs
    "scoring",  # lunr.js's Index#query on the loaded postings
    "documents",  # a document's metadata from its slot
    "phrases",  # quoted phrases, stop-word queries, the date range
    "results",  # state, filters, sorting, facets: search()
    "snippets",  # texts, highlights and snippets
    "end",  # the public API
)

# Site-relative paths of the scripts every search page loads; the index's own files are
# named by the form that makes them (monolithic.py, sharded.py). search-page.js (the page's
# strings, URL state and filters) and search-ui.js (its results) are the theme's (static/).
LUNR_PATH = "static/lunr.js"
LUNR_MIN_PATH = "static/lunr.min.js"
CORE_PATH = "static/search-core.js"
UI_PATH = "static/search-ui.js"
PAGE_PATH = "static/search-page.js"
UI_PATHS = (PAGE_PATH, UI_PATH)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class SearchAssets:
    """Generated search files (site path -> content) and the scripts the page loads, in order.

    ``scripts`` also names ``static/search-page.js`` and ``static/search-ui.js``, which are
    not in ``files`` because they are part of the theme's static/ folder.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    scripts: list[str] = field(default_factory=list)
    # Files kept from the previous build, which had the same search inputs (not in files).
    reused: list[str] = field(default_factory=list)
    # Files written as they were made (a one-off build's index, see HashedFiles.write).
    written: list[str] = field(default_factory=list)


def lunr_source(*, minified: bool = False) -> bytes:
    """lunr.js as the npm package ships it; its version must be the one we emulate.

    ``minified``: the package's own lunr.min.js (same code, 8 kB instead of 25 kB gzipped),
    for the sharded page, where it is a large part of what the first search downloads.
    """
    path = VENDOR / ("lunr.min.js" if minified else "lunr.js")
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise ArchiveError("lunr.js is missing from the installed package", str(path)) from exc
    marker = f'version="{LUNR_VERSION}"' if minified else f'lunr.version = "{LUNR_VERSION}"'
    if marker.encode() not in source:
        raise ArchiveError(f"lunr.js is not version {LUNR_VERSION}", str(path))
    return source


def core_source() -> bytes:
    """search-core.js, joined from its parts, with the sort names written in."""
    source = b"".join((CORE_DIR / f"{name}.js").read_bytes() for name in CORE_PARTS)
    sorts = "[" + ", ".join(f"'{name}'" for name in SORTS) + "]"
    return source.replace(b"__SORTS__", sorts.encode())


def index_json(data: Any) -> str:
    """Compact JSON as JavaScript's JSON.stringify writes it (for an index: byte for byte)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def data_script(function: str, data: Any, *leading: int | str, literal: str = "") -> bytes:
    """``function(leading..., JSON.parse('...'))``; ``leading`` are JavaScript expressions.
    ``literal``: :func:`data_literal` of ``data`` when already made (a file made twice, to
    be named by the hash of the first).

    JSON.parse of a string literal is parsed faster than the same data as an object literal.
    """
    literal = literal or data_literal(data)
    args = "".join(f"{value}, " for value in leading)
    return f"{function}({args}JSON.parse('{literal}'));\n".encode()


def data_literal(data: Any) -> str:
    """The data's JSON as the body of a JavaScript string literal in single quotes."""
    return (
        index_json(data)
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def b64(data: bytes) -> str:
    """Base64 text of binary data (varints) inside a script: search-core.js decodes it."""
    return base64.b64encode(data).decode("ascii")


def js_string(value: str) -> str:
    """A JavaScript string literal (JSON's, which JavaScript reads the same)."""
    return json.dumps(value)
