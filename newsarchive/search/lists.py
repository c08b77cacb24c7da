"""The sharded index's lists of documents: one file per tag (for the tag filter) and one per
year (for browsing a year), each the slots of its documents.

``serve`` keeps them between builds: an edit changes the files of the tags its article
gained or lost, not the others', and no year file while no date changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .docstate import Documents
from .hashed import HashedFiles
from .leb128 import varints
from .postings import deltas
from .scripts import b64, js_string

TAG_DIR = "search/t/"
DOCS_DIR = "search/d/"


@dataclass
class TagMemo:
    """The last build's tag files, and what they were made from (the documents of build
    ``serial``): each tag's slots, each document's tag numbers."""

    serial: int = -1
    tags: list[list[int]] = field(default_factory=list)  # each document's (Documents.tags)
    slots: list[list[int]] = field(default_factory=list)  # each tag's documents
    doc_slots: Sequence[int] = ()  # each document's (Documents.slots)
    rows: list[list[Any]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)


def tag_files(writer: HashedFiles, docs: Documents, memo: TagMemo | None = None) -> list[list[Any]]:
    """One file per tag with the slots of its articles; the entry's rows
    ``[name, count, file, slug]`` (the slug left out when it equals the name).
    ``memo`` (serve): the last build's, of which only the tags of changed documents are
    made again when the documents follow that build's (:attr:`.Documents.changed`)."""
    follows = docs.changed is not None or docs.span is not None
    if memo is not None and follows and memo.serial == docs.since:
        memo.serial = -1  # changed in place below: not to be followed twice
        tag_slots = memo.slots
        dirty = _follow(memo, docs) if docs.changed is not None else _follow_span(memo, docs)
        rows, files = list(memo.rows), list(memo.files)
        writer.put_all(files[t] for t in range(len(files)) if t not in dirty)
    else:
        tag_slots = [[] for _ in docs.tag_names]
        for slot, tags in zip(docs.slots, docs.tags, strict=True):
            for t in tags:
                tag_slots[t].append(slot)
        dirty = set(range(len(tag_slots)))
        rows, files = [[]] * len(tag_slots), [("", b"")] * len(tag_slots)
    for t in sorted(dirty):
        (name, slug), slots = docs.tag_names[t], tag_slots[t]
        encoded = bytearray()
        varints(deltas(slots), encoded)
        script = f"NewsArchiveSearch.addTag({js_string(slug)}, {js_string(b64(bytes(encoded)))});\n"
        data = script.encode()
        key = writer.add(TAG_DIR, lambda k, d=data: d)
        rows[t] = [name, len(slots), key] + ([] if slug == name else [slug])
        files[t] = (f"{TAG_DIR}{key}.js", data)
    if memo is not None:
        memo.serial, memo.tags, memo.slots = docs.serial, docs.tags, tag_slots
        memo.doc_slots = docs.slots
        memo.rows, memo.files = rows, files
    return rows


def _follow(memo: TagMemo, docs: Documents) -> set[int]:
    """Move each tag's slots (``memo.slots``, in place) from the tags of the changed
    documents as they were to as they are; the tags whose slots changed."""
    dirty: set[int] = set()
    for i in docs.changed or ():
        before, now = set(memo.tags[i]), set(docs.tags[i])
        slot = docs.slots[i]
        for t in before - now:
            slots = memo.slots[t]
            del slots[bisect.bisect_left(slots, slot)]
        for t in now - before:
            bisect.insort(memo.slots[t], slot)
        dirty |= before ^ now
    return dirty


def _follow_span(memo: TagMemo, docs: Documents) -> set[int]:
    """:func:`_follow` where the documents of a run came and went (:attr:`.Documents.span`):
    the old ones leave their tags' slots, the new ones join theirs."""
    span = docs.span
    assert span is not None
    dirty: set[int] = set()
    for i in range(span.old_start, span.old_stop):
        slot = memo.doc_slots[i]
        for t in memo.tags[i]:
            slots = memo.slots[t]
            del slots[bisect.bisect_left(slots, slot)]
            dirty.add(t)
    for j in range(span.start, span.stop):
        for t in docs.tags[j]:
            bisect.insort(memo.slots[t], docs.slots[j])
            dirty.add(t)
    return dirty


@dataclass
class DocsMemo:
    """The last build's year files (:func:`docs_files`) and the very lists of slots and
    years they were made from (of the documents of build ``serial``): serve's rebuilds
    keep those lists while no date changes, and make again only the files of the years
    around the run of documents that came or went (:attr:`.Documents.span`)."""

    slots: Sequence[int] = ()
    years: list[list[int]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    serial: int = -1
    followed: int = 0  # builds whose years were followed through a span (for tests)


def docs_files(
    writer: HashedFiles,
    slots: Sequence[int],
    years: list[list[int]],
    memo: DocsMemo | None = None,
    docs: Documents | None = None,
) -> list[str]:
    """Each year's documents (their slots), a file per run of ``years`` named in the entry in
    the same order: browsing a year loads its own, not a list of the whole archive.
    ``memo`` (serve): the last build's, taken again for the same lists (not equal ones:
    comparing them is a pass over the archive); with ``docs`` (whose slots and years these
    are) following the memo's build through a span, the runs of years wholly before or
    after it are the last build's files (encoding every year again was 65 ms a rebuild at
    100,000 articles, profiled)."""
    if memo is not None and memo.slots is slots and memo.years is years:
        writer.put_all(memo.files)
        if docs is not None:
            memo.serial = docs.serial
        return memo.keys
    span = docs.span if docs is not None and memo is not None else None
    if span is not None and docs is not None and memo is not None and docs.since == memo.serial:
        kept = dict(
            zip(map(tuple, memo.years), zip(memo.keys, memo.files, strict=True), strict=True)
        )
        memo.followed += 1
    else:
        kept, span = {}, None
    keys, start = [], 0
    files = []
    for year, first, last in years:
        end = bisect.bisect_right(slots, last, start)
        old = kept.get((year, first, last))
        if old is not None and span is not None and (end <= span.start or start >= span.stop):
            key, made = old  # the same slots: outside the span, each is the last build's
            writer.put(*made)
        else:
            encoded = bytearray()
            varints(deltas([slot - first for slot in slots[start:end]]), encoded)
            data = f"NewsArchiveSearch.addDocs({first}, {js_string(b64(bytes(encoded)))});\n"
            script = data.encode()
            key = writer.add(DOCS_DIR, lambda k, d=script: d)
            made = (f"{DOCS_DIR}{key}.js", script)
        keys.append(key)
        files.append(made)
        start = end
    if memo is not None:
        memo.slots, memo.years, memo.keys, memo.files = slots, years, keys, files
        memo.serial = docs.serial if docs is not None else -1
    return keys
