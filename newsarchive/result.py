"""What a build did (:class:`BuildResult`), for the command line's summary, ``serve`` and
the tests."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

from .errors import Problem
from .model import Archive

_PATH, _URL = operator.attrgetter("path"), operator.attrgetter("url")


@dataclass
class BuildResult:
    """What a build did, for the CLI summary and for tests."""

    articles: int = 0
    drafts: int = 0
    tags: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    # What was built (none when nothing changed), so that `serve` can follow a page whose
    # URL changed (an edited title changes the slug): see serve.moves.
    archive: Archive | None = field(default=None, repr=False, compare=False)

    @property
    def urls(self) -> dict[str, str]:
        """Source file -> site-relative URL of every article (a pass over all of them)."""
        articles = self.archive.articles if self.archive is not None else ()
        return dict(zip(map(_PATH, articles), map(_URL, articles), strict=True))

    # Files written or deleted (a rebuild reuses the rest of the previous site).
    changed: int = 0
    # Nothing changed since the build that made the site: it was left as it was.
    unchanged: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors
