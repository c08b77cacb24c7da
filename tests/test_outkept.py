"""SiteWriter.write_all (newsarchive/outkept.py): in serve's in-place rebuild, the files that
are the very bytes this process wrote last are recorded at once; the writer must end up
exactly as one write() per file leaves it, on disk and in its manifest."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive import output
from newsarchive.errors import ArchiveError
from newsarchive.output import SiteWriter


def _site(root: Path, files: dict[str, bytes], last: SiteWriter | None, bulk: bool) -> SiteWriter:
    known = last.manifest if last is not None else None
    digests = last.digests if last is not None else {}
    writer = SiteWriter(root / "site", [], root / "cache", known, digests)
    writer.begin(0)
    if bulk:
        writer.write_all(files)
    else:
        for path in sorted(files):
            writer.write(path, files[path])
    writer.commit()
    return writer


def _on_disk(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_write_all_is_a_write_per_file(tmp_path: Path) -> None:
    first = {f"search/m/{n}.js": f"meta {n}".encode() for n in range(40)}
    first["static/lunr.min.js"] = b"lunr"
    # The next build: most files the same objects, one changed, one new, one gone, and one
    # equal but another object (as a file read again: hashed, not taken on trust).
    second = dict(first)
    second["search/m/3.js"] = b"meta 3, edited"
    second["search/m/new.js"] = b"new"
    del second["search/m/7.js"]
    second["static/lunr.min.js"] = b"".join([b"lu", b"nr"])
    writers = {}
    for bulk in (False, True):
        root = tmp_path / ("bulk" if bulk else "each")
        last = _site(root, first, None, bulk)
        writers[bulk] = _site(root, second, last, bulk)
        on_disk = _on_disk(root / "site")
        assert writers[bulk].in_place and on_disk.keys() == {*second, ".newsarchive"}
        assert all(on_disk[path] == data for path, data in second.items())
    each, bulk = writers[False], writers[True]
    assert _on_disk(tmp_path / "bulk" / "site") == _on_disk(tmp_path / "each" / "site")
    assert bulk.manifest.files == each.manifest.files
    assert bulk.manifest.stamps.keys() == each.manifest.stamps.keys()
    assert sorted(bulk.paths) == sorted(each.paths) and bulk.bytes == each.bytes
    assert (
        sorted(bulk.changed)
        == sorted(each.changed)
        == ["search/m/3.js", "search/m/7.js", "search/m/new.js"]
    )
    assert bulk.digests.keys() == each.digests.keys()
    assert bulk.manifest.token() == each.manifest.token()


def test_write_all_refuses_a_path_written_twice(tmp_path: Path) -> None:
    files = {"search/a.js": b"a", "search/b.js": b"b"}
    last = _site(tmp_path, files, None, bulk=True)
    writer = SiteWriter(tmp_path / "site", [], tmp_path / "cache", last.manifest, last.digests)
    writer.begin(0)
    writer.write("search/a.js", b"a")
    with pytest.raises(ArchiveError, match="two outputs"):
        writer.write_all(files)
    writer.abort()


def test_a_large_site_is_patched_in_place_up_to_a_share_of_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A back-fill at a million articles renders some 26,000 pages again: over a fixed
    limit, serve built a new folder and hard-linked 1.36 million kept pages (40 minutes)."""
    monkeypatch.setattr(output, "IN_PLACE_LIMIT", 2)
    first = SiteWriter(tmp_path / "site", [], tmp_path / "cache")
    first.begin(0)
    for n in range(100):
        first.write(f"p/{n}/index.html", b"page %d" % n, key=f"k{n}")
    first.commit()
    assert output.in_place_limit(100) == 100 // output.IN_PLACE_SHARE == 5
    for render, in_place in ((5, True), (6, False)):
        writer = SiteWriter(tmp_path / "site", [], tmp_path / "cache", first.manifest)
        writer.begin(render)
        assert writer.in_place is in_place
        writer.abort()
    assert output.in_place_limit(1_358_035) == 67_901
