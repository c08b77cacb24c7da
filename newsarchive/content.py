"""The read stage: article files in, ``Article`` objects (or located problems) out.

Two formats: the plain-text reference format (``Key: value`` header, blank line, title,
paragraphs) and Markdown with YAML front matter. Parsing is a pure function of the file's
bytes, so a bad file becomes one ``Problem`` and never stops the rest of the archive.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import os
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import markdown
import nh3
import yaml

from .errors import ArchiveError, Problem
from .model import Article

SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
HEADER_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_ -]*?)\s*:\s*(.*?)\s*$")
CREDIT_RE = re.compile(
    r"^(photo|photos|foto|video|image|images|illustration|graphics|infographics|source|text|"
    r"фото|видео|источник|текст)\s*:\s*(\S.*)$",
    re.IGNORECASE,
)
DOMAIN_RE = re.compile(r"^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/\S*)?$", re.IGNORECASE)
# Control characters (not tab or newline) are invalid in HTML and XML output: dropped on read.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
KNOWN_KEYS = {"posted", "tags", "source", "author", "lang", "slug", "summary", "title"}
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "code": {"class"},
    "*": {"lang"},
}


@dataclass(frozen=True)
class Source:
    """An input file: where it is on disk and how messages should name it."""

    path: Path
    display: str

    @property
    def kind(self) -> str:
        return SUFFIXES[self.path.suffix.lower()]


def discover(folder: Path) -> list[Source]:
    """Every article file below ``folder``, sorted, hidden files and folders skipped."""
    if not folder.is_dir():
        raise ArchiveError("source folder not found", str(folder))
    found = []
    seen: set[str] = set()  # real folders walked: a linked folder is read once, never looped
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in names:
            suffix = os.path.splitext(name)[1].lower()
            if suffix in SUFFIXES and not name.startswith("."):
                path = base / name
                if path.is_file():  # not a broken link
                    found.append(Source(path, str(path)))
    return sorted(found, key=lambda s: s.display)


def rediscover(
    folder: Path, previous: Sequence[Source], changed: Iterable[Path]
) -> tuple[list[Source], set[Path]] | None:
    """What :func:`discover` would find now, from what it found before and the paths the
    watcher saw change, and which of them are in ``folder`` (as discover names them); None
    when only a new walk can tell (a folder appeared, moved or went away). Saves ``serve``
    a walk and a stat of every file after each save."""
    root = Path(os.path.abspath(folder))
    found = list(previous)  # sorted by display, kept so by bisection (no sort of every file)
    fresh: set[Path] = set()
    for path in changed:
        absolute = Path(os.path.abspath(path))
        if root not in absolute.parents:
            continue  # a template, the config, ...: not an article
        relative = absolute.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        local = folder / relative
        fresh.add(local)
        if os.path.isdir(absolute) or os.path.islink(absolute):
            return None
        display = str(local)
        at = bisect.bisect_left(found, display, key=_display)
        there = at < len(found) and found[at].display == display
        if os.path.isfile(absolute):
            if os.path.splitext(relative.name)[1].lower() in SUFFIXES and not there:
                found.insert(at, Source(local, display))
        elif there:
            del found[at]
        else:
            inside = display + os.sep
            if any(source.display.startswith(inside) for source in previous):
                return None
    return found, fresh


def _display(source: Source) -> str:
    return source.display


@dataclass
class ReadResult:
    """What the read stage found: the articles, the files it skipped (as Problems), drafts,
    and a digest of every article's file (what later stages key their caches on)."""

    articles: list[Article]
    problems: list[Problem]
    drafts: list[str]
    digests: dict[str, str] = field(default_factory=dict)


Parsed = Article | Problem | None


@dataclass
class SourceCache:
    """Parse results kept between builds (``serve``): a file is parsed again only when its
    modification time or size changed. Valid for one time zone and summary length."""

    settings: tuple[object, ...] = ()
    entries: dict[Path, tuple[tuple[int, int], str, Parsed]] = field(default_factory=dict)


def read_sources(
    sources: Sequence[Source],
    tz: tzinfo,
    summary_length: int,
    progress: Callable[[int], None] | None = None,
    cache: SourceCache | None = None,
    fresh: Collection[Path] | None = None,
) -> ReadResult:
    """Parse every source; a bad file becomes a Problem and the others still load.

    With a ``cache``, a file is parsed again only when its modification time or size
    changed; ``fresh``, when given, lists the only files that may have (see rediscover)."""
    result = ReadResult([], [], [])
    if cache is not None and cache.settings != (tz, summary_length):
        cache.settings, cache.entries = (tz, summary_length), {}
    kept: dict[Path, tuple[tuple[int, int], str, Parsed]] = {}
    for done, source in enumerate(sources, 1):
        if cache is None:
            digest, parsed = parse_with_digest(source, tz, summary_length)
        else:
            entry = cache.entries.get(source.path)
            if entry is None or fresh is None or source.path in fresh:
                try:
                    stat = source.path.stat()
                    stamp = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    stamp = (-1, -1)
                if entry is None or entry[0] != stamp:
                    entry = (stamp, *parse_with_digest(source, tz, summary_length))
            kept[source.path] = entry
            digest, parsed = entry[1], entry[2]
        if isinstance(parsed, Article):
            result.digests[parsed.path] = digest
            result.articles.append(parsed)
        elif isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            result.drafts.append(source.display)
        if progress and (done % 500 == 0 or done == len(sources)):
            progress(done)
    if cache is not None:
        cache.entries = kept
    return result


def parse_with_digest(source: Source, tz: tzinfo, summary_length: int) -> tuple[str, Parsed]:
    """:func:`parse_source` and a digest of the file's bytes (empty if unreadable)."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return "", Problem(source.display, 1, f"cannot read file: {exc.strerror or exc}")
    return hashlib.sha1(data).hexdigest(), parse_bytes(source, data, tz, summary_length)


def parse_source(source: Source, tz: tzinfo, summary_length: int) -> Parsed:
    """One file to an Article, a Problem saying why it was skipped, or None for a draft."""
    return parse_with_digest(source, tz, summary_length)[1]


def parse_bytes(source: Source, data: bytes, tz: tzinfo, summary_length: int) -> Parsed:
    """The file's content to an Article, a Problem, or None for a draft."""
    try:
        text = decode(data)
        if source.kind == "text":
            return parse_text(text, source.display, tz, summary_length)
        return parse_markdown(text, source.display, tz, summary_length)
    except Draft:
        return None
    except ArchiveError as exc:
        return Problem(source.display, exc.line or 1, exc.message)


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional), any newline convention; binary and bad bytes are located errors."""
    if b"\x00" in data[:8192]:
        raise ArchiveError("binary file (contains NUL bytes), not a text article", line=1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise ArchiveError(
            f"not valid UTF-8: byte 0x{data[start]:02x} at column {column} ({exc.reason}); "
            "save the file as UTF-8",
            line=line,
        ) from None
    text = CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ArchiveError("empty file", line=1)
    return text


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """``DD.MM.YYYY[ HH:MM[:SS]]`` or ISO 8601; naive times are read in the site's zone."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_date_string(value.strip())
    else:
        raise ValueError(f"expected a date, not {type(value).__name__}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def _parse_date_string(text: str) -> datetime:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(
            f"unparseable date {text!r} (expected DD.MM.YYYY HH:MM:SS, DD.MM.YYYY HH:MM, "
            "DD.MM.YYYY or ISO 8601)"
        ) from None


def split_tags(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))


def summarize(explicit: str, body_text: str, length: int) -> str:
    """The given summary, or the first paragraph cut at a word boundary."""
    if explicit:
        return explicit
    first = body_text.split("\n\n", 1)[0].strip()
    if len(first) <= length:
        return first
    cut = first[:length].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"


def parse_text(text: str, display: str, tz: tzinfo, summary_length: int) -> Article:
    """The reference format. Plain text is escaped, never read as HTML or Markdown."""
    lines = text.split("\n")
    header: dict[str, tuple[str, int]] = {}
    meta: list[tuple[str, str]] = []
    i = 0
    while i < len(lines) and lines[i].strip():
        match = HEADER_RE.match(lines[i].strip())
        if not match:
            if i == 0:
                raise ArchiveError(
                    "missing 'Posted:' header (expected 'Posted: DD.MM.YYYY HH:MM:SS')", line=1
                )
            raise ArchiveError(
                f"expected a 'Key: value' header line, got {lines[i].strip()[:60]!r}", line=i + 1
            )
        key = match.group(1).strip().lower()
        if key in header:
            raise ArchiveError(f"duplicate header {match.group(1)!r}", line=i + 1)
        header[key] = (match.group(2), i + 1)
        if key not in KNOWN_KEYS:
            meta.append((key, match.group(2)))
        i += 1
    if "posted" not in header:
        raise ArchiveError(
            "missing 'Posted:' header (expected 'Posted: DD.MM.YYYY HH:MM:SS')", line=1
        )
    posted_text, posted_line = header["posted"]
    try:
        posted = parse_date(posted_text, tz)
    except ValueError as exc:
        raise ArchiveError(str(exc), line=posted_line) from None

    header_end = i
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise ArchiveError(
            "missing title (expected a title line after the header and a blank line)",
            line=min(header_end + 2, line_count),
        )
    title = " ".join(lines[i].split())
    rest = lines[i + 1 :]
    paragraphs: list[str] = []
    credits: list[str] = []
    for block in "\n".join(rest).split("\n\n"):
        para = " ".join(block.split())
        if not para:
            continue
        if CREDIT_RE.match(para) and len(para) <= 160:
            credits.append(para)
        else:
            paragraphs.append(para)
    body_text = "\n\n".join(paragraphs)
    body_html = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    value = {k: v for k, (v, _) in header.items()}
    return Article(
        path=display,
        title=title,
        posted=posted,
        body_html=body_html,
        body_text=body_text,
        summary=summarize(value.get("summary", ""), body_text, summary_length),
        credits=tuple(credits),
        tags=split_tags(value.get("tags", "")),
        source=value.get("source", ""),
        author=value.get("author", ""),
        lang=value.get("lang", ""),
        slug=value.get("slug", ""),
        meta=tuple(meta),
    )


def credit_parts(credit: str) -> tuple[str, str, str]:
    """Split ``photo: www.belta.by`` into label, text and a safe http(s) link (or "")."""
    match = CREDIT_RE.match(credit)
    if not match:
        return "", credit, ""
    label, text = match.group(1), match.group(2).strip()
    domain = DOMAIN_RE.match(text)
    href = ""
    if domain:
        href = text if text.lower().startswith(("http://", "https://")) else f"https://{text}"
    return label.capitalize(), text, href


# --- Markdown ------------------------------------------------------------------------------

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MD_STRING_KEYS = ("title", "source", "author", "lang", "slug", "summary")


def parse_markdown(text: str, display: str, tz: tzinfo, summary_length: int) -> Article:
    """Markdown with YAML front matter; raw HTML is sanitised, drafts raise ``Draft``."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise ArchiveError(
            "missing YAML front matter (a '---' line, 'title:' and 'date:', then '---')", line=1
        )
    front_text = match.group(1) or ""
    body_start_line = text.count("\n", 0, match.end()) + 1
    try:
        front = yaml.safe_load(front_text)
        node = yaml.compose(front_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ArchiveError(f"invalid YAML front matter: {problem}", line=line) from None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise ArchiveError("front matter must be a mapping of 'key: value' lines", line=2)
    key_lines = _key_lines(node)

    def fail(key: str, message: str) -> ArchiveError:
        return ArchiveError(message, line=key_lines.get(key, 2))

    strings: dict[str, str] = {}
    for key in MD_STRING_KEYS:
        value = front.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise fail(key, f"'{key}' must be a string, not {_yaml_type(value)}")
        strings[key] = value.strip()
    draft = front.get("draft", False)
    if not isinstance(draft, bool):
        raise fail("draft", f"'draft' must be true or false, not {_yaml_type(draft)}")
    if draft:
        raise Draft(display)
    tags = _front_tags(front.get("tags"), fail)

    body = text[match.end() :]
    title = strings.get("title", "")
    if not title:
        heading = re.match(r"\s*#\s+(.+?)\s*#*\s*(?:\n|\Z)", body)
        if heading:
            title = heading.group(1)
            body = body[heading.end() :]
    if not title:
        raise ArchiveError("missing title (add 'title:' to the front matter)", line=body_start_line)
    if "date" not in front or front["date"] is None:
        raise (
            fail("date", "missing 'date:' in front matter")
            if "date" in front
            else ArchiveError("missing 'date:' in front matter", line=1)
        )
    try:
        posted = parse_date(front["date"], tz)
    except ValueError as exc:
        raise fail("date", f"'date': {exc}") from None

    body_html = sanitize(
        markdown.markdown(body, extensions=["extra", "sane_lists"], output_format="html")
    )
    body_text = html_to_text(body_html)
    meta = tuple(
        (str(k), str(v))
        for k, v in sorted(front.items(), key=lambda kv: str(kv[0]))
        if k not in {*MD_STRING_KEYS, "date", "tags", "draft"} and not isinstance(v, (dict, list))
    )
    return Article(
        path=display,
        title=" ".join(title.split()),
        posted=posted,
        body_html=body_html,
        body_text=body_text,
        summary=summarize(strings.get("summary", ""), body_text, summary_length),
        tags=tags,
        source=strings.get("source", ""),
        author=strings.get("author", ""),
        lang=strings.get("lang", ""),
        slug=strings.get("slug", ""),
        meta=meta,
    )


class Draft(ArchiveError):
    """A Markdown article marked ``draft: true``: left out of the site, not an error."""

    def __init__(self, path: str):
        super().__init__("draft, left out of the site", path, 1)


def _front_tags(value: Any, fail: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_tags(value)
    if isinstance(value, list):
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            raise fail(
                "tags", f"'tags' entries must be strings, not {_yaml_type(bad[0])} ({bad[0]!r})"
            )
        return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    raise fail("tags", f"'tags' must be a list of strings, not {_yaml_type(value)}")


def _yaml_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
    }
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (date, datetime)):
        return "a date"
    return type(value).__name__


def _key_lines(node: Any) -> dict[str, int]:
    """Front-matter key -> line number in the file (front matter starts on line 2)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def sanitize(fragment: str) -> str:
    """Raw HTML in Markdown: keep formatting, drop scripts, handlers and unsafe URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


class _TextExtractor(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "li",
        "blockquote",
        "pre",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "dd",
        "dt",
        "figcaption",
        "ul",
        "ol",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of sanitised HTML, paragraphs separated by blank lines (for summary, search)."""
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    blocks = ("".join(extractor.parts)).split("\n\n")
    return "\n\n".join(" ".join(b.split()) for b in blocks if b.split())
