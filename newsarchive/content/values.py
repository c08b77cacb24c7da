"""What both article formats share: decoding the file, reading dates, tags and summaries."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Any

from ..errors import ArchiveError

# Control characters (not tab or newline) are invalid in HTML and XML output: dropped on read.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


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


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """``DD.MM.YYYY[ HH:MM[:SS]]`` or ISO 8601; naive times are read in the site's zone."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_date_string(value.strip())
    else:
        raise ValueError(f"expected a date, not {type(value).__name__}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def _parse_date_string(text: str) -> datetime:
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
