"""The write stage: files go into a fresh temporary folder that replaces the site at the end.

A build writes its output folder and its cache folder, nothing else (but its temporary
folder, when the cache folder is on another file system). One build at a time writes an
output folder, and each first repairs what a killed one left (:mod:`.outlock`). A build
that fails midway removes its temporary folder and leaves the previous site as it was. The
output folder carries a marker file so we never replace a folder we did not create.

Each build leaves a manifest in the cache folder (``manifest-<name>-<hash of the output
path>.json``): every page's input key (:class:`newsarchive.render.keys.PageKeys`), every
other file's content digest, and every file's size, modification time and inode as written
(its stamp). The next build links the pages whose key did not change from the old folder
instead of rendering them again, once a stat shows the file is still the one it wrote; a
file changed or replaced since is written again. The marker names the manifest's digest
(stamps left out, so that two builds of the same inputs stay byte for byte the same), so a
manifest is only trusted for the folder it describes. A rebuild that renders few pages
again (an edit, a new article: what ``serve`` does all day) updates the folder in place
instead: once everything is computed, only the files whose content changed are replaced,
through a journal that lets the next build finish a commit a kill interrupted. A full
build's temporary folder is in the cache folder when that is on the output's file system
(one rename moves a folder only within one), else beside the output folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ArchiveError
from .manifest import (
    Manifest,
    Stamp,
    appendable,
    changes,
    content_digest,
    load_manifest,
    manifest_path,
    missing,
    output_id,
    save_changes,
    stamp_of,
    write_file,
)
from .outkept import Background, KeptFiles
from .outlock import MARKER, MARKER_TEXT, Journal, OutputLock, atomic_write, new_name, recover
from .outpatch import Patch
from .outpaths import check_output_folder, relative_path, safe_relative
from .outtrash import Trash

# A rebuild that renders at most this many pages again, or this share of the last site's
# pages, updates the site in place: a new folder links every kept page (1.36 million at a
# million articles, 40 minutes on a slow disk) where in place writes only the changed ones.
# The share bounds what in place holds in memory until commit (a page is a few kB).
IN_PLACE_LIMIT = 2_000
IN_PLACE_SHARE = 20


def in_place_limit(pages: int) -> int:
    """How many pages a rebuild over a site of ``pages`` pages may render again in place."""
    return max(IN_PLACE_LIMIT, pages // IN_PLACE_SHARE)


class SiteWriter(KeptFiles):
    """Writes a site: into a new folder that ``commit()`` swaps in, or, when the output's
    manifest can be trusted and few pages change, into the output folder itself.

    Holds the output folder's lock from its creation until ``commit()`` or ``abort()``.
    Call ``begin(pages_to_render)`` once the build knows how many pages it renders again.
    In place, writes are held in memory until ``commit()`` and files whose content did not
    change are not touched; nothing is written before every file is ready.
    """

    def __init__(
        self,
        out: Path,
        inputs: list[Path],
        cache: Path,
        known: Manifest | None = None,
        digests: dict[str, tuple[bytes, str]] | None = None,
        waiting: Callable[[str], None] | None = None,
    ):
        """``inputs``: folders the output may not overlap; ``cache``: the cache folder (the
        manifest, and the temporary folder of a full build); ``known``: the manifest this
        process wrote last; ``digests``: its files' content digests by path, with the
        content (serve): the same bytes object needs no hashing; ``waiting``: told when
        another build holds the output folder's lock (this one then waits for it)."""
        self.out = out.resolve()
        self.cache = cache.resolve()
        self._id = output_id(self.out)
        self._digests_before = digests
        self.digests: dict[str, tuple[bytes, str]] = {}
        self._root = str(self.out)
        self.in_place = False
        self._spool = self.cache / f".{self._id}.tmp-{os.getpid()}"  # in place: streamed files
        check_output_folder(self.out, [p.resolve() for p in inputs], self.cache)
        lock = OutputLock(self.cache / f"output-{self._id}.lock", self.out, waiting)
        self._lock: OutputLock | None = lock.__enter__()
        try:
            recover(self.out, self._journal_of(), self._leftovers())
            check_output_folder(self.out, [], self.cache)  # recovery may put a site back
            self.previous = load_manifest(self.cache, self.out, known)
        except BaseException:
            self._release()
            raise
        # The site this process wrote last (serve): its files are taken to be there still,
        # sparing a stat per page on every rebuild.
        self._ours = known is not None and self.previous is known
        self.tmp = self.out
        self.manifest = Manifest()
        self.paths: list[str] = []
        self.bytes = 0
        self.changed: list[str] = []  # written (in place: only those whose content changed)
        self.touched: list[str] = []  # in place: the paths whose manifest entry may change
        self.pending: dict[str, bytes] = {}
        self.spooled: dict[str, Path] = {}  # in place: streamed files, until commit()
        self._dirs: set[str] = set()
        self._seen: set[str] = set()
        self._begun = False
        self._journal: Journal | None = None
        self._patch: Patch | None = None  # in place over our own site: see outpatch
        self._background = Background()  # in place: serve's data files, being written

    def _journal_of(self) -> Journal | None:
        path = self.cache / f"commit-{self._id}.json"
        return Journal.load(path, self.out, manifest_path(self.cache, self.out))

    def _leftovers(self) -> list[tuple[Path, str, bool]]:
        """Where this output's builds stage (see recover); ``.<name>.tmp-PID`` in the cache
        folder is an older version's name, shared by every output of that name."""
        name = f".{self.out.name}"
        ours = [(self.cache, f".{self._id}", False), (self.out.parent, name, False)]
        return [*ours, (self.cache, name, True)]

    def begin(self, render: int) -> None:
        """Choose how to write, knowing how many pages will be rendered (not reused). Once
        begun into a new folder (a search child writing early, see searchfork), again is a
        no-op: there was no last site to write in place of."""
        if self._begun and self.previous is None:
            return
        self._begun = True
        previous = self.previous
        self.in_place = previous is not None and render <= in_place_limit(len(previous.pages))
        if self.in_place:
            if self._ours:  # the last manifest is ours: patched, not copied
                self._patch = Patch(self.previous)  # type: ignore[arg-type]
                self.manifest = self._patch.manifest
                if self._digests_before is not None:  # (a cache: each entry holds its bytes)
                    self.digests = self._digests_before
            return
        staging = self._staging()
        name = f".{self._id}" if staging == self.cache else f".{self.out.name}"
        self.tmp = staging / f"{name}.tmp-{os.getpid()}"
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

    def intact(self, path: str) -> bool:
        """Whether the previous site's file is still the one it wrote (one stat)."""
        if self._ours:
            return True
        stamp = self.previous.stamps.get(path) if self.previous else None
        try:
            return stamp is not None and stamp_of(os.stat(f"{self._root}/{path}")) == stamp
        except OSError:
            return False

    def reusable(self, path: str, key: str) -> bool:
        """Whether the previous site has this page, built from the same inputs."""
        old = self.previous.pages.get(path) if self.previous else None
        return old is not None and old[0] == key and self.intact(path)

    def reuse(self, path: str, key: str | None = None) -> int:
        """Keep a file of the previous site that is :meth:`intact`: a page with the same
        ``key`` (see :meth:`reusable`) or another file its manifest has. Its size."""
        assert self.previous is not None and self._begun
        self._claim(path)
        stamp = self.previous.stamps[path]
        if not self.in_place:
            target = self._target(path)
            try:
                os.link(self.out / path, target)  # the same file: the same stamp
            except OSError:  # no hard links here: copy
                shutil.copyfile(self.out / path, target)
                stamp = stamp_of(os.stat(target))
        if key is not None:
            self.record(path, stamp[0], key, stamp=stamp)
        else:
            self.record(path, stamp[0], None, self.previous.files[path], stamp)
        return stamp[0]

    def record(
        self,
        path: str,
        size: int,
        key: str | None = None,
        digest: str = "",
        stamp: Stamp | None = None,
    ) -> None:
        """Count a file written (or reused); ``key`` for a page, else its content digest;
        ``stamp`` once it is on disk (in place, ``commit()`` adds it)."""
        self.paths.append(path)
        self.bytes += size
        entry: list[str | int] | str = [key, size] if key is not None else digest
        kind = "pages" if key is not None else "files"
        if self.in_place:  # the manifest's file gets the changes (see manifest.changes)
            assert self.previous is not None
            patch = self._patch
            was = patch.was(kind, path) if patch else getattr(self.previous, kind).get(path)
            if stamp is None or was != entry:
                self.touched.append(path)
        if self._patch is not None:
            self._patch.record(kind, path, entry, stamp)
            return
        if key is not None:
            self.manifest.pages[path] = entry  # type: ignore[assignment]
        else:
            self.manifest.files[path] = digest
            self.manifest.pages.pop(path, None)  # a page before (see reuse_pages)
        if stamp is not None:
            self.manifest.stamps[path] = stamp

    def write(self, path: str, data: bytes, key: str | None = None) -> Stamp | None:
        """Write a file (a page when ``key``, its input key, is given); its stamp, unless it
        waits for ``commit()``."""
        assert self._begun
        self._claim(path)
        digest = ""
        if key is None:
            before = self._digests_before.get(path) if self._digests_before is not None else None
            digest = before[1] if before is not None and before[0] is data else content_digest(data)
            if self._digests_before is not None:
                self.digests[path] = (data, digest)
        stamp = None
        if self.in_place:
            old = self.previous.files.get(path) if self.previous else None
            if key is None and old == digest and self.intact(path):
                stamp = self.previous.stamps[path]  # type: ignore[union-attr]
            else:
                self.pending[path] = data
        else:
            stamp = write_file(self._target(path), data)
            self.changed.append(path)
        self.record(path, len(data), key, digest, stamp)
        return stamp

    def move(self, renames: list[tuple[str, str]]) -> None:
        """Give files this build wrote into its new folder other paths, all at once: the
        search index's, once their count says which folders fan out (search.sharded)."""
        assert not self.in_place, "in place, files wait for commit() at their final paths"
        moved = dict(renames)
        manifest = self.manifest
        for old, new in renames:
            self._claim(new)
            self._seen.discard(old)
            os.rename(self.tmp / safe_relative(old), self._target(new))
            manifest.files[new] = manifest.files.pop(old)
            if old in manifest.stamps:  # a rename keeps size, time and inode
                manifest.stamps[new] = manifest.stamps.pop(old)
        self.paths = [moved.get(path, path) for path in self.paths]
        self.changed = [moved.get(path, path) for path in self.changed]

    def _claim(self, path: str) -> None:
        # A path in the manifest this process wrote was checked when it was written.
        relative_path(path)  # raises for a path that could leave the output folder
        # A forked worker's pages are not in _seen, but they are distinct by construction.
        if path in self._seen or self._claims(path):
            raise ArchiveError(f"two outputs want the same file {path!r}")
        self._seen.add(path)

    def _target(self, path: str) -> str:
        """Where ``path`` goes, its folder made (strings: paths were a third of writing)."""
        target = f"{self.tmp}/{relative_path(path)}"
        parent = target[: target.rindex("/")]
        if parent not in self._dirs:
            try:  # the usual case, a page's own new folder: one call, no stat first
                os.mkdir(parent)
            except FileExistsError:
                if not os.path.isdir(parent):
                    raise
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
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
        """Put the finished build in place, then release the lock: swap folders (two
        renames, then cleanup), or replace the changed files and delete those the new site
        no longer has, through a journal (see :class:`.outlock.Journal`)."""
        try:
            if self.in_place:
                self._commit_in_place()
            else:
                self._swap()
        finally:
            self._release()

    def _swap(self) -> None:
        (self.tmp / MARKER).write_bytes(f"{MARKER_TEXT}build {self.manifest.token()}\n".encode())
        old = self.tmp.parent / self.tmp.name.replace(".tmp-", ".old-")
        if self.out.exists():
            self.out.rename(old)
        self.tmp.rename(self.out)  # a kill before this: the next build puts ``old`` back
        self.cache.mkdir(parents=True, exist_ok=True)
        size = atomic_write(manifest_path(self.cache, self.out), self.manifest.json_pieces())
        self.manifest._size, self.manifest._bytes = (size, size), self.bytes
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def _commit_in_place(self) -> None:
        """New files are written beside their targets first; only once all are (and the
        new manifest) does the journal say "commit" and the renames begin."""
        previous, patch = self.previous, self._patch
        assert previous is not None
        self._background.wait()  # (raises what failed)
        if patch is not None:
            gone = patch.missing(len(self.paths), self.touched, self._seen, self._kept)
        else:
            gone = missing(previous, self.paths, self.touched, self._seen)
        for path in gone:  # entries carried over (see outpatch)
            if patch is not None:
                patch.forget(path, self.digests)
            self.manifest.pages.pop(path, None)
            self.manifest.stamps.pop(path, None)
        manifest = manifest_path(self.cache, self.out)
        journal = Journal(self.cache / f"commit-{self._id}.json", self.out, manifest)
        journal.files, journal.delete = sorted([*self.pending, *self.spooled]), gone
        append = appendable(manifest, previous)  # else written whole
        journal.manifest_size = previous._size[1] if append else -1
        self.cache.mkdir(parents=True, exist_ok=True)
        self._journal = journal
        journal.save("write")
        put = self.manifest.stamps.__setitem__ if patch is None else patch.put_stamp
        for path, content in self.pending.items():
            put(path, write_file(new_name(Path(self._target(path))), content))
        for path, spooled in self.spooled.items():
            new = new_name(Path(self._target(path)))
            shutil.move(spooled, new)  # a rename, or a copy from another file system
            put(path, stamp_of(os.stat(new)))
        paths = [*self.touched, *gone]
        before = patch.before(paths) if patch is not None else previous
        line = changes(before, self.manifest, paths)
        save_changes(manifest, previous, self.manifest, line if append else None)
        journal.token = self.manifest.token()
        if patch is not None:
            self.bytes = patch.total()
        journal.inodes = [self.manifest.stamps[path][2] for path in journal.files]
        journal.save("commit")
        # For a build that does not see the journal (another cache folder): distrust.
        atomic_write(self.out / MARKER, MARKER_TEXT.encode())
        journal.finish(Trash(self.cache, self._id))  # the old files are freed after
        self.changed += [*self.pending, *self.spooled, *gone]

    def abort(self) -> None:
        """Remove what this build wrote (a commit that had begun its renames is left to the
        next build, which finishes it), and release the lock."""
        try:
            if self._begun and not self.in_place:
                shutil.rmtree(self.tmp, ignore_errors=True)
            if self._journal is not None and self._journal.state == "write":
                with contextlib.suppress(OSError):
                    self._journal.undo()
            committing = self._journal is not None and self._journal.state != "write"
            if self._patch is not None and not committing:  # the last manifest, whole again
                self._patch.restore()
        finally:
            self._release()

    def _release(self) -> None:
        self._background.wait(quiet=True)
        if self.in_place:
            shutil.rmtree(self._spool, ignore_errors=True)
        if self._lock is not None:
            self._lock.__exit__()
            self._lock = None
