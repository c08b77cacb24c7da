"""The packed postings of a one-off build: the same records as the postings serve keeps,
and records that decode back to those postings."""

from __future__ import annotations

import random
import weakref

import numpy as np
import pytest

from newsarchive.config import Config
from newsarchive.placing import build_archive
from newsarchive.search import leb128, packed, shards, termnumbers
from newsarchive.search.assets import site_assets
from newsarchive.search.language import Language
from newsarchive.search.leb128 import varints
from newsarchive.search.packed import DecodedPostings, collect_records, decoded
from newsarchive.search.postings import (
    DocumentTerms,
    TermPostings,
    collect_postings,
    field_terms,
)
from newsarchive.search.sharded import ShardState
from newsarchive.search.shards import HEAD_DIR
from newsarchive.search.textpipe import ENGLISH, get_language

from .test_search import article

WORDS = "oil wheat bank rates crude trade gold zinc cocoa shares market prices".split()


def _texts(count: int, seed: int) -> list[tuple[str, str, str]]:
    """Title, body and tags texts of random words (stop words and "..." among them, which
    lunr.js drops and indexes as the empty term): terms in one field, two or all three."""
    rng = random.Random(seed)
    texts = []
    words = [*WORDS, "the", "of", "...", "U.S.", "oil-prices"]
    for _ in range(count):
        title = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        body = " ".join(rng.choices(words, k=rng.randint(0, 40)))
        tags = " ".join(rng.choices(WORDS[:3], k=rng.randint(0, 2)))
        texts.append((title, body, tags))
    return texts


def _documents(count: int, seed: int) -> list[DocumentTerms]:
    return [field_terms(texts, ENGLISH) for texts in _texts(count, seed)]


def _same_records(texts: list[tuple[str, str, str]], languages: list[Language], slots: list[int]):
    """collect_records' records and stats are those of collect_postings and encode."""
    by_age = [field_terms(t, lang) for t, lang in zip(texts, languages, strict=True)]
    postings, stats = collect_postings(by_age, slots)
    pairs = zip(texts, languages, strict=True)
    records, packed_stats = collect_records(iter(pairs), slots)  # a generator is enough
    assert records == {term: p.encode() for term, p in postings.items()}
    assert list(records) == list(postings)  # terms in the same (first seen) order
    assert (packed_stats.count, packed_stats.length_totals) == (len(texts), stats.length_totals)
    return records, postings


@pytest.mark.parametrize("base", [0, 3_000_000_000, 5_000_000_000])  # 32- and 64-bit slots
def test_records_are_the_encoded_postings(base: int) -> None:
    texts = _texts(300, seed=base)
    slots = [base + 7 * n + n % 3 for n in range(len(texts))]
    records, postings = _same_records(texts, [ENGLISH] * len(texts), slots)
    lookup = DecodedPostings(records)
    assert len(lookup) == len(postings) and list(lookup) == list(postings)
    for term, p in postings.items():
        back = lookup[term]
        assert _fields(back) == _fields(p)


def _fields(p: TermPostings) -> tuple[list[list[int]], ...]:
    """The postings' values, whether kept as tuples (serve's, collect_postings) or lists."""
    return tuple([list(values) for values in lists] for lists in (p.slots, p.counts, p.lengths))


def test_decoded_reads_multi_byte_varints() -> None:
    by_age = _documents(3, seed=1)
    slots = [0, 200, 70_000]  # gaps of one, two and three varint bytes
    postings, _ = collect_postings(by_age, slots)
    for p in postings.values():
        again = decoded(p.encode())
        assert _fields(again) == _fields(p)


def test_records_across_chunks_languages_and_big_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents in several chunks, buckets and batches (a term bigger than one), in three
    languages (one of several terms a word: CJK bigrams), a term counted past 16 bits,
    empty documents and fields."""
    monkeypatch.setattr(packed, "CHUNK", 7)
    monkeypatch.setattr(packed, "BATCH", 40)
    monkeypatch.setattr(packed, "BUCKETS", 3)
    texts = _texts(60, seed=5)
    texts[3] = ("", "", "")
    texts[10] = ("oil", " ".join(["wheat"] * 70_000), "")
    texts[20] = ("Москва нефть", "нефть цены растут", "")
    texts[21] = ("中国经济增长", "出口下降 iPhone手机 中", "oil")
    languages = [ENGLISH] * len(texts)
    languages[20], languages[21] = get_language("ru"), get_language("zh")
    slots = [3 * n + (n // 2) * 200 for n in range(len(texts))]  # gaps of 1 and 2 bytes
    records, _ = _same_records(texts, languages, slots)
    assert {"нефт", "中国", "wheat", ""} <= set(records)


def test_no_documents() -> None:
    records, stats = collect_records(iter(()), [])
    assert records == {} and (stats.count, stats.length_totals) == (0, [0, 0, 0])


def test_leb128_is_varints() -> None:
    """The bulk encoder makes varints' very bytes, and the decoder reads them back."""
    values = [0, 1, 127, 128, 255, 16_383, 16_384, 2**21, 2**32 + 5, 2**49, 2**63, 2**64 - 1]
    expected = bytearray()
    varints(values, expected)
    data, starts = leb128.encode(np.array(values, dtype=np.uint64))
    assert data == bytes(expected)
    for i, value in enumerate(values):
        one = bytearray()
        varints((value,), one)
        assert data[starts[i] : starts[i + 1]] == one
    assert leb128.decode(data).tolist() == values
    assert leb128.decode(b"").tolist() == []


def test_records_when_the_word_memo_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past CACHE_LIMIT words the memo starts again; the terms keep their numbers."""
    monkeypatch.setattr(termnumbers, "CACHE_LIMIT", 3)
    texts = _texts(40, seed=9)
    _same_records(texts, [ENGLISH] * len(texts), list(range(len(texts))))


def test_a_one_off_build_decodes_one_head_term_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-off build's heads come from records decoded one term at a time, dropped before
    the next: all of them at once, as lists, were most of the search stage's peak at a
    million articles. The head files are those serve makes from the postings it keeps."""
    made: list[weakref.ref[TermPostings]] = []
    most = [0]
    real = packed.decoded

    def counted(record: bytes) -> TermPostings:
        found = real(record)
        made.append(weakref.ref(found))
        most[0] = max(most[0], sum(ref() is not None for ref in made))
        return found

    monkeypatch.setattr(packed, "decoded", counted)
    texts = _texts(1_200, seed=4)
    archive = build_archive(
        [
            article(f"{t} {n}", f"{2000 + n % 5}-01-02T10:00", (), b)
            for n, (t, b, _) in enumerate(texts)
        ]
    )
    heads: list[int] = []
    real_head = shards.head_postings
    monkeypatch.setattr(
        shards, "head_postings", lambda *a, **k: heads.append(1) or real_head(*a, **k)
    )
    written: dict[str, bytes] = {}
    assets = site_assets(archive, Config(), None, written.__setitem__, lambda moved: None)
    assert len(heads) > 3 and most[0] == 1  # several heads, never two decoded at once
    kept = site_assets(archive, Config(), ShardState(keep=True))  # serve's postings
    assert {p: d for p, d in written.items() if p.startswith(HEAD_DIR)} == {
        p: d for p, d in kept.files.items() if p.startswith(HEAD_DIR)
    }
    assert assets.scripts == kept.scripts
