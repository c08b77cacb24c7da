"""The benchmark's content: Reuters-21578 articles as size sets, written in each tool's format.

Every tool gets the same articles (title, date, tags, body, URL slug) so that each builds the
same page set. The corpus is read with newsarchive's own parser, so titles and bodies are
exactly what our build sees. Sets larger than the corpus repeat it with dates shifted by
whole years and a title suffix, so every article (and URL) is distinct.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from newsarchive.content.plaintext import parse_text
from newsarchive.content.values import Reading
from newsarchive.slugs import make_slug

REPO = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    """``../shared/corpora/reuters21578/articles`` (``$NEWSARCHIVE_CORPORA`` is the root)."""
    root = Path(os.environ.get("NEWSARCHIVE_CORPORA", REPO.parent / "shared" / "corpora"))
    folder = root / "reuters21578" / "articles"
    if not folder.is_dir():
        raise SystemExit(f"Reuters corpus not found at {folder}: set NEWSARCHIVE_CORPORA")
    return folder


@dataclass(frozen=True)
class Doc:
    """One benchmark article; ``url`` is ``YYYY/MM/DD/slug/`` in every tool's output."""

    number: int
    title: str
    posted: datetime  # UTC
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    slug: str

    @property
    def day_path(self) -> str:
        return f"{self.posted.year:04d}/{self.posted.month:02d}/{self.posted.day:02d}"

    @property
    def url(self) -> str:
        return f"{self.day_path}/{self.slug}/"

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Source:
    """A parsed corpus article before it is placed in a size set."""

    title: str
    posted: datetime
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]


def load_corpus(folder: Path | None = None) -> list[Source]:
    """Every Reuters article in NEWID order (so a smaller set is a prefix of a larger one)."""
    folder = folder or corpus_dir()
    files = sorted(folder.glob("reut-*.txt"), key=lambda p: int(p.stem.split("-")[1]))
    utc = ZoneInfo("UTC")
    sources = []
    for path in files:
        article = parse_text(path.read_text("utf-8-sig"), Reading(path.name, utc, 280))
        paragraphs = tuple(p for p in article.body_text.split("\n\n") if p)
        sources.append(
            Source(article.title, article.posted.astimezone(UTC), article.tags, paragraphs)
        )
    return sources


def _shift_years(when: datetime, years: int) -> datetime:
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February in a year that has none
        return when.replace(year=when.year + years, day=28)


def make_set(corpus: list[Source], size: int) -> list[Doc]:
    """``size`` articles: the corpus, then copies shifted by +1, +2, ... years.

    Copies get a title suffix; slugs are made unique per day (``-2``, ``-3``), so no tool
    drops or renames an article because of a collision.
    """
    docs: list[Doc] = []
    taken: set[str] = set()
    for number in range(size):
        copy, index = divmod(number, len(corpus))
        src = corpus[index]
        title = src.title if copy == 0 else f"{src.title} (copy {copy + 1})"
        posted = _shift_years(src.posted, copy)
        base = make_slug(title, f"bench-{number}")
        day = f"{posted:%Y/%m/%d}"
        slug, n = base, 1
        while f"{day}/{slug}" in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(f"{day}/{slug}")
        docs.append(Doc(number, title, posted, src.tags, src.paragraphs, slug))
    return docs


def file_name(doc: Doc, suffix: str) -> str:
    return f"a{doc.number:06d}{suffix}"


def plain_text(doc: Doc) -> str:
    """newsarchive's reference format, with the slug fixed so URLs match the other tools."""
    header = [f"Posted: {doc.posted.isoformat()}"]
    if doc.tags:
        header.append(f"Tags: {', '.join(doc.tags)}")
    header += ["Source: Reuters", f"Slug: {doc.slug}"]
    return "\n".join(header) + f"\n\n{doc.title}\n\n" + "\n\n".join(doc.paragraphs) + "\n"


_BLOCK_START = re.compile(r"^(\s*)([#>+*-]|\d+[.)])")


def markdown_escape(paragraph: str) -> str:
    """Plain text as Markdown that renders to the same text in goldmark and Python-Markdown.

    Reuters text has ``<ROG>`` tickers, ``+Bahia+`` quotes and lines like ``1. ...``, which
    would otherwise become raw HTML, emphasis or lists.
    """
    text = paragraph.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        start = match.start(2)
        text = text[:start] + "\\" + text[start:]
    return text


def markdown_body(doc: Doc) -> str:
    return "\n\n".join(markdown_escape(p) for p in doc.paragraphs) + "\n"


def hugo_page(doc: Doc) -> str:
    """YAML front matter (JSON strings are valid YAML) and the Markdown body."""
    front = [
        "---",
        f"title: {json.dumps(doc.title)}",
        f"date: {doc.posted.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"tags: {json.dumps(list(doc.tags))}",
        "source: Reuters",
        "---",
    ]
    return "\n".join(front) + "\n" + markdown_body(doc)


def pelican_page(doc: Doc) -> str:
    """Pelican's Markdown metadata block (``Key: value`` lines) and the same body."""
    meta = [
        f"Title: {doc.title}",
        f"Date: {doc.posted.strftime('%Y-%m-%d %H:%M:%S')}",
        f"Slug: {doc.slug}",
    ]
    if doc.tags:
        meta.append(f"Tags: {', '.join(doc.tags)}")
    return "\n".join(meta) + "\n\n" + markdown_body(doc)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def write_newsarchive(docs: list[Doc], folder: Path) -> None:
    for doc in docs:
        _write(folder / file_name(doc, ".txt"), plain_text(doc))


def write_hugo(docs: list[Doc], content: Path) -> None:
    """Articles in ``content/YYYY/MM/DD/<slug>.md``; an ``_index.md`` makes each year, month
    and day folder a section, which gives Hugo the ``/YYYY/MM/DD/`` listings."""
    sections: set[tuple[int, ...]] = set()
    for doc in docs:
        _write(content / doc.day_path / f"{doc.slug}.md", hugo_page(doc))
        y, m, d = doc.posted.year, doc.posted.month, doc.posted.day
        sections.update({(y,), (y, m), (y, m, d)})
    for key in sorted(sections):
        if len(key) == 1:
            title, path = str(key[0]), f"{key[0]:04d}"
        elif len(key) == 2:
            title, path = f"{MONTHS[key[1] - 1]} {key[0]}", f"{key[0]:04d}/{key[1]:02d}"
        else:
            title = f"{key[2]} {MONTHS[key[1] - 1]} {key[0]}"
            path = f"{key[0]:04d}/{key[1]:02d}/{key[2]:02d}"
        _write(content / path / "_index.md", f"---\ntitle: {json.dumps(title)}\n---\n")
    for name in ("search", "archive"):  # pages outside the listings (``list: never``)
        front = f'title: "{name.title()}"\nlayout: {name}\n_build:\n  list: never\n'
        _write(content / f"{name}.md", f"---\n{front}---\n")


def write_pelican(docs: list[Doc], content: Path) -> None:
    for doc in docs:
        _write(content / file_name(doc, ".md"), pelican_page(doc))


def write_documents(docs: list[Doc], path: Path) -> None:
    """JSON lines for the plain lunr index: the same fields newsarchive indexes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            record = {"url": "/" + doc.url, "title": doc.title, "body": doc.body}
            record["tags"] = ", ".join(doc.tags)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class SizeSet:
    """Where one size's inputs are: one folder per tool, plus the documents file."""

    size: int
    root: Path
    docs: list[Doc]

    @property
    def newsarchive(self) -> Path:
        return self.root / "newsarchive-src"

    @property
    def hugo_content(self) -> Path:
        return self.root / "hugo-content"

    @property
    def pelican_content(self) -> Path:
        return self.root / "pelican-content"

    @property
    def documents(self) -> Path:
        return self.root / "documents.jsonl"


FORMATS = ("newsarchive", "hugo", "pelican", "lunr")


def generate(
    corpus: list[Source], size: int, root: Path, formats: Collection[str] = FORMATS
) -> SizeSet:
    """Write the ``formats`` of a size set below ``root`` (which must not exist yet): only
    those of the tools that will run, as a million articles take a million files each."""
    root.mkdir(parents=True)
    sizeset = SizeSet(size, root, make_set(corpus, size))
    write_formats(sizeset, formats)
    return sizeset


def write_formats(sizeset: SizeSet, formats: Collection[str]) -> None:
    """Write those of the ``formats`` that are not there yet."""
    docs = sizeset.docs
    writers = {
        "newsarchive": (sizeset.newsarchive, lambda: write_newsarchive(docs, sizeset.newsarchive)),
        "hugo": (sizeset.hugo_content, lambda: write_hugo(docs, sizeset.hugo_content)),
        "pelican": (sizeset.pelican_content, lambda: write_pelican(docs, sizeset.pelican_content)),
        "lunr": (sizeset.documents, lambda: write_documents(docs, sizeset.documents)),
    }
    for name in FORMATS:
        where, write = writers[name]
        if name in formats and not where.exists():
            write()
