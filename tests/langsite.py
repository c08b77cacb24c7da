"""Sites in other languages for the language tests (issue 16): the seed article (marked
``Lang: en``, as an English article in a Russian archive must be) and the short Russian,
Belarusian and Chinese articles of tests/data/languages, built with ``language`` set."""

from __future__ import annotations

from pathlib import Path

from newsarchive.build import build_site
from newsarchive.config import Config

from .conftest import SEEDS

LANGUAGE_ARTICLES = Path(__file__).resolve().parent / "data" / "languages"


def language_source(folder: Path) -> Path:
    """The seed (with ``Lang: en``) and tests/data/languages' articles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        text = seed.read_text("utf-8")
        (folder / seed.name).write_text(text.replace("\n", "\nLang: en\n", 1), "utf-8")
    for path in LANGUAGE_ARTICLES.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def build_language_site(folder: Path, language: str, **options: object) -> Path:
    """The site of :func:`language_source` with ``language``, in ``folder/site``."""
    source = language_source(folder / "articles")
    out = folder / "site"
    config = Config(language=language, timezone="Europe/Minsk", **options)  # type: ignore[arg-type]
    result = build_site(config, source, out, cache_dir=folder / "cache")
    assert result.ok, result.errors
    return out
