"""Reading every article file: parsing is a pure function of the file's bytes, so a bad file
becomes one ``Problem`` and never stops the rest of the archive."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from ..errors import ArchiveError, Problem
from ..model import Article
from .discovery import Source
from .markdown import Draft, parse_markdown
from .plaintext import parse_text
from .values import decode


@dataclass
class ReadResult:
    """What the read stage found: the articles, the files it skipped (as Problems), drafts,
    and a digest of every article's file (what later stages key their caches on)."""

    articles: list[Article]
    problems: list[Problem]
    drafts: list[str]
    digests: dict[str, str] = field(default_factory=dict)


Parsed = Article | Problem | None


@dataclass
class SourceCache:
    """Parse results kept between builds (``serve``): a file is parsed again only when its
    modification time or size changed. Valid for one time zone and summary length.
    ``keep=False`` (a one-off build): nothing is kept, and no file needs a stat."""

    keep: bool = True
    settings: tuple[object, ...] = ()
    entries: dict[Path, tuple[tuple[int, int], str, Parsed]] = field(default_factory=dict)


def read_sources(
    sources: Sequence[Source],
    tz: tzinfo,
    summary_length: int,
    progress: Callable[[int], None] | None = None,
    cache: SourceCache | None = None,
    fresh: Collection[Path] | None = None,
) -> ReadResult:
    """Parse every source; a bad file becomes a Problem and the others still load.

    With a ``cache``, a file is parsed again only when its modification time or size
    changed; ``fresh``, when given, lists the only files that may have (see rediscover)."""
    result = ReadResult([], [], [])
    cache = cache if cache is not None else SourceCache(keep=False)
    if cache.settings != (tz, summary_length):
        cache.settings, cache.entries = (tz, summary_length), {}
    kept: dict[Path, tuple[tuple[int, int], str, Parsed]] = {}
    for done, source in enumerate(sources, 1):
        if not cache.keep or source.refused:  # (a refused link is not even stat'ed)
            digest, parsed = parse_with_digest(source, tz, summary_length)
        else:
            entry = cache.entries.get(source.path)
            if entry is None or fresh is None or source.path in fresh:
                try:
                    stat = source.path.stat()
                    stamp = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    stamp = (-1, -1)
                if entry is None or entry[0] != stamp:
                    entry = (stamp, *parse_with_digest(source, tz, summary_length))
            kept[source.path] = entry
            digest, parsed = entry[1], entry[2]
        if isinstance(parsed, Article):
            result.digests[parsed.path] = digest
            result.articles.append(parsed)
        elif isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            result.drafts.append(source.display)
        if progress and (done % 500 == 0 or done == len(sources)):
            progress(done)
    cache.entries = kept
    return result


def parse_with_digest(source: Source, tz: tzinfo, summary_length: int) -> tuple[str, Parsed]:
    """One file to an Article, a Problem saying why it was skipped, or None for a draft,
    with a digest of its bytes (empty if unreadable or refused, see Source.refused)."""
    if source.refused:
        return "", Problem(source.display, 1, source.refused, "warning")
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return "", Problem(source.display, 1, f"cannot read file: {exc.strerror or exc}")
    return hashlib.sha1(data).hexdigest(), parse_bytes(source, data, tz, summary_length)


def parse_bytes(source: Source, data: bytes, tz: tzinfo, summary_length: int) -> Parsed:
    """The file's content to an Article, a Problem, or None for a draft."""
    try:
        text = decode(data)
        if source.kind == "text":
            return parse_text(text, source.display, tz, summary_length)
        return parse_markdown(text, source.display, tz, summary_length)
    except Draft:
        return None
    except ArchiveError as exc:
        return Problem(source.display, exc.line or 1, exc.message)
