"""Groups by name kept between builds (``serve``): patched for the articles that came and
went, they must be exactly the groups made from scratch, and untouched groups keep their
very tuple of articles."""

from __future__ import annotations

import operator
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import newsarchive.grouping as grouping_module
from newsarchive.grouping import FEW_CHANGED, Grouping, group_names
from newsarchive.model import Article

START = datetime(2020, 1, 1, tzinfo=UTC)
NAMES = ["Oil", "oil", "OIL", "Gold", "Bank", "Iran", "Japan", "Trade", "Rates", "Ships"]
NAMES += ["Zürich", "zürich", "C++", "C", "Café", "cafe", "Ölpreis", "ölpreis"]
tags_of = operator.attrgetter("tags")


def article(n: int, tags: tuple[str, ...]) -> Article:
    when = START + timedelta(hours=n)
    return Article(f"a{n:04d}.txt", f"Story {n}", when, "", "body", "", tags=tags)


def some_tags(rng: random.Random) -> tuple[str, ...]:
    """Up to five names, some of them twice or in two spellings (one group each)."""
    return tuple(rng.choice(NAMES) for _ in range(rng.randint(0, 5)))


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: a.posted, reverse=True)


def test_patched_groups_equal_groups_made_from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    patched: list[bool] = []
    patch = grouping_module._patched
    monkeypatch.setattr(
        grouping_module, "_patched", lambda *a: patched.append(patch(*a)) or patched[-1]
    )
    rng = random.Random(18)
    serial = 1000
    articles = newest_first([article(n, some_tags(rng)) for n in range(300)])
    grouping = Grouping()
    last = group_names(articles, tags_of, grouping)
    assert last == group_names(articles, tags_of)
    for step in range(200):
        articles = list(articles)
        what = rng.choice(["edit", "add", "delete", "many", "nothing"])
        count = {"many": 40, "nothing": 0}.get(what, rng.randint(1, 3))
        if what == "many" and rng.random() < 0.3:  # past FEW_CHANGED: grouped from scratch
            articles = [replace(a, tags=some_tags(rng)) for a in articles]
        for _ in range(count):
            at = rng.randrange(len(articles))
            if what == "delete" and len(articles) > 10:
                del articles[at]
            elif what == "add":
                serial += 1
                articles.append(article(rng.randrange(400) * 3 + serial % 3, some_tags(rng)))
            else:  # an edit: a new object for the same file, its tags maybe changed
                articles[at] = replace(articles[at], tags=some_tags(rng))
        articles = newest_first(articles)
        groups = group_names(articles, tags_of, grouping)
        assert groups == group_names(articles, tags_of), (step, what)
        old = {slug: found for _, slug, found in last}
        for _, slug, found in groups:  # patched, a group whose articles stayed: same tuple
            before = old.get(slug, ())
            if patched[-1] and len(before) == len(found) and all(map(operator.is_, before, found)):
                assert before is found, (step, what, slug)
        last = groups
    assert patched.count(True) > 100 and patched.count(False) > 5  # both ways were taken


def test_a_new_order_or_many_changes_group_from_scratch() -> None:
    rng = random.Random(6)
    articles = newest_first([article(n, some_tags(rng)) for n in range(FEW_CHANGED + 50)])
    grouping = Grouping()
    group_names(articles, tags_of, grouping)
    swapped = list(articles)  # two articles change places: patching would misorder them
    swapped[3], swapped[9] = swapped[9], swapped[3]
    assert group_names(swapped, tags_of, grouping) == group_names(swapped, tags_of)
    shuffled = list(articles)
    rng.shuffle(shuffled)  # the same articles in another order: member order follows it
    assert group_names(shuffled, tags_of, grouping) == group_names(shuffled, tags_of)
    edited = [replace(a, tags=some_tags(rng)) for a in articles]  # every article new
    assert group_names(edited, tags_of, grouping) == group_names(edited, tags_of)
    moved = [edited[-1], *edited[:-1]]  # the oldest article edited to be the newest
    assert group_names(moved, tags_of, grouping) == group_names(moved, tags_of)


def test_a_one_off_grouping_keeps_nothing() -> None:
    grouping = Grouping(keep=False)
    group_names([article(1, ("Oil",))], tags_of, grouping)
    assert (grouping.given, grouping.members, grouping.rows) == ([], {}, [])


@pytest.mark.parametrize("ordered", [True, False])
def test_came_and_gone_finds_scattered_changes_as_a_set_difference(ordered: bool) -> None:
    """came_and_gone: the objects that came and went by identity, wherever they are, even
    where the lengths differ (one long span for changes()); None past ``most``, or when the
    objects both hold changed order (``ordered``)."""
    rng = random.Random(3 + ordered)
    old, pool = [article(n, ()) for n in range(300)], [article(n, ()) for n in range(300, 2000)]
    for step in range(200):
        new = list(old)
        for _ in range(rng.randint(0, 6)):
            what = rng.choice(["replace", "insert", "delete", "swap"])
            at = rng.randrange(len(new))
            if what == "replace":
                new[at] = replace(new[at], title="again")
            elif what == "insert":
                new.insert(at, pool.pop())  # a new object: none is given twice
            elif what == "delete":
                del new[at]
            elif rng.random() < 0.2:
                other = rng.randrange(len(new))
                new[at], new[other] = new[other], new[at]
        most = rng.choice([3, 8, 64])
        was, now = set(map(id, old)), set(map(id, new))
        came = [a for a in new if id(a) not in was]
        gone = [a for a in old if id(a) not in now]
        kept_old = [a for a in old if id(a) in now]
        kept_new = [a for a in new if id(a) in was]
        same_order = len(kept_old) == len(kept_new) and all(map(operator.is_, kept_old, kept_new))
        wanted = None
        if max(len(came), len(gone)) <= most and (same_order or not ordered):
            wanted = (came, gone)
        found = grouping_module.came_and_gone(old, new, most, ordered)
        assert (found is None) == (wanted is None), step
        if found is not None:
            assert list(map(id, found[0])) == list(map(id, came)), step
            assert list(map(id, found[1])) == list(map(id, gone)), step
        old = new


def test_groups_patched_by_order_equal_groups_made_from_scratch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the archive's order key (``order``: newest first, by time then file name, as
    serve's tags and bylines are grouped), a patch places and removes articles by a search:
    no look-up of every article's position, and the groups made from scratch."""
    from newsarchive.dates import chronological_key

    def no_positions(articles):  # type: ignore[no-untyped-def]
        raise AssertionError("every article's position looked up")

    monkeypatch.setattr(grouping_module, "_by_position", no_positions)
    patched: list[bool] = []
    patch = grouping_module._patched
    monkeypatch.setattr(
        grouping_module, "_patched", lambda *a: patched.append(patch(*a)) or patched[-1]
    )
    rng = random.Random(7)
    numbers = iter(rng.sample(range(100_000), 2_000))  # one file name and time each
    by_key = lambda found: sorted(found, key=chronological_key, reverse=True)  # noqa: E731
    articles = by_key([article(next(numbers), some_tags(rng)) for _ in range(300)])
    grouping = Grouping()
    group_names(articles, tags_of, grouping, chronological_key)
    for step in range(150):
        articles = list(articles)
        what = rng.choice(["edit", "add", "delete"])
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(articles))
            if what == "delete" and len(articles) > 10:
                del articles[at]
            elif what == "add":
                articles.append(article(next(numbers), some_tags(rng)))
            else:
                articles[at] = replace(articles[at], tags=some_tags(rng))
        articles = by_key(articles)
        groups = group_names(articles, tags_of, grouping, chronological_key)
        assert groups == group_names(articles, tags_of), (step, what)
    assert patched.count(True) == 150  # every change patched
