"""Where the files that come with newsarchive are: the default theme and the project root.

In a source checkout the theme is the project's own ``templates/`` and ``static/``; an
installed wheel carries them inside the package (``pyproject.toml`` maps them there).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The checkout this package runs from (meaningless in an installed wheel, which needs none).
PROJECT_ROOT = PACKAGE.parent


def _theme_folder(name: str) -> Path:
    packaged = PACKAGE / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


TEMPLATES = _theme_folder("templates")
STATIC = _theme_folder("static")
