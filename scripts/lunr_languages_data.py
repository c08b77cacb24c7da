"""Write newsarchive/search/lunrlangdata.py from the vendored lunr-languages files.

The word characters of each trimmer and the stop word lists are read by running the vendored
JavaScript under Node (lunr.generateStopWordFilter is wrapped to see the list it is given), so
the Python data is the JavaScript's own, never a hand copy. ``--check`` only compares
(tests/test_lunr_languages.py runs it).

    python scripts/lunr_languages_data.py [--check]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "newsarchive" / "search" / "vendor"
OUTPUT = ROOT / "newsarchive" / "search" / "lunrlangdata.py"
CODES = ("ru", "de", "fr", "es", "it", "pt", "nl", "sv", "fi", "no", "da", "hu", "ro", "tr")

EXTRACT = r"""
const path = require('path');
const [vendor, codes] = [process.argv[1], process.argv[2].split(',')];
const lunr = require(path.join(vendor, 'lunr.js'));
require(path.join(vendor, 'lunr-languages', 'lunr.stemmer.support.js'))(lunr);
const generate = lunr.generateStopWordFilter;
let seen = null;
lunr.generateStopWordFilter = function (words) { seen = words.slice(); return generate(words); };
const out = {};
for (const code of codes) {
  seen = null;
  require(path.join(vendor, 'lunr-languages', 'lunr.' + code + '.js'))(lunr);
  out[code] = {wordCharacters: lunr[code].wordCharacters, stopWords: seen};
}
process.stdout.write(JSON.stringify(out));
"""

HEADER = '''"""lunr-languages 1.22.0's data, read from its vendored files by a script.

Do not edit: run scripts/lunr_languages_data.py. WORD_CHARACTERS is each language's
``lunr.<code>.wordCharacters`` (the trimmer's character class, to which generateTrimmer adds
``0-9``); STOP_WORDS each list given to ``lunr.generateStopWordFilter``, in its order, exactly
(ru's ends with ``"\\\\ufeffа"``).
"""

'''


def extract() -> dict[str, dict[str, object]]:
    """Each language's wordCharacters and stop word list, as Node reads the vendored files."""
    proc = subprocess.run(
        ["node", "-e", EXTRACT, str(VENDOR), ",".join(CODES)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def literal(text: str, ascii_only: bool = False) -> str:
    """A double-quoted Python literal: printable characters as they are (or only ASCII ones,
    as the JavaScript writes its character classes), others escaped."""
    out = []
    for char in text:
        if char in '"\\' or not char.isprintable() or (ascii_only and not char.isascii()):
            out.append(f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def wrapped(words: list[str], width: int = 84) -> list[str]:
    """The words joined by spaces, cut into literals of about ``width`` characters."""
    lines: list[str] = []
    current = ""
    for i, word in enumerate(words):
        piece = word + (" " if i < len(words) - 1 else "")
        if current and len(current) + len(piece) > width:
            lines.append(current)
            current = ""
        current += piece
    lines.append(current)
    return [literal(line) for line in lines]


def class_pieces(chars: str, per_piece: int = 6) -> list[str]:
    """A character class cut between its items (a character or a range), never inside one."""
    items: list[str] = []
    i = 0
    while i < len(chars):
        size = 3 if chars[i + 1 : i + 2] == "-" and i + 2 < len(chars) else 1
        items.append(chars[i : i + size])
        i += size
    return ["".join(items[k : k + per_piece]) for k in range(0, len(items), per_piece)]


def render(data: dict[str, dict[str, object]]) -> str:
    out = [HEADER, "from __future__ import annotations\n\n"]
    # Thirteen languages share one class (Latin): each distinct class is written once.
    names: dict[str, str] = {}
    for code in CODES:
        chars = str(data[code]["wordCharacters"])
        if chars not in names:
            names[chars] = f"_{code.upper()}_CHARACTERS"
            out.append(f"{names[chars]} = (\n")
            out.extend(f"    {literal(piece, ascii_only=True)}\n" for piece in class_pieces(chars))
            out.append(")\n")
    out.append("\nWORD_CHARACTERS: dict[str, str] = {\n")
    for code in CODES:
        out.append(f'    "{code}": {names[str(data[code]["wordCharacters"])]},\n')
    out.append("}\n\n")
    out.append("# Each list as the JavaScript writes it: one string split on single spaces.\n")
    out.append("STOP_WORDS: dict[str, tuple[str, ...]] = {\n")
    for code in CODES:
        words = list(data[code]["stopWords"])  # type: ignore[call-overload]
        assert all(" " not in word for word in words), code
        out.append(f'    "{code}": tuple(\n        (\n')
        out.extend(f"            {line}\n" for line in wrapped(words))
        out.append('        ).split(" ")\n    ),\n')
    out.append("}\n")
    return formatted("".join(out))


def formatted(source: str) -> str:
    """The source as ``ruff format`` writes it (the project's style, checked by make lint)."""
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run(
        [str(ruff), "format", "--stdin-filename", str(OUTPUT), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return proc.stdout


def main(argv: list[str]) -> int:
    data = extract()
    text = render(data)
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} differs from the vendored lunr-languages; run {sys.argv[0]}")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
