"""The one exception type for problems a user can fix, and the records of skipped input."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


class ArchiveError(Exception):
    """A user-facing error: the CLI prints it as ``path:line: message`` and exits 1.

    Library code raises this (never prints or exits) so callers decide how to report.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        # Set by ``several``; not ``(self,)`` here: an error holding itself is a reference
        # cycle, and its traceback's frames (a whole read stage's) stayed until the end of
        # the build, which pauses the cyclic collector.
        self._parts: tuple[ArchiveError, ...] = ()

    @property
    def parts(self) -> tuple[ArchiveError, ...]:
        """One error per bad thing found (see ``several``): a user fixes them all in one go."""
        return self._parts or (self,)

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)

    def __reduce__(self) -> tuple[type[ArchiveError], tuple[str, str | None, int | None]]:
        # Keeps path and line when a build worker process sends the error back.
        return type(self), (self.message, self.path, self.line)


def format_location(path: str | None, line: int | None, message: str) -> str:
    """Render the conventional ``path:line: message`` form (parts omitted when unknown)."""
    if path is None:
        return message
    path = shown_path(path)
    if line is None:
        return f"{path}: {message}"
    return f"{path}:{line}: {message}"


def several(errors: Sequence[ArchiveError]) -> ArchiveError:
    """One error to raise for all of ``errors``: its text is theirs, a line each, and
    ``parts`` keeps them so the CLI can prefix each line."""
    if len(errors) == 1:
        return errors[0]
    combined = ArchiveError("\n".join(str(error) for error in errors))
    combined._parts = tuple(errors)
    return combined


# Control characters (C0, DEL, C1), undecodable bytes (surrogateescape) and line breaks.
_ODD = frozenset({"Cc", "Cs", "Zl", "Zp"})


def shown_path(path: str) -> str:
    """``path`` as messages show it: as it is, or quoted with escapes (Python's repr) when it
    holds a control character or bytes that are not UTF-8. A newline must not split a
    ``path:line:`` message, an escape sequence must not reach the terminal, and a lone
    surrogate cannot be encoded for a browser; Cyrillic and the like stay as they are."""
    if path.isascii() and path.isprintable():
        return path
    if any(unicodedata.category(char) in _ODD for char in path):
        return repr(path)
    return path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing the build noticed about an input file; kept as data so tests can assert it.

    ``level`` is ``"error"`` (the file was skipped) or ``"warning"`` (it was built anyway,
    or left out on purpose, as a link leaving the source folder is).
    """

    path: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return format_location(self.path, self.line, prefix + self.message)
