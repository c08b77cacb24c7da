"""The sharded search index: the parts of one lunr index, each loaded only when a query needs it.

The monolithic form ships the whole serialised lunr index and every document's metadata before
the first search (30 MB for 20,000 Reuters articles). Here the same index (the terms of
lunr.js's tokenizer and pipeline, :mod:`.textpipe`, and the inputs of its BM25
weights) is cut into files the search page loads as ``<script>`` tags (so ``file://`` works):

``search/entry-<hash>.js``
    The only file the page names: fields, boosts, pipelines, document count, total field
    lengths, a separator and name of every posting shard, tags (name, count, doc-list
    file), year ranges of slots, and the first slot, shift and hash of each metadata group.
    Past TABLE_INLINE rows, the shards' and the groups' tables are in pieces (below).
``search/r/<hash>.js``
    A piece of the table of shards or of metadata groups (:mod:`.tables`): the entry names
    each piece by its first term or slot, and a query loads those it needs.
``search/p/<hash>.js``
    Posting shards: a contiguous range of the sorted terms, each with, per field, the
    documents that hold it, the term's frequency there and the field's length.
``search/h/<hash>.js``
    For the biggest terms (a shard each), a head: the HEAD_SIZE best documents of the term
    alone, its document count, counts per year and lunr's count for the idf, enough to show
    the first pages of a one-word search without downloading all of the term's postings.
``search/terms-<hash>.js``
    Every term, for the queries whose matches cannot be told from a range (``*port``,
    ``ex*rt``, ``wheet~1``).
``search/t/<hash>.js``
    One tag's documents, for the tag filter.
``search/d/<hash>.js``
    The slots of one year's documents (one file per run of ``years``): for browsing by year
    (one file) and for a query of only prohibited terms, where lunr scores every document.
``search/m/<first>-<chunk>-<hash>.js`` / ``search/x/<first>-<chunk>-<hash>.js``
    URL, title, date and tags (with the name of the text file) / snippet texts, of the
    documents of one chunk of a metadata group (:func:`.metadata.article_files`).

Documents are named by slot (:func:`.slots.document_slots`): a number made from the article's own
date, ascending with it, that no other article's arrival or removal changes. lunr.js inserts
documents in archive order (newest first), and postings list them in that order; slots sort
the same way (descending), so ties rank as in the monolithic index. Numbering documents by
age instead made back-filling or deleting an article renumber every newer one, changing
nearly every file. Shards store slots (delta-encoded), frequencies and lengths, as unsigned
LEB128 varints in base64. search-core.js computes each weight as lunr.js's Builder does
(:func:`.bm25.bm25`, the same float operations) and runs lunr.js's ``Index#query`` step for step on
the postings of the query's terms (typed arrays instead of a ``lunr.Index``): a document's
score only involves the terms in the query vector, so scores and order are those of the whole
index (up to the order in which a document's term scores are added: the last bits of a float).

Past FOLDER_LIMIT files, each folder's files move into sub-folders named by the first
digits of their hash (:func:`fan_out`), so no folder grows past it at a million articles.

Files are named by a hash of their content, so hosts and browsers may cache them for ever.
Shard boundaries are chosen term by term from a hash of the term and the size of its postings
(content-defined chunking), not by position, so adding or removing terms moves only the
boundaries next to them. Since weights are not stored and postings name slots, an edit, a new
article or a deleted one changes only the shards of the terms whose postings it changes, the
files of its tags, its metadata group and the entry (with the list of all slots).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from .. import folders
from ..config import Config
from ..model import Archive
from .bm25 import BM25_B, BM25_K1
from .docstate import DocumentMemo, documents
from .documents import FIELDS, field_texts
from .hashed import CHUNK_HASH_DIGITS, HashedFiles, Made
from .heads import HEAD_SIZE, HeadBasis, HeadMemo
from .languageset import LanguageSet
from .lists import DOCS_DIR, TAG_DIR, DocsMemo, TagMemo, docs_files, tag_files
from .metadata import META_DIR, TEXT_DIR, MetadataMemo, article_files
from .packed import DecodedPostings, collect_records
from .postings import PostingsState, update_postings
from .scripts import (
    CORE_PATH,
    LUNR_MIN_PATH,
    UI_PATHS,
    SearchAssets,
    core_source,
    data_script,
    lunr_source,
)
from .shardcuts import ShardMemo
from .shards import HEAD_DIR, SHARD_DIR, TERMS_PREFIX, shard_files
from .tables import ROWS_DIR, group_table, shard_table
from .textpipe import get_language

FORMAT = 6
ENTRY_PREFIX = "search/entry-"

# The folders whose files grow with the archive, by their name in the entry's "paths"; each
# is fanned out into sub-folders by a hash prefix once it holds more than FOLDER_LIMIT files.
FANNED = {
    "shard": SHARD_DIR,
    "head": HEAD_DIR,
    "tag": TAG_DIR,
    "docs": DOCS_DIR,
    "meta": META_DIR,
    "text": TEXT_DIR,
}
FANNED_LENGTH = len(SHARD_DIR)  # of every FANNED folder's name (tests/test_folders.py)
GOLDEN = 0x9E3779B1  # Fibonacci hashing: spreads chunk numbers over the high hex digits
_FOLDER = operator.itemgetter(slice(0, FANNED_LENGTH))  # a path's FANNED folder, if any


def meta_fan_key(key: str, chunk: int) -> str:
    """What places a metadata file: its group's hash mixed with its chunk number, since the
    files of a group share the hash (search-core.js's metaFanKey is the same)."""
    return f"{(int(key, 16) ^ ((chunk + 1) * GOLDEN)) & 0xFFFFFFFF:08x}"


def _fan_key(kind: str, name: str) -> str:
    """The hex hash a file is placed by: its content hash (the last part of its name)."""
    parts = name.split("-")
    return meta_fan_key(parts[2], int(parts[1])) if kind == "meta" else parts[-1]


# serve moves the same files again each rebuild; a one-off build once (kept, the keys of a
# million articles' files were an estimated 60 MB at the search stage's peak).
_kept_fan_key = functools.lru_cache(maxsize=1 << 18)(_fan_key)


# Where a one-off build's files already written go once the fan-out is known: (old, new).
Mover = Callable[[list[tuple[str, str]]], None]


def fan_out(
    files: dict[str, bytes],
    written: dict[str, bytes] | None = None,
    move: Mover | None = None,
    keep: bool = False,
    memo: FanMemo | None = None,
) -> dict[str, int]:
    """Move the files of each FANNED folder into sub-folders named by the first digits of
    their hash (:func:`.folders.fan_digits`), so that no folder holds more than
    FOLDER_LIMIT entries at any size; the entry tells search-core.js the digits of each.

    Files are made at flat paths (and kept so by serve's memos) and moved here, once all
    are known: the digits depend on how many there are. Every FANNED folder's name has the
    same length, so counting them is one cheap pass (serve runs it on every rebuild).
    ``written`` (a one-off build): the files already written, by path; those that move are
    renamed by ``move``, all at once. ``keep`` (serve): remember each file's key. ``memo``
    (serve): the last fan-out, which places only the files that came (:class:`FanMemo`),
    once a folder is fanned (while none is, counting them is all there is to do).
    """
    if memo is not None and not written and memo.moved:
        fan = memo.again(files)
        if fan is not None:
            return fan
    written = written if written is not None else {}
    fan_key = _kept_fan_key if keep else _fan_key
    limit = folders.FOLDER_LIMIT
    width = folders.level_width(limit)
    counts = Counter(map(_FOLDER, itertools.chain(files, written)))
    over = {folder: kind for kind, folder in FANNED.items() if counts[folder] > limit}
    flat = list(files) if memo is not None and not written and over else []
    found: dict[str, list[tuple[str, str]]] = {kind: [] for kind in over.values()}
    for path in (*files, *written) if over else ():
        kind = over.get(path[:FANNED_LENGTH])
        if kind is not None:
            found[kind].append((path, fan_key(kind, path[FANNED_LENGTH:-3])))
    digits = dict.fromkeys(FANNED, 0)
    renames: list[tuple[str, str]] = []
    for kind, got in found.items():
        digits[kind] = folders.fan_digits((key for _, key in got), limit)
        for path, key in got:
            moved = folders.fanned(FANNED[kind], key, digits[kind], width, path[FANNED_LENGTH:])
            if path in files:
                files[moved] = files.pop(path)
            else:
                written[moved] = written.pop(path)
                renames.append((path, moved))
    if renames:
        assert move is not None, "files written before the fan-out need a move"
        move(renames)
    fan = {"width": width, **digits}
    if memo is not None and not written:
        if flat:
            memo.remember(flat, fan)
        else:
            memo.moved = {}  # nothing fanned: next time, count again
    return fan


_KINDS = {folder: kind for kind, folder in FANNED.items()}
FEW_CAME = 4_096  # files come or gone past which the fan-out is worked out afresh


@dataclass
class FanMemo:
    """serve's last fan-out: where each file of the index went (its path as made -> as
    written) and, for each FANNED folder, how many files it holds and their keys counted
    by their first ``digits - 1`` and ``digits`` digits. A rebuild then places only the
    files that came (a pass over every path in Python was 68 ms a rebuild at 100,000
    articles) and checks :func:`.folders.fan_digits`'s rule on the counts alone: when
    the digits would change, every file is placed again."""

    moved: dict[str, str] = field(default_factory=dict)
    fan: dict[str, int] = field(default_factory=dict)
    sizes: Counter[str] = field(default_factory=Counter)
    prefixes: dict[str, tuple[Counter[str], Counter[str]]] = field(default_factory=dict)
    limit: int = 0  # the FOLDER_LIMIT it was worked out at
    again_count: int = 0  # rebuilds placed from the memo (for tests)

    def remember(self, flat: list[str], fan: dict[str, int]) -> None:
        """Every file's place after a full fan-out at ``fan`` (``flat``: the paths the
        files were made at), and the folders' keys counted."""
        self.fan, self.sizes, self.prefixes = dict(fan), Counter(), {}
        self.limit = folders.FOLDER_LIMIT
        self.moved = {}
        for kind in FANNED:
            self.prefixes[kind] = (Counter(), Counter())
        for path in flat:
            self.moved[path] = self._place(path, count=True)

    def _place(self, path: str, count: int = 0) -> str:
        """Where ``path`` goes at the remembered digits; ``count`` (+1 or -1) its key."""
        kind = _KINDS.get(path[:FANNED_LENGTH])
        if kind is None:
            return path
        key = _kept_fan_key(kind, path[FANNED_LENGTH:-3])
        digits = self.fan[kind]
        if count:
            self.sizes[kind] += count
            lower, at = self.prefixes[kind]
            lower[key[: max(digits - 1, 0)]] += count
            at[key[:digits]] += count
        if not digits:
            return path
        return folders.fanned(FANNED[kind], key, digits, self.fan["width"], path[FANNED_LENGTH:])

    def again(self, files: dict[str, bytes]) -> dict[str, int] | None:
        """Move ``files`` (at the paths they were made at) where the last fan-out put them
        and place those that came; None when the digits of a folder would change (or too
        many came or went): then the caller fans out afresh."""
        if not self.moved or self.limit != folders.FOLDER_LIMIT:
            return None
        came, gone = files.keys() - self.moved.keys(), self.moved.keys() - files.keys()
        if len(came) + len(gone) > FEW_CAME:
            return None
        for path in gone:
            self._place(path, count=-1)
        for path in came:
            self._place(path, count=1)
        kinds = {_KINDS.get(path[:FANNED_LENGTH]) for path in (*came, *gone)} - {None}
        if not all(self._digits_hold(kind) for kind in kinds):  # type: ignore[arg-type]
            self.moved = {}
            return None
        for path in gone:
            del self.moved[path]
        for path in came:
            self.moved[path] = self._place(path)
        placed = dict(zip(map(self.moved.__getitem__, files), files.values(), strict=True))
        files.clear()
        files.update(placed)
        self.again_count += 1
        return dict(self.fan)

    def _digits_hold(self, kind: str) -> bool:
        """Whether :func:`.folders.fan_digits` of the folder's keys gives its digits still
        (the fewest at least as many as the count needs that leave no folder too full)."""
        limit, digits, size = folders.FOLDER_LIMIT, self.fan[kind], self.sizes[kind]
        if size <= limit:
            return digits == 0
        least = 1
        while 16**least * limit < size:
            least += 1
        lower, at = self.prefixes[kind]
        if digits < least or (digits > least and max(lower.values()) <= limit):
            return False
        return max(at.values()) <= limit


@dataclass
class ShardState:
    """The last build's sharded index, kept by ``serve`` so that a rebuild updates the
    postings of the terms an edit touched and re-encodes only the files they are in; the
    files are the same as a fresh build's. ``keep=False`` (a one-off build) keeps nothing.
    """

    keep: bool = True
    language: str = ""
    documents: DocumentMemo = field(init=False)  # each document's terms, slot, tags
    postings: PostingsState = field(default_factory=PostingsState)
    files: dict[Hashable, Made] = field(default_factory=dict)  # see HashedFiles.memo
    heads: dict[str, HeadBasis] = field(default_factory=dict)  # by term (see HeadMemo)
    shards: ShardMemo = field(default_factory=ShardMemo)  # the runs of terms (shardcuts)
    tags: TagMemo = field(default_factory=TagMemo)  # each tag's documents' files
    years: DocsMemo = field(default_factory=DocsMemo)  # each year's documents' files
    metadata: MetadataMemo = field(init=False)
    fan: FanMemo = field(default_factory=FanMemo)  # where the last fan-out put each file

    def __post_init__(self) -> None:
        self.documents = DocumentMemo(remember=self.keep)
        self.metadata = MetadataMemo(remember=self.keep)


def sharded_assets(
    archive: Archive,
    config: Config,
    state: ShardState | None = None,
    write: Callable[[str, bytes], object] | None = None,
    move: Mover | None = None,
) -> SearchAssets:
    """Everything the sharded search page loads; only the entry is named by the page.

    ``state``: the previous build's index (``serve``), updated here; the files are the same
    without it. ``write`` (a one-off build): where index files go as they are made;
    ``move`` renames those a folder's fan-out moves (see fan_out).
    """
    state = state if state is not None else ShardState(keep=False)
    language = get_language(config.language)
    if state.language != language.code:
        state.language, state.postings, state.files = language.code, PostingsState(), {}
        state.documents = DocumentMemo(remember=state.keep)
        state.metadata = MetadataMemo(remember=state.keep)  # rows name other languages
        state.shards, state.tags = ShardMemo(), TagMemo()
    # Everything per document is oldest first, by slot (see document_slots).
    docs = documents(archive, language.code, state.documents)
    oldest, codes, slots = docs.articles, docs.codes, docs.slots
    languages = LanguageSet.of(language.code, codes, minified=True)
    if state.keep:
        postings, stats, records = update_postings(state.postings, docs.terms, slots)
        terms_sorted = state.postings.terms
    else:  # one document's terms at a time: all of them at once were a third of the peak
        pipelines = {code: get_language(code) for code in set(codes)}
        pairs = zip(oldest, codes, strict=True)
        records, stats = collect_records(((field_texts(a), pipelines[c]) for a, c in pairs), slots)
        postings = DecodedPostings(records)
        terms_sorted = sorted(records)
    files: dict[str, bytes] = {
        LUNR_MIN_PATH: lunr_source(minified=True),
        **languages.files(),
        CORE_PATH: core_source(),
    }
    writer = HashedFiles(files, state.files, write=write)
    heads = HeadMemo(state.heads, remember=state.keep, changed=state.postings.changed)
    years = docs.years
    starts = [(year, first) for year, first, _ in years]
    memo = state.shards if state.keep else None
    update = state.postings if state.keep else None
    shards, terms_key = shard_files(
        writer, heads, postings, stats, records, starts, terms_sorted, memo, update
    )
    del postings, records  # before the metadata files are made (serve's state keeps its own)
    # Tags are named by slug in the metadata: numbers would shift when a tag is added.
    tag_rows = tag_files(writer, docs, state.tags if state.keep else None)
    docs_keys = docs_files(writer, slots, years, state.years if state.keep else None, docs)
    groups = article_files(writer, state.metadata, docs)
    tables = {**shard_table(writer, shards), **group_table(writer, groups)}
    fan = fan_out(files, writer.written, move, state.keep, state.fan if state.keep else None)
    entry = {
        "format": FORMAT,
        "language": language.code,
        "pipeline": language.index_labels,
        "searchPipeline": languages.search_labels,
        **languages.metadata(),
        "fields": [f.name for f in FIELDS],
        "boosts": [f.boost for f in FIELDS],
        "bm25": [BM25_K1, BM25_B],
        "count": len(oldest),
        "lengths": stats.length_totals,
        **tables,
        "terms": terms_key,
        "tags": tag_rows,
        "years": years,
        "docs": docs_keys,
        "headSize": HEAD_SIZE,
        "hashSize": CHUNK_HASH_DIGITS,
        "paths": {
            "shard": SHARD_DIR,
            "head": HEAD_DIR,
            "terms": TERMS_PREFIX,
            "tag": TAG_DIR,
            "meta": META_DIR,
            "text": TEXT_DIR,
            "docs": DOCS_DIR,
            "rows": ROWS_DIR,
        },
        "fan": fan,
    }
    entry_key = writer.add(ENTRY_PREFIX, lambda k: data_script("NewsArchiveSearch.setEntry", entry))
    if state.keep:
        state.files, state.heads = writer.kept, heads.kept
        state.metadata.next_build()
    entry_path = f"{ENTRY_PREFIX}{entry_key}.js"
    scripts = [LUNR_MIN_PATH, *languages.scripts, CORE_PATH, entry_path, *UI_PATHS]
    return SearchAssets(files=files, scripts=scripts, written=sorted(writer.written))
