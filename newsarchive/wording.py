"""How messages for people read: counts ("1 article", "20,841 articles") and which of a
build's problems are shown (the command line and ``serve`` show the same)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Problem

# Warnings shown after a build unless every one is asked for (--verbose).
WARNINGS_SHOWN = 10


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in the number it needs (``nouns``: when not noun + "s")."""
    word = noun if count == 1 else (nouns or noun + "s")
    return f"{count:,} {word}"


def shown_problems(
    problems: Sequence[Problem], quiet: bool = False, verbose: bool = False
) -> tuple[list[Problem], str]:
    """The problems to show, and how a summary counts the warnings ("" when there are none,
    else e.g. "488 warnings, 10 shown; --verbose for all"): every error; the warnings unless
    ``quiet``, the first WARNINGS_SHOWN unless ``verbose``."""
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level != "error"]
    shown = [] if quiet else warnings if verbose else warnings[:WARNINGS_SHOWN]
    if not warnings:
        return errors, ""
    counted = plural(len(warnings), "warning")
    if len(shown) < len(warnings) and not quiet:
        counted += f", {len(shown):,} shown; --verbose for all"
    return [*errors, *shown], counted
