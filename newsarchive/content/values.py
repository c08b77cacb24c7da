"""What both article formats share: decoding the file, reading dates, tags and summaries."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from ..errors import ArchiveError, Problem
from ..languages import base_code, supported_list
from ..slugs import site_path_problem

# Control characters (not tab or newline) are invalid in HTML and XML output: dropped on read.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


@dataclass
class Reading:
    """What a parser needs besides the text: how messages name the file, its path below the
    source folder (``Article.name``), the site's zone and summary length, the language of
    articles without ``Lang:`` (the site's); and the warnings about the file (it is read all
    the same)."""

    display: str
    tz: tzinfo
    summary_length: int
    name: str = ""
    warnings: list[Problem] = field(default_factory=list)
    language: str = "en"

    def lang(self, value: str | None, line: int) -> str:
        """The supported base code ``value`` names (``ru-RU`` -> ``ru``), or the site's when
        there is none; anything else is an error on ``line``, so a typo cannot mislabel a page
        (screen readers and hyphenation follow it)."""
        if value is None or not value.strip():
            return self.language
        code = base_code(value)
        if code is None:
            raise ArchiveError(
                f"unknown language {value.strip()!r} in 'Lang:' ({supported_list()})", line=line
            )
        return code

    def aliases(self, values: list[Any], line: int) -> tuple[str, ...]:
        """The old site paths of ``Aliases:`` / ``aliases:``, as Hugo reads them: from the
        site's root (a leading ``/`` is dropped, so it works under a sub-path too), a
        folder unless it names an ``.html`` file. A bad one is a warning on ``line`` and
        skipped: the article is still published."""
        paths: dict[str, None] = {}
        for value in values:
            if not isinstance(value, str):
                self.warn(line, f"alias {value!r} is not a string; skipped")
                continue
            if not value.strip():
                continue
            path = value.strip().lstrip("/")
            if path and "." not in path.rsplit("/", 1)[-1]:
                path = path.rstrip("/") + "/"
            why = site_path_problem(path)
            if why is None:
                paths[path] = None
            else:
                self.warn(line, f"alias {value.strip()!r} {why}; skipped")
        return tuple(paths)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.display, line, message, "warning"))

    def date(self, value: Any, line: int) -> datetime:
        """:func:`parse_date` in the site's zone; a skipped local time is a warning on ``line``."""
        notes: list[str] = []
        posted = parse_date(value, self.tz, notes)
        for note in notes:
            self.warn(line, note)
        return posted


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional), any newline convention; binary and bad bytes are located errors."""
    if b"\x00" in data[:8192]:
        raise ArchiveError("binary file (contains NUL bytes), not a text article", line=1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise ArchiveError(
            f"not valid UTF-8: byte 0x{data[start]:02x} at column {column} ({exc.reason}); "
            "save the file as UTF-8",
            line=line,
        ) from None
    text = CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ArchiveError("empty file", line=1)
    return text


# Years an article may be dated in. The top: every moment of 9998, at any UTC offset, stays a
# valid datetime in UTC and in the site's zone (Python's last day is 31.12.9999). The bottom:
# the same margin below (UTC, and the search index's slots count from the start of the oldest
# article's decade), and a year below 100 is a typo far more often than a date.
FIRST_YEAR, LAST_YEAR = 100, 9998


def parse_date(value: Any, tz: tzinfo, notes: list[str] | None = None) -> datetime:
    """``DD.MM.YYYY[ HH:MM[:SS]]`` or ISO 8601; naive times are read in the site's zone.

    A local time that the zone skips (clocks going forward) is read as the same time on the
    old offset, which the clock shows an hour later, and noted in ``notes``; a local time
    that happens twice is the first (PEP 495 ``fold=0``). Dates outside FIRST_YEAR to
    LAST_YEAR are refused, so later UTC and slot arithmetic cannot overflow."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_date_string(value.strip())
    else:
        raise ValueError(f"expected a date, not {type(value).__name__}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(
            f"date {_shown(value)} is out of range (years {FIRST_YEAR} to {LAST_YEAR} supported)"
        )
    if parsed.tzinfo is not None:
        return parsed.astimezone(tz)
    local = parsed.replace(tzinfo=tz)
    before, after = local.utcoffset(), local.replace(fold=1).utcoffset()
    if before is None or after is None or before >= after:
        return local  # the usual case; or the first of a time that happens twice (fold=0)
    # In a gap (PEP 495), fold=0 reads the time on the offset before the clocks went forward.
    shown = local.astimezone(UTC).astimezone(tz)
    if notes is not None:
        notes.append(
            f"{parsed:%H:%M} on {parsed:%d.%m.%Y} does not exist in {tz} (clocks went "
            f"forward); read as {shown:%H:%M} {shown.tzname()}"
        )
    return shown


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else repr(str(value))


# The reference format's usual shape, read without strptime (a fifth of parsing a file).
_DOTTED = re.compile(r"(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d)", re.ASCII)


def _parse_date_string(text: str) -> datetime:
    """What the first of DATE_FORMATS or ISO 8601 that fits makes of ``text``. A dotted
    format never reads an ISO date nor the reverse (a year comes first there, and a day
    has at most two digits), so ISO is tried first: strptime's failures cost more."""
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day, month, year, hour, minute, second = map(int, dotted.groups())
        with contextlib.suppress(ValueError):  # strptime decides what an invalid one says
            return datetime(year, month, day, hour, minute, second)
    elif text[:4].isdigit():
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text.replace("z", "Z"))
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(
            f"unparseable date {text!r} (expected DD.MM.YYYY HH:MM:SS, DD.MM.YYYY HH:MM, "
            "DD.MM.YYYY or ISO 8601)"
        ) from None


def split_tags(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))


def summarize(explicit: str, body_text: str, length: int) -> str:
    """The given summary, or the first paragraph cut at a word boundary."""
    if explicit:
        return explicit
    first = body_text.split("\n\n", 1)[0].strip()
    if len(first) <= length:
        return first
    cut = first[:length].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"
