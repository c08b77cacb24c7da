"""A lunr index built in Python exactly as lunr.js 2.3.9 builds it, serialised as lunr.js
serialises it: the monolithic form ships it whole, the sharded form is cut from the same
postings, and ``export-index`` writes it for any lunr.js to load."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from lunr.builder import Builder
from lunr.index import Index
from lunr.vector import Vector

from ..model import Article
from .bm25 import bm25, idf
from .documents import FIELDS, LANG, REF, SearchField, index_documents
from .languageset import LanguageSet
from .textpipe import Language, from_code_units, get_language

LUNR_VERSION = "2.3.9"
_NO_METADATA: dict[str, Any] = {}  # shared by every posting; never mutated


class JsCompatibleBuilder(Builder):
    """lunr.py's Builder made to index exactly as lunr.js 2.3.9's ``lunr.Builder`` does.

    Differences from stock lunr.py that would otherwise change terms or weights: lunr.js's
    tokenizer and pipeline; ``Math.round(score * 1000) / 1000`` instead of Python's
    half-to-even ``round``; V8's ``Math.log`` for the idf (:mod:`.bm25`). Postings are laid
    out as lunr.js lays them out (``_index`` first) so the serialised JSON matches byte for
    byte. Metadata whitelists and document boosts are not supported (the index stores no
    positions, and no article weighs more than another).
    """

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.language = language  # of documents without a ``lang``
        self.pipeline.add(*language.index_functions)
        self.languages: dict[str, Language] = {}  # the documents' ones, by their ``lang``

    def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        """Index ``doc`` with its ``lang``'s pipeline (lunr.js: ``builder.pipeline =
        pipelineOf(doc.lang)`` before ``builder.add(doc)``; see :mod:`.languageset`)."""
        code = doc.get(LANG) or self.language.code
        language = self.languages.get(code)
        if language is None:
            language = self.languages[code] = get_language(code)
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        field_names = list(self._fields)
        inverted = self.inverted_index
        for field_name, spec in self._fields.items():
            value = doc.get(field_name) if spec.extractor is None else spec.extractor(doc)
            terms = language.terms(value)
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

    def build(self) -> Index:
        """The index, searched with the pipeline its documents' languages call for."""
        codes = (language.code for language in self.languages.values())
        languages = LanguageSet.of(self.language.code, codes)
        self.search_pipeline.reset()
        self.search_pipeline.add(*languages.search_functions)
        return super().build()

    def _calculate_average_field_lengths(self) -> None:
        if not self.field_lengths:  # lunr.py divides by zero on an empty index
            self.average_field_length = {}
            return
        super()._calculate_average_field_lengths()

    def _create_field_vectors(self) -> None:
        count = self.document_count
        idf_cache: dict[str, float] = {}
        vectors: dict[str, Vector] = {}
        for field_ref, frequencies in self.field_term_frequencies.items():
            field_name, _doc_ref = field_ref.split("/", 1)
            length = self.field_lengths[field_ref]
            average = self.average_field_length[field_name]
            boost = self._fields[field_name].boost or 1
            pairs = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                term_idf = idf_cache.get(term)
                if term_idf is None:
                    with_term = sum(len(v) for k, v in posting.items() if k != "_index")
                    term_idf = idf_cache[term] = idf(with_term, count)
                weight = bm25(term_idf, tf, length, average, boost)
                # An int when integral, so the JSON shows 2 where JSON.stringify does, not 2.0.
                pairs.append((posting["_index"], int(weight) if weight.is_integer() else weight))
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

    Terms (the inverted index keys) are in UTF-16 code-unit form. Its token set is not built
    (see JsCompatibleBuilder). The sharded form stores the inputs of the same weights
    instead (:mod:`.postings`); the tests hold both to lunr.js's own index.
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
    """The serialised lunr index of the articles, as ``JSON.parse(JSON.stringify(idx))``;
    ``language`` is the archive's (for articles without a ``Lang:``).

    Deterministic for the same articles in the same order. Load it with
    ``lunr.Index.load``; refs are URL paths (:func:`document_ref`).
    """
    return build_documents_index(index_documents(articles, language), language=language)
