"""Files for crawlers: ``sitemap.xml`` (an index of sitemaps past 50,000 URLs, as the
protocol requires) and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..config import Config
from .feeds import xml_text

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as the protocol allows


def sitemap(config: Config, pages: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` listing every HTML page; an index of numbered files past 50,000 URLs."""
    urls = sorted(p.removesuffix("index.html").lstrip("/") for p in pages if p != "404.html")
    # Escaped in one pass (a rebuild in serve writes the sitemap of every new page); each
    # on its own if a path had a newline.
    escaped = xml_text("\n".join(urls)).split("\n")
    urls = escaped if len(escaped) == len(urls) else [xml_text(u) for u in urls]
    site = xml_text(config.site_url)
    chunks = [urls[i : i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)] or [[]]
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    bodies = [
        head
        + f"<urlset {ns}>\n"
        + "".join(f"  <url><loc>{site}{u}</loc></url>\n" for u in chunk)
        + "</urlset>\n"
        for chunk in chunks
    ]
    if len(bodies) == 1:
        yield "sitemap.xml", bodies[0].encode("utf-8")
        return
    names = [f"sitemap-{i + 1}.xml" for i in range(len(bodies))]
    for name, body in zip(names, bodies, strict=True):
        yield name, body.encode("utf-8")
    index = (
        head
        + f"<sitemapindex {ns}>\n"
        + "".join(
            f"  <sitemap><loc>{xml_text(config.absolute(n))}</loc></sitemap>\n" for n in names
        )
        + "</sitemapindex>\n"
    )
    yield "sitemap.xml", index.encode("utf-8")


def robots(config: Config) -> tuple[str, bytes]:
    return (
        "robots.txt",
        f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n".encode(),
    )
