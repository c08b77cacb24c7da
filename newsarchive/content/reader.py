"""Reading every article file: parsing is a pure function of the file's bytes, so a bad file
becomes one ``Problem`` and never stops the rest of the archive."""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import operator
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from itertools import chain, repeat
from pathlib import Path

from ..changes import spliced, unchanged_ends
from ..errors import ArchiveError, Problem
from ..model import Article
from ..parallel import ForkedTasks, task_ranges
from .discovery import Source, stat_key
from .markdown import Draft, parse_markdown
from .plaintext import parse_text
from .values import Reading, decode


@dataclass
class ReadResult:
    """What the read stage found: the articles, the files it skipped (as Problems) and
    warnings about files it read, drafts, and a digest of every article's file (what later
    stages key their caches on). ``stats``: every source's :func:`.discovery.stat_key`, in
    the sources' order, each taken just before its file was read (a one-off build)."""

    articles: list[Article]
    problems: list[Problem]
    drafts: list[str]
    digests: dict[str, str] = field(default_factory=dict)
    stats: list[bytes] | None = field(default=None, compare=False)


Parsed = Article | Problem | None
Warnings = tuple[Problem, ...]


Row = tuple[tuple[int, int], str, Parsed, Warnings]  # (mtime and size, digest, parsed, warnings)
Forked = tuple[str, Parsed, Warnings, bytes]  # a forked read's (digest, parsed, warnings, stat)


@dataclass
class SourceCache:
    """Parse results kept between builds (``serve``): a file is parsed again only when its
    modification time or size changed. ``rows`` are those of ``order``, the last build's
    sources. Valid for one time zone, summary length, source folder and site language.
    ``keep=False`` (a one-off build): nothing is kept, and no file needs a stat."""

    keep: bool = True
    settings: tuple[object, ...] = ()
    order: list[Source] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    result: ReadResult | None = None  # the last build's, when every file was an article
    patched: int = 0  # results patched from the last (for tests)


@dataclass(frozen=True)
class _Patch:
    """The rows of a rebuild as :func:`_patched_rows` made them: the last build's except
    between ``head`` and ``len(rows) - tail`` and at ``looked`` (new positions)."""

    rows: list[Row]
    head: int
    tail: int
    looked: set[int]


# Past this many files come or gone, a rebuild looks at every file's row again.
FEW_SOURCES = 256


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
    meanwhile: Callable[[], None] | None = None,
) -> ReadResult:
    """Parse every source; a bad file becomes a Problem and the others still load.

    With a ``cache``, a file is parsed again only when its modification time or size
    changed; ``fresh``, when given, lists the only files that may have (see rediscover):
    then only they and the files that came are looked at. ``root``: the source folder,
    which each article's ``name`` is relative to; ``language``: the site's, for articles
    without ``Lang:``. A one-off build of many files parses them in ``jobs`` forked
    processes (the results are the same, in the same order); ``meanwhile``, if given, is
    then called once they have begun, with work for this process, which would otherwise
    only wait for them (it must not need what a forked child may be forked without: see
    :class:`.parallel.ForkedTasks`)."""
    cache = cache if cache is not None else SourceCache(keep=False)
    settings = (tz, summary_length, root, language)
    if cache.settings != settings:
        cache.settings, cache.order, cache.rows = settings, [], []

    def parse(source: Source) -> tuple[str, Parsed, Warnings]:
        return parse_with_digest(source, tz, summary_length, root, language)

    patch = None
    if cache.keep and fresh is not None and cache.order:
        patch = _patched_rows(cache, sources, fresh, parse)
    stats: list[bytes] = []
    if patch is None:
        rows = list(_rows(sources, cache, fresh, parse, jobs, progress, stats, meanwhile))
    else:
        rows = patch.rows
        if progress:
            progress(len(sources))
    result = _patched_result(cache, patch) if patch is not None else None
    if result is None:
        result = _result(sources, rows)
        result.stats = stats if len(stats) == len(sources) else None
    if cache.keep:
        cache.order, cache.rows = list(sources), rows
        cache.result = None if result.problems or result.drafts else result
    return result


_NO_STAMP = (-1, -1)


def _rows(
    sources: Sequence[Source],
    cache: SourceCache,
    fresh: Collection[Path] | None,
    parse: Callable[[Source], tuple[str, Parsed, Warnings]],
    jobs: int,
    progress: Callable[[int], None] | None,
    stats: list[bytes],
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[Row]:
    """Each source's row: parsed, or the last build's while its file is unchanged. A
    one-off build also puts each source's stat key in ``stats``, taken before its read."""
    tasks, forked = None, None
    if not cache.keep and jobs > 1 and len(sources) >= 2 * _TASK_SOURCES:
        tasks, forked = _parsed_in_forks(parse, sources, jobs)
    before = dict(zip((source.path for source in cache.order), cache.rows, strict=True))
    ordered = sources if forked is not None or before else read_ahead(sources)
    try:
        if tasks is not None and meanwhile is not None:
            meanwhile()
        for done, source in enumerate(ordered, 1):
            if forked is not None:
                digest, parsed, warnings, stat = next(forked)
                stats.append(stat)
                yield (_NO_STAMP, digest, parsed, warnings)
            elif not cache.keep or source.refused:  # (a refused link is not even stat'ed)
                if not cache.keep:  # (for the inputs record: before the read, see the forks)
                    stats.append(stat_key(source.path))
                yield (_NO_STAMP, *parse(source))
            else:
                row = before.get(source.path)
                yield _checked(source, row, fresh is None or source.path in fresh, parse)
            if progress and (done % 500 == 0 or done == len(sources)):
                progress(done)
    finally:
        if tasks is not None:
            tasks.close()  # the forks' thread ends here, not when the generator is collected


def _checked(
    source: Source,
    row: Row | None,
    may_have_changed: bool,
    parse: Callable[[Source], tuple[str, Parsed, Warnings]],
) -> Row:
    """The source's last row if its file is unchanged (it is not stat'ed unless it may
    have changed), else its file parsed again."""
    if row is not None and not may_have_changed:
        return row
    try:
        stat = source.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = _NO_STAMP
    return row if row is not None and row[0] == stamp else (stamp, *parse(source))


def _patched_rows(
    cache: SourceCache,
    sources: Sequence[Source],
    fresh: Collection[Path],
    parse: Callable[[Source], tuple[str, Parsed, Warnings]],
) -> _Patch | None:
    """The last build's rows with those of the files that came, went or may have changed
    made again; None when many came or went (then every row is looked at)."""
    old, rows = cache.order, cache.rows
    head, tail = unchanged_ends(old, sources)
    old_middle, new_middle = old[head : len(old) - tail], sources[head : len(sources) - tail]
    if len(old_middle) + len(new_middle) > FEW_SOURCES:
        return None
    kept = dict(zip(map(id, old_middle), rows[head : len(rows) - tail], strict=True))
    middle = [kept.get(id(source)) for source in new_middle]
    out = spliced(rows, head, len(rows) - tail, middle)
    look = {head + i for i, row in enumerate(middle) if row is None}
    for path in fresh:  # the watcher's paths, named as the sources are (see rediscover)
        at = bisect.bisect_left(sources, str(path), key=_display)
        if at < len(sources) and sources[at].path == path:
            look.add(at)
    for at in look:
        source = sources[at]
        if source.refused:
            out[at] = (_NO_STAMP, *parse(source))
        else:
            out[at] = _checked(source, out[at], True, parse)
    return _Patch(out, head, tail, look)  # type: ignore[arg-type]


def _patched_result(cache: SourceCache, patch: _Patch) -> ReadResult | None:
    """The last build's result with the patched rows' articles and digests put in (a pass
    over every row was 53 ms a rebuild at 100,000 articles); None unless every file, then
    and now, is an article without warnings (then :func:`_result` looks at every row)."""
    last, old, new = cache.result, cache.rows, patch.rows
    if last is None or len(last.articles) != len(old):
        return None
    stop, old_stop = len(new) - patch.tail, len(old) - patch.tail
    outside = [at for at in patch.looked if not patch.head <= at < stop]
    came = [*new[patch.head : stop], *map(new.__getitem__, outside)]
    if any(map(_WARNINGS, came)) or not all(isinstance(row[2], Article) for row in came):
        return None
    shift = old_stop - stop  # an unchanged row's old position, past the middle
    went = [*old[patch.head : old_stop], *(old[at if at < stop else at + shift] for at in outside)]
    articles = spliced(
        last.articles, patch.head, old_stop, list(map(_PARSED, new[patch.head : stop]))
    )
    digests = last.digests.copy()
    for row in went:
        del digests[row[2].path]  # type: ignore[union-attr]
    for at in outside:
        articles[at] = new[at][2]  # type: ignore[call-overload]
    for row in came:
        digests[row[2].path] = row[1]  # type: ignore[union-attr]
    cache.patched += 1
    return ReadResult(articles, [], [], digests)


_DIGEST, _PARSED, _WARNINGS = (operator.itemgetter(i) for i in (1, 2, 3))
_PATH = operator.attrgetter("path")


def _display(source: Source) -> str:
    return source.display


def _result(sources: Sequence[Source], rows: list[Row]) -> ReadResult:
    """The read stage's result from each source's row, in the sources' order."""
    parsed = list(map(_PARSED, rows))
    if not any(map(_WARNINGS, rows)) and all(map(isinstance, parsed, repeat(Article))):
        # Every file an article, no warnings (the usual archive): in C, for serve.
        digests = dict(zip(map(_PATH, parsed), map(_DIGEST, rows), strict=True))
        return ReadResult(parsed, [], [], digests)  # type: ignore[arg-type]
    result = ReadResult([], [], [])
    for source, (_, digest, parsed, warnings) in zip(sources, rows, strict=True):
        if warnings:
            result.problems += warnings
        if isinstance(parsed, Article):
            result.digests[parsed.path] = digest
            result.articles.append(parsed)
        elif isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            result.drafts.append(source.display)
    return result


# Sources per forked task, at least (a fork and a pickled result each), and at most (what one
# task's result holds at once before this process takes it).
_TASK_SOURCES = 2_000
_MOST_SOURCES = 20_000


def _parsed_in_forks(
    parse: Callable[[Source], tuple[str, Parsed, Warnings]], sources: Sequence[Source], jobs: int
) -> tuple[ForkedTasks[tuple[int, int], list[Forked]], Iterator[Forked]]:
    """``parse`` of each source in order, and its :func:`.discovery.stat_key` (for the
    build's inputs record: taken here, its inode just read, rather than in a serial pass
    before), in ``jobs`` forked processes: parsing was a serial tenth of a cold build, with
    the other core idle. The tasks (begun: close them) and their results, one a source."""
    ranges = task_ranges(len(sources), jobs, _TASK_SOURCES, _MOST_SOURCES)

    def work(bounds: tuple[int, int]) -> list[Forked]:
        out = []
        for source in read_ahead(sources[bounds[0] : bounds[1]]):
            stat = stat_key(source.path)  # before the read: a file changed after it differs
            out.append((*parse(source), stat))
        return out

    tasks = ForkedTasks(work, ranges, jobs)
    return tasks, chain.from_iterable(tasks.results())


# Files asked of the disk ahead of the one being parsed (see read_ahead).
READ_AHEAD = 64


def read_ahead(sources: Sequence[Source], window: int = READ_AHEAD) -> Iterator[Source]:
    """``sources`` in order, each file's reading started ``window`` files before its turn.

    Parsing reads one small file at a time, so from a cold disk the build waited for one
    read after another (170 of a million-article build's 1,156 s, 19 of them CPU).
    ``POSIX_FADV_WILLNEED`` only queues the read and returns, so many are in flight while
    the files before them are parsed; no thread is needed (the readers are forked)."""
    if not hasattr(os, "posix_fadvise"):
        yield from sources
        return
    for ahead in sources[:window]:
        _start_reading(ahead)
    for index, source in enumerate(sources, window):
        if index < len(sources):
            _start_reading(sources[index])
        yield source


def _start_reading(source: Source) -> None:
    """Ask the kernel to read the file into its cache now, without waiting for it."""
    if source.refused:  # never opened (a link leaving the folder, ...)
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO: no wait
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(descriptor)


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
