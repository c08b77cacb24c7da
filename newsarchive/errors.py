"""The one exception type for problems a user can fix, and the records of skipped input."""

from __future__ import annotations

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

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)

    def __reduce__(self) -> tuple[type[ArchiveError], tuple[str, str | None, int | None]]:
        # Keeps path and line when a build worker process sends the error back.
        return type(self), (self.message, self.path, self.line)


def format_location(path: str | None, line: int | None, message: str) -> str:
    """Render the conventional ``path:line: message`` form (parts omitted when unknown)."""
    if path is None:
        return message
    if line is None:
        return f"{path}: {message}"
    return f"{path}:{line}: {message}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing the build noticed about an input file; kept as data so tests can assert it.

    ``level`` is ``"error"`` (the file was skipped) or ``"warning"`` (it was built anyway).
    """

    path: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return format_location(self.path, self.line, prefix + self.message)
