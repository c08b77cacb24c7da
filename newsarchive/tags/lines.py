"""Which lines of an English article's text can hold names: capitals say nothing in an
all-capitals line, a wire dateline or a row of figures."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A wire dateline: the place in capitals and a dash opening a line ("NEW YORK - Texaco
# said"); read as words, its last one was an acronym (an organisation "YORK").
_DATELINE = re.compile(r"^[A-Z][A-Z.'\- ]*[A-Z.] +[-–—] +")
_NUMBER = re.compile(r"[-+]?[\d.,/]*\d[\d.,/%]*|-{2,}")
_SENTENCE_ENDS = (".", '"', "”", ")", ":", ";")


def table_row(line: str) -> bool:
    """A row of figures ("Lou Gulf 1.81 --- 5.29", "Argentine Plate Apl 133 unch"): no
    sentence, so its capitalised words are labels, not names."""
    figures = sum(1 for word in line.split() if _NUMBER.fullmatch(word))
    return figures >= 2 and not line.rstrip().endswith(_SENTENCE_ENDS)


def name_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` to look for names in, without their datelines."""
    for line in text.split("\n"):
        if not line.isupper() and not table_row(line):
            yield _DATELINE.sub("", line)
