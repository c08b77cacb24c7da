"""Files named by a hash of their content, so hosts and browsers may cache them for ever; a
file made from the same inputs as in the last build (``serve``) is taken from it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

# Hex digits of a content hash in a file name. Chunk files also carry their chunk number, so
# their hash only has to tell versions of the same chunk apart.
HASH_DIGITS = 10
CHUNK_HASH_DIGITS = 8


def content_hash(data: bytes, digits: int = HASH_DIGITS) -> str:
    return hashlib.sha256(data).hexdigest()[:digits]


# A file by what it was made from: (key, path, content).
Made = tuple[str, str, bytes]


@dataclass
class HashedFiles:
    """Collects the files, naming each by a hash of its content.

    ``memo`` holds the previous build's files by what they were made from; a file made from
    the same inputs is taken from it instead of being encoded again. ``kept`` is this
    build's, for the next.
    """

    files: dict[str, bytes]
    memo: dict[Hashable, Made] = field(default_factory=dict)
    kept: dict[Hashable, Made] = field(default_factory=dict)
    # With ``write`` (a one-off build), each file goes out as it is made and ``written``
    # keeps only its hash, and nothing is kept for a next build: at a million articles the
    # files held until the end were gigabytes.
    write: Callable[[str, bytes], object] | None = None
    written: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.write is not None:
            self.kept = _Forgotten()

    def put(self, path: str, data: bytes) -> None:
        if self.write is None:
            if self.files.get(path, data) != data:  # a hash collision: refuse, never overwrite
                raise RuntimeError(f"content hash collision at {path}")
            self.files[path] = data
            return
        digest = hashlib.sha256(data).digest()
        known = self.written.get(path)
        if known is None:
            self.written[path] = digest
            self.write(path, data)
        elif known != digest:
            raise RuntimeError(f"content hash collision at {path}")

    def put_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        """:meth:`put` each (path, data): at once while none is here yet (serve's rebuilds
        put again the thousands of files the last build made that nothing changed)."""
        if self.write is None:
            new = dict(files)
            if self.files.keys().isdisjoint(new):
                self.files.update(new)
                return
            files = new.items()
        for path, data in files:
            self.put(path, data)

    def add(
        self,
        prefix: str,
        make: Callable[[str], bytes],
        digits: int = HASH_DIGITS,
        inputs: Hashable = None,
    ) -> str:
        """Write ``make(key)`` (bytes) under ``prefix + key + .js``; return the key.

        The key is the hash of ``make("")``, the content without its own name, so a file
        that names itself (to register its data) is still named by its content. ``inputs``:
        everything ``make`` depends on, to reuse the previous build's file.
        """
        if inputs is not None:
            found = self.memo.get((prefix, inputs))
            if found is not None:
                self.kept[(prefix, inputs)] = found
                self.put(found[1], found[2])
                return found[0]
        key = content_hash(make(""), digits)
        path, data = f"{prefix}{key}.js", make(key)
        self.put(path, data)
        if inputs is not None:
            self.kept[(prefix, inputs)] = (key, path, data)
        return key


class _Forgotten(dict[Hashable, Made]):
    """What a one-off build keeps for its next build: nothing."""

    def __setitem__(self, key: Hashable, value: Made) -> None:
        pass
