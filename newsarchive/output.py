"""The write stage: files go into a fresh temporary folder that replaces the site at the end.

A build that fails midway removes its temporary folder and leaves the previous site as it
was. The output folder carries a marker file so we never replace a folder we did not create.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import ArchiveError

MARKER = ".newsarchive"


class SiteWriter:
    """Writes site-relative paths below a temporary folder; ``commit()`` swaps it in."""

    def __init__(self, out: Path, inputs: list[Path]):
        self.out = out.resolve()
        check_output_folder(self.out, [p.resolve() for p in inputs])
        self.tmp = self.out.parent / f".{self.out.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        (self.tmp / MARKER).write_text("Built by newsarchive; safe to delete and rebuild.\n")
        self.paths: list[str] = []
        self.bytes = 0
        self._dirs: set[Path] = set()

    def write(self, path: str, data: bytes) -> None:
        target = self.tmp / safe_relative(path)
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        if target.exists():
            raise ArchiveError(f"two outputs want the same file {path!r}")
        target.write_bytes(data)
        self.paths.append(path)
        self.bytes += len(data)

    def copy_tree(self, source: Path, prefix: str) -> None:
        """Copy a folder of assets (``static/``) under ``prefix``, in sorted order."""
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            rel = file.relative_to(source).as_posix()
            if any(part.startswith(".") for part in PurePosixPath(rel).parts):
                continue
            self.write(f"{prefix}{rel}", file.read_bytes())

    def commit(self) -> None:
        """Replace the output folder by the finished build (two renames, then cleanup)."""
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            self.out.rename(old)
        self.tmp.rename(self.out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def safe_relative(path: str) -> PurePosixPath:
    """Refuse anything that could land outside the output folder."""
    rel = PurePosixPath(path)
    if (
        rel.is_absolute()
        or not rel.parts
        or any(p in ("..", "") for p in rel.parts)
        or "\\" in path
    ):
        raise ArchiveError(f"refusing to write outside the output folder: {path!r}")
    return rel


def check_output_folder(out: Path, inputs: list[Path]) -> None:
    """The output may not overlap our inputs, and may only replace a folder we built."""
    for keep in inputs:
        if out == keep or out in keep.parents or (keep.is_dir() and keep in out.parents):
            raise ArchiveError(
                f"output folder {out} overlaps the input {keep}; choose another --out"
            )
    if out.exists():
        if not out.is_dir():
            raise ArchiveError(f"output path {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise ArchiveError(
                f"refusing to replace {out}: it was not created by newsarchive "
                f"(no {MARKER} marker). Choose another --out or empty it."
            )
