"""Belarusian in Latin letters for URLs: BGN/PCGN 1979 (``Гродна`` -> ``hrodna``,
``Магілёў`` -> ``mahilyow``, ``Віцебск`` -> ``vitsyebsk``), in plain ASCII.

Only articles whose language is ``be`` use it: python-slugify's general Cyrillic scheme reads
Belarusian as Russian (``г`` -> ``g``, ``ў`` -> ``u``), and Russian and English archives must
keep every URL they have.
"""

from __future__ import annotations

# BGN/PCGN 1979 for Belarusian, letter by letter (``е`` is ``ye`` everywhere, as in
# Vitsyebsk and Homyel'); the soft sign and the apostrophe are left out of a URL.
BELARUSIAN = str.maketrans(
    {
        **dict(zip("абвгґдзійклмнопрстуўфыэ", "abvhgdziyklmnoprstuwfye", strict=True)),
        **{"е": "ye", "ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh"},
        **{"ю": "yu", "я": "ya", "ь": "", "'": "", "’": "", "ʼ": ""},
    }
)


def romanise_belarusian(text: str) -> str:
    """``У Мінску`` -> ``u minsku``: lower case, Cyrillic letters in BGN/PCGN's Latin ones;
    anything else (digits, Latin, punctuation) as it was."""
    return text.lower().translate(BELARUSIAN)
