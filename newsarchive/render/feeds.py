"""Atom feeds: the site's and one per tag.

Written with plain string building and XML escaping: small, deterministic (no "now"
timestamps: a feed is as new as its newest article) and easy to audit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from ..config import Config
from ..model import Archive, Article

# Characters XML 1.0 forbids; article text comes from messy archives.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("", text))


def xml_attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("", text))


def iso(moment: datetime) -> str:
    return moment.isoformat()


def atom_feed(
    config: Config, title: str, path: str, page: str, articles: Sequence[Article]
) -> bytes:
    """An Atom feed of the newest ``feed_size`` articles; ``path`` is the feed's own path."""
    newest = articles[: config.feed_size]
    site_lang = config.site_language
    updated = newest[0].posted if newest else datetime(1970, 1, 1, tzinfo=UTC)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xml_attr(site_lang)}>',
        f"  <title>{xml_text(title)}</title>",
        f"  <id>{xml_text(config.absolute(path))}</id>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(config.absolute(path))}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(config.absolute(page))}/>',
        f"  <updated>{iso(updated)}</updated>",
        f"  <author><name>{xml_text(config.title)}</name></author>",
        '  <generator uri="https://pypi.org/project/newsarchive/">newsarchive</generator>',
    ]
    for article in newest:
        url = config.absolute(article.url)
        # An article in another language says so (feed readers hyphenate and read it aloud).
        other = article.lang and article.lang != site_lang
        entry_lang = f" xml:lang={xml_attr(article.lang)}" if other else ""
        lines += [
            f"  <entry{entry_lang}>",
            f"    <title>{xml_text(article.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
            f"    <id>{xml_text(url)}</id>",
            f"    <published>{iso(article.posted)}</published>",
            f"    <updated>{iso(article.posted)}</updated>",
        ]
        if article.author:
            lines.append(f"    <author><name>{xml_text(article.author)}</name></author>")
        lines += [f"    <category term={xml_attr(tag)}/>" for tag in article.tags]
        if article.summary:
            lines.append(f"    <summary>{xml_text(article.summary)}</summary>")
        lines.append(f'    <content type="html">{xml_text(article.body_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Feed:
    """One Atom feed to write: its path, title, the page it belongs to, and its articles."""

    path: str
    title: str
    page: str
    articles: Sequence[Article]

    def render(self, config: Config) -> bytes:
        return atom_feed(config, self.title, self.path, self.page, self.articles)

    def newest(self, config: Config) -> Sequence[Article]:
        """The articles the feed shows (what its content depends on, with the config)."""
        return self.articles[: config.feed_size]


def feed_list(config: Config, archive: Archive) -> list[Feed]:
    """The site's feed and one per tag."""
    feeds = [Feed("feed.xml", config.title, "", archive.articles)]
    for tag in archive.tags:
        title = f"{tag.name} · {config.title}"
        feeds.append(Feed(f"{tag.url}feed.xml", title, tag.url, tag.articles))
    return feeds
