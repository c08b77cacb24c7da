"""How many entries one output folder may hold, and the fan-out that keeps a growing set of
files under it: file systems and static hosts slow down past about 10,000 entries a folder,
and a million-article archive makes hundreds of thousands of search files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# The most entries (files and folders) a folder the build fans out may hold. A module
# constant so that a test can make it tiny.
FOLDER_LIMIT = 10_000


def level_width(limit: int) -> int:
    """Hex digits per level of sub-folders: as many as keep one level's sub-folders within
    ``limit`` (3 for 10,000: up to 4,096 of them), at least one."""
    width = 1
    while 16 ** (width + 1) <= limit:
        width += 1
    return width


def fan_digits(keys: Iterable[str], limit: int) -> int:
    """The fewest leading hex digits of the files' ``keys`` (one per file; hashes, so
    uniform) that leave at most ``limit`` files in any folder: 0 while they all fit in one.

    Counted, not estimated, so the bound holds for any limit; it depends only on the keys,
    so two builds of the same site agree. It grows by one (sixteen times the folders) only
    when a folder overflows, so files move rarely as an archive grows.
    """
    keys = list(keys)
    if len(keys) <= limit:
        return 0
    longest = min(len(key) for key in keys)
    digits = 1
    while 16**digits * limit < len(keys):  # fewer digits cannot do
        digits += 1
    while digits < longest and max(Counter(key[:digits] for key in keys).values()) > limit:
        digits += 1
    return digits


def fanned(folder: str, key: str, digits: int, width: int, name: str) -> str:
    """``folder`` + the first ``digits`` of ``key`` as sub-folders of ``width`` digits +
    ``name``: ``search/p/`` + ``ab/`` + ``ab12cd34ef.js``. search-core.js's fanned() is
    the same."""
    if digits <= width:  # one level: every folder up to 16 ** width times the limit
        return f"{folder}{key[:digits]}/{name}" if digits else f"{folder}{name}"
    levels = "".join(key[i : min(i + width, digits)] + "/" for i in range(0, digits, width))
    return f"{folder}{levels}{name}"
