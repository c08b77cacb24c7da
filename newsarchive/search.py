"""The search stage: a lunr.js index built in Python and the scripts the search page loads.

Queries run in lunr.js (in the browser, or in Node through ``run_search``), so the index is
built to be exactly what lunr.js 2.3.9 would build from the same documents: lunr.py's
Builder with lunr.js's tokenizer and pipeline (:mod:`newsarchive.textpipe`), V8's ``Math.log``
and ``Math.round``, and lunr.js's serialisation order. Everything loads through ``<script>``
tags (never fetch/XHR) so the site also works from ``file://``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.index import Index
from lunr.vector import Vector

import newsarchive

from .config import Config
from .errors import ArchiveError
from .model import Archive, Article
from .textpipe import Language, from_code_units, get_language, js_math_log, js_math_round


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

LUNR_VERSION = "2.3.9"
PROJECT_ROOT = Path(newsarchive.__file__).resolve().parents[1]
LUNR_SOURCE = PROJECT_ROOT / "node_modules" / "lunr" / "lunr.js"
SEARCH_CLI = Path(__file__).resolve().parent / "js" / "search-cli.js"

# Site-relative paths. search-core.js and search-ui.js live in the project's static/ folder,
# which the render stage copies; everything else is generated here.
LUNR_PATH = "static/lunr.js"
CORE_PATH = "static/search-core.js"
UI_PATH = "static/search-ui.js"
DOCS_PATH = "search/docs.js"
INDEX_PATH = "search/index.js"
TEXT_DIR = "search/text/"
SCRIPTS = (LUNR_PATH, CORE_PATH, DOCS_PATH, INDEX_PATH, UI_PATH)

# Article texts for snippets are loaded only for the results on screen, in files of this
# many documents (in archive order, so one page of "newest" results needs one or two files).
TEXT_CHUNK_SIZE = 40
# Snippets come from at most this many characters of each body, bounding a chunk's size.
SNIPPET_TEXT_LIMIT = 50_000

SORTS = ("relevance", "newest", "oldest")

_NO_METADATA: dict[str, Any] = {}  # shared by every posting; never mutated
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def document_ref(article: Article) -> str:
    """An article's ref: its URL path as the site serves it, e.g. ``/2023/04/10/slug/``."""
    return "/" + article.url


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


def index_documents(articles: Iterable[Article]) -> list[dict[str, str]]:
    """The documents exactly as given to the index: url (the ref), title, body, tags."""
    return [
        {
            REF: document_ref(article),
            "title": article.title,
            "body": article.body_text,
            "tags": TAG_SEPARATOR.join(article.tags),
        }
        for article in articles
    ]


def export_docs(articles: Iterable[Article]) -> dict[str, Any]:
    """Ref, fields with boosts and documents: enough for lunr.js to build the same index."""
    return {
        "ref": REF,
        "fields": [{"name": f.name, "boost": f.boost} for f in FIELDS],
        "documents": index_documents(articles),
    }


class JsCompatibleBuilder(Builder):
    """lunr.py's Builder made to index exactly as lunr.js 2.3.9's ``lunr.Builder`` does.

    Differences from stock lunr.py that would otherwise change terms or weights: lunr.js's
    tokenizer and pipeline; ``Math.round(score * 1000) / 1000`` instead of Python's
    half-to-even ``round``; V8's ``Math.log`` for the idf. Postings are laid out as lunr.js
    lays them out (``_index`` first) so the serialised JSON matches byte for byte. Metadata
    whitelists are not supported (the index stores no positions).
    """

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.language = language
        self.pipeline.add(*language.index_functions)
        self.search_pipeline.add(*language.search_functions)

    def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        field_names = list(self._fields)
        inverted = self.inverted_index
        for field_name, spec in self._fields.items():
            value = doc.get(field_name) if spec.extractor is None else spec.extractor(doc)
            terms = self.language.terms(value)
            field_ref = f"{field_name}/{doc_ref}"
            frequencies = Counter(terms)  # keys in order of first occurrence, as in lunr.js
            self.field_term_frequencies[field_ref] = frequencies
            self.field_lengths[field_ref] = len(terms)
            for term in frequencies:
                posting = inverted.get(term)
                if posting is None:
                    posting = {"_index": self.term_index}
                    for name in field_names:
                        posting[name] = {}
                    self.term_index += 1
                    inverted[term] = posting
                posting[field_name][doc_ref] = _NO_METADATA

    def _calculate_average_field_lengths(self) -> None:
        if not self.field_lengths:  # lunr.py divides by zero on an empty index
            self.average_field_length = {}
            return
        super()._calculate_average_field_lengths()

    def _create_field_vectors(self) -> None:
        k1, b, count = self._k1, self._b, self.document_count
        idf_cache: dict[str, float] = {}
        vectors: dict[str, Vector] = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            field_name, doc_ref = field_ref.split("/", 1)
            length = self.field_lengths[field_ref]
            average = self.average_field_length[field_name]
            field_boost = self._fields[field_name].boost or 1
            doc_boost = self._documents[doc_ref].get("boost") or 1
            pairs = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                idf = idf_cache.get(term)
                if idf is None:
                    with_term = sum(len(v) for k, v in posting.items() if k != "_index")
                    x = (count - with_term + 0.5) / (with_term + 0.5)
                    idf = idf_cache[term] = js_math_log(1 + abs(x))
                score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (length / average)) + tf)
                score *= field_boost
                score *= doc_boost
                # Math.round(score * 1000) / 1000, kept as an int when integral so the JSON
                # shows 2 where JSON.stringify does, not 2.0.
                thousandths = int(js_math_round(score * 1000))
                value = thousandths // 1000 if thousandths % 1000 == 0 else thousandths / 1000
                pairs.append((posting["_index"], value))
            pairs.sort()
            vectors[field_ref] = Vector([x for pair in pairs for x in pair])
        self.field_vectors = vectors

    def _create_token_set(self) -> None:
        # Only the serialised form is used, and lunr.js rebuilds the token set when it loads
        # it; building lunr.py's would cost seconds and memory for nothing.
        self.token_set = None


def _serialize(index: Index) -> dict[str, Any]:
    # Terms are in UTF-16 code-unit form, so Python's sort is JavaScript's Array.sort order,
    # which lunr.js's TokenSet.Builder requires when it loads the index.
    terms = sorted(index.inverted_index)
    return {
        "version": LUNR_VERSION,
        "fields": list(index.fields),
        "fieldVectors": [[ref, vector.elements] for ref, vector in index.field_vectors.items()],
        "invertedIndex": [[from_code_units(t), index.inverted_index[t]] for t in terms],
        "pipeline": index.pipeline.serialize(),
    }


def built_index(
    documents: Iterable[dict[str, Any]],
    fields: Sequence[SearchField] = FIELDS,
    *,
    ref: str = REF,
    language: str = "en",
) -> Index:
    """The lunr.py Index of ready-made documents, weights and term numbers as lunr.js's.

    Both index forms are made from it: serialised whole (monolithic) or cut into shards
    (:mod:`newsarchive.shards`), so they can never disagree. Terms (the inverted index
    keys) are in UTF-16 code-unit form. Its token set is not built (see JsCompatibleBuilder).
    """
    builder = JsCompatibleBuilder(get_language(language))
    builder.ref(ref)
    for spec in fields:
        builder.field(spec.name, boost=spec.boost)
    for document in documents:
        builder.add(document)
    return builder.build()


def build_documents_index(
    documents: Iterable[dict[str, Any]],
    fields: Sequence[SearchField] = FIELDS,
    *,
    ref: str = REF,
    language: str = "en",
) -> dict[str, Any]:
    """Serialised lunr index of ready-made documents (see :func:`build_index`)."""
    return _serialize(built_index(documents, fields, ref=ref, language=language))


def build_index(articles: Iterable[Article], *, language: str = "en") -> dict[str, Any]:
    """The serialised lunr index of the articles, as ``JSON.parse(JSON.stringify(idx))``.

    Deterministic for the same articles in the same order. Load it with
    ``lunr.Index.load``; refs are URL paths (:func:`document_ref`).
    """
    return build_documents_index(index_documents(articles), language=language)


def index_json(data: Any) -> str:
    """Compact JSON as JavaScript's JSON.stringify writes it (for an index: byte for byte)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def data_script(function: str, data: Any, *leading: int | str) -> bytes:
    """``function(leading..., JSON.parse('...'))``; ``leading`` are JavaScript expressions.

    JSON.parse of a string literal is parsed faster than the same data as an object literal.
    """
    literal = (
        index_json(data)
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    args = "".join(f"{value}, " for value in leading)
    return f"{function}({args}JSON.parse('{literal}'));\n".encode()


def lunr_source(*, minified: bool = False) -> bytes:
    """lunr.js from node_modules (``npm install``); its version must be the one we emulate.

    ``minified``: the package's own lunr.min.js (same code, 8 kB instead of 25 kB gzipped),
    for the sharded page, where it is a large part of what the first search downloads.
    """
    path = LUNR_SOURCE.with_name("lunr.min.js") if minified else LUNR_SOURCE
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(
            f"lunr.js not found; run `npm install` in {PROJECT_ROOT}", str(path)
        ) from exc
    marker = f'version="{LUNR_VERSION}"' if minified else f'lunr.version = "{LUNR_VERSION}"'
    if marker.encode() not in source:
        raise ArchiveError(f"lunr.js is not version {LUNR_VERSION}", str(path))
    return source


@dataclass
class SearchAssets:
    """Generated search files (site path -> content) and the scripts the page loads, in order.

    ``scripts`` also names ``static/search-core.js`` and ``static/search-ui.js``, which are not
    in ``files`` because they are part of the project's static/ folder.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    scripts: list[str] = field(default_factory=list)
    # Files kept from the previous build, which had the same search inputs (not in files).
    reused: list[str] = field(default_factory=list)


def text_path(chunk: int) -> str:
    return f"{TEXT_DIR}{chunk}.js"


def site_assets(
    archive: Archive, config: Config, terms: Sequence[Any] | None = None, state: Any = None
) -> SearchAssets:
    """The search files in the form ``config.search_index`` asks for (sharded by default).

    ``terms``, ``state``: each article's ``postings.document_terms`` when already known, and
    a ``postings.ShardState`` to update (sharded form; see there).
    """
    if config.search_index == "monolithic":
        return monolithic_assets(archive, config)
    from .shards import sharded_assets  # shards builds on this module

    return sharded_assets(archive, config, terms, state)


def monolithic_assets(archive: Archive, config: Config) -> SearchAssets:
    """lunr.js, the whole index, every document's metadata, and texts by chunks.

    Documents are numbered in archive order (newest first), so a document's number also
    sorts results by date; texts for snippets are split into files of ``TEXT_CHUNK_SIZE``.
    """
    language = get_language(config.language)
    articles = list(archive.articles)
    tag_numbers = {tag.name.casefold(): i for i, tag in enumerate(archive.tags)}
    docs = []
    for article in articles:
        numbers = dict.fromkeys(
            tag_numbers[name.casefold()] for name in article.tags if name.casefold() in tag_numbers
        )
        docs.append(
            [document_ref(article), article.title, article.posted.isoformat(), list(numbers)]
        )
    meta = {
        "format": 1,
        "language": language.code,
        "pipeline": language.index_labels,
        "chunkSize": TEXT_CHUNK_SIZE,
        "textPath": TEXT_DIR,
        "tags": [[tag.name, tag.slug] for tag in archive.tags],
        "years": sorted({a.posted.year for a in articles}, reverse=True),
        "docs": docs,
    }
    documents = index_documents(articles)
    for number, document in enumerate(documents):
        document[REF] = short_ref(number)
    files = {
        LUNR_PATH: lunr_source(),
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
    return SearchAssets(files=files, scripts=list(SCRIPTS))


@dataclass(frozen=True)
class SearchHit:
    """One result of :func:`run_search`, as the search page ranks it.

    ``url`` is the article's path in the site (``/2023/04/10/slug/``); ``date`` is the ISO 8601
    publication time with its offset, as the site stores it.
    """

    url: str
    title: str
    date: str
    tags: tuple[str, ...]
    score: float

    @property
    def posted(self) -> datetime:
        return datetime.fromisoformat(self.date)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form search-cli.js prints: url, title, date, tags, score."""
        return {
            "url": self.url,
            "title": self.title,
            "date": self.date,
            "tags": list(self.tags),
            "score": self.score,
        }


def run_search(
    site_dir: Path,
    query: str,
    *,
    tag: str | None = None,
    year: int | None = None,
    sort: str = "relevance",
    limit: int | None = None,
) -> list[SearchHit]:
    """Search a built site with its own shipped scripts under Node, exactly as the page does.

    ``tag`` is a tag's slug or name. Raises ArchiveError if the site has no search files,
    Node.js is missing, or lunr.js cannot parse the query (with lunr's message).
    """
    site_dir = Path(site_dir)
    sharded = any((site_dir / "search").glob("entry-*.js"))
    needed = (CORE_PATH,) if sharded else (LUNR_PATH, CORE_PATH, DOCS_PATH, INDEX_PATH)
    for rel in needed:
        if not (site_dir / rel).is_file():
            raise ArchiveError(
                f"no search files ({rel} missing); build the site first", str(site_dir)
            )
    if sort not in SORTS:
        raise ArchiveError(f"unknown sort {sort!r} (use one of: {', '.join(SORTS)})")
    node = shutil.which("node")
    if node is None:
        raise ArchiveError("Node.js (`node`) not found on PATH; it is needed to run searches")
    args = [node, str(SEARCH_CLI), f"--sort={sort}"]
    if tag:
        args.append(f"--tag={tag}")
    if year is not None:
        args.append(f"--year={int(year)}")
    if limit is not None:
        args.append(f"--limit={int(limit)}")
    args += ["--", str(site_dir), query]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=False)
    except OSError as exc:
        raise ArchiveError(f"cannot run Node.js: {exc}") from exc
    message = proc.stderr.strip()
    if proc.returncode == 2:
        raise ArchiveError(f"cannot parse search query {query!r}: {message}")
    if proc.returncode != 0:
        message = message or f"search failed (exit status {proc.returncode})"
        raise ArchiveError(message, str(site_dir))
    return [
        SearchHit(
            url=hit["url"],
            title=hit["title"],
            date=hit["date"],
            tags=tuple(hit["tags"]),
            score=float(hit["score"]),
        )
        for hit in json.loads(proc.stdout)
    ]
