"""Files for crawlers: ``sitemap.xml`` (an index of sitemaps past 50,000 URLs, as the
protocol requires) and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..config import Config
from .feeds import xml_text

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the protocol allows
_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap(config: Config, pages: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` listing every HTML page; an index of numbered files past 50,000 URLs."""
    urls = sorted(p.removesuffix("index.html").lstrip("/") for p in pages if p != "404.html")
    site = xml_text(config.site_url)
    chunks = [urls[i : i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)] or [[]]
    if len(chunks) == 1:
        yield "sitemap.xml", _urlset(site, chunks[0])
        return
    # One file at a time: all of them at once were 230 MB more at a million articles.
    names = [f"sitemap-{i + 1}.xml" for i in range(len(chunks))]
    for name, chunk in zip(names, chunks, strict=True):
        yield name, _urlset(site, chunk)
    index = (
        _HEAD
        + f"<sitemapindex {_NS}>\n"
        + "".join(
            f"  <sitemap><loc>{xml_text(config.absolute(n))}</loc></sitemap>\n" for n in names
        )
        + "</sitemapindex>\n"
    )
    yield "sitemap.xml", index.encode("utf-8")


def _urlset(site: str, urls: Sequence[str]) -> bytes:
    # Escaped in one pass (a rebuild in serve writes the sitemap of every new page); each
    # on its own if a path had a newline.
    escaped = xml_text("\n".join(urls)).split("\n")
    urls = escaped if len(escaped) == len(urls) else [xml_text(u) for u in urls]
    lines = "".join(f"  <url><loc>{site}{u}</loc></url>\n" for u in urls)
    return (_HEAD + f"<urlset {_NS}>\n" + lines + "</urlset>\n").encode("utf-8")


def robots(config: Config) -> tuple[str, bytes]:
    return (
        "robots.txt",
        f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n".encode(),
    )
