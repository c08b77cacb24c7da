"""What the search index is made of: each article as a lunr document (ref, title, body, tags)
and the fields' boosts. The one definition both index forms and ``export-docs`` use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import Article


@dataclass(frozen=True)
class SearchField:
    name: str
    boost: int = 1


# Title matches weigh ten times body and tag matches.
FIELDS: tuple[SearchField, ...] = (
    SearchField("title", 10),
    SearchField("body"),
    SearchField("tags"),
)
REF = "url"
# Tags are indexed as one string; the tokenizer splits it on white space and hyphens and the
# trimmer drops the commas, so "el-salvador, usa" gives the terms el, salvador, usa.
TAG_SEPARATOR = ", "
# Snippets come from at most this many characters of each body, bounding a file's size.
SNIPPET_TEXT_LIMIT = 50_000


def document_ref(article: Article) -> str:
    """An article's ref: its URL path as the site serves it, e.g. ``/2023/04/10/slug/``."""
    return "/" + article.url


def field_texts(article: Article) -> tuple[str, ...]:
    """The article's text in each of FIELDS, in order: all its index terms are made from.

    The tags include those the tags stage found, which other articles decide (a name must
    be in two of them), so a document can change while its file does not."""
    return (article.title, article.body_text, TAG_SEPARATOR.join(article.tags))


def index_documents(articles: Iterable[Article]) -> list[dict[str, str]]:
    """The documents exactly as given to the index: url (the ref), title, body, tags."""
    names = [spec.name for spec in FIELDS]
    return [
        {REF: document_ref(article), **dict(zip(names, field_texts(article), strict=True))}
        for article in articles
    ]


def export_docs(articles: Iterable[Article]) -> dict[str, Any]:
    """Ref, fields with boosts and documents: enough for lunr.js to build the same index."""
    return {
        "ref": REF,
        "fields": [{"name": f.name, "boost": f.boost} for f in FIELDS],
        "documents": index_documents(articles),
    }
