"""The theme a site is made with: its templates and static files.

A site may override the default theme file by file: an archive's own ``templates/`` and
``static/`` (beside ``archive.toml``, or wherever ``templates`` and ``static`` say) are
searched first, the default theme second, so copying one template and changing it changes
that template and nothing else (as MkDocs' ``custom_dir`` and Hugo's layout lookup do).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..resources import STATIC, TEMPLATES


@dataclass(frozen=True)
class Theme:
    """Folders of templates and of static files, each searched in order: a file in an
    earlier folder replaces the later folders' file of the same name."""

    templates: tuple[Path, ...] = (TEMPLATES,)
    static: tuple[Path, ...] = (STATIC,)

    @classmethod
    def of(cls, config: Config) -> Theme:
        """The site's own folders (those that exist) before the default theme's."""
        return cls(
            _overlay(config.path(config.templates), TEMPLATES),
            _overlay(config.path(config.static), STATIC),
        )

    @property
    def folders(self) -> tuple[Path, ...]:
        """Every folder the theme reads (for watching and for the output's overlap check)."""
        return (*self.templates, *self.static)


def _overlay(own: Path, default: Path) -> tuple[Path, ...]:
    if own.is_dir() and own.resolve() != default.resolve():
        return (own, default)
    return (default,)
