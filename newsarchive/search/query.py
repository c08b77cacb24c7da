"""Searching a built site from Python: the site's own scripts run under Node (``search-cli.js``),
so ``build.py search`` ranks, filters and sorts exactly as the search page does."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from .monolithic import DOCS_PATH, INDEX_PATH
from .scripts import CORE_PATH, LUNR_PATH, SEARCH_CLI
from .sorting import SORTS


@dataclass(frozen=True)
class SearchHit:
    """One result of :func:`run_search`, as the search page ranks it.

    ``url`` is the article's path in the site (``/2023/04/10/slug/``); ``date`` is the ISO 8601
    publication time with its offset, as the site stores it.
    """

    url: str
    title: str
    date: str
    tags: tuple[str, ...]
    score: float

    @property
    def posted(self) -> datetime:
        return datetime.fromisoformat(self.date)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form search-cli.js prints: url, title, date, tags, score."""
        return {
            "url": self.url,
            "title": self.title,
            "date": self.date,
            "tags": list(self.tags),
            "score": self.score,
        }


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def dies_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has Linux kill the child (SIGKILL) when this process dies, however
    it dies: Node must not keep searching for a ``build.py search`` that was killed. None
    where there is no prctl (the child then outlives a killed parent, as before)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        # Between fork and exec: one system call and a check.
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl: nobody is waiting
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def run_search(
    site_dir: Path,
    query: str,
    *,
    tag: str | None = None,
    year: int | None = None,
    sort: str = "relevance",
    limit: int | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[SearchHit]:
    """Search a built site with its own shipped scripts under Node, exactly as the page does.

    ``tag`` is a tag's slug or name. ``on_note`` gets each line the search page would tell
    the reader besides the results (a bound on fuzzy and wildcard terms cut the query). Raises
    ArchiveError if the site has no search files, Node.js is missing, or lunr.js cannot parse
    the query (with lunr's message).
    """
    site_dir = Path(site_dir)
    sharded = any((site_dir / "search").glob("entry-*.js"))
    needed = (CORE_PATH,) if sharded else (LUNR_PATH, CORE_PATH, DOCS_PATH, INDEX_PATH)
    for rel in needed:
        if not (site_dir / rel).is_file():
            raise ArchiveError(
                f"no search files ({rel} missing); build the site first", str(site_dir)
            )
    if sort not in SORTS:
        raise ArchiveError(f"unknown sort {sort!r} (use one of: {', '.join(SORTS)})")
    node = shutil.which("node")
    if node is None:
        raise ArchiveError("Node.js (`node`) not found on PATH; it is needed to run searches")
    args = [node, str(SEARCH_CLI), f"--sort={sort}"]
    if tag:
        args.append(f"--tag={tag}")
    if year is not None:
        args.append(f"--year={int(year)}")
    if limit is not None:
        args.append(f"--limit={int(limit)}")
    args += ["--", str(site_dir), query]
    try:
        proc = subprocess.run(
            args,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            preexec_fn=dies_with_parent(),
        )
    except OSError as exc:
        raise ArchiveError(f"cannot run Node.js: {exc}") from exc
    message = proc.stderr.strip()
    if proc.returncode == 2:
        raise ArchiveError(f"cannot parse search query {query!r}: {message}")
    if proc.returncode != 0:
        message = message or f"search failed (exit status {proc.returncode})"
        raise ArchiveError(message, str(site_dir))
    if on_note is not None:
        for line in proc.stderr.splitlines():
            if line.startswith("note: "):
                on_note(line)
    return [
        SearchHit(
            url=hit["url"],
            title=hit["title"],
            date=hit["date"],
            tags=tuple(hit["tags"]),
            score=float(hit["score"]),
        )
        for hit in json.loads(proc.stdout)
    ]
