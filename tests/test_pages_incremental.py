"""serve's page listing stages remake only what an edit touched (newsarchive/changes.py): each
kept result must equal, value for value and article object for object, what a build
without anything kept makes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsarchive import changes as changes_module
from newsarchive import grouping
from newsarchive.changes import changes
from newsarchive.config import Config
from newsarchive.memo import InputMemo
from newsarchive.model import Archive, Article
from newsarchive.placing import Placement, build_archive
from newsarchive.render import bylines, listing, sitemap
from newsarchive.render.keys import ArticleKeys, KeyMemo, PageKeys
from newsarchive.render.pages import ArticleJobs, PageJob, page_jobs
from newsarchive.render.paging import Pagination
from newsarchive.render.tagindex import PairCounts

CONFIG = Config(base_url="https://example.org/", per_page=4, timezone="UTC")
START = datetime(2020, 1, 1, tzinfo=UTC)
TAGS = ["Oil", "Gold", "Bank", "Iran", "Japan", "Trade"]


def story(n: int, title: str = "", tags: tuple[str, ...] = ("Oil",), source: str = "") -> Article:
    when = START + timedelta(hours=5 * n)
    name, title = f"a{n:04d}.txt", title or f"Story {n}"
    return Article(name, title, when, "", "body", "", tags=tags, source=source)


def same_value(a: Any, b: Any) -> bool:
    """Equal as pages show them, with articles the very same objects."""
    if type(a) is not type(b):
        return False
    if type(a) is Article:
        return a is b
    if type(a) is Pagination:  # what a page shows of it (an older page: not the count)
        return a.key_parts() == b.key_parts() and same_value(list(a.items), list(b.items))
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(map(same_value, a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return a == b


def same_jobs(kept: list[PageJob], fresh: list[PageJob]) -> None:
    assert [(j.template, j.path) for j in kept] == [(j.template, j.path) for j in fresh]
    for a, b in zip(kept, fresh, strict=True):
        assert list(a.context) == list(b.context), a.path
        assert same_value(a.context, b.context), a.path


class Kept:
    """serve's page_jobs state between builds."""

    def __init__(self) -> None:
        self.memo: InputMemo = InputMemo()
        self.pairs, self.articles = PairCounts(), ArticleJobs()
        self.placed = Placement()
        self.page_keys: KeyMemo | None = None
        self.article_keys: ArticleKeys | None = None
        self.kinds: dict[str, str] | None = None  # each tag's kind (the tags stage's)

    def archive(self, articles: list[Article]) -> Archive:
        """The model as serve makes it: unchanged articles the same objects; each related
        to the two after it by name."""

        def relate(placed: Sequence[Article]) -> list[tuple[int, ...]]:
            order = sorted(range(len(placed)), key=lambda i: placed[i].path)
            rank = {i: k for k, i in enumerate(order)}
            return [tuple(order[rank[i] + 1 : rank[i] + 3]) for i in range(len(placed))]

        kinds = dict(self.kinds) if self.kinds is not None else None
        return build_archive(articles, placement=self.placed, kinds=kinds, relate=relate)

    def jobs(self, archive: Archive) -> list[PageJob]:
        return page_jobs(archive, CONFIG, self.memo, self.pairs, self.articles)

    def keys(self, archive: Archive, jobs: list[PageJob]) -> tuple[dict[str, str], bytes]:
        """The pages' keys and the digest of every article and tag, as build_site makes them."""
        digests = {article.path: article.title for article in archive.articles}  # the file's
        keys = PageKeys(archive, "salt", digests, self.article_keys)
        out, self.page_keys = keys.keys(jobs, self.page_keys)
        contents = keys.digest([archive.articles, archive.tags])
        self.article_keys = keys.articles
        keys.articles.memo.next_build()
        return out, contents


def fresh_keys(archive: Archive) -> tuple[dict[str, str], bytes]:
    digests = {article.path: article.title for article in archive.articles}
    keys = PageKeys(archive, "salt", digests, keep=False)
    return keys.keys(page_jobs(archive, CONFIG))[0], keys.digest([archive.articles, archive.tags])


def test_changes_find_edits_additions_and_deletions_by_identity() -> None:
    old = [story(n) for n in range(50)]
    edited = [*old]
    edited[3], edited[40] = story(3, "x"), story(40, "y")
    found = changes(old, edited)
    assert found is not None and found.in_place and found.positions == [3, 40]
    assert found.gone() == [old[3], old[40]] and found.came() == [edited[3], edited[40]]
    assert found.splice(list(range(50)), lambda i: -i)[:5] == [0, 1, 2, -3, 4]
    added = [*old[:10], story(999), *old[10:]]
    found = changes(old, added)
    assert found is not None and found.positions == [10] and found.gone() == []
    assert found.splice(old, added.__getitem__) == added and found.old_position(20) == 19
    gone = old[:7] + old[8:]
    found = changes(old, gone)
    assert found is not None and found.positions == [] and found.gone() == [old[7]]
    assert found.splice(old, gone.__getitem__) == gone
    assert changes(old, old[::-1], most=10) is None  # too many: start afresh


def test_changes_of_the_same_tuples_are_answered_again_as_compared() -> None:
    """The pair memo (changes._PairMemo): every stage asking about the same two tuples gets
    what comparing them gives, in random rounds of edits, additions and deletions."""
    rng = random.Random(7)
    objects = [object() for _ in range(3_000)]
    for _ in range(40):
        old = tuple(objects)
        new = list(old)
        for _ in range(rng.randrange(0, 4)):
            at = rng.randrange(len(new))
            kind = rng.choice(("edit", "add", "delete"))
            if kind == "edit":
                new[at] = object()
            elif kind == "add":
                new.insert(at, object())
            else:
                del new[at]
        new_tuple = tuple(new)
        slow_ends = changes_module.unchanged_ends(list(old), new)  # lists: never kept
        slow_at = changes_module.differing(list(old), new) if len(new) == len(old) else None
        slow = changes(list(old), new)
        hits = changes_module.MEMO.hits
        for _ in range(3):
            assert changes_module.unchanged_ends(old, new_tuple) == slow_ends
            if slow_at is not None:
                assert changes_module.differing(old, new_tuple, 2) == slow_at[:2]
                assert changes_module.differing(old, new_tuple) == slow_at
            found = changes(old, new_tuple)
            assert (found and found.spans) == (slow and slow.spans)
        assert changes_module.MEMO.hits >= hits + 2  # the fast path ran
        objects = new


def test_an_edit_remakes_only_the_pages_that_hold_it(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [story(n, tags=("Oil", TAGS[n % 6]), source="Reuters") for n in range(300)]
    kept = Kept()
    archive = kept.archive(articles)
    first = kept.jobs(archive)
    kept.keys(archive, first)
    articles[150] = story(150, "Edited", tags=("Oil", TAGS[0]), source="Reuters")
    archive = kept.archive(articles)
    cut: list[str] = []
    monkeypatch.setattr(listing, "run_stops", lambda *a: cut.append("cut") or [])
    monkeypatch.setattr(listing, "spliced", lambda was, t, base, *a: cut.append(base))
    again = kept.jobs(archive)
    assert cut == []  # no listing was cut into pages again: the pages are where they were
    monkeypatch.undo()
    same_jobs(again, page_jobs(archive, CONFIG))
    listings = {"index.html", "tag.html", "period.html", "byline.html"}
    made = [b for a, b in zip(first, again, strict=True) if a is not b and b.template in listings]
    listed = [b for b in again if b.template in listings]
    # The pages holding it (home, Oil, its source, year, month, day and their front pages).
    assert len(listed) > 200 and len(made) < 20
    fronts = {job.path: job.context for job in first if "often" in job.context}
    for job in again:  # tags often with Oil: the very tuple, that the memo compares at once
        if job.path in fronts and job.context["often"]:
            assert job.context["often"] is fronts[job.path]["often"]
    fresh = fresh_keys(archive)
    looked: list[str] = []
    keep = PageKeys._keep

    def looking(self: PageKeys, job: PageJob, *args: Any) -> str:
        looked.append(job.path)
        return keep(self, job, *args)

    monkeypatch.setattr(PageKeys, "_keep", looking)
    assert kept.keys(archive, again) == fresh
    assert 0 < len(looked) < 30  # the keys of the jobs that changed, not of every page


def test_kept_page_jobs_equal_a_fresh_build_after_every_kind_of_change() -> None:
    rng = random.Random(7)
    articles = [story(n, tags=tuple(rng.sample(TAGS, 2)), source="Reuters") for n in range(200)]
    kept = Kept()
    for step in range(30):
        i = rng.randrange(len(articles))
        n = int(articles[i].path[1:5])
        change = step % 6
        if change == 0:  # a title edit: the same file and time
            articles[i] = story(n, f"Edited {step}", articles[i].tags, articles[i].source)
        elif change == 1:  # a new article dated in the middle
            late = story(1000 + step, tags=("Gold",), source="Reuters")
            articles.append(replace(late, posted=START + timedelta(hours=5 * i, minutes=7)))
        elif change == 2:
            articles.pop(i)
        elif change == 3:  # a tag change
            articles[i] = story(n, articles[i].title, tuple(rng.sample(TAGS, 3)), "Reuters")
        elif change == 4:  # another source
            articles[i] = story(n, articles[i].title, articles[i].tags, "AP")
        else:  # two edits at once
            for j in (i, rng.randrange(len(articles))):
                m = int(articles[j].path[1:5])
                articles[j] = story(m, f"Twice {step}", articles[j].tags, articles[j].source)
        archive = kept.archive(articles)
        jobs = kept.jobs(archive)
        same_jobs(jobs, page_jobs(archive, CONFIG))
        assert kept.keys(archive, jobs) == fresh_keys(archive)


def test_bylines_kept_after_an_edit_equal_grouped_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = ["Reuters", "reuters", "AP", ""]
    articles = [story(n, source=sources[n % 4]) for n in range(60)]
    kept = Kept()
    kept.jobs(kept.archive(articles))
    grouped: list[int] = []
    for step, i in enumerate((5, 6, 7, 30)):
        articles[i] = story(i, f"Edited {step}", source=articles[i].source)
        archive = kept.archive(articles)
        monkeypatch.setattr(grouping, "_group_all", lambda *a: grouped.append(1))
        found = kept.articles.bylines.find(archive.articles)
        monkeypatch.undo()
        assert grouped == []  # the names were not grouped again: the groups were patched
        fresh = {s: bylines.bylines(archive.articles, s) for s in bylines.SECTIONS}
        assert found.keys() == fresh.keys()
        for section, group in found.items():
            assert [(b.name, b.slug) for b in group] == [(b.name, b.slug) for b in fresh[section]]
            assert all(
                same_value(a.articles, b.articles)
                for a, b in zip(group, fresh[section], strict=True)
            )
        kept.jobs(archive)


def test_a_kept_sitemap_equals_a_fresh_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "SITEMAP_LIMIT", 7)  # an index of several files too
    rng = random.Random(3)
    paths = [f"2020/{n:03d}/index.html" for n in range(40)] + ["404.html", "a&b/index.html"]
    kept = sitemap.SitemapMemo()
    for step in range(40):
        i = rng.randrange(len(paths))
        change = step % 4
        if change == 0:  # an edited title: the page moves
            paths[i] = f"2020/moved-{step}/index.html"
        elif change == 1:
            paths.insert(i, f"2020/{rng.randrange(40):03d}/index.html")  # twice, even
        elif change == 2:
            paths.pop(i)
        got = kept.files(CONFIG, list(paths))
        assert got == list(sitemap.sitemap(CONFIG, paths)), step
        assert kept.files(CONFIG, list(paths)) is got  # the same pages: the same files


def test_a_kept_sitemap_takes_pages_added_and_removed_far_apart() -> None:
    """A new article adds its page among the articles' and a page to its listings at the
    end, a deleted one removes both: the kept sitemap equals a fresh one each time."""
    paths = [f"2020/{n:03d}/index.html" for n in range(60)] + ["404.html"]
    kept = sitemap.SitemapMemo()
    kept.files(CONFIG, list(paths))
    for step in range(12):
        if step % 3 == 2:  # one article retracted: its page and a listing page go
            paths.remove(f"2021/new-{step - 1}/index.html")
            paths.remove(f"tags/t/page/{step - 1}/index.html")
        else:
            paths.insert(5, f"2021/new-{step}/index.html")
            paths.append(f"tags/t/page/{step}/index.html")
        assert kept.files(CONFIG, list(paths)) == list(sitemap.sitemap(CONFIG, paths)), step


@pytest.mark.parametrize("labeller", ["dated", "timed"])
def test_a_listing_cut_again_around_a_change_equals_one_cut_afresh(
    monkeypatch: pytest.MonkeyPatch, labeller: str
) -> None:
    """Articles published, retracted, back-filled and deleted (one or a few at once) in a
    listing of many pages, some of one busy day: the spliced listing (render/splicing.py)
    has the jobs, page ends and runs of one made afresh, and keeps the pages far from the
    change (the very jobs)."""
    from newsarchive.render import splicing
    from newsarchive.render.i18n import Dates
    from newsarchive.render.paging import Paging, run_ends

    rng = random.Random(11)
    made = iter(range(10_000, 20_000))

    def new(at: datetime) -> Article:
        n = next(made)
        return Article(f"b{n}.txt", f"New {n}", at, "", "body", "")

    articles = [story(n) for n in range(400)] + [
        new(START + timedelta(days=30, minutes=m))
        for m in range(60)  # a busy day
    ]
    spliced = splicing.spliced
    used: list[listing.Listing | None] = []

    def splicing_used(*args: Any) -> listing.Listing | None:
        used.append(spliced(*args))
        return used[-1]

    monkeypatch.setattr(listing, "spliced", splicing_used)
    kept = None
    moved = 0  # pages kept under another number
    for step in range(80):
        newest_first = sorted(articles, key=lambda a: (a.posted, a.path), reverse=True)
        ends = run_ends(newest_first, 6)
        paging = Paging(6, ends, Dates("en"))
        label = paging.dated if labeller == "dated" else Paging.timed
        fresh = listing.listing("tag.html", "t/", tuple(newest_first), paging, labeller=label)
        if kept is not None:
            used.clear()
            got = listing.listing(
                "tag.html", "t/", tuple(newest_first), paging, labeller=label, reuse=kept
            )
            assert used and used[0] is not None, step  # cut again around the change
            assert list(got.ends) == list(fresh.ends) and list(got.stops) == list(fresh.stops)
            same_jobs(got.jobs, fresh.jobs)
            # Older pages before the change, with the pages whose labels they show (two
            # on, whose labels look one further), far from the front: the very jobs.
            found = changes(kept.articles, got.articles)
            assert found is not None
            first = len(got.articles) - found.spans[-1].stop  # from the oldest
            pages, then = len(got.jobs), len(kept.jobs)
            far = [
                k
                for k in range(1, min(pages, then) - 4)
                if got.stops[k + 2] <= first  # (page k + 3's run ends before the change)
            ]
            assert all(got.jobs[pages - k] is kept.jobs[then - k] for k in far), step
            assert far or first < 40, step
            # Older pages well after the change (numbered again when a run came or went),
            # far from the front and with page 1 as it was: the very jobs of the same name.
            last = len(got.articles) - found.spans[0].start  # past the newest change
            number = {id(job): then - i for i, job in enumerate(kept.jobs)}
            by_path = {job.path: job for job in kept.jobs[1:]}
            first_page = [job.context["pagination"] for job in (got.jobs[-1], kept.jobs[-1])]
            if (
                first_page[0].path == first_page[1].path
                and len({p.caption for p in first_page}) == 1
            ):
                after = [k for k in range(6, pages - 4) if got.stops[k - 5] >= last + 24]
                for k in after:
                    was = by_path.get(got.jobs[pages - k].path)
                    if was is not None and number[id(was)] < then - 4:
                        assert got.jobs[pages - k] is was, (step, k)
                        moved += number[id(was)] != k
            fresh = got
        kept = fresh
        change = step % 5
        newest = max(a.posted for a in articles)
        if change == 1 and step % 10 == 1:  # retracted: the newest goes
            articles.remove(max(articles, key=lambda a: (a.posted, a.path)))
        elif change in (0, 1):  # published
            articles.append(new(newest + timedelta(minutes=1 + step)))
        elif change == 2:  # back-filled among the middle's, or into the busy day
            day = START + timedelta(days=30 if step % 2 else rng.randrange(80), seconds=31)
            articles.append(new(day + timedelta(seconds=step)))
        elif change == 3:  # deleted from anywhere
            articles.pop(rng.randrange(len(articles)))
        else:  # a few at once, apart
            articles.pop(rng.randrange(len(articles)))
            articles.append(new(START + timedelta(days=rng.randrange(80), minutes=step)))
    assert moved > 100, moved  # runs came and went: the pages after them kept, renumbered


def test_an_article_saved_again_unchanged_is_a_new_object_on_every_page() -> None:
    """A file saved again as it was is parsed into another object equal to the old one;
    with an article published at once, the pages that list it among their related ones
    must hold the new object (ArticleJobs compares related lists by equality in C only
    when no changed article is equal to its old self)."""
    articles = [story(n, tags=("Oil", TAGS[n % 6])) for n in range(120)]
    kept = Kept()
    kept.jobs(kept.archive(articles))
    for step, i in enumerate((30, 31, 77)):
        articles[i] = story(i, tags=("Oil", TAGS[i % 6]))  # equal, not the same
        articles.append(story(500 + step, tags=("Gold",)))
        archive = kept.archive(articles)
        same_jobs(kept.jobs(archive), page_jobs(archive, CONFIG))
        assert kept.keys(archive, kept.jobs(archive)) == fresh_keys(archive)
