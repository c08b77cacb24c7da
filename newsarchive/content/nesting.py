"""How deeply a Markdown body nests, measured before it is converted.

Python-Markdown recurses once per level of lists and quotes, and nh3's HTML tree builder
slows down sharply with depth: one hostile file of 1,500 nested list items took 42 s (and
2 GB) to end in a RecursionError, 100,000 nested ``<div>`` 15 s in the sanitiser. No real
article nests anywhere near these bounds, so a body past them is refused at once, at the
line where it goes too deep.
"""

from __future__ import annotations

import re

MAX_LEVELS = 50  # list and quote levels (a list level is 4 columns of indentation)
MAX_HTML_DEPTH = 100  # open HTML elements at once

_QUOTES = re.compile(r"[ \t]*(?:>[ \t]*)+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
# Elements that never hold others, and those whose end tag HTML lets an author leave out:
# neither may count as a level, or ordinary HTML would look deep.
_FLAT = frozenset(
    "area base br col embed hr img input link meta source track wbr "
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp".split()
)


def too_deep(body: str) -> tuple[int, str] | None:
    """The 1-based line of ``body`` where it first nests past the bounds, and why; or None."""
    for number, line in enumerate(body.split("\n"), 1):
        stripped = line.lstrip(" \t")
        if stripped and len(line[: len(line) - len(stripped)].expandtabs(4)) > 4 * MAX_LEVELS:
            return number, f"indented more than {MAX_LEVELS} list levels"
        quotes = _QUOTES.match(line)
        if quotes and quotes.group().count(">") > MAX_LEVELS:
            return number, f"quotes nested more than {MAX_LEVELS} levels"
    if "<" not in body:
        return None
    depth = 0
    for match in _TAG.finditer(body):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _FLAT:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > MAX_HTML_DEPTH:
            line = body.count("\n", 0, match.start()) + 1
            return line, f"HTML elements nested more than {MAX_HTML_DEPTH} levels"
    return None
