"""The reference format: ``Key: value`` header lines, a blank line, the title, a blank line,
paragraphs, and credit lines (``photo: www.belta.by``). Plain text is escaped, never read as
HTML or Markdown."""

from __future__ import annotations

import re

from ..errors import ArchiveError
from ..model import Article
from .values import Reading, split_tags, summarize

HEADER_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_ -]*?)\s*:\s*(.*?)\s*$")
CREDIT_RE = re.compile(
    r"^(photo|photos|foto|video|image|images|illustration|graphics|infographics|source|text|"
    r"фото|видео|источник|текст)\s*:\s*(\S.*)$",
    re.IGNORECASE,
)
DOMAIN_RE = re.compile(r"^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/\S*)?$", re.IGNORECASE)

KNOWN_KEYS = {"posted", "tags", "source", "author", "lang", "slug", "summary", "title", "aliases"}


def parse_text(text: str, reading: Reading) -> Article:
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
        posted = reading.date(posted_text, posted_line)
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
    words = 0
    for block in "\n".join(rest).split("\n\n"):
        split = block.split()
        para = " ".join(split)
        if not para:
            continue
        if CREDIT_RE.match(para) and len(para) <= 160:
            credits.append(para)
        else:
            paragraphs.append(para)
            words += len(split)
    body_text = "\n\n".join(paragraphs)
    value = {k: v for k, (v, _) in header.items()}
    aliases_line = header.get("aliases", ("", 1))[1]
    return Article(
        path=reading.display,
        name=reading.name or reading.display,
        title=title,
        posted=posted,
        html=None,  # made from body_text when a page asks (see Article.body_html)
        body_text=body_text,
        summary=summarize(value.get("summary", ""), body_text, reading.summary_length),
        credits=tuple(credits),
        tags=split_tags(value.get("tags", "")),
        source=value.get("source", ""),
        author=value.get("author", ""),
        lang=reading.lang(*header.get("lang", (None, 1))),
        slug=value.get("slug", ""),
        meta=tuple(meta),
        aliases=reading.aliases(value.get("aliases", "").split(","), aliases_line),
        words=words,
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
