"""Content-defined cutting: the posting shards' fast cut (``chunking.cut_sized``, and
``shardcuts.cut_shards`` over whole arrays) gives exactly the runs of the item-by-item rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.chunking import cut_counted, cut_runs, cut_sized
from newsarchive.search import shardcuts
from newsarchive.search.shardcuts import ShardRun


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 40)), max_size=200),
    st.integers(-1, 120),
)
def test_cut_sized_is_cut_runs(items: list[tuple[bool, int]], longest: int) -> None:
    ends = [end for end, _ in items]
    sizes = [size for _, size in items]
    expected = cut_runs(ends, shortest=0, longest=longest, sizes=sizes)
    assert cut_sized(ends, sizes, longest) == expected


def _cut_shards_item_by_item(terms: list[str], sizes: list[int], target: int) -> list[range]:
    """The rule as shardcuts.cut_shards states it, one term at a time."""
    big = [2 * size >= target for size in sizes]
    ends = [
        big[i] or (i + 1 < len(big) and big[i + 1]) or shardcuts.cut_point(term, size, target)
        for i, (term, size) in enumerate(zip(terms, sizes, strict=True))
    ]
    return cut_runs(ends, shortest=0, longest=2 * target, sizes=sizes)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=6), st.integers(1, 3000)), max_size=300),
    st.sampled_from([64, 512, 4096]),
)
def test_cut_shards_is_the_rule_term_by_term(items: list[tuple[str, int]], target: int) -> None:
    found = dict(items)  # one size per term, in JavaScript's order as the index sorts them
    terms = sorted(found, key=lambda t: t.encode("utf-16-be", "surrogatepass"))
    sizes = [found[t] for t in terms]
    assert shardcuts.cut_shards(terms, sizes, target) == _cut_shards_item_by_item(
        terms, sizes, target
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=300), st.integers(0, 12), st.integers(0, 30))
def test_cut_counted_is_cut_runs(ends: list[bool], shortest: int, longest: int) -> None:
    ends_at = [i for i, end in enumerate(ends) if end]
    expected = cut_runs(ends, shortest=shortest, longest=longest)
    assert cut_counted(ends_at, len(ends), shortest, longest) == expected


def _runs_of(terms: list[str], records: dict[str, bytes], target: int) -> list[ShardRun]:
    sizes = [len(records[t]) for t in terms]
    return [
        ShardRun(terms[run.start], len(run), "", ("", b""), "", "")
        for run in shardcuts.cut_shards(terms, sizes, target)
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text("abcdef", min_size=1, max_size=4), st.integers(1, 900), max_size=200),
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=4), st.integers(0, 900), max_size=12
    ),  # a term's new size; 0: the term goes
    st.sampled_from([64, 512, 1024]),
)
def test_recut_is_a_fresh_cut(before: dict[str, int], changes: dict[str, int], target: int) -> None:
    """serve's recut (the last runs kept away from the changed terms) cuts as cut_shards."""
    records = {term: bytes(size) for term, size in before.items()}
    terms = sorted(records)
    old = _runs_of(terms, records, target)
    for term, size in changes.items():
        if size:
            records[term] = bytes(size)
        else:
            records.pop(term, None)
    terms = sorted(records)
    plan = shardcuts.recut(terms, records, old, changes, target)
    sizes = [len(records[t]) for t in terms]
    assert [run for run, _ in plan] == shardcuts.cut_shards(terms, sizes, target)
    for run, kept in plan:  # a kept run is the same terms as before
        assert kept is None or (kept.first, kept.count) == (terms[run.start], len(run))
    if not changes:
        assert all(kept is not None for _, kept in plan)
