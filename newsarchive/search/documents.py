"""What the search index is made of: each article as a lunr document (ref, title, body, tags,
and the language whose pipeline indexes it) and the fields' boosts. The one definition both
index forms and ``export-docs`` use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..languages import base_code
from ..model import Article
from .languageset import LanguageSet


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


# The key of a document's language code: not a field, so lunr.js ignores it; the builder
# (ours and the reference's) indexes the document with that language's pipeline.
LANG = "lang"


def article_language(article: Article, default: str) -> str:
    """The code whose pipeline indexes the article: its ``Lang:`` (the read stage gives a
    supported base code), else the archive's ``language`` (articles made by hand)."""
    return article.lang or _base(default)


def article_languages(articles: Iterable[Article], default: str) -> list[str]:
    """:func:`article_language` of each article."""
    fallback = _base(default)
    return [article.lang or fallback for article in articles]


def _base(code: str) -> str:
    base = base_code(code)
    return base if base is not None else code  # get_language names the unknown code


def index_documents(articles: Iterable[Article], language: str = "en") -> list[dict[str, str]]:
    """The documents exactly as given to the index: url (the ref), title, body, tags, and
    ``lang`` (``language`` is the archive's, for articles without a ``Lang:``)."""
    names = [spec.name for spec in FIELDS]
    articles = list(articles)
    return [
        {
            REF: document_ref(article),
            **dict(zip(names, field_texts(article), strict=True)),
            LANG: code,
        }
        for article, code in zip(articles, article_languages(articles, language), strict=True)
    ]


def export_docs(articles: Iterable[Article], *, language: str = "en") -> dict[str, Any]:
    """Ref, fields with boosts, languages and documents: enough for lunr.js (with
    lunr-languages) to build the same index, each document with its ``lang``'s pipeline
    (see docs/search.md, "Languages")."""
    documents = index_documents(articles, language)
    return {
        "ref": REF,
        "fields": [{"name": f.name, "boost": f.boost} for f in FIELDS],
        "languages": list(LanguageSet.of(language, (d[LANG] for d in documents)).codes),
        "documents": documents,
    }
