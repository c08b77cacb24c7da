"""serve's page keys follow the change (render/keys.py): the kept keys equal a fresh
PageKeys' after publishes, deletions and edits far apart, and only the jobs that changed
are looked at (not every page, as when one span had to hold every change)."""

from __future__ import annotations

import operator
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsarchive.build import build_site, load_archive
from newsarchive.incremental import BuildCache
from newsarchive.matching import matching
from newsarchive.model import Article
from newsarchive.render import keys as keys_module
from newsarchive.render.keys import PageKeys
from newsarchive.render.pages import LATE_TEMPLATES, PageJob, page_jobs

from .test_incremental import CONFIG as SITE
from .test_incremental import _filler, _person, files
from .test_pages_incremental import CONFIG, START, TAGS, Kept, fresh_keys, same_jobs, story


def looking(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[bool]]:
    """The paths whose key PageKeys looked at (_keep), and whether each keys() took the
    path of the jobs that changed (_changed gave keys)."""
    looked: list[str] = []
    fast: list[bool] = []
    keep, changed, keys = PageKeys._keep, PageKeys._changed, PageKeys.keys

    def keeping(self: PageKeys, job: PageJob, *args: Any) -> str:
        looked.append(job.path)
        return keep(self, job, *args)

    def changing(self: PageKeys, *args: Any) -> Any:
        memo = changed(self, *args)
        fast[-1] = memo is not None
        return memo

    def keying(self: PageKeys, *args: Any) -> Any:
        fast.append(False)
        return keys(self, *args)

    monkeypatch.setattr(PageKeys, "_keep", keeping)
    monkeypatch.setattr(PageKeys, "_changed", changing)
    monkeypatch.setattr(PageKeys, "keys", keying)
    return looked, fast


def test_kept_keys_equal_fresh_ones_through_random_rounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Publishes (the newest), back-fills, deletions and edits, one or a few at once and far
    apart: each build's kept keys equal a fresh PageKeys' (and the digest of every article
    and tag), looking at a few jobs each time."""
    rng = random.Random(5)
    articles = [story(n, tags=tuple(rng.sample(TAGS, 2)), source="Reuters") for n in range(240)]
    kept = Kept()
    archive = kept.archive(articles)
    jobs = kept.jobs(archive)
    kept.keys(archive, jobs)
    looked, fast = looking(monkeypatch)
    made = iter(range(1000, 2000))
    for step in range(36):
        change = step % 4
        for _ in range(1 + (step % 3 == 2)):  # sometimes two at once
            i = rng.randrange(len(articles))
            if change == 0:  # published: newer than any
                newest = max(a.posted for a in articles)
                new = story(next(made), tags=("Oil", rng.choice(TAGS)), source="Reuters")
                articles.append(replace(new, posted=newest + timedelta(minutes=7)))
            elif change == 1:  # back-filled among the old ones
                new = story(next(made), tags=(rng.choice(TAGS),), source="Reuters")
                at = START + timedelta(hours=5 * rng.randrange(240), minutes=3)
                articles.append(replace(new, posted=at))
            elif change == 2:  # deleted
                articles.pop(i)
            else:  # a title edit
                old = articles[i]
                articles[i] = replace(old, title=f"Edited {step}")
        archive = kept.archive(articles)
        before = {job.path: job for job in jobs}
        jobs = kept.jobs(archive)
        same_jobs(jobs, page_jobs(archive, CONFIG))
        looked.clear()
        got = kept.keys(archive, jobs)
        assert fast[-1], step  # the jobs that changed, not the full pass
        changed = [
            job.path
            for job in jobs
            if before.get(job.path) is not job and job.template not in LATE_TEMPLATES
        ]
        assert sorted(looked) == sorted(changed), step
        assert got == fresh_keys(archive), step


def test_a_publish_looks_at_the_changed_jobs_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new article changes its page, its neighbour's and listing pages far from there
    (the home page, its tag's, its year's): these alone are keyed again."""
    articles = [story(n, tags=("Oil", TAGS[n % 6]), source="Reuters") for n in range(400)]
    kept = Kept()
    archive = kept.archive(articles)
    kept.keys(archive, kept.jobs(archive))
    newest = max(a.posted for a in articles)
    articles.append(replace(story(900, tags=("Gold",)), posted=newest + timedelta(hours=1)))
    archive = kept.archive(articles)
    jobs = kept.jobs(archive)
    walked: list[tuple[int, int] | None] = []
    walk = keys_module._walk

    def walking(*args: Any) -> Any:
        found = walk(*args)
        walked.append(None if found is None else (len(found[0]), len(found[1])))
        return found

    monkeypatch.setattr(keys_module, "_walk", walking)
    looked, fast = looking(monkeypatch)
    got = kept.keys(archive, jobs)
    monkeypatch.undo()
    assert got == fresh_keys(archive)
    assert fast == [True] and walked and walked[0] is not None
    assert 0 < len(looked) < 40 < len(jobs) // 10


def test_the_matching_pairs_the_very_same_objects() -> None:
    """matching's came and went, whatever the changes, by path or by looking one place on:
    every new object not in ``came`` is the very same as an old one not in ``went``, in
    order, and a splice takes the old values of those."""
    rng = random.Random(2)
    old = [PageJob("t.html", f"p{n}/", {}) for n in range(300)]
    for step in range(120):
        new = list(old)
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(new) + 1)
            kind = rng.randrange(3)
            if kind == 0:
                new.insert(at, PageJob("t.html", f"n{step}-{at}/", {}))
            elif kind == 1 and at < len(new):
                new.pop(at)
            elif at < len(new):  # replaced: the same path, another job
                new[at] = PageJob("t.html", new[at].path, {"x": step})
        known = {job.path for job in old} if step % 2 else None
        found = matching(old, new, 10_000, operator.attrgetter("path"), known)
        assert found is not None
        came, went = set(found.came), set(found.went)
        stayed_new = [job for i, job in enumerate(new) if i not in came]
        stayed_old = [job for j, job in enumerate(old) if j not in went]
        assert len(stayed_new) == len(stayed_old)
        assert all(a is b for a, b in zip(stayed_new, stayed_old, strict=True))
        assert len(found.came) + len(found.went) <= 30
        spliced = found.splice(list(range(len(old))), lambda i: -1 - i)
        assert [new[i] if v < 0 else old[v] for i, v in enumerate(spliced)] == new
        old = new


def _delors(count: int) -> dict[str, str]:
    """Articles tagged "Jacques Delors" by their authors: a name no rule knows, so of no kind
    until the archive-wide pass finds it as a person in two untagged articles."""
    return {
        f"own{i:02d}.txt": f"Posted: {1 + i:02d}.05.2001 10:00:00\nTags: Jacques Delors\n\n"
        f"Brussels note {i}\n\nA note on the budget today.\n"
        for i in range(count)
    }


def _more(count: int) -> dict[str, str]:
    """Untagged articles of other months that name nobody, so that most pages show no
    Delors."""
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
    out = {}
    for i in range(count):
        posted = f"{1 + i % 28:02d}.{1 + i // 28 % 2:02d}.2001 0{i % 10}:{i % 60:02d}:00"
        about = f"{words[i * 5 % 12]} and {words[i * 7 % 12]}"
        out[f"m{i:03d}.txt"] = f"Posted: {posted}\n\nNote {i}\n\nFigures on {about} today.\n"
    return out


def test_a_tag_that_changes_kind_keys_again_only_what_shows_it(
    write_articles: Callable[[dict[str, str | bytes]], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second untagged article naming Jacques Delors makes him a found person, so the tag
    his own-tagged articles carry changes kind ("" to person) while their files and objects
    stay the same. serve's rebuild equals a clean build, and keys again (and encodes the
    data rows of) only the articles carrying the tag and the pages that show them, not
    every page and row."""
    source = write_articles(
        {**_filler(60), **_more(56), **_delors(6), "p1.txt": _person(2, "Jacques Delors", 2)}
    )
    site, cache = tmp_path / "site", BuildCache()
    first = build_site(SITE, source, site, cache=cache)
    assert first.ok

    def delors() -> list[tuple[str, int]]:
        tags = load_archive(SITE, source).tags
        return [(tag.kind, len(tag.articles)) for tag in tags if tag.name == "Jacques Delors"]

    assert delors() == [("", 6)]
    keyed: list[str] = []
    articles: list[str] = []
    key, article = PageKeys.key, PageKeys._article

    def keying(self: PageKeys, job: PageJob) -> str:
        keyed.append(job.path)
        return key(self, job)

    def article_key(self: PageKeys, of: Article) -> bytes:
        articles.append(of.path)
        return article(self, of)

    monkeypatch.setattr(PageKeys, "key", keying)
    monkeypatch.setattr(PageKeys, "_article", article_key)
    write_articles({"p2.txt": _person(5, "Jacques Delors", 2)})
    cache.changed = {source / "p2.txt"}
    made = cache.data_rows.made
    again = build_site(SITE, source, site, cache=cache)
    monkeypatch.undo()
    assert delors() == [("person", 8)]
    build_site(SITE, source, tmp_path / "full")
    assert files(site) == files(tmp_path / "full")
    # The six own-tagged articles, the two that name him (p1 found-tagged anew) and p2.
    assert len(articles) <= 10, sorted(articles)
    assert cache.data_rows.made - made <= 2 * 10  # a CSV and a JSON Lines row each
    # Their pages, their neighbours', the listings and the related lists holding them.
    assert 0 < len(keyed) < again.pages // 3, (len(keyed), again.pages)


def test_kept_keys_follow_tag_kinds_through_random_rounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tags that change kind (the archive-wide pass), alone or with a publish or an edit:
    the kept keys equal a fresh PageKeys', and the jobs looked at are those that changed
    and the pages that show an article carrying a changed tag, not every page."""
    rng = random.Random(9)
    tags = [*TAGS, "Rare"]
    articles = [
        story(n, tags=(rng.choice(TAGS), "Rare" if n % 50 == 0 else "Oil")) for n in range(300)
    ]
    kept = Kept()
    kept.kinds = kinds = dict.fromkeys((tag.casefold() for tag in tags), "topic")
    archive = kept.archive(articles)
    kept.keys(archive, kept.jobs(archive))
    looked, fast = looking(monkeypatch)
    for step in range(12):
        kinds["rare"] = ("topic", "", "organisation")[step % 3]
        if step % 4 == 1:
            i = rng.randrange(len(articles))
            articles[i] = replace(articles[i], title=f"Edited {step}")
        archive = kept.archive(articles)
        jobs = kept.jobs(archive)
        looked.clear()
        got = kept.keys(archive, jobs)
        assert fast[-1], step
        assert len(looked) < len(jobs) // 3, (step, len(looked), len(jobs))
        assert got == fresh_keys(archive), step
