"""The sharded search index: the parts of one lunr index, each loaded only when a query needs it.

The monolithic form ships the whole serialised lunr index and every document's metadata before
the first search (30 MB for 20,000 Reuters articles). Here the same index
(:func:`newsarchive.search.built_index`, so the same terms and BM25 weights) is
cut into files the search page loads as ``<script>`` tags (so ``file://`` works too):

``search/entry-<hash>.js``
    The only file the page names: fields, pipelines, document count, a separator and name of
    every posting shard, tags (name, count, doc-list file), year ranges of document numbers,
    and the hashes of the metadata files.
``search/p/<hash>.js``
    Posting shards: a contiguous range of the sorted terms, each with, per field, the
    documents that hold it and their field-vector weights.
``search/h/<hash>.js``
    For the biggest terms (a shard each), a head: the HEAD_SIZE best documents of the term
    alone, its document count and counts per year, enough to show the first pages of a
    one-word search without downloading all of the term's postings.
``search/terms-<hash>.js``
    Every term, for the queries whose matches cannot be told from a range (``*port``,
    ``ex*rt``, ``wheet~1``).
``search/t/<hash>.js``
    One tag's documents, for the tag filter.
``search/m/<chunk>-<hash>.js`` / ``search/x/<chunk>-<hash>.js``
    URL, title, date and tags (with the names of the text files) / snippet texts, for
    ``META_CHUNK`` / ``TEXT_CHUNK`` consecutive documents, oldest first (so that a new
    article changes only the last ones).

Documents are numbered in archive order (newest first), as lunr.js would insert them, so a
number sorts by date and a year is a range of numbers. Postings list documents in ascending
number, which is the order lunr.js keeps them in, so ties rank as in the monolithic index.
Weights are stored as integer thousandths (lunr.js rounds every weight to 0.001), doc numbers
delta-encoded, both as unsigned LEB128 varints in base64. search-core.js rebuilds a small
``lunr.Index`` holding only the query's terms and runs lunr.js's own search on it: a
document's score only involves the terms in the query vector, so scores and order are those
of the whole index (up to the order in which a document's term scores are added: the last
bits of a float).

Files are named by a hash of their content, so hosts and browsers may cache them for ever.
Shard boundaries are chosen term by term from a hash of the term and the size of its postings
(content-defined chunking), not by position, so adding or removing terms moves only the
boundaries next to them. Metadata files are named by the hash of their group of META_GROUP,
which keeps the entry small (one hash per 128 articles).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from lunr.index import Index

from .config import Config
from .model import Archive, Article
from .search import (
    CORE_PATH,
    FIELDS,
    REF,
    SNIPPET_TEXT_LIMIT,
    UI_PATH,
    SearchAssets,
    built_index,
    data_script,
    document_ref,
    index_documents,
    lunr_source,
    short_ref,
)
from .textpipe import from_code_units, get_language

FORMAT = 2
LUNR_MIN_PATH = "static/lunr.min.js"
ENTRY_PREFIX = "search/entry-"
SHARD_DIR = "search/p/"
HEAD_DIR = "search/h/"
TAG_DIR = "search/t/"
META_DIR = "search/m/"
TEXT_DIR = "search/x/"
TERMS_PREFIX = "search/terms-"

# Documents per metadata file: a page of relevance-ranked results needs about one file per
# result, so small files; the entry names them by groups of META_GROUP files.
META_CHUNK = 8
META_GROUP = 16
# Documents per snippet-text file (loaded after the results are shown); divides META_CHUNK.
TEXT_CHUNK = 8
# A term whose postings fill a shard of their own also gets a head: its HEAD_SIZE best
# documents for a one-term query, enough for the first pages of results without the rest.
HEAD_SIZE = 200
# Posting shards aim at a mean size (encoded bytes, before base64 and gzip) of the power of two
# nearest sqrt(ENTRY_BYTES_PER_SHARD * all postings), within these bounds: a rare word then
# costs about as much in its shard as in the entry's table of shards (about 12 gzipped bytes
# per shard), which minimises their sum. 8 kB for 20,000 Reuters articles, 16 kB for 100,000.
SHARD_TARGET_MIN = 4_096
SHARD_TARGET_MAX = 65_536
ENTRY_BYTES_PER_SHARD = 12
# Hex digits of a content hash in a file name. Chunk files also carry their chunk number, so
# their hash only has to tell versions of the same chunk apart.
HASH_DIGITS = 10
CHUNK_HASH_DIGITS = 8


def content_hash(data: bytes, digits: int = HASH_DIGITS) -> str:
    return hashlib.sha256(data).hexdigest()[:digits]


def varints(numbers: Iterable[int], out: bytearray) -> None:
    """Append unsigned LEB128 varints (7 bits a byte, low first, high bit = more follows)."""
    append = out.append
    for n in numbers:
        while n >= 0x80:
            append((n & 0x7F) | 0x80)
            n >>= 7
        append(n)


def read_varints(data: bytes) -> list[int]:
    """Decode :func:`varints` output (for tests and tools; the browser has its own)."""
    numbers, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            numbers.append(value)
            value, shift = 0, 0
    return numbers


def deltas(numbers: Sequence[int]) -> list[int]:
    """Gaps between ascending numbers minus one (the first counted from -1): all >= 0."""
    out, previous = [], -1
    for n in numbers:
        out.append(n - previous - 1)
        previous = n
    return out


@dataclass
class TermPostings:
    """One term's postings: its lunr term number and, per field, documents and weights.

    The term number is not stored: lunr.js only uses term numbers to line up the query vector
    with field vectors and to order the dot product's sum, so search-core.js numbers a query's
    terms in string order. Storing lunr's own numbers (order of first occurrence) would make
    a typo fix renumber every term first seen after it, changing nearly every shard.
    """

    index: int
    docs: list[list[int]]  # per field, ascending document numbers
    weights: list[list[int]]  # per field, thousandths, parallel to docs

    def encode(self) -> bytes:
        out = bytearray()
        for docs, weights in zip(self.docs, self.weights, strict=True):
            varints((len(docs),), out)
            varints(deltas(docs), out)
            varints(weights, out)
        return bytes(out)


def collect_postings(index: Index, numbers: dict[str, int]) -> dict[str, TermPostings]:
    """Every term's postings, read from the field vectors lunr.py built (the exact weights).

    Field vectors are in document order and, within a document, in field order, so each
    list comes out in ascending document number.
    """
    fields = list(index.fields)
    field_number = {name: i for i, name in enumerate(fields)}
    by_index: dict[int, TermPostings] = {}
    for posting in index.inverted_index.values():
        term_index = posting["_index"]
        by_index[term_index] = TermPostings(term_index, [[] for _ in fields], [[] for _ in fields])
    for field_ref, vector in index.field_vectors.items():
        name, ref = field_ref.split("/", 1)
        doc = numbers[ref]
        f = field_number[name]
        elements = vector.elements
        for i in range(0, len(elements), 2):
            postings = by_index[elements[i]]
            postings.docs[f].append(doc)
            # Weights are Math.round(x * 1000) / 1000; * 1000 gives the integer back.
            postings.weights[f].append(round(elements[i + 1] * 1000))
    return {term: by_index[posting["_index"]] for term, posting in index.inverted_index.items()}


def shard_target(total: int) -> int:
    """The mean shard size for ``total`` bytes of postings (see SHARD_TARGET_MIN).

    A power of two, so it changes only when the index doubles or halves; and since a cut point
    at one target is also one at half of it (:func:`_cut_point`), doubling it keeps half of
    the boundaries.
    """
    ideal = math.sqrt(ENTRY_BYTES_PER_SHARD * max(total, 1))
    target = 1 << round(math.log2(ideal))
    return min(max(target, SHARD_TARGET_MIN), SHARD_TARGET_MAX)


def _cut_point(term: str, size: int, target: int) -> bool:
    """Whether a shard ends after ``term``: with probability size / target, decided by a hash
    of the term, so the decision depends on no other term."""
    digest = hashlib.sha256(term.encode("utf-16-le", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < size / target


def cut_shards(terms: Sequence[str], sizes: Sequence[int], target: int) -> list[list[int]]:
    """Split sorted terms into runs (lists of positions) of about ``target`` bytes.

    Content-defined: a run ends after a term chosen by :func:`_cut_point`, so inserting or
    removing a term changes at most the run that holds it (and a neighbour when that term
    was a cut point). A term of at least half the target has a shard of its own, so a common
    word never brings others along; no run grows beyond twice the target.
    """
    shards: list[list[int]] = []
    current: list[int] = []
    total = 0
    for position, (term, size) in enumerate(zip(terms, sizes, strict=True)):
        big = 2 * size >= target
        if big and current:
            shards.append(current)
            current, total = [], 0
        current.append(position)
        total += size
        if big or total >= 2 * target or _cut_point(term, size, target):
            shards.append(current)
            current, total = [], 0
    if current:
        shards.append(current)
    return shards


def separator(previous: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts after ``previous`` (which sorts before it).

    The entry names each shard by it instead of its first term: the shard holds the terms
    from its separator up to the next one's.
    """
    for length in range(1, len(first) + 1):
        if first[:length] > previous:
            return first[:length]
    return first


def year_ranges(articles: Sequence[Article]) -> list[list[int]]:
    """``[year, first, end)`` runs of document numbers (newest first: usually one per year)."""
    runs: list[list[int]] = []
    for number, article in enumerate(articles):
        year = article.posted.year
        if runs and runs[-1][0] == year:
            runs[-1][2] = number + 1
        else:
            runs.append([year, number, number + 1])
    return runs


def tag_numbers(archive: Archive) -> list[list[int]]:
    """Each article's tags as numbers into ``archive.tags`` (the page's tag order)."""
    numbers = {tag.name.casefold(): i for i, tag in enumerate(archive.tags)}
    return [
        list(dict.fromkeys(numbers[n.casefold()] for n in a.tags if n.casefold() in numbers))
        for a in archive.articles
    ]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _js_string(value: str) -> str:
    return json.dumps(value)


@dataclass
class _Writer:
    """Collects the files, naming each by a hash of its content."""

    files: dict[str, bytes]

    def put(self, path: str, data: bytes) -> None:
        if self.files.get(path, data) != data:  # a hash collision: refuse, never overwrite
            raise RuntimeError(f"content hash collision at {path}")
        self.files[path] = data

    def add(self, prefix: str, make: Callable[[str], bytes], digits: int = HASH_DIGITS) -> str:
        """Write ``make(key)`` (bytes) under ``prefix + key + .js``; return the key.

        The key is the hash of ``make("")``, the content without its own name, so a file
        that names itself (to register its data) is still named by its content.
        """
        key = content_hash(make(""), digits)
        self.put(f"{prefix}{key}.js", make(key))
        return key


def head_postings(
    postings: TermPostings, articles: Sequence[Article], size: int = HEAD_SIZE
) -> tuple[TermPostings, int, list[list[int]]]:
    """The postings of the ``size`` best documents of a one-term query, the number of
    documents it finds and how many per year (newest year first).

    lunr scores a document of a one-term query by adding, field by field in field order,
    the term's weights in its fields (the query vector has the single value 1), and sorts
    ties in the order the documents first appear: by first field, then by number. The same
    float additions here pick exactly lunr's top ``size``; lunr's own search then ranks them
    in the page.
    """
    score: dict[int, float] = {}
    first_seen: dict[int, tuple[int, int]] = {}
    for f, (docs, weights) in enumerate(zip(postings.docs, postings.weights, strict=True)):
        for doc, weight in zip(docs, weights, strict=True):
            if doc in score:
                score[doc] += weight / 1000
            else:
                score[doc] = weight / 1000
                first_seen[doc] = (f, doc)
    ranked = sorted(score, key=lambda doc: (-score[doc], first_seen[doc]))
    top = set(ranked[:size])
    head = TermPostings(postings.index, [], [])
    for docs, weights in zip(postings.docs, postings.weights, strict=True):
        kept = [(d, w) for d, w in zip(docs, weights, strict=True) if d in top]
        head.docs.append([d for d, _ in kept])
        head.weights.append([w for _, w in kept])
    years = Counter(articles[doc].posted.year for doc in score)
    return head, len(score), [[y, years[y]] for y in sorted(years, reverse=True)]


def _shard_files(
    writer: _Writer, postings: dict[str, TermPostings], articles: Sequence[Article]
) -> tuple[list[list[str]], str]:
    """Posting shards (and heads of the biggest terms), the term list; the entry's table."""
    terms = sorted(postings)  # code-unit form: JavaScript's string order
    records = [postings[t].encode() for t in terms]
    sizes = [len(r) for r in records]
    target = shard_target(sum(sizes))
    table = []
    for run in cut_shards(terms, sizes, target):
        first = "" if not table else separator(terms[run[0] - 1], terms[run[0]])
        shard_terms = [from_code_units(terms[p]) for p in run]
        data = [shard_terms, _b64(b"".join(records[p] for p in run))]
        key = writer.add(
            SHARD_DIR,
            lambda k, d=data: data_script("NewsArchiveSearch.addShard", d, _js_string(k)),
        )
        row = [from_code_units(first), key]
        term = terms[run[0]]
        if len(run) == 1 and 2 * sizes[run[0]] >= target:
            head, count, years = head_postings(postings[term], articles)
            if count > HEAD_SIZE:
                head_data = [shard_terms[0], count, years, _b64(head.encode())]
                row.append(
                    writer.add(
                        HEAD_DIR,
                        lambda k, d=head_data: data_script(
                            "NewsArchiveSearch.addHead", d, _js_string(k)
                        ),
                    )
                )
        table.append(row)
    all_terms = [from_code_units(t) for t in terms]
    terms_key = writer.add(
        TERMS_PREFIX, lambda k: data_script("NewsArchiveSearch.addTerms", all_terms)
    )
    return table, terms_key


def _tag_files(writer: _Writer, archive: Archive, doc_tags: list[list[int]]) -> list[list[Any]]:
    """One file per tag with the ages of its articles; the entry's rows
    ``[name, count, file, slug]`` (the slug left out when it equals the name)."""
    tag_ages: list[list[int]] = [[] for _ in archive.tags]
    for age, tags in enumerate(doc_tags):
        for t in tags:
            tag_ages[t].append(age)
    rows: list[list[Any]] = []
    for tag, docs in zip(archive.tags, tag_ages, strict=True):
        encoded = bytearray()
        varints(deltas(docs), encoded)
        slug, data = _js_string(tag.slug), _js_string(_b64(bytes(encoded)))
        key = writer.add(
            TAG_DIR, lambda k, s=slug, d=data: f"NewsArchiveSearch.addTag({s}, {d});\n".encode()
        )
        rows.append([tag.name, len(docs), key] + ([] if tag.slug == tag.name else [tag.slug]))
    return rows


def _short_url(article: Article) -> str:
    """The article's URL without the ``/YYYY/MM/DD/`` its date gives (search-core.js adds
    it back); the whole URL, starting with ``/``, when they differ."""
    url, date = document_ref(article), article.posted.isoformat()
    day = f"/{date[:4]}/{date[5:7]}/{date[8:10]}/"
    return url[len(day) :] if url.startswith(day) and len(url) > len(day) else url


def _article_files(
    writer: _Writer, archive: Archive, ages: Sequence[Article], doc_tags: list[list[int]]
) -> str:
    """Snippet texts, and metadata chunks that name them; the entry's string of group hashes.

    Metadata files are named by the hash of their group (META_GROUP chunks), so the entry
    names a group, not each file: an edit renames the group's small files.
    """
    text_keys = []
    for chunk, start in enumerate(range(0, len(ages), TEXT_CHUNK)):
        texts = [a.body_text[:SNIPPET_TEXT_LIMIT] for a in ages[start : start + TEXT_CHUNK]]
        script = data_script("NewsArchiveSearch.addTexts", texts, chunk)
        text_keys.append(
            writer.add(f"{TEXT_DIR}{chunk}-", lambda k, s=script: s, CHUNK_HASH_DIGITS)
        )
    slugs = [tag.slug for tag in archive.tags]
    per_meta = META_CHUNK // TEXT_CHUNK
    scripts = []
    for chunk, start in enumerate(range(0, len(ages), META_CHUNK)):
        rows = [
            [_short_url(a), a.title, a.posted.isoformat(), [slugs[t] for t in tags]]
            for a, tags in zip(
                ages[start : start + META_CHUNK], doc_tags[start : start + META_CHUNK], strict=True
            )
        ]
        data = {"docs": rows, "texts": text_keys[chunk * per_meta : (chunk + 1) * per_meta]}
        scripts.append(data_script("NewsArchiveSearch.addMeta", data, chunk))
    group_keys = []
    for start in range(0, len(scripts), META_GROUP):
        key = content_hash(b"".join(scripts[start : start + META_GROUP]), CHUNK_HASH_DIGITS)
        for chunk in range(start, min(start + META_GROUP, len(scripts))):
            writer.put(f"{META_DIR}{chunk}-{key}.js", scripts[chunk])
        group_keys.append(key)
    return "".join(group_keys)


def sharded_assets(archive: Archive, config: Config) -> SearchAssets:
    """Everything the sharded search page loads; only the entry is named by the page."""
    language = get_language(config.language)
    articles = list(archive.articles)
    documents = index_documents(articles)
    numbers = {}
    for number, document in enumerate(documents):
        document[REF] = ref = short_ref(number)
        numbers[ref] = number
    index = built_index(documents, language=language.code)
    files: dict[str, bytes] = {LUNR_MIN_PATH: lunr_source(minified=True)}
    writer = _Writer(files)
    shard_table, terms_key = _shard_files(writer, collect_postings(index, numbers), articles)
    # Per-article files are keyed by age (0 = oldest), not by document number (0 = newest),
    # so that a new article only changes the last files and the lists of its own tags. Tags
    # are named by slug in them: numbers would shift when a tag is added.
    doc_tags = tag_numbers(archive)[::-1]
    tag_rows = _tag_files(writer, archive, doc_tags)
    meta_keys = _article_files(writer, archive, articles[::-1], doc_tags)
    entry = {
        "format": FORMAT,
        "language": language.code,
        "pipeline": language.index_labels,
        "searchPipeline": index.pipeline.serialize(),
        "fields": [f.name for f in FIELDS],
        "count": len(articles),
        "shards": shard_table,
        "terms": terms_key,
        "tags": tag_rows,
        "years": year_ranges(articles),
        "headSize": HEAD_SIZE,
        "metaSize": META_CHUNK,
        "metaGroup": META_GROUP,
        "textSize": TEXT_CHUNK,
        "hashSize": CHUNK_HASH_DIGITS,
        "meta": meta_keys,
        "paths": {
            "shard": SHARD_DIR,
            "head": HEAD_DIR,
            "terms": TERMS_PREFIX,
            "tag": TAG_DIR,
            "meta": META_DIR,
            "text": TEXT_DIR,
        },
    }
    entry_key = writer.add(ENTRY_PREFIX, lambda k: data_script("NewsArchiveSearch.setEntry", entry))
    scripts = [LUNR_MIN_PATH, CORE_PATH, f"{ENTRY_PREFIX}{entry_key}.js", UI_PATH]
    return SearchAssets(files=files, scripts=scripts)
