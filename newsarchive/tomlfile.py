"""Reading a TOML settings file so that every message names the line, as ``path:line:``
does for articles: editors jump to it, and a user fixes all the bad keys in one go."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ArchiveError, several

# tomllib puts the place at the end of its message (Python 3.11 has no lineno attribute).
_PLACE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"""^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*[=.]""")


def read_toml(path: Path, what: str) -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ArchiveError ``path:line: invalid TOML: ...`` or
    ``path: cannot read <what>: ...``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read {what}: {exc}", str(path)) from exc
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _PLACE.search(message)
        if place is None:
            raise ArchiveError(f"invalid TOML: {message}", str(path)) from exc
        message = message[: place.start()]
        if place.group(1):
            line, where = int(place.group(1)), f" (column {place.group(2)})"
        else:  # the parser ran off the end: an unclosed string, table or array
            line, where = max(1, len(text.splitlines())), " (at the end of the file)"
        raise ArchiveError(f"invalid TOML: {message}{where}", str(path), line) from exc


def key_line(text: str, key: str, table: str = "") -> int | None:
    """The line that sets ``key`` (top-level, or in ``[table]``), None if none plainly does.

    A key that is itself a table is found by its ``[key]`` header or dotted ``key.x =``."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            current = ".".join(_unquote(part.strip()) for part in header.group(1).split("."))
            if not table and current.split(".")[0] == key:
                return number
            continue
        found = _KEY.match(stripped)
        if found and current == table and _unquote(found.group(1)) == key:
            return number
    return None


def _unquote(name: str) -> str:
    return name[1:-1] if len(name) > 1 and name[0] == name[-1] and name[0] in "\"'" else name


# A top-level key, or (table, key) for one inside ``[table]``.
Key = str | tuple[str, str]


def problems_error(path: Path, text: str, problems: Sequence[tuple[Key, str]]) -> ArchiveError:
    """One ArchiveError for every ``(key, message)``, each at the key's line if found, in the
    file's order."""
    errors = []
    for key, message in problems:
        table, name = key if isinstance(key, tuple) else ("", key)
        line = key_line(text, name, table) if table else None
        errors.append(ArchiveError(message, str(path), line or key_line(text, table or name)))
    return several(sorted(errors, key=lambda error: error.line or 0))
