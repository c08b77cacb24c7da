"""serve's page keys follow the change (render/keys.py): the kept keys equal a fresh
PageKeys' after publishes, deletions and edits far apart, and only the jobs that changed
are looked at (not every page, as when one span had to hold every change)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from newsarchive.render import keys as keys_module
from newsarchive.render.keys import PageKeys
from newsarchive.render.pages import LATE_TEMPLATES, PageJob, page_jobs

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


def test_the_walk_pairs_the_very_same_jobs() -> None:
    """_walk's came and went, whatever the order: every new job not in ``came`` is the very
    same object as an old one not in ``went``, in order."""
    rng = random.Random(2)
    old = [PageJob("t.html", f"p{n}/", {}) for n in range(300)]
    for step in range(60):
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
        paths = {job.path: (job, None, "") for job in old}
        found = keys_module._walk(old, new, paths, 10_000)  # type: ignore[arg-type]
        assert found is not None
        came, went = found
        came_ids, went_ids = set(map(id, came)), set(map(id, went))
        stayed_new = [job for job in new if id(job) not in came_ids]
        stayed_old = [job for job in old if id(job) not in went_ids]
        assert len(stayed_new) == len(stayed_old)
        assert all(a is b for a, b in zip(stayed_new, stayed_old, strict=True))
        assert len(came) + len(went) <= 30
        old = new
