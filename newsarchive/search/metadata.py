"""The sharded index's files about documents: each tag's documents, each year's, and the
metadata (URL, title, date, tags) and snippet texts of small chunks of documents, found by
slot. Groups of chunks are cut by content (:mod:`..chunking`), so an edit or a new article
renames the files of its own group only."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..chunking import cut_runs, int_fraction
from ..memo import ObjectMemo
from ..model import Archive, Article
from .documents import SNIPPET_TEXT_LIMIT, document_ref
from .hashed import CHUNK_HASH_DIGITS, HashedFiles, content_hash
from .postings import deltas, varints
from .scripts import b64, data_script, js_string

TAG_DIR = "search/t/"
META_DIR = "search/m/"
TEXT_DIR = "search/x/"
DOCS_DIR = "search/d/"

# Documents in a result's metadata file (on average, see chunk_shift): a page of
# relevance-ranked results needs about one file per result, so small files; the entry names
# them by groups of about META_GROUP documents (between the bounds), one hash and first slot
# per group (an edit renames its group's files: about 16). Snippet texts come in one file per
# metadata file.
META_CHUNK = 8
META_GROUP = 64
META_GROUP_MIN = 8
META_GROUP_MAX = 256


def meta_groups(slots: Sequence[int]) -> list[range]:
    """Positions of the documents of each metadata group (about META_GROUP of them).

    Content-defined: a document starts a group when the hash of its slot falls under
    1 / META_GROUP, so adding or deleting a document changes its own group only (two,
    when it starts one or when a bound interferes).
    """
    cut = 1 / META_GROUP
    next_starts = [
        i + 1 < len(slots) and int_fraction(slots[i + 1]) < cut for i in range(len(slots))
    ]
    return cut_runs(next_starts, shortest=META_GROUP_MIN, longest=META_GROUP_MAX)


@functools.lru_cache(maxsize=1 << 14)  # serve asks again for the same groups
def chunk_shift(offsets: tuple[int, ...]) -> int:
    """The shift k that cuts a group into chunks ``offset >> k`` (offset: slot - the group's
    first slot): the largest k at which a document's chunk holds at most META_CHUNK
    documents on average, weighed by document (a result lands in a big chunk more often).
    Articles cluster in time (office hours), so chunks are uneven (4 documents a file on
    average for Reuters); the bound keeps the metadata files of a page of results small."""

    def fits(k: int) -> bool:
        sizes: dict[int, int] = {}
        for offset in offsets:
            sizes[offset >> k] = sizes.get(offset >> k, 0) + 1
        return sum(n * n for n in sizes.values()) <= META_CHUNK * len(offsets)

    low, high = 0, max(offsets).bit_length()
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True)
class MetaGroup:
    """A metadata group's files as the last build made them, and what they were made from:
    the very same article objects with the same tags (by slug) give the same files."""

    articles: tuple[Article, ...]
    tags: tuple[tuple[str, ...], ...]
    shift: int
    key: str
    files: tuple[tuple[str, bytes], ...]


@dataclass
class MetadataMemo:
    """What ``serve`` keeps of the metadata files between builds: each article's row (by
    the very article object), and each group's files (by its slots).
    ``remember=False`` (a one-off build) keeps nothing."""

    remember: bool = False
    rows: ObjectMemo[tuple[str, str, str]] = field(default_factory=ObjectMemo)
    groups: dict[tuple[int, ...], MetaGroup] = field(default_factory=dict)  # last build's
    kept: dict[tuple[int, ...], MetaGroup] = field(default_factory=dict)  # this build's

    def __post_init__(self) -> None:
        if not self.remember:
            self.rows = ObjectMemo(keep=False)

    def next_build(self) -> None:
        self.groups, self.kept = self.kept, {}
        self.rows.next_build()


def tag_files(
    writer: HashedFiles, archive: Archive, doc_tags: list[list[int]], slots: Sequence[int]
) -> list[list[Any]]:
    """One file per tag with the slots of its articles; the entry's rows
    ``[name, count, file, slug]`` (the slug left out when it equals the name)."""
    tag_slots: list[list[int]] = [[] for _ in archive.tags]
    for slot, tags in zip(slots, doc_tags, strict=True):
        for t in tags:
            tag_slots[t].append(slot)
    rows: list[list[Any]] = []
    for tag, docs in zip(archive.tags, tag_slots, strict=True):
        encoded = bytearray()
        varints(deltas(docs), encoded)
        slug, data = js_string(tag.slug), js_string(b64(bytes(encoded)))
        key = writer.add(
            TAG_DIR, lambda k, s=slug, d=data: f"NewsArchiveSearch.addTag({s}, {d});\n".encode()
        )
        rows.append([tag.name, len(docs), key] + ([] if tag.slug == tag.name else [tag.slug]))
    return rows


@dataclass
class DocsMemo:
    """The last build's year files (:func:`docs_files`) and the very lists of slots and
    years they were made from: serve's rebuilds keep those lists while no date changes."""

    slots: Sequence[int] = ()
    years: list[list[int]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)


def docs_files(
    writer: HashedFiles,
    slots: Sequence[int],
    years: list[list[int]],
    memo: DocsMemo | None = None,
) -> list[str]:
    """Each year's documents (their slots), a file per run of ``years`` named in the entry in
    the same order: browsing a year loads its own, not a list of the whole archive.
    ``memo`` (serve): the last build's, taken again for the same lists (not equal ones:
    comparing them is a pass over the archive)."""
    if memo is not None and memo.slots is slots and memo.years is years:
        for path, data in memo.files:
            writer.put(path, data)
        return memo.keys
    keys, start = [], 0
    files = []
    for _, first, last in years:
        end = bisect.bisect_right(slots, last, start)
        encoded = bytearray()
        varints(deltas([slot - first for slot in slots[start:end]]), encoded)
        data = f"NewsArchiveSearch.addDocs({first}, {js_string(b64(bytes(encoded)))});\n"
        script = data.encode()
        keys.append(writer.add(DOCS_DIR, lambda k, d=script: d))
        files.append((f"{DOCS_DIR}{keys[-1]}.js", script))
        start = end
    if memo is not None:
        memo.slots, memo.years, memo.keys, memo.files = slots, years, keys, files
    return keys


def _short_url(article: Article) -> str:
    """The article's URL without the ``/YYYY/MM/DD/`` its date gives (search-core.js adds
    it back); the whole URL, starting with ``/``, when they differ."""
    url, date = document_ref(article), article.posted.isoformat()
    day = f"/{date[:4]}/{date[5:7]}/{date[8:10]}/"
    return url[len(day) :] if url.startswith(day) and len(url) > len(day) else url


def article_files(
    writer: HashedFiles,
    memo: MetadataMemo,
    archive: Archive,
    oldest: Sequence[Article],
    slots: Sequence[int],
    doc_tags: list[list[int]],
    langs: Sequence[str | None] = (),
) -> list[tuple[int, int, str]]:
    """Metadata chunks and their snippet texts; each group's first slot, shift and hash
    (the entry's table of groups, :mod:`.tables`).

    A group (:func:`meta_groups`) with first slot F and shift k (:func:`chunk_shift`) puts
    the document at slot S in chunk C = (S - F) >> k, file ``m/F-C-<group hash>.js``, with
    its texts in ``x/F-C-<hash>.js``: the page finds a document's file from its slot and
    the entry's list of (F, k) and hashes, without a table of documents. Metadata files
    are named by the hash of their group, so the entry names a group, not each file: an
    edit renames the group's small files; a new article, the files of its group only.
    ``langs`` (parallel to ``oldest``): a document's language where it is not the
    archive's, which its row then ends with (search-core.js highlights with its pipeline).
    """
    slugs = [tag.slug for tag in archive.tags]

    def make_row(article: Article) -> tuple[str, str, str]:
        return _short_url(article), article.title, article.posted.isoformat()

    def row(article: Article) -> tuple[str, str, str]:
        """URL, title and date; the last build's when it is the same article object."""
        return memo.rows.get(article, lambda: make_row(article))

    table: list[tuple[int, int, str]] = []
    for group in meta_groups(slots):
        first = slots[group.start]
        group_slots = tuple(slots[p] for p in group)
        tags = tuple(tuple(slugs[t] for t in doc_tags[p]) for p in group)
        kept = memo.groups.get(group_slots)
        if (
            kept is not None
            and kept.tags == tags
            and all(
                a is b for a, b in zip(kept.articles, oldest[group.start : group.stop], strict=True)
            )
        ):
            for path, data in kept.files:
                writer.put(path, data)
            memo.kept[group_slots] = kept
            table.append((first, kept.shift, kept.key))
            continue
        shift = chunk_shift(tuple(slot - first for slot in group_slots))
        chunks: dict[int, list[int]] = {}
        for p in group:
            chunks.setdefault((slots[p] - first) >> shift, []).append(p)
        scripts = []
        text_paths = []
        for chunk, positions in chunks.items():
            name = f"{first}-{chunk}"
            texts = [oldest[p].body_text[:SNIPPET_TEXT_LIMIT] for p in positions]
            text_key = writer.add(
                f"{TEXT_DIR}{name}-",
                lambda k, t=texts, n=name: data_script(
                    "NewsArchiveSearch.addTexts", t, js_string(n)
                ),
                CHUNK_HASH_DIGITS,
                inputs=tuple(texts),
            )
            text_paths.append(f"{TEXT_DIR}{name}-{text_key}.js")
            base = first + (chunk << shift)
            data = {
                "docs": [
                    [*row(oldest[p]), list(tags[p - group.start])]
                    + ([lang] if langs and (lang := langs[p]) else [])
                    for p in positions
                ],
                "at": [slots[p] - base for p in positions],
                "text": text_key,
            }
            inputs = (META_DIR, name, repr(data))  # repr: cheaper than the script, as telling
            found = writer.memo.get(inputs)
            script = (
                found[2]
                if found
                else data_script("NewsArchiveSearch.addMeta", data, js_string(name))
            )
            writer.kept[inputs] = ("", "", script)
            scripts.append((name, script))
        key = content_hash(b"".join(script for _, script in scripts), CHUNK_HASH_DIGITS)
        files = [(f"{META_DIR}{name}-{key}.js", script) for name, script in scripts]
        for path, data in files:
            writer.put(path, data)
        if memo.remember:
            texts = tuple((p, writer.files[p]) for p in text_paths)
            memo.kept[group_slots] = MetaGroup(
                tuple(oldest[group.start : group.stop]), tags, shift, key, (*files, *texts)
            )
        table.append((first, shift, key))
    return table
