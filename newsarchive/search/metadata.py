"""The sharded index's files about documents: the metadata (URL, title, date, tags) and
snippet texts of small chunks of documents, found by slot (each tag's and each year's
documents are :mod:`.lists`). Groups of chunks are cut by content (:mod:`..chunking`), so
an edit or a new article renames the files of its own group only."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..chunking import cut_runs, int_fraction
from ..memo import ObjectMemo
from ..model import Article
from .docstate import Documents
from .documents import SNIPPET_TEXT_LIMIT, document_ref
from .hashed import CHUNK_HASH_DIGITS, HashedFiles, content_hash
from .scripts import data_script, js_string

META_DIR = "search/m/"
TEXT_DIR = "search/x/"

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
    the very same article objects at the same slots with the same tags (by slug) give the
    same files."""

    slots: tuple[int, ...]
    articles: tuple[Article, ...]
    tags: tuple[tuple[str, ...], ...]
    shift: int
    key: str
    files: tuple[tuple[str, bytes], ...]


@dataclass
class MetadataMemo:
    """What ``serve`` keeps of the metadata files between builds: each article's row (by
    the very article object), and each group's files, in order, with the slots they were
    cut from and the serial of those documents (:attr:`.docstate.Documents.since`).
    ``remember=False`` (a one-off build) keeps nothing."""

    remember: bool = False
    rows: ObjectMemo[tuple[str, str, str]] = field(default_factory=ObjectMemo)
    serial: int = -1
    slots: Sequence[int] = ()
    ranges: list[range] = field(default_factory=list)  # meta_groups(slots)
    groups: list[MetaGroup] = field(default_factory=list)  # parallel to ranges

    def __post_init__(self) -> None:
        if not self.remember:
            self.rows = ObjectMemo(keep=False)

    def next_build(self) -> None:
        self.rows.next_build()


def _short_url(article: Article) -> str:
    """The article's URL without the ``/YYYY/MM/DD/`` its date gives (search-core.js adds
    it back); the whole URL, starting with ``/``, when they differ."""
    url, date = document_ref(article), article.posted.isoformat()
    day = f"/{date[:4]}/{date[5:7]}/{date[8:10]}/"
    return url[len(day) :] if url.startswith(day) and len(url) > len(day) else url


def article_files(
    writer: HashedFiles, memo: MetadataMemo, docs: Documents
) -> list[tuple[int, int, str]]:
    """Metadata chunks and their snippet texts; each group's first slot, shift and hash
    (the entry's table of groups, :mod:`.tables`).

    A group (:func:`meta_groups`) with first slot F and shift k (:func:`chunk_shift`) puts
    the document at slot S in chunk C = (S - F) >> k, file ``m/F-C-<group hash>.js``, with
    its texts in ``x/F-C-<hash>.js``: the page finds a document's file from its slot and
    the entry's list of (F, k) and hashes, without a table of documents. Metadata files
    are named by the hash of their group, so the entry names a group, not each file: an
    edit renames the group's small files; a new article, the files of its group only.
    A document whose language is not the archive's (``docs.other``) has it at the end of
    its row (search-core.js highlights with its pipeline).

    serve's rebuild (``memo``) makes again only the groups of the changed documents
    when the documents follow the last build's (:attr:`.docstate.Documents.changed`);
    otherwise it looks at every group, taking the last build's files of a group whose
    articles, slots and tags are the same.
    """
    slots = docs.slots
    since = memo.serial == docs.since
    follow = docs.changed is not None and since and memo.slots is slots
    last: dict[tuple[int, ...], MetaGroup] = {}
    if follow:
        ranges = memo.ranges
        starts = [group.start for group in ranges]
        dirty = {bisect.bisect_right(starts, i) - 1 for i in docs.changed or ()}
        olds: list[MetaGroup | None] = [
            None if g in dirty else group for g, group in enumerate(memo.groups)
        ]
    elif docs.span is not None and since and memo.ranges:
        ranges, olds, last = _spliced_groups(memo, docs)
    else:
        ranges = meta_groups(slots)
        olds = [None] * len(ranges)
        last = {group.slots: group for group in memo.groups}
    table: list[tuple[int, int, str]] = []
    made: list[MetaGroup] = []
    kept_files: list[tuple[tuple[str, bytes], ...]] = []
    for positions, old in zip(ranges, olds, strict=True):
        group = old if old is not None else _kept_group(last, docs, positions)
        if group is not None:
            kept_files.append(group.files)
        else:
            group = _group_files(writer, memo, docs, positions)
        made.append(group)
        table.append((group.slots[0], group.shift, group.key))
    writer.put_all(itertools.chain.from_iterable(kept_files))
    if memo.remember:
        memo.serial, memo.slots, memo.ranges, memo.groups = docs.serial, slots, ranges, made
    return table


def _spliced_groups(
    memo: MetadataMemo, docs: Documents
) -> tuple[list[range], list[MetaGroup | None], dict[tuple[int, ...], MetaGroup]]:
    """This build's groups where a run of documents came and went (:attr:`.Documents.span`):
    the last build's up to the one holding the position before the run, cut again from
    there (as :func:`meta_groups` cuts) until a group begins, past the run, where one of the
    last build's began: from there every cut falls where it fell. The groups' last build's
    group where it is kept (else None), and the replaced ones by slots (see _kept_group)."""
    span, old, slots = docs.span, memo.ranges, docs.slots
    assert span is not None
    firsts = [group.start for group in old]
    g0 = bisect.bisect_right(firsts, max(span.start - 1, 0)) - 1
    shift = span.stop - span.old_stop
    cut, n = 1 / META_GROUP, len(slots)
    new: list[range] = []
    start = old[g0].start
    total, k = 0, len(old)
    for i in range(start, n):
        total += 1
        ends = i + 1 < n and int_fraction(slots[i + 1]) < cut
        if (ends and total >= META_GROUP_MIN) or total >= META_GROUP_MAX:
            new.append(range(start, i + 1))
            start, total = i + 1, 0
            b = bisect.bisect_left(firsts, start - shift, g0) if start >= span.stop else k
            if b < len(old) and firsts[b] == start - shift:
                k = b
                break
    else:
        if start < n:
            new.append(range(start, n))
    ranges = [*old[:g0], *new, *(range(r.start + shift, r.stop + shift) for r in old[k:])]
    olds = [*memo.groups[:g0], *([None] * len(new)), *memo.groups[k:]]
    return ranges, olds, {group.slots: group for group in memo.groups[g0:k]}


def _group_tags(docs: Documents, positions: range) -> tuple[tuple[str, ...], ...]:
    slugs = docs.tag_names
    return tuple(tuple(slugs[t][1] for t in docs.tags[p]) for p in positions)


def _kept_group(
    last: dict[tuple[int, ...], MetaGroup], docs: Documents, positions: range
) -> MetaGroup | None:
    """The last build's group at these positions, if its files are this build's."""
    kept = last.get(tuple(docs.slots[positions.start : positions.stop]))
    if kept is None or kept.tags != _group_tags(docs, positions):
        return None
    now = docs.articles[positions.start : positions.stop]
    return kept if all(map(operator.is_, kept.articles, now)) else None


def _group_files(
    writer: HashedFiles, memo: MetadataMemo, docs: Documents, group: range
) -> MetaGroup:
    """One group's metadata and text files."""
    oldest, slots, langs = docs.articles, docs.slots, docs.other
    tags = _group_tags(docs, group)

    def make_row(article: Article) -> tuple[str, str, str]:
        return _short_url(article), article.title, article.posted.isoformat()

    def row(article: Article) -> tuple[str, str, str]:
        """URL, title and date; the last build's when it is the same article object."""
        return memo.rows.get(article, lambda: make_row(article))

    first = slots[group.start]
    group_slots = tuple(slots[group.start : group.stop])
    shift = chunk_shift(tuple(slot - first for slot in group_slots))
    chunks: dict[int, list[int]] = {}
    for p in group:
        chunks.setdefault((slots[p] - first) >> shift, []).append(p)
    scripts = []
    text_paths = []
    for chunk, positions in chunks.items():
        name = f"{first}-{chunk}"
        texts = [oldest[p].body_text[:SNIPPET_TEXT_LIMIT] for p in positions]
        # The file does not hold its own key: made once for both of add's calls (its JSON
        # made twice was a tenth of a cold build's search stage).
        made = functools.cache(
            functools.partial(data_script, "NewsArchiveSearch.addTexts", texts, js_string(name))
        )
        text_key = writer.add(
            f"{TEXT_DIR}{name}-",
            lambda k, made=made: made(),
            CHUNK_HASH_DIGITS,
            inputs=tuple(texts),
        )
        text_paths.append(f"{TEXT_DIR}{name}-{text_key}.js")
        base = first + (chunk << shift)
        data = {
            "docs": [
                [*row(oldest[p]), list(tags[p - group.start])]
                + ([lang] if (lang := langs[p]) else [])
                for p in positions
            ],
            "at": [slots[p] - base for p in positions],
            "text": text_key,
        }
        inputs = (META_DIR, name, repr(data))  # repr: cheaper than the script, as telling
        found = writer.memo.get(inputs)
        script = (
            found[2] if found else data_script("NewsArchiveSearch.addMeta", data, js_string(name))
        )
        writer.kept[inputs] = ("", "", script)
        scripts.append((name, script))
    key = content_hash(b"".join(script for _, script in scripts), CHUNK_HASH_DIGITS)
    files = [(f"{META_DIR}{name}-{key}.js", script) for name, script in scripts]
    for path, data in files:
        writer.put(path, data)
    texts_made = tuple((p, writer.files[p]) for p in text_paths) if memo.remember else ()
    articles = tuple(oldest[group.start : group.stop]) if memo.remember else ()
    return MetaGroup(group_slots, articles, tags, shift, key, (*files, *texts_made))
