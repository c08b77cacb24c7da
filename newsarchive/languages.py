"""The languages an archive may be written in: one list, for the config check and the
search stage (each has a lunr.js-exact text pipeline, see :mod:`.search.textpipe`)."""

from __future__ import annotations

SUPPORTED = ("en",)


def base_code(code: str) -> str | None:
    """The supported language a code names (``en``, ``en-GB``, ``EN_us`` -> ``en``), or None."""
    key = code.strip().lower().replace("_", "-")
    for candidate in (key, key.split("-", 1)[0]):
        if candidate in SUPPORTED:
            return candidate
    return None
