"""The manifest's file grows by the changes of each in-place commit (an edit writes what it
changed, not every entry), and stays what a cold process needs: the same manifest, the same
token, a site it can trust, even when a commit is killed after it appended its changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsarchive.manifest as manifest_module
from newsarchive.build import build_site
from newsarchive.incremental import BuildCache
from newsarchive.manifest import Manifest, load_manifest, manifest_path
from newsarchive.output import SiteWriter

from .conftest import REPO
from .test_outlock import CONFIG, articles, clean, files


def _edit(source: Path, number: int, title: str) -> None:
    path = source / f"{number:04d}.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = title  # the title line (article_text)
    path.write_text("\n".join(lines), encoding="utf-8")


def _lines(cache: Path, site: Path) -> list[bytes]:
    return manifest_path(cache, site).read_bytes().splitlines()


def _same(one: Manifest, two: Manifest) -> bool:
    return one == two and one.token() == two.token()


def test_serve_edits_append_their_changes_and_a_cold_process_reads_them(
    tmp_path: Path,
) -> None:
    source = articles(tmp_path / "src", 40)
    site, cache_dir, cache = tmp_path / "site", tmp_path / "cache", BuildCache()
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    whole = _lines(cache_dir, site)
    assert len(whole) == 1
    for number in range(3):
        _edit(source, 10 + number, f"Edited story {number}")
        cache.changed = None
        result = build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
        lines = _lines(cache_dir, site)
        assert lines[0] == whole[0] and len(lines) == 2 + number  # one line appended
        # A line holds the entries of the files that changed, not every file's.
        changed = json.loads(lines[-1])
        assert result.changed < result.files / 2
        assert len(changed["stamps"]) == result.changed, (len(changed["stamps"]), result.changed)
        assert cache.manifest is not None
        # What a cold process reads is what serve keeps, token and all.
        cold = load_manifest(cache_dir, site)
        assert cold is not None and cold is not cache.manifest
        assert _same(cold, cache.manifest)
    assert files(site) == clean(source, tmp_path, "edited")
    # A `build` after serve trusts the site and reuses every page.
    again = build_site(CONFIG, source, site, cache_dir=cache_dir)
    assert again.changed == 0
    # A deleted article: its files leave the manifest too.
    (source / "0005.txt").unlink()
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    cold = load_manifest(cache_dir, site)
    assert cold is not None and cache.manifest is not None and _same(cold, cache.manifest)
    assert files(site) == clean(source, tmp_path, "deleted")


def test_the_manifest_is_written_whole_once_its_changes_outgrow_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = articles(tmp_path / "src", 30)
    site, cache_dir, cache = tmp_path / "site", tmp_path / "cache", BuildCache()
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    first = _lines(cache_dir, site)[0]
    _edit(source, 3, "Edited once")
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    assert len(_lines(cache_dir, site)) == 2
    monkeypatch.setattr(manifest_module, "CHANGES_LIMIT", 0.001)
    _edit(source, 4, "Edited twice")
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    (line,) = _lines(cache_dir, site)
    assert line != first
    cold = load_manifest(cache_dir, site)
    assert cold is not None and cache.manifest is not None and _same(cold, cache.manifest)
    assert build_site(CONFIG, source, site, cache_dir=cache_dir).changed == 0


def test_a_manifest_file_changed_behind_serves_back_is_written_whole(tmp_path: Path) -> None:
    """serve appends only to the very file it wrote (its size tells): one rewritten by
    hand meanwhile is replaced whole, not appended to."""
    source = articles(tmp_path / "src", 20)
    site, cache_dir, cache = tmp_path / "site", tmp_path / "cache", BuildCache()
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    path = manifest_path(cache_dir, site)
    path.write_bytes(path.read_bytes() + b"\n")
    _edit(source, 3, "Edited")
    cache.changed = None
    build_site(CONFIG, source, site, cache=cache, cache_dir=cache_dir)
    assert len(_lines(cache_dir, site)) == 1
    cold = load_manifest(cache_dir, site)
    assert cold is not None and cache.manifest is not None and _same(cold, cache.manifest)


# A build that dies the moment its journal would say "commit": its changes are appended to
# the manifest, its new files beside their targets, and nothing renamed yet.
KILLED = """
import os, sys
from pathlib import Path
from newsarchive.build import build_site
from newsarchive.config import Config
from newsarchive.outlock import Journal
real = Journal.save
def save(self, state):
    if state == "commit":
        os._exit(9)
    real(self, state)
Journal.save = save
build_site(Config(timezone="UTC", per_page=10), Path(sys.argv[1]), Path(sys.argv[2]),
           cache_dir=Path(sys.argv[3]))
"""


def test_a_commit_killed_after_appending_leaves_the_old_site_and_manifest(
    tmp_path: Path,
) -> None:
    source = articles(tmp_path / "src", 30)
    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    build_site(CONFIG, source, site, cache_dir=cache_dir)
    _edit(source, 3, "Edited")
    build_site(CONFIG, source, site, cache_dir=cache_dir)  # in place: one line appended
    old, old_lines = files(site), _lines(cache_dir, site)
    assert len(old_lines) == 2
    _edit(source, 7, "Edited again")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, str(source), str(site), str(cache_dir)],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO)},
        capture_output=True,
    )
    assert killed.returncode == 9, killed.stderr.decode()
    assert len(_lines(cache_dir, site)) == 3  # appended, never committed
    SiteWriter(site, [], cache_dir).abort()  # takes the lock, repairs, releases
    assert _lines(cache_dir, site) == old_lines
    assert files(site) == old
    result = build_site(CONFIG, source, site, cache_dir=cache_dir)
    assert result.changed < result.files / 2  # the old manifest was trusted: in place
    assert files(site) == clean(source, tmp_path, "edited")


def test_the_whole_manifest_is_written_in_pieces_as_one_json_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """json_pieces() is json.dumps of the whole, whatever the piece size (a million
    articles' manifest is never one string in memory), and reads back as itself."""
    manifest = Manifest(
        pages={f"p/{n}/index.html": [f"k{n}", n * 7] for n in range(23)},
        files={f"f{n}.js": f"d{n}" for n in range(5)},
        search="s\u00e9arch",
        search_files=["a", "b"],
        search_scripts=["x.js"],
        stamps={f"p/{n}/index.html": [n, n * 1000, n + 1] for n in range(23)},
    )
    whole = {
        "stamps": manifest.stamps,
        "files": manifest.files,
        "pages": manifest.pages,
        "search": manifest.search,
        "search_files": manifest.search_files,
        "search_scripts": manifest.search_scripts,
    }
    expected = json.dumps(whole, separators=(",", ":")).encode() + b"\n"
    for piece in (1, 4, 5, 100):
        monkeypatch.setattr(manifest_module, "_PIECE", piece)
        pieces = list(manifest.json_pieces())
        assert b"".join(pieces) == expected
        assert piece >= 23 or max(map(len, pieces)) < len(expected) // 2
    assert (
        b"".join(Manifest().json_pieces())
        == json.dumps(
            {
                "stamps": {},
                "files": {},
                "pages": {},
                "search": "",
                "search_files": [],
                "search_scripts": [],
            },
            separators=(",", ":"),
        ).encode()
        + b"\n"
    )


def test_writes_land_inside_the_new_folder_or_are_refused(tmp_path: Path) -> None:
    """SiteWriter._target works on strings: odd but harmless paths are normalised as paths
    were, and any path that could leave the output folder is refused."""
    from newsarchive.errors import ArchiveError
    from newsarchive.output import SiteWriter

    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    writer = SiteWriter(site, [], cache_dir)
    writer.begin(100)
    writer.write("a//b/c.html", b"1")
    writer.write("./d.html", b"2")
    writer.write("e/./f.html", b"3")
    for bad in ("../x.html", "a/../../x.html", "/etc/x.html", "a\\..\\x.html", "", "."):
        with pytest.raises(ArchiveError, match="outside the output folder"):
            writer.write(bad, b"no")
    writer.commit()
    assert (site / "a/b/c.html").read_bytes() == b"1" and (site / "d.html").read_bytes() == b"2"
    assert (site / "e/f.html").read_bytes() == b"3"
    assert not (tmp_path / "x.html").exists()


def test_files_are_written_as_open_writes_them_with_their_stamp(tmp_path: Path) -> None:
    """manifest.write_file (by descriptor) makes the file open(path, "wb") makes: the same
    bytes, mode and stamp as a stat sees; it replaces a longer file whole. SiteWriter makes
    a page's folder with one mkdir, its parents when they are missing too, and refuses a
    folder where a file is, as os.makedirs does."""
    import os
    import stat

    from newsarchive.manifest import stamp_of, write_file

    data = bytes(range(256)) * 3000  # past one write's usual size
    ours, theirs = tmp_path / "ours.bin", tmp_path / "theirs.bin"
    ours.write_bytes(b"x" * 1_000_000)  # longer than data: truncated
    stamp = write_file(str(ours), data)
    theirs.write_bytes(data)
    assert ours.read_bytes() == data and stamp == stamp_of(os.stat(ours))
    assert stat.S_IMODE(ours.stat().st_mode) == stat.S_IMODE(theirs.stat().st_mode)
    assert write_file(tmp_path / "empty", b"")[0] == 0

    writer = SiteWriter(tmp_path / "site", [], tmp_path / "cache")
    writer.begin(100)
    writer.write("a/b/c/index.html", b"1")  # parents missing
    writer.write("a/b/d/index.html", b"2")  # one mkdir
    writer.write("a/file", b"3")
    with pytest.raises(FileExistsError):
        writer.write("a/file/index.html", b"4")
    writer.abort()
