"""Markdown with YAML front matter; raw HTML in it is sanitised (nh3), drafts left out."""

from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any, ClassVar

import markdown
import nh3
import yaml

from ..errors import ArchiveError
from ..model import Article
from .nesting import too_deep
from .values import Reading, split_tags, summarize

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

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
MD_STRING_KEYS = ("title", "source", "author", "lang", "slug", "summary")
# Front matter needs two or three levels; PyYAML composes nodes recursively, so thousands
# of nested brackets would end in a RecursionError instead of a message.
MAX_FRONT_DEPTH = 32


class _FrontLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing deep nesting and impossible dates with their line
    (its own date check raises a bare ValueError with no position)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_FRONT_DEPTH:
                line = self.peek_event().start_mark.line + 2
                raise ArchiveError(
                    f"front matter nested more than {MAX_FRONT_DEPTH} levels deep", line=line
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ArchiveError(
                f"no such date {node.value!r} ({exc})", line=node.start_mark.line + 2
            ) from None


_FrontLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _FrontLoader.construct_checked_timestamp
)


def parse_markdown(text: str, reading: Reading) -> Article:
    """Markdown with YAML front matter; raw HTML is sanitised, drafts raise ``Draft``."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise ArchiveError(
            "missing YAML front matter (a '---' line, 'title:' and 'date:', then '---')", line=1
        )
    front_text = match.group(1) or ""
    body_start_line = text.count("\n", 0, match.end()) + 1
    try:
        front, node = _load_front(front_text)
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
        raise Draft(reading.display)
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
        posted = reading.date(front["date"], key_lines.get("date", 2))
    except ValueError as exc:
        raise fail("date", f"'date': {exc}") from None

    deep = too_deep(body)
    if deep is not None:
        line, why = deep
        raise ArchiveError(f"the text nests too deeply: {why}", line=body_start_line + line - 1)
    try:
        body_html = sanitize(
            markdown.markdown(body, extensions=["extra", "sane_lists"], output_format="html")
        )
    except RecursionError:  # Python-Markdown recurses once per level of lists and HTML blocks
        raise ArchiveError(
            "the text is nested too deeply to read (lists, quotes or HTML blocks)",
            line=body_start_line,
        ) from None
    body_text = html_to_text(body_html)
    meta = tuple(
        (str(k), str(v))
        for k, v in sorted(front.items(), key=lambda kv: str(kv[0]))
        if k not in {*MD_STRING_KEYS, "date", "tags", "draft", "aliases"}
        and not isinstance(v, (dict, list))
    )
    return Article(
        path=reading.display,
        name=reading.name or reading.display,
        title=" ".join(title.split()),
        posted=posted,
        html=body_html,
        body_text=body_text,
        summary=summarize(strings.get("summary", ""), body_text, reading.summary_length),
        tags=tags,
        source=strings.get("source", ""),
        author=strings.get("author", ""),
        lang=reading.lang(strings.get("lang"), key_lines.get("lang", 1)),
        slug=strings.get("slug", ""),
        meta=meta,
        aliases=_front_aliases(front.get("aliases"), key_lines.get("aliases", 2), reading),
        words=len(body_text.split()),
    )


class Draft(ArchiveError):
    """A Markdown article marked ``draft: true``: left out of the site, not an error."""

    def __init__(self, path: str):
        super().__init__("draft, left out of the site", path, 1)


def _load_front(front_text: str) -> tuple[Any, Any]:
    """The front matter's value and its node tree (for key lines), from one parse."""
    loader = _FrontLoader(front_text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _front_tags(value: Any, fail: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_tags(value)
    if isinstance(value, list):
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            # A list or mapping is named, not shown: aliases can make its text enormous.
            shown = "" if isinstance(bad[0], (list, dict)) else f" ({repr(bad[0])[:40]})"
            raise fail("tags", f"'tags' entries must be strings, not {_yaml_type(bad[0])}{shown}")
        return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    raise fail("tags", f"'tags' must be a list of strings, not {_yaml_type(value)}")


def _front_aliases(value: Any, line: int, reading: Reading) -> tuple[str, ...]:
    """``aliases:``, a list as in Hugo (or one comma-separated string, as in plain text)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        reading.warn(line, f"'aliases' must be a list of site paths, not {_yaml_type(value)}")
        return ()
    return reading.aliases(value, line)


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
