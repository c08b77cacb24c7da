"""Everything a build is made from, as digests: so that a build with nothing changed does
nothing.

The output is a function of its inputs alone (two builds of the same inputs are byte for
byte the same), so a build whose inputs all match those of the build that made the site,
with every file of that site still as it was written, has nothing to do. A one-off build
checks that before reading any article: at a million articles that is a stat of each
source and of each output file (seconds) instead of reading, tagging and relating them all
again to find no page to render (eight minutes). A build with no record to check (a cold
one) takes each source's stat as it reads the file, in the read forks. What the build
reported (counts and problems) is kept beside the manifest, so the shortcut reports the
same.

The inputs: the settings (tag rules included), the templates, our code and its data, the
installed packages' versions (markdown or jinja2 of another version may make other
HTML), the static files, and every article file's name, size, times and inode. ``serve``
does not stat every source (its watcher says what changed), so its builds drop the record.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import Config
from .content.discovery import Source, stat_key
from .errors import Problem
from .manifest import output_id
from .outlock import atomic_write
from .output import SiteWriter
from .render.theme import Theme
from .resources import PACKAGE

_VERSION = 2  # of the record's format and of what inputs_digest covers


def build_salt(config: Config, theme: Theme) -> str:
    """A digest of every input that is not an article: configuration, templates, our code
    and its data (Python, the JavaScript the search files are made with, the world map's
    outlines, the vendored scripts).

    Page keys and the search key start from it, so changing any of these rebuilds all.
    """
    h = hashlib.sha1(repr(config).encode())
    for number, folder in enumerate([PACKAGE, *theme.templates]):
        h.update(b"folder %d\0" % number)  # which folder a template is in matters too
        for path in _files(folder):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def sources_digest(sources: Sequence[Source], stats: Sequence[bytes] | None = None) -> bytes:
    """One digest of every source's name and stat (:func:`.discovery.stat_key`), for
    :func:`inputs_digest`; a change of any of a file's figures only costs the shortcut,
    never a wrong site. ``stats``: each source's, when the read stage took them as it read
    (a cold build: at a million articles the stats taken here were 14 s with a core idle),
    else they are taken here."""
    h = hashlib.sha1()
    keys = stats if stats is not None else (stat_key(item.path) for item in sources)
    for item, key in zip(sources, keys, strict=True):
        h.update(b"\0%s\0%s\0" % (os.fsencode(item.display), item.refused.encode()))
        h.update(key)
    return h.digest()


def inputs_digest(salt: str, theme: Theme, source: Path, sources: bytes) -> str:
    """One digest of all a build's inputs (see the module's docstring); ``salt`` is
    :func:`build_salt`'s, ``sources`` :func:`sources_digest`'s of what discovery found
    below ``source``."""
    h = hashlib.sha1(b"inputs %d\0%s\0%s\0" % (_VERSION, salt.encode(), sys.version.encode()))
    packages = (f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    h.update("\0".join(sorted(packages)).encode())
    h.update(b"\0source\0" + os.fsencode(os.path.abspath(source)) + b"\0" + sources)
    for number, folder in enumerate([PACKAGE, *theme.static]):  # our data, the static files
        h.update(b"\0folder %d" % number)
        for path in _files(folder):
            h.update(b"\0%s\0" % os.fsencode(path.relative_to(folder)) + stat_key(path))
    return h.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file below ``folder``, sorted, but Python's byte-code cache (no input)."""
    return sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts and p.is_file())


@dataclass(frozen=True)
class LastBuild:
    """What the build that made a site was made from and reported (the shortcut's record).

    ``site``: the manifest's token (:meth:`.manifest.Manifest.token`), which the output's
    marker names: the record is only trusted for the site it describes."""

    inputs: str
    site: str
    articles: int
    drafts: int
    tags: int
    pages: int
    problems: tuple[Problem, ...]


def left_as_built(
    writer: SiteWriter, record: LastBuild, progress: Callable[[int, int], None] | None = None
) -> bool:
    """Whether ``writer``'s output is the site ``record`` describes, each file as written
    (a stat each, as a rebuild checks the pages it keeps; ``progress``: told (files checked,
    files), as that takes seconds at a million articles)."""
    old = writer.previous
    if old is None or old.token() != record.site:
        return False
    total = len(old.stamps)
    for done, path in enumerate(old.stamps, 1):
        if not writer.intact(path):
            return False
        if progress and (done % 10_000 == 0 or done == total):
            progress(done, total)
    return True


def _record_path(cache: Path, out: Path) -> Path:
    return cache / f"last-build-{output_id(out)}.json"


def load_last(cache: Path, out: Path) -> LastBuild | None:
    """The record of the build that made ``out``, if there is a readable one."""
    try:
        data = json.loads(_record_path(cache, out).read_bytes())
        if data.pop("version") != _VERSION:
            return None
        problems = tuple(Problem(**problem) for problem in data.pop("problems"))
        return LastBuild(**data, problems=problems)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save_last(cache: Path, out: Path, record: LastBuild) -> None:
    """Keep ``record`` for the next build of ``out`` (after its commit)."""
    data = {"version": _VERSION, **asdict(record)}
    atomic_write(_record_path(cache, out), json.dumps(data, sort_keys=True).encode())


def forget_last(cache: Path, out: Path) -> None:
    """Drop the record (before a commit changes the site it describes)."""
    with contextlib.suppress(FileNotFoundError):
        _record_path(cache, out).unlink()
