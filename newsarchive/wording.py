"""How counts read in messages for people: "1 article", "2 articles", "20,841 articles"."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun in the number it needs (``nouns``: when not noun + "s")."""
    word = noun if count == 1 else (nouns or noun + "s")
    return f"{count:,} {word}"
