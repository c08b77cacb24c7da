"""The monolithic search form: the plain serialised lunr index and every document's metadata,
loaded whole before the first search. Simplest; fine for a few thousand articles."""

from __future__ import annotations

from ..config import Config
from ..model import Archive
from .documents import LANG, REF, SNIPPET_TEXT_LIMIT, document_ref, index_documents
from .languageset import LanguageSet
from .lunrindex import build_documents_index
from .scripts import (
    CORE_PATH,
    LUNR_PATH,
    UI_PATHS,
    SearchAssets,
    core_source,
    data_script,
    lunr_source,
)
from .textpipe import get_language

DOCS_PATH = "search/docs.js"
INDEX_PATH = "search/index.js"
TEXT_DIR = "search/text/"
SCRIPTS = (LUNR_PATH, CORE_PATH, DOCS_PATH, INDEX_PATH, *UI_PATHS)
# Article texts for snippets are loaded only for the results on screen, in files of this
# many documents (in archive order, so one page of "newest" results needs one or two files).
TEXT_CHUNK_SIZE = 40


def short_ref(number: int) -> str:
    """The site index's ref for document ``number``: letters only (``a``..``z``, ``ba``...).

    URL refs repeated in every posting made the Reuters index 103 MB; these make it 30 MB.
    Letters never look like array indices, so JavaScript keeps postings in insertion order
    and ties rank exactly as with URL refs. search-core.js computes the same function.
    """
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = chr(97 + digit) + letters
        if number == 0:
            return letters


def text_path(chunk: int) -> str:
    return f"{TEXT_DIR}{chunk}.js"


def monolithic_assets(archive: Archive, config: Config) -> SearchAssets:
    """lunr.js, the whole index, every document's metadata, and texts by chunks.

    Documents are numbered in archive order (newest first), so a document's number also
    sorts results by date; texts for snippets are split into files of ``TEXT_CHUNK_SIZE``.
    """
    language = get_language(config.language)
    articles = list(archive.articles)
    documents = index_documents(articles, language.code)
    languages = LanguageSet.of(language.code, (d[LANG] for d in documents))
    tag_numbers = {tag.name.casefold(): i for i, tag in enumerate(archive.tags)}
    docs = []
    for article, document in zip(articles, documents, strict=True):
        numbers = dict.fromkeys(
            tag_numbers[name.casefold()] for name in article.tags if name.casefold() in tag_numbers
        )
        row = [document_ref(article), article.title, article.posted.isoformat(), list(numbers)]
        if document[LANG] != language.code:  # a row ends with a language not the archive's
            row.append(document[LANG])
        docs.append(row)
    meta = {
        "format": 1,
        "language": language.code,
        "pipeline": language.index_labels,
        "chunkSize": TEXT_CHUNK_SIZE,
        "textPath": TEXT_DIR,
        "tags": [[tag.name, tag.slug] for tag in archive.tags],
        "years": sorted({a.posted.year for a in articles}, reverse=True),
        "docs": docs,
        **languages.metadata(),
    }
    for number, document in enumerate(documents):
        document[REF] = short_ref(number)
    files = {
        LUNR_PATH: lunr_source(),
        **languages.files(),
        CORE_PATH: core_source(),
        DOCS_PATH: data_script("NewsArchiveSearch.setDocs", meta),
        INDEX_PATH: data_script(
            "NewsArchiveSearch.setIndex",
            build_documents_index(documents, language=language.code),
        ),
    }
    for chunk, start in enumerate(range(0, len(articles), TEXT_CHUNK_SIZE)):
        chunk_articles = articles[start : start + TEXT_CHUNK_SIZE]
        texts = [a.body_text[:SNIPPET_TEXT_LIMIT] for a in chunk_articles]
        files[text_path(chunk)] = data_script("NewsArchiveSearch.addTexts", texts, chunk)
    scripts = [LUNR_PATH, *languages.scripts, *SCRIPTS[1:]]
    return SearchAssets(files=files, scripts=scripts)
