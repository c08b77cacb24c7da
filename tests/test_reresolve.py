"""The archive-wide tags pass made again for a few changed articles (tags/reresolve.py):
always what the whole pass makes of the same mentions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsarchive.config import Config, TagRules
from newsarchive.content.plaintext import parse_text
from newsarchive.content.values import Reading
from newsarchive.tags import reresolve
from newsarchive.tags.entities import Mentions, extract
from newsarchive.tags.resolve import Resolved, resolve_archive

RULES = TagRules()


def _texts(folder: Path, count: int) -> list[tuple[str, list[str]]]:
    files = sorted(folder.glob("*.txt"), key=lambda p: int(p.stem.split("-")[1]))[:count]
    out = []
    for path in files:
        article = parse_text(path.read_text("utf-8"), Reading(path.name, Config().tz, 280))
        out.append((article.title, [p for p in article.body_text.split("\n\n") if p]))
    return out


def _edited(texts: list[tuple[str, list[str]]], at: int, how: str, rng: random.Random) -> None:
    """An editor's change of one article: its title, a paragraph dropped or added (from
    another article, with its names), a typo, or its whole text another article's."""
    title, paragraphs = texts[at]
    if how == "title":
        title += f" (corrected {rng.randrange(100)})"
    elif how == "drop" and len(paragraphs) > 1:
        paragraphs = paragraphs[:-1]
    elif how == "add":
        paragraphs = [*paragraphs, *rng.choice(texts)[1][:1]]
    elif how == "typo" and paragraphs:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split() or ["x"]
        words[rng.randrange(len(words))] += "s"
        paragraphs = [*paragraphs[:i], " ".join(words), *paragraphs[i + 1 :]]
    elif how == "replace":
        title, paragraphs = rng.choice(texts)
    texts[at] = (title, paragraphs)


def _mentions(text: tuple[str, list[str]]) -> Mentions:
    return extract(text[0], "\n\n".join(text[1]), RULES)


def _made_again(
    before: list[Mentions], resolved: Resolved, now: list[Mentions]
) -> tuple[str, Resolved]:
    """The pass over ``now`` from ``resolved`` (the pass over ``before``), checked against
    the whole pass, and how it was made: "whole", "again" or "same" (the very object)."""
    again = reresolve.resolved_again(before, resolved, now)
    whole = resolve_archive(now, RULES, keep=True)
    if again is None:
        return "whole", whole
    assert again.tagged == whole.tagged
    assert again.state is not None and whole.state is not None
    kept, fresh = again.state.scope.people, whole.state.scope.people
    assert (kept.known, kept.full, kept.surnames, kept.latin) == (
        fresh.known,
        fresh.full,
        fresh.surnames,
        fresh.latin,
    )
    return ("same" if again is resolved else "again"), again


@pytest.mark.corpus
def test_edits_made_again_equal_the_whole_pass(reuters_dir: Path) -> None:
    texts = _texts(reuters_dir, 700)
    mentions = list(map(_mentions, texts))
    resolved = resolve_archive(mentions, RULES, keep=True)
    rng = random.Random(7)
    ways = {"whole": 0, "again": 0, "same": 0}
    for _step in range(90):
        now = list(mentions)
        for at in rng.sample(range(len(texts)), rng.choice([1, 1, 1, 2, 4])):
            _edited(texts, at, rng.choice(["title", "drop", "add", "typo", "replace"]), rng)
            now[at] = _mentions(texts[at])
        way, resolved = _made_again(mentions, resolved, now)
        ways[way] += 1
        mentions = now
    # Half the edits or more are made again from the few that changed (the rest brought
    # new people, or moved a word past the share that makes it common); each way was taken.
    assert ways["again"] + ways["same"] >= 45 and min(ways.values()) >= 3, ways


@pytest.mark.corpus
def test_publishes_and_retractions_made_again_equal_the_whole_pass(reuters_dir: Path) -> None:
    """Past EXACT_SIZE articles the pass counts the archive in steps (resolve.counted), so
    an article that comes or goes within a step is made again from the few that changed."""
    texts = _texts(reuters_dir, 1700)
    stories, texts = texts[1500:], texts[:1500]  # counted as 1,500 up to 1,503
    mentions = list(map(_mentions, texts))
    resolved = resolve_archive(mentions, RULES, keep=True)
    rng = random.Random(3)
    ways = {"whole": 0, "again": 0, "same": 0}
    for _round in range(12):
        came = []
        for _n in range(3):  # three publishes at random places (newest first or back-filled)
            at = rng.choice([0, rng.randrange(len(mentions))])
            now = [*mentions[:at], _mentions(rng.choice(stories)), *mentions[at:]]
            came.append(now[at])
            way, resolved = _made_again(mentions, resolved, now)
            ways[way] += 1
            mentions = now
        for gone in came:  # and their retractions
            now = [m for m in mentions if m is not gone]
            way, resolved = _made_again(mentions, resolved, now)
            ways[way] += 1
            mentions = now
    # Half or more (the others brought new people, or a step of the count); each way taken.
    assert ways["again"] >= 36 and ways["whole"] >= 1, ways


def _pass(*texts: str) -> tuple[list[Mentions], Resolved]:
    mentions = [extract(text.split("\n")[0], text, RULES) for text in texts]
    return mentions, resolve_archive(mentions, RULES, keep=True)


def test_a_tag_named_by_a_second_article_comes_to_the_first_unchanged_one() -> None:
    filler = [f"Story {i}\nThe weather was mild on day {i}." for i in range(60)]
    lux = "Banks\nLuxembourg said on Monday that deposits at Luxembourg banks grew."
    mentions, resolved = _pass(lux, "Other\nNothing here.", *filler)
    assert ("Luxembourg", "place") not in resolved.tagged[0].tags  # named by one article
    now = [mentions[0], extract("Also", lux, RULES), *mentions[2:]]
    again = reresolve.resolved_again(mentions, resolved, now)
    assert again is not None and again.tagged == resolve_archive(now, RULES).tagged
    assert ("Luxembourg", "place") in again.tagged[0].tags  # the unchanged article's
    back = reresolve.resolved_again(now, again, mentions)
    assert back is not None and back.tagged == resolved.tagged


def test_the_whole_pass_where_the_count_of_articles_changed() -> None:
    mentions, resolved = _pass("A\nOne.", "B\nTwo.")
    assert reresolve.resolved_again(mentions, resolved, mentions[:1]) is None


def test_no_state_without_keep() -> None:
    mentions = [extract("A", "Text.", RULES)]
    assert resolve_archive(mentions, RULES).state is None
    assert reresolve.resolved_again(mentions, resolve_archive(mentions, RULES), mentions) is None
