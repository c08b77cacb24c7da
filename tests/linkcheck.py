"""A link checker over a built site folder: every internal href/src must resolve to a file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    ATTRS: ClassVar[dict[str, str]] = {
        "a": "href",
        "link": "href",
        "script": "src",
        "img": "src",
        "form": "action",
    }

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.ATTRS.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None:
                self.links.append(value)


def page_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def target_file(site: Path, prefix: str, url: str) -> Path | None:
    """The file an absolute URL under ``prefix`` serves, or None if it points elsewhere."""
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return None
    rel = unquote(path[len(prefix) :])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return site / rel


def broken_links(site: Path, base: str) -> list[str]:
    """Crawl every HTML file as if served at ``base`` (e.g. ``http://h/news/``)."""
    prefix = urlsplit(base).path
    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html":
            continue  # served at any depth: its links are absolute from base_url's path
        page_url = base + rel
        for link in page_links(page.read_text(encoding="utf-8")):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = urljoin(page_url, link)
            file = target_file(site, prefix, target)
            if file is None or not file.is_file():
                broken.append(f"{rel}: {link}")
    return broken
