"""serve's in-place rebuild patches the last manifest instead of copying it (outpatch.py):
over random rounds of pages and files that come, go, change and turn from page to file,
the patched manifest must be what a new process reads from the file, what a writer that
does not own the last manifest makes, and the site on disk what was written; an aborted
build must leave the last manifest whole."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from newsarchive.errors import ArchiveError
from newsarchive.manifest import Manifest, load_manifest
from newsarchive.output import SiteWriter

Site = tuple[dict[str, str], dict[str, bytes]]  # pages (path -> key), files (path -> bytes)


def _round(rng: random.Random, n: int, pages: dict[str, str], files: dict[str, bytes]) -> Site:
    """The next site: a few pages and files changed, added, deleted or turned into the
    other kind, the rest the very same (files: the same bytes objects, as serve's)."""
    pages, files = dict(pages), dict(files)
    for _ in range(rng.randrange(4)):
        what, path = rng.randrange(6), f"p/{rng.randrange(60)}.html"
        if path in files:  # (it became a file: it stays one)
            continue
        if what < 3:
            pages[path] = f"key {n} {path}"
        elif what < 5:
            pages.pop(path, None)
        elif path in pages:  # a page that becomes a file
            del pages[path]
            files[path] = f"now a file {n}".encode()
    for _ in range(rng.randrange(5)):
        what, path = rng.randrange(6), f"search/{rng.randrange(80)}.js"
        if what < 3:
            files[path] = f"search {n} {path}".encode()
        elif what < 5:
            files.pop(path, None)
        elif path in files and f"p/{path}" not in pages:  # a file that becomes a page
            del files[path]
            pages[f"p/{path}"] = f"key {n}"
    return pages, files


def _build(
    root: Path, site: Site, last: SiteWriter | None, data: dict[str, bytes], own: bool = True
) -> SiteWriter:
    """One build as build.py makes it, in place once there is a ``last`` build, given its
    manifest (serve) unless not ``own`` (a new process: read from the file)."""
    pages, files = site
    known = last.manifest if last is not None and own else None
    digests = last.digests if last is not None and own else {}
    writer = SiteWriter(root / "site", [], root / "cache", known, digests)
    keep, render = writer.reusable_pages(pages)
    writer.begin(0 if last is not None else len(render))
    writer.reuse_pages(keep)
    for path in render:
        data[path] = f"<p>{pages[path]}</p>".encode()
        writer.write(path, data[path], key=pages[path])
    writer.write_all(files)
    writer.manifest.search = "k"
    writer.manifest.search_files = writer.search_list(files, [])
    writer.commit()
    return writer


def _on_disk(site: Path) -> dict[str, bytes]:
    found = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    found = {path: file.read_bytes() for path, file in found.items()}
    return {path: data for path, data in found.items() if path != ".newsarchive"}


def _entries(manifest: Manifest) -> tuple[object, ...]:
    return (manifest.pages, manifest.files, manifest.search_files, manifest.token())


@pytest.mark.parametrize("seed", range(6))
def test_the_patched_manifest_is_the_one_made_the_slow_way(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    pages = {f"p/{n}.html": "key 0" for n in range(40)}
    site: Site = (pages, {f"search/{n}.js": f"search {n}".encode() for n in range(50)})
    ours = slow = None
    data: dict[str, bytes] = {}
    patched = gone = 0
    for n in range(1, 25):
        ours = _build(tmp_path / "ours", site, ours, data)
        slow = _build(tmp_path / "slow", site, slow, {}, own=False)  # reads the file
        assert not slow._ours and slow._patch is None
        if n > 1:  # the fast path: the last manifest's very dictionaries, patched
            assert ours._patch is not None and ours.manifest.pages is ours.previous.pages
            patched += 1
            gone += bool(ours._patch.gone_search)
        on_disk = _on_disk(tmp_path / "ours" / "site")
        expected = {**{p: data[p] for p in site[0]}, **site[1]}
        assert on_disk == expected
        cold = load_manifest(tmp_path / "ours" / "cache", tmp_path / "ours" / "site")
        assert cold is not None and cold == ours.manifest  # stamps too
        assert _entries(ours.manifest) == _entries(slow.manifest)
        assert ours.manifest.search_files == sorted(site[1])
        assert ours.digests.keys() == site[1].keys() and ours.bytes == slow.bytes
        assert len(ours.paths) == len(on_disk)
        site = _round(rng, n, *site)
    assert patched == 23 and gone  # search files went in some rounds


def test_an_aborted_patch_leaves_the_last_manifest_whole(tmp_path: Path) -> None:
    files = {f"search/{n}.js": f"search {n}".encode() for n in range(10)}
    pages = {f"p/{n}.html": "key 0" for n in range(10)}
    last = _build(tmp_path, (pages, files), None, {})
    last = _build(tmp_path, (pages, files), last, {})
    before = copy.deepcopy(last.manifest)
    writer = SiteWriter(tmp_path / "site", [], tmp_path / "cache", last.manifest, last.digests)
    now = {**pages, "p/0.html": "key 1"}
    del now["p/1.html"]  # a file now
    keep, _ = writer.reusable_pages(now)
    writer.begin(1)
    writer.reuse_pages(keep)
    writer.write("p/0.html", b"changed", key="key 1")
    writer.write("p/new.html", b"new", key="key 1")
    writer.write("p/1.html", b"a file now")
    assert writer._patch is not None and last.manifest.pages["p/0.html"][0] == "key 1"
    writer.abort()
    assert last.manifest == before and last.manifest.pages == before.pages
    again = _build(tmp_path, ({**pages, "p/2.html": "key 2"}, files), last, {})
    assert again._patch is not None
    cold = load_manifest(tmp_path / "cache", tmp_path / "site")
    assert cold == again.manifest and cold.pages["p/2.html"][0] == "key 2"


@pytest.mark.parametrize("how", ["write", "write_all", "reuse"])
def test_a_kept_page_is_claimed_without_a_set_of_every_page(tmp_path: Path, how: str) -> None:
    """reuse_pages claims the kept pages by the page keys (not a set of every path): a file
    or page at a kept page's path is still refused."""
    pages = {f"p/{n}.html": "key 0" for n in range(10)}
    last = _build(tmp_path, (pages, {}), None, {})
    last = _build(tmp_path, (pages, {}), last, {})
    writer = SiteWriter(tmp_path / "site", [], tmp_path / "cache", last.manifest, last.digests)
    keep, render = writer.reusable_pages({**pages, "p/0.html": "key 1"})
    writer.begin(len(render))
    writer.reuse_pages(keep)
    assert writer._kept == keep and not writer._seen  # the fast path
    writer.write("p/0.html", b"rendered", key="key 1")  # the rendered page: its own claim
    with pytest.raises(ArchiveError, match=r"two outputs want the same file 'p/3\.html'"):
        if how == "write":
            writer.write("p/3.html", b"a file")
        elif how == "write_all":
            writer.write_all({"p/3.html": b"a file"})
        else:
            writer.reuse("p/3.html", "key 0")
    with pytest.raises(ArchiveError, match="two outputs"):
        writer.write("p/0.html", b"again", key="key 1")
    writer.abort()
