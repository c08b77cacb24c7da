"""Names made from text: URL slugs (transliterated), hashed suffixes that keep them unique,
and which site paths an old address may be. One home for them, below the model, since
articles, tags, bylines and redirects all need them."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Container
from pathlib import PurePosixPath

from slugify import slugify

from .languages.romanise import romanise_belarusian

SLUG_MAX = 80

# What a redirect's old address may hold: no spaces, controls, or URL syntax (query,
# fragment, escapes, drive letters, backslashes), so it is one file path on every system.
_PATH_PART = re.compile(r"[^\s\x00-\x1f\x7f?#%:\\]+")


def site_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be an old address to redirect from, or None: a site path made of
    folders (``1987/03/12/old/``) or ending in an ``.html`` file; nothing absolute, hidden,
    ``..``, or where the site keeps files (a dot in a folder's name could be ``feed.xml``,
    and ``static/`` is the theme's)."""
    if not path or path.startswith("/") or "://" in path:
        return "is not a path inside the site (write it like 1987/03/12/old-title/)"
    parts = path.split("/")
    if not all(_PATH_PART.fullmatch(part) for part in [*parts[:-1], parts[-1] or "x"]):
        return "holds a space, '?', '#', '%', ':' or '\\' (not a plain site path)"
    if any(part.startswith(".") for part in parts):
        return "has a hidden or '..' part"
    if any("." in part for part in parts[:-1]) or parts[0] == "static":
        return "would clash with the site's own files"
    if parts[-1] and not parts[-1].endswith((".html", ".htm")):
        return "names a file that is not .html (end a folder with '/')"
    return None


def short_hash(text: str, length: int = 6) -> str:
    # surrogatepass: a file name that is not UTF-8 reaches here with lone surrogates.
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


@functools.lru_cache(maxsize=250_000)  # rebuilds in `serve` slugify the same titles again
def title_slug(text: str, lang: str = "") -> str:
    """ASCII slug (Cyrillic and other scripts transliterated); "" when nothing is left.
    Belarusian (``lang`` be) is romanised as Belarusian, not read as Russian."""
    if lang == "be":
        text = romanise_belarusian(text)
    return slugify(text, max_length=SLUG_MAX, word_boundary=True, save_order=True)


def make_slug(text: str, fallback: str) -> str:
    """ASCII slug (Cyrillic and other scripts transliterated); ``fallback`` hashed if empty."""
    return title_slug(text) or f"a-{short_hash(fallback)}"


def file_slug(name: str) -> str:
    """The slug of an article whose title has no letters or digits: its file's name (stable
    wherever the archive is), or a hash of its path below the source folder."""
    return title_slug(PurePosixPath(name).stem) or f"a-{short_hash(name)}"


def suffixed(base: str, text: str, taken: Container[str]) -> str:
    """``base-<hash of text>``, the hash as short as is free in ``taken`` (6 digits or more,
    then a counter): a suffix never lands on a name another item already has."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    for length in range(6, len(digest) + 1, 2):
        candidate = f"{base}-{digest[:length]}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{digest}-{number}" in taken:
        number += 1
    return f"{base}-{digest}-{number}"
