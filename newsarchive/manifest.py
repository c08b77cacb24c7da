"""The manifest: what the site in an output folder was built from, kept in the cache folder.

Every page's input key, every other file's content digest, and every file's stamp (size,
modification time and inode as the build left it), by which the next build checks with one
stat that a file it would keep is still the one written (see :mod:`.output`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .outlock import MARKER

Stamp = list[int]  # [size, st_mtime_ns, st_ino] of a file as a build left it


@dataclass
class Manifest:
    """What the site in an output folder was built from."""

    pages: dict[str, list[str | int]] = field(default_factory=dict)  # path -> [key, size]
    files: dict[str, str] = field(default_factory=dict)  # path -> content digest
    search: str = ""  # key of the search index's inputs (empty: none)
    search_files: list[str] = field(default_factory=list)
    search_scripts: list[str] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)  # every file's, not in token()

    _body: bytes | None = field(default=None, repr=False, compare=False)

    def body(self) -> bytes:
        """Everything but the stamps: what the token names."""
        if self._body is None:
            data = {
                "files": self.files,
                "pages": self.pages,
                "search": self.search,
                "search_files": self.search_files,
                "search_scripts": self.search_scripts,
            }
            # Made once the build is complete; a manifest is not changed after that.
            self._body = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
        return self._body

    def to_json(self) -> bytes:
        stamps = json.dumps(self.stamps, separators=(",", ":")).encode()
        return b'{"stamps":' + stamps + b"," + self.body()[1:]

    def token(self) -> str:
        return hashlib.sha1(self.body()).hexdigest()[:16]


def output_id(out: Path) -> str:
    """``<name>-<hash of its absolute path>``: names what belongs to one output folder."""
    where = hashlib.sha1(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{out.name}-{where[:12]}"


def manifest_path(cache: Path, out: Path) -> Path:
    """Where the manifest of the site in ``out`` is kept: one file per output folder."""
    return cache / f"manifest-{output_id(out)}.json"


def load_manifest(cache: Path, out: Path, known: Manifest | None = None) -> Manifest | None:
    """The manifest of the site in ``out``, if it has one that matches its marker.

    ``known``: the manifest this process wrote last (``serve``), used when the marker still
    names it instead of reading and parsing the file again.
    """
    try:
        marker = (out / MARKER).read_text(encoding="utf-8")
        if known is not None and f"build {known.token()}" in marker:
            return known
        data = json.loads(manifest_path(cache, out).read_bytes())
        if "stamps" not in data:  # an older version's: it cannot be checked
            return None
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None
    return manifest if f"build {manifest.token()}" in marker else None


def content_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:20]


def stamp_of(st: os.stat_result) -> Stamp:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def write_file(path: Path | str, data: bytes) -> Stamp:
    """Write a new file; its stamp (from the open file: no second look-up)."""
    with open(path, "wb", buffering=0) as file:
        view, done = memoryview(data), 0
        while done < len(data):
            done += file.write(view[done:])
        return stamp_of(os.fstat(file.fileno()))
