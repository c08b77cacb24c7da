"""The languages an archive may be written in: one list, for the config check, the read stage
(``Lang:``), the tags stage (stemming place names) and the search stage (each has a
lunr.js-exact text pipeline, see :mod:`..search.textpipe`)."""

from __future__ import annotations

# Code -> English name. lunr-languages has a stemmer for each of the first fifteen; Belarusian
# and Ukrainian have none (trimmer and stop words only); Chinese, Japanese and Korean are cut
# into overlapping character pairs (lunr-languages' own pipelines need a native module).
NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Russian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sv": "Swedish",
    "fi": "Finnish",
    "no": "Norwegian",
    "da": "Danish",
    "hu": "Hungarian",
    "ro": "Romanian",
    "tr": "Turkish",
    "be": "Belarusian",
    "uk": "Ukrainian",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
}
SUPPORTED: tuple[str, ...] = tuple(NAMES)
# Other codes people write for a supported language.
ALIASES = {"nb": "no", "nn": "no", "by": "be", "ua": "uk", "cn": "zh", "jp": "ja", "kr": "ko"}


def base_code(code: str) -> str | None:
    """The supported language a code names (``en``, ``en-GB``, ``RU_ru`` -> ``en``/``ru``)."""
    key = code.strip().lower().replace("_", "-")
    for candidate in (key, key.split("-", 1)[0]):
        candidate = ALIASES.get(candidate, candidate)
        if candidate in NAMES:
            return candidate
    return None


def supported_list() -> str:
    """The codes as an error names them: ``supported: en (English), ru (Russian), ...``."""
    return "supported: " + ", ".join(f"{code} ({name})" for code, name in NAMES.items())
