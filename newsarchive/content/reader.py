"""Reading every article file: parsing is a pure function of the file's bytes, so a bad file
becomes one ``Problem`` and never stops the rest of the archive."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from ..errors import ArchiveError, Problem
from ..model import Article
from ..parallel import ForkedTasks, task_ranges
from .discovery import Source
from .markdown import Draft, parse_markdown
from .plaintext import parse_text
from .values import Reading, decode


@dataclass
class ReadResult:
    """What the read stage found: the articles, the files it skipped (as Problems) and
    warnings about files it read, drafts, and a digest of every article's file (what later
    stages key their caches on)."""

    articles: list[Article]
    problems: list[Problem]
    drafts: list[str]
    digests: dict[str, str] = field(default_factory=dict)


Parsed = Article | Problem | None
Warnings = tuple[Problem, ...]


@dataclass
class SourceCache:
    """Parse results kept between builds (``serve``): a file is parsed again only when its
    modification time or size changed. Valid for one time zone, summary length, source
    folder and site language.
    ``keep=False`` (a one-off build): nothing is kept, and no file needs a stat."""

    keep: bool = True
    settings: tuple[object, ...] = ()
    entries: dict[Path, tuple[tuple[int, int], str, Parsed, Warnings]] = field(default_factory=dict)


def read_sources(
    sources: Sequence[Source],
    tz: tzinfo,
    summary_length: int,
    progress: Callable[[int], None] | None = None,
    cache: SourceCache | None = None,
    fresh: Collection[Path] | None = None,
    root: Path | None = None,
    language: str = "en",
    jobs: int = 1,
) -> ReadResult:
    """Parse every source; a bad file becomes a Problem and the others still load.

    With a ``cache``, a file is parsed again only when its modification time or size
    changed; ``fresh``, when given, lists the only files that may have (see rediscover).
    ``root``: the source folder, which each article's ``name`` is relative to; ``language``:
    the site's, for articles without ``Lang:``. A one-off build of many files parses them
    in ``jobs`` forked processes (the results are the same, in the same order)."""
    result = ReadResult([], [], [])
    cache = cache if cache is not None else SourceCache(keep=False)
    settings = (tz, summary_length, root, language)
    if cache.settings != settings:
        cache.settings, cache.entries = settings, {}
    kept: dict[Path, tuple[tuple[int, int], str, Parsed, Warnings]] = {}

    def parse(source: Source) -> tuple[str, Parsed, Warnings]:
        return parse_with_digest(source, tz, summary_length, root, language)

    forked = None
    if not cache.keep and jobs > 1 and len(sources) >= 2 * _TASK_SOURCES:
        forked = _parsed_in_forks(parse, sources, jobs)
    for done, source in enumerate(sources, 1):
        if forked is not None:
            digest, parsed, warnings = next(forked)
        elif not cache.keep or source.refused:  # (a refused link is not even stat'ed)
            digest, parsed, warnings = parse(source)
        else:
            entry = cache.entries.get(source.path)
            if entry is None or fresh is None or source.path in fresh:
                try:
                    stat = source.path.stat()
                    stamp = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    stamp = (-1, -1)
                if entry is None or entry[0] != stamp:
                    entry = (stamp, *parse(source))
            kept[source.path] = entry
            _, digest, parsed, warnings = entry
        result.problems += warnings
        if isinstance(parsed, Article):
            result.digests[parsed.path] = digest
            result.articles.append(parsed)
        elif isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            result.drafts.append(source.display)
        if progress and (done % 500 == 0 or done == len(sources)):
            progress(done)
    if forked is not None:
        forked.close()  # the forks' thread ends here, not when the generator is collected
    cache.entries = kept
    return result


# Sources per forked task, at least (a fork and a pickled result each), and at most (what one
# task's result holds at once before this process takes it).
_TASK_SOURCES = 2_000
_MOST_SOURCES = 20_000


def _parsed_in_forks(
    parse: Callable[[Source], tuple[str, Parsed, Warnings]], sources: Sequence[Source], jobs: int
) -> Iterator[tuple[str, Parsed, Warnings]]:
    """``parse`` of each source in order, parsed in ``jobs`` forked processes: parsing was
    a serial tenth of a cold build, with the other core idle."""
    ranges = task_ranges(len(sources), jobs, _TASK_SOURCES, _MOST_SOURCES)

    def work(bounds: tuple[int, int]) -> list[tuple[str, Parsed, Warnings]]:
        return [parse(source) for source in sources[bounds[0] : bounds[1]]]

    tasks = ForkedTasks(work, ranges, jobs)
    try:
        for parsed in tasks.results():
            yield from parsed
    finally:
        tasks.close()


def parse_with_digest(
    source: Source,
    tz: tzinfo,
    summary_length: int,
    root: Path | None = None,
    language: str = "en",
) -> tuple[str, Parsed, Warnings]:
    """One file to an Article, a Problem saying why it was skipped, or None for a draft,
    with a digest of its bytes (empty if unreadable or refused, see Source.refused) and
    warnings about it."""
    if source.refused:
        return "", Problem(source.display, 1, source.refused, "warning"), ()
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return "", Problem(source.display, 1, f"cannot read file: {exc.strerror or exc}"), ()
    parsed, warnings = parse_bytes(source, data, tz, summary_length, root, language)
    return hashlib.sha1(data).hexdigest(), parsed, warnings


def parse_bytes(
    source: Source,
    data: bytes,
    tz: tzinfo,
    summary_length: int,
    root: Path | None = None,
    language: str = "en",
) -> tuple[Parsed, Warnings]:
    """The file's content to an Article, a Problem, or None for a draft, and warnings.

    This is the per-file boundary: whatever goes wrong reading one file is that file's
    Problem, never the end of the build. Known causes raise ArchiveError with their line;
    anything else is named, so it can be reported and fixed."""
    name = relative_name(source, root)
    reading = Reading(source.display, tz, summary_length, name, language=language)
    try:
        text = decode(data)
        parse = parse_text if source.kind == "text" else parse_markdown
        return parse(text, reading), tuple(reading.warnings)
    except Draft:
        return None, ()
    except ArchiveError as exc:
        return Problem(source.display, exc.line or 1, exc.message), ()
    except RecursionError:
        return Problem(source.display, 1, "nested too deeply to read"), ()
    except Exception as exc:
        message = f"cannot read this article ({type(exc).__name__}: {exc}); please report it"
        return Problem(source.display, 1, message), ()


def relative_name(source: Source, root: Path | None) -> str:
    """The file's path below the source folder, ``/``-separated: what URLs may depend on
    (the folder's own path, as typed, must not; see model.place_articles)."""
    path = str(source.path)
    if root is not None:
        prefix = os.path.join(str(root), "")
        if path.startswith(prefix):  # discovery joins names to the folder as given: quick
            path = path[len(prefix) :]
        else:
            with contextlib.suppress(ValueError):
                path = str(source.path.relative_to(root))
    return path.replace(os.sep, "/")
