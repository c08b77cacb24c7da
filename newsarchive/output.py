"""The write stage: files go into a fresh temporary folder that replaces the site at the end.

A build writes its output folder and its cache folder, nothing else. A build that fails
midway removes its temporary folder and leaves the previous site as it was. The output
folder carries a marker file so we never replace a folder we did not create.

Each build leaves a manifest in the cache folder (``manifest-<name>-<hash of the output
path>.json``): every page's input key (:class:`newsarchive.render.keys.PageKeys`) and every
other file's content digest. The next build links the pages whose key did not change from
the old folder instead of rendering them again. The marker names the manifest's digest, so a
manifest is only trusted for the folder it describes. A rebuild that renders few pages again
(an edit, a new article: what ``serve`` does all day) updates the folder in place instead:
once everything is computed, only the files whose content changed are replaced, each
atomically. The temporary folder of a full build is made in the cache folder too, when that
is on the output's file system (a folder moves in one rename only within one), else beside
the output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import ArchiveError

MARKER = ".newsarchive"
MARKER_TEXT = "Built by newsarchive; safe to delete and rebuild.\n"


@dataclass
class Manifest:
    """What the site in an output folder was built from."""

    pages: dict[str, list[str | int]] = field(default_factory=dict)  # path -> [key, size]
    files: dict[str, str] = field(default_factory=dict)  # path -> content digest
    search: str = ""  # key of the search index's inputs (empty: none)
    search_files: list[str] = field(default_factory=list)
    search_scripts: list[str] = field(default_factory=list)

    _json: bytes | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> bytes:
        if self._json is not None:
            return self._json
        data = {
            "files": self.files,
            "pages": self.pages,
            "search": self.search,
            "search_files": self.search_files,
            "search_scripts": self.search_scripts,
        }
        # Written once the build is complete; a manifest is not changed after that.
        self._json = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
        return self._json

    def token(self) -> str:
        return hashlib.sha1(self.to_json()).hexdigest()[:16]


def manifest_path(cache: Path, out: Path) -> Path:
    """Where the manifest of the site in ``out`` is kept: one file per output folder."""
    where = hashlib.sha1(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache / f"manifest-{out.name}-{where[:12]}.json"


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
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None
    return manifest if f"build {manifest.token()}" in marker else None


def content_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:20]


# A rebuild that renders at most this many pages again updates the site in place.
IN_PLACE_LIMIT = 2_000


class SiteWriter:
    """Writes a site: into a new folder that ``commit()`` swaps in, or, when the output's
    manifest can be trusted and few pages change, into the output folder itself.

    Call ``begin(pages_to_render)`` once the build knows how many pages it renders again.
    In place, writes are held in memory until ``commit()`` and files whose content did not
    change are not touched; nothing is written before every file is ready, and each file is
    replaced atomically.
    """

    def __init__(
        self,
        out: Path,
        inputs: list[Path],
        cache: Path,
        known: Manifest | None = None,
        digests: dict[str, tuple[bytes, str]] | None = None,
    ):
        """``inputs``: folders the output may not overlap; ``cache``: the cache folder (the
        manifest, and the temporary folder of a full build); ``known``: the manifest this
        process wrote last; ``digests``: its files' content digests by path, with the
        content (serve): the same bytes object needs no hashing."""
        self.out = out.resolve()
        self.cache = cache.resolve()
        self._digests_before = digests
        self.digests: dict[str, tuple[bytes, str]] = {}
        self._root = str(self.out)
        check_output_folder(self.out, [p.resolve() for p in inputs], self.cache)
        self.previous = load_manifest(self.cache, self.out, known)
        # The site this process wrote last (serve): its files are taken to be there still,
        # sparing a stat per page on every rebuild.
        self._ours = known is not None and self.previous is known
        self.in_place = False
        self.tmp = self.out
        self.manifest = Manifest()
        self.paths: list[str] = []
        self.bytes = 0
        self.changed: list[str] = []  # written (in place: only those whose content changed)
        self.pending: dict[str, bytes] = {}
        self._dirs: set[Path] = set()
        self._seen: set[str] = set()
        self._begun = False

    def begin(self, render: int) -> None:
        """Choose how to write, knowing how many pages will be rendered (not reused)."""
        self._begun = True
        self.in_place = self.previous is not None and render <= IN_PLACE_LIMIT
        if self.in_place:
            return
        self.tmp = self._staging() / f".{self.out.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)

    def _staging(self) -> Path:
        """Where the new site is made: the cache folder when the output's folder is on the
        same file system (the swap is then two renames), else beside the output."""
        self.cache.mkdir(parents=True, exist_ok=True)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        same = os.stat(self.cache).st_dev == os.stat(self.out.parent).st_dev
        return self.cache if same else self.out.parent

    def reusable(self, path: str, key: str) -> bool:
        """Whether the previous site has this page, built from the same inputs."""
        old = self.previous.pages.get(path) if self.previous else None
        return (
            old is not None
            and old[0] == key
            and (self._ours or os.path.isfile(f"{self._root}/{path}"))
        )

    def reuse(self, path: str, key: str | None = None) -> None:
        """Keep a file of the previous site: a page with the same ``key`` (see
        :meth:`reusable`) or another file its manifest has."""
        assert self.previous is not None and self._begun
        self._claim(path)
        if not self.in_place:
            target = self._target(path)
            try:
                os.link(self.out / path, target)
            except OSError:  # no hard links here: copy
                shutil.copyfile(self.out / path, target)
        if key is not None:
            self.record(path, int(self.previous.pages[path][1]), key)
        else:
            size = (self.out / path).stat().st_size
            self.record(path, size, None, self.previous.files[path])

    def record(self, path: str, size: int, key: str | None = None, digest: str = "") -> None:
        """Count a file written (or reused); ``key`` for a page, else its content digest."""
        self.paths.append(path)
        self.bytes += size
        if key is not None:
            self.manifest.pages[path] = [key, size]
        else:
            self.manifest.files[path] = digest

    def write(self, path: str, data: bytes, key: str | None = None) -> None:
        """Write a file (a page when ``key``, its input key, is given)."""
        assert self._begun
        self._claim(path)
        digest = ""
        if key is None:
            before = self._digests_before.get(path) if self._digests_before is not None else None
            digest = before[1] if before is not None and before[0] is data else content_digest(data)
            if self._digests_before is not None:
                self.digests[path] = (data, digest)
        if self.in_place:
            old = self.previous.files.get(path) if self.previous else None
            if key is not None or old != digest or not (self._ours or (self.out / path).is_file()):
                self.pending[path] = data
        else:
            self._target(path).write_bytes(data)
            self.changed.append(path)
        self.record(path, len(data), key, digest)

    def _claim(self, path: str) -> None:
        # A path in the manifest this process wrote was checked when it was written.
        ours = self.previous if self._ours else None
        known = ours is not None and (path in ours.pages or path in ours.files)
        if not known and ("\\" in path or any(part in ("", ".", "..") for part in path.split("/"))):
            safe_relative(path)  # raises
        # A forked worker's pages are not in _seen, but they are distinct by construction.
        if path in self._seen:
            raise ArchiveError(f"two outputs want the same file {path!r}")
        self._seen.add(path)

    def _target(self, path: str) -> Path:
        target = self.tmp / safe_relative(path)
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def copy_tree(self, folders: Sequence[Path], prefix: str) -> None:
        """Copy folders of assets (``static/``) under ``prefix``, in sorted order; a file of
        an earlier folder replaces a later folder's file of the same name. Hidden files and
        folders are left out."""
        chosen: dict[str, Path] = {}
        for folder in reversed(folders):
            for file in folder.rglob("*"):
                rel = file.relative_to(folder).as_posix()
                if file.is_file() and not any(p.startswith(".") for p in rel.split("/")):
                    chosen[rel] = file
        for rel in sorted(chosen):
            self.write(f"{prefix}{rel}", chosen[rel].read_bytes())

    def commit(self) -> None:
        """Put the finished build in place: swap folders (two renames, then cleanup), or
        write the changed files and delete those the new site no longer has."""
        data = self.manifest.to_json()
        marker = f"{MARKER_TEXT}build {self.manifest.token()}\n".encode()
        if self.in_place:
            assert self.previous is not None
            # Distrust the old manifest first: a crash halfway leaves a folder to rebuild.
            _atomic_write(self.out / MARKER, MARKER_TEXT.encode())
            for path, content in self.pending.items():
                _atomic_write(self._target(path), content)
                self.changed.append(path)
            for path in sorted({*self.previous.pages, *self.previous.files} - set(self.paths)):
                (self.out / path).unlink(missing_ok=True)
                self.changed.append(path)
                _remove_empty_parents(self.out / path, self.out)
            self._write_manifest(data)
            _atomic_write(self.out / MARKER, marker)
            return
        (self.tmp / MARKER).write_bytes(marker)
        old = self.tmp.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            self.out.rename(old)
        self.tmp.rename(self.out)
        self._write_manifest(data)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def _write_manifest(self, data: bytes) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        _atomic_write(manifest_path(self.cache, self.out), data)

    def abort(self) -> None:
        if self._begun and not self.in_place:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:  # not empty
            return
        parent = parent.parent


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
