"""The user's settings: ``archive.toml`` (every option declared once with its type, default
and meaning) and the tag rules of ``tags.toml``. Imports no stage: stages import it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ArchiveError
from .languages import base_code, supported_list
from .tomlfile import Key, problems_error, read_toml

# The kinds of tag, in the order pages list them (what ``tags.toml`` may declare).
KINDS = ("person", "place", "organisation", "topic")
AUTO_TAGS = ("missing", "always", "never")


@dataclass(frozen=True)
class TagRules:
    """``tags.toml``: aliases (variant -> tag, compared case-insensitively), declared kinds,
    and tags never to use. Tuples, so a config holding it stays hashable and printable."""

    aliases: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    never: tuple[str, ...] = ()
    home: str = ""  # the place of articles that name none (a wire service's home country)

    def alias_map(self) -> dict[str, str]:
        return {variant.casefold(): name for variant, name in self.aliases}

    def kind_map(self) -> dict[str, str]:
        return {name.casefold(): kind for name, kind in self.kinds}


def load_rules(path: Path) -> TagRules:
    """Read ``tags.toml``; a missing file means no rules. Raises ArchiveError naming every
    bad key and its line."""
    if not path.exists():
        return TagRules()
    data, text = read_toml(path, "tag rules")
    problems: list[tuple[Key, str]] = []
    for key in data:
        if key not in ("aliases", "kinds", "never", "home"):
            problems.append((key, f"unknown key {key!r} (known: aliases, kinds, never, home)"))
    aliases: list[tuple[str, str]] = []
    for name, variants in _table(data, "aliases", problems).items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            problems.append((("aliases", name), f"aliases: {name!r} must be a list of names"))
        else:
            aliases += [(v, name) for v in variants if v.strip()]
    kinds = _table(data, "kinds", problems)
    for name, kind in kinds.items():
        if kind not in KINDS:
            message = f"kinds: {name!r} must be one of {', '.join(KINDS)}"
            problems.append((("kinds", name), message))
    never = data.get("never") or []
    if not isinstance(never, list) or not all(isinstance(v, str) for v in never):
        problems.append(("never", "never: must be a list of tag names"))
    home = data.get("home", "")
    if not isinstance(home, str):
        problems.append(("home", "home: must be a place's name"))
    if problems:
        raise problems_error(path, text, problems)
    return TagRules(
        tuple(sorted(aliases)), tuple(sorted(kinds.items())), tuple(sorted(never)), home
    )


def _table(data: dict[str, Any], key: str, problems: list[tuple[Key, str]]) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append((key, f"{key}: must be a table ([{key}] with one 'name = ...' a line)"))
        return {}
    return value


def _opt(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


SEARCH_INDEX_MODES = ("sharded", "monolithic")


@dataclass(frozen=True)
class Config:
    """Site settings. Paths are relative to ``folder``, the config file's folder."""

    title: str = _opt("News Archive", "Site title shown in the header, feeds and metadata.")
    description: str = _opt(
        "A searchable archive of news articles.", "Meta description of the home page."
    )
    base_url: str = _opt(
        "http://127.0.0.1:8000/",
        "Absolute URL the site is published at (may include a sub-path); used for canonical "
        "links, feeds, the sitemap and the 404 page. Other pages link relatively, so the site "
        "also works from another place and from disk.",
    )
    language: str = _opt(
        "en",
        "Language of the site and of articles without a Lang: line (the HTML lang, the "
        "interface strings, dates and the search pipeline): a code such as en, ru, be, de.",
    )
    timezone: str = _opt(
        "UTC", "IANA time zone in which dates without an offset are read and shown."
    )
    per_page: int = _opt(20, "Articles per listing page (home, tags, dates).")
    feed_size: int = _opt(20, "Newest articles in each Atom feed.")
    summary_length: int = _opt(280, "Characters of the first paragraph used as a summary.")
    source: str = _opt("seeds", "Folder of articles (--source overrides it).")
    output: str = _opt("site", "Folder the site is written to (--out overrides it).")
    cache_dir: str = _opt(
        ".newsarchive-cache",
        "Folder for what a rebuild reuses (--cache-dir overrides it); safe to delete.",
    )
    templates: str = _opt(
        "templates",
        "Folder of templates that replace the default theme's of the same name; optional.",
    )
    static: str = _opt(
        "static",
        "Folder of files copied into the site's static/, replacing the default theme's of "
        "the same name; optional.",
    )
    search_index: str = _opt(
        "sharded",
        '"sharded": the search page loads only the index parts a query needs (large sites); '
        '"monolithic": one lunr index loaded whole before the first search (simplest, fine '
        "for a few thousand articles).",
    )
    auto_tags: str = _opt(
        "missing",
        'Tags found in the text (people, places, organisations, topics): "missing" for '
        'articles without tags of their own, "always" for every article (added to its own), '
        '"never" to turn them off.',
    )
    related: int = _opt(
        5, "Related articles listed on each article page (most similar text and tags); 0: none."
    )
    tags_file: str = _opt("tags.toml", "Tag rules (aliases, kinds, tags never to use); optional.")
    data: bool = _opt(
        True,
        "Offer the archive as data: data/articles.csv, data/articles.jsonl (with the text), "
        "data/tags.csv and a /data/ page describing them; false: none of them.",
    )
    data_license: str = _opt(
        "",
        "Terms under which you share the data files, shown on the /data/ page (e.g. "
        '"CC BY 4.0"); empty: the page says no terms are stated.',
    )
    # Not keys of archive.toml: where the file was, and what ``tags_file`` says.
    # (Not in repr, the build's salt: an archive moved elsewhere builds the same pages.)
    folder: Path = field(default=Path(), compare=False, repr=False)
    tag_rules: TagRules = field(default_factory=TagRules)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def site_language(self) -> str:
        """``language`` as its supported base code (``ru-RU`` -> ``ru``): what pages, dates and
        articles without ``Lang:`` use."""
        return base_code(self.language) or "en"

    @property
    def site_url(self) -> str:
        """``base_url`` with exactly one trailing slash."""
        return self.base_url.rstrip("/") + "/"

    def absolute(self, path: str) -> str:
        """The public URL of a site-relative path such as ``2023/04/10/slug/``."""
        return self.site_url + path.lstrip("/")

    def path(self, value: str) -> Path:
        """A path setting (``source``, ``output``, ...) relative to the config's folder."""
        return self.folder / value


OPTIONS = {f.name: f for f in fields(Config) if "doc" in f.metadata}
CHOICES = {"search_index": SEARCH_INDEX_MODES, "auto_tags": AUTO_TAGS}


def validate(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Check raw TOML values; return ``(key, message)`` pairs, empty when all is well.
    Every bad key is reported: a wrong type only keeps that key's value from being checked."""
    problems: list[tuple[str, str]] = []
    for key, value in values.items():
        if key not in OPTIONS:
            problems.append((key, f"unknown key {key!r} (known: {', '.join(OPTIONS)})"))
            continue
        expected = type(OPTIONS[key].default)
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append((key, f"{key!r} must be an integer, not {type(value).__name__}"))
        elif expected is str and not isinstance(value, str):
            problems.append((key, f"{key!r} must be a string, not {type(value).__name__}"))
        elif expected is bool and not isinstance(value, bool):
            problems.append((key, f"{key!r} must be true or false, not {type(value).__name__}"))
    typed = {key: value for key, value in values.items() if key not in dict(problems)}
    return problems + _check_values(typed)


def _check_values(values: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    tz = values.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(("timezone", f"'timezone': unknown time zone {tz!r}"))
    for key in ("per_page", "feed_size", "summary_length"):
        if key in values and values[key] < 1:
            problems.append((key, f"{key!r} must be at least 1"))
    if not 0 <= values.get("related", 0) <= 20:
        problems.append(("related", "'related' must be between 0 and 20"))
    language = values.get("language")
    if language is not None and base_code(language) is None:
        problems.append(
            (
                "language",
                f"'language': unknown language {language!r} ({supported_list()})",
            )
        )
    for key, allowed in CHOICES.items():
        value = values.get(key)
        if key in values and value not in allowed:
            choices = ", ".join(repr(m) for m in allowed)
            problems.append((key, f"{key!r} must be one of {choices}, not {values[key]!r}"))
    url = values.get("base_url")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(("base_url", "'base_url' must be an absolute http(s) URL"))
    return problems


def load_config(path: Path | None) -> Config:
    """Read ``archive.toml`` (and the ``tags_file`` it names); a missing ``archive.toml``
    means defaults. Raises ArchiveError naming the file, and every bad key with its line."""
    folder = path.parent if path is not None else Path()
    if path is None or not path.exists():
        if path is not None and path.name != "archive.toml":
            raise ArchiveError("config file not found", str(path))
        return Config(folder=folder, tag_rules=load_rules(folder / Config.tags_file))
    values, text = read_toml(path, "config")
    problems = validate(values)
    if problems:
        raise problems_error(path, text, problems)
    rules = load_rules(folder / values.get("tags_file", Config.tags_file))
    return replace(Config(), **values, folder=folder, tag_rules=rules)


def options_table() -> str:
    """The README's table of ``archive.toml`` keys, made from :data:`OPTIONS` (name, default,
    doc), so the documentation cannot drift from the declaration. Markdown, one row a key."""
    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    for name, option in OPTIONS.items():
        default = option.default
        shown = json.dumps(default)  # as TOML writes it: "text", 20
        doc = option.metadata["doc"].replace("|", "\\|")
        rows.append(f"| `{name}` | `{shown}` | {doc} |")
    return "\n".join(rows) + "\n"
