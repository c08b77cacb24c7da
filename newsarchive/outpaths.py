"""Where a build may write: never outside its output folder, never over its inputs or its
cache, and only over a folder newsarchive built."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .errors import ArchiveError
from .outlock import MARKER


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


def relative_path(path: str) -> str:
    """``path`` as :func:`safe_relative` checks and normalises it (``a//b`` is ``a/b``), as a
    string; the usual path (every file a build writes comes here) without making a Path."""
    odd = not path or path[0] in "./" or path[-1] == "/"
    if odd or "//" in path or "/." in path or "\\" in path:
        return safe_relative(path).as_posix()
    return path


def check_output_folder(out: Path, inputs: list[Path], cache: Path) -> None:
    """The output may not overlap our inputs or the cache, and may only replace a folder we
    built."""
    for keep in inputs:
        if out == keep or out in keep.parents or (keep.is_dir() and keep in out.parents):
            raise ArchiveError(
                f"output folder {out} overlaps the input {keep}; choose another --out"
            )
    if out == cache or out in cache.parents or cache in out.parents:
        raise ArchiveError(
            f"output folder {out} overlaps the cache folder {cache}; choose another --out "
            "or --cache-dir"
        )
    if out.exists():
        if not out.is_dir():
            raise ArchiveError(f"output path {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise ArchiveError(
                f"refusing to replace {out}: it was not created by newsarchive "
                f"(no {MARKER} marker). Choose another --out or empty it."
            )
