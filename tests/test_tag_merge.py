"""The tags stage's merge of own and found tags, and what ``serve`` keeps of it: the kinds
and renames worked out from first occurrences must be the article-by-article rule's, and a
stage that reuses its last pass and names must give what a fresh one gives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newsarchive.config import TagRules
from newsarchive.model import Article
from newsarchive.tags.kept import TagMemo
from newsarchive.tags.merge import kinds_and_renames
from newsarchive.tags.resolve import Tagged
from newsarchive.tags.stage import tag_articles

START = datetime(2021, 3, 1, tzinfo=UTC)
OWN = ["usa", "USA", "uk", "west-germany", "reagan", "earn", "Earn", "crude", "Oil", "oil"]
FOUND = [("Oil", "topic"), ("oil", ""), ("Ronald Reagan", "person"), ("Japan", "place")]
FOUND += [("Earn", "organisation"), ("United States", "place"), ("Crude", "")]


def reference(
    own: list[tuple[str, ...]],
    found: dict[int, Tagged],
    name_of: dict[str, str],
    declared: dict[str, str],
    places: set[str],
) -> tuple[dict[str, str], dict[str, str]]:
    """The rule as the stage applied it before: each article in turn, own tags first."""
    kinds: dict[str, str] = {}
    renamed: dict[str, str] = {}
    for position, tags in enumerate(own):
        seen: set[str] = set()
        for tag in tags:
            name = name_of[tag]
            key = name.casefold()
            if name != tag:
                renamed.setdefault(tag, name)
            if key in seen:
                continue
            seen.add(key)
            if key not in kinds:
                kinds[key] = declared.get(key, "place" if name in places else "")
        tagged = found.get(position)
        for name, kind in tagged.tags if tagged else ():
            if not kinds.get(name.casefold()):
                kinds[name.casefold()] = kind
    return kinds, renamed


def test_kinds_and_renames_are_the_article_by_article_rule() -> None:
    rng = random.Random(18)
    names = {"usa": "United States", "USA": "United States", "uk": "United Kingdom"}
    names |= {"west-germany": "West Germany", "reagan": "Ronald Reagan", "oil": "Oil"}
    places = {"United States", "United Kingdom", "West Germany", "Japan"}
    declared = {"crude": "topic", "oil": ""}
    for _ in range(300):
        own = [tuple(rng.sample(OWN, rng.randint(0, 3))) for _ in range(rng.randint(0, 12))]
        mode = rng.choice(["missing", "always", "never"])
        where = [i for i, tags in enumerate(own) if mode == "always" or not tags]
        where = where if mode != "never" else []
        found = {i: Tagged(tuple(rng.sample(FOUND, rng.randint(0, 3)))) for i in where}
        name_of = {tag: names.get(tag, tag) for tag in OWN}
        got = kinds_and_renames(
            own, list(found.items()), name_of.__getitem__, declared, {p: p for p in places}
        )
        want = reference(own, found, name_of, declared, places)
        assert got == want and list(got[1]) == list(want[1]), (own, found)


TEXTS = [
    "Ronald Reagan met bankers in West Germany. Reagan said oil prices would fall.",
    "Officials in west germany said crude output rose. The USA and Japan talked.",
    "Earnings rose at the Bank of Japan. Yasuhiro Nakasone spoke in Tokyo.",
    "Crude oil prices fell in London. Margaret Thatcher spoke in the United Kingdom.",
]


def story(n: int, rng: random.Random) -> Article:
    tags = tuple(rng.sample(OWN, rng.randint(0, 3))) if rng.random() < 0.7 else ()
    body = " ".join(rng.sample(TEXTS, 2))
    when = START + timedelta(hours=n)
    return Article(f"s{n:03d}.txt", f"Story {n} on {tags[:1]}", when, "", body, "", tags=tags)


def test_tags_kept_between_builds_equal_tags_made_afresh() -> None:
    rng = random.Random(6)
    articles = [story(n, rng) for n in range(60)]
    rules = TagRules()
    for mode in ("missing", "always"):
        memo = TagMemo()
        tag_articles(articles, rules, mode, memo)
        for step in range(60):
            at = rng.randrange(len(articles))
            what = rng.choice(["title", "text", "person", "tags", "new", "gone", "nothing"])
            if what == "title":
                articles[at] = replace(articles[at], title=f"{articles[at].title} {step}")
            elif what == "text":  # the spelling of a slug may come from it
                spelled = rng.choice(["West Germany", "west germany", "WEST GERMANY"])
                articles[at] = replace(articles[at], body_text=f"Talks in {spelled}. {TEXTS[2]}")
            elif what == "person":  # a second Reagan: "reagan" is no longer one person
                body = "Nancy Reagan visited Paris. Nancy Reagan spoke in Paris."
                articles[at] = replace(articles[at], tags=(), body_text=body)
            elif what == "tags":
                articles[at] = replace(articles[at], tags=tuple(rng.sample(OWN, 2)))
            elif what == "new":
                articles.insert(at, story(100 + step, rng))
            elif what == "gone":
                del articles[at]
            kept = tag_articles(articles, rules, mode, memo)
            fresh = tag_articles(articles, rules, mode)
            assert kept == fresh, (mode, step, what)
            assert list(kept[2]) == list(fresh[2]), (mode, step, what)  # renames in order
            again = tag_articles(articles, rules, mode, memo)
            assert all(a is b for a, b in zip(again[0], kept[0], strict=True))


def test_own_tags_are_named_again_when_the_found_people_change() -> None:
    """``reagan`` is Ronald Reagan while the archive names him; edited away, it is not."""
    rules, memo = TagRules(), TagMemo()
    reagan = "President Ronald Reagan spoke in Washington. Reagan said taxes would fall."
    own = Article("a.txt", "Taxes", START, "", "Taxes would fall.", "", tags=("reagan",))
    found = [Article(f"{n}.txt", "Taxes", START, "", reagan, "") for n in "bc"]
    first, _, renamed = tag_articles([own, *found], rules, "missing", memo)
    assert first[0].tags == ("Ronald Reagan",) and renamed == {"reagan": "Ronald Reagan"}
    edited = [replace(article, body_text="Taxes would fall.") for article in found]
    again, _, renamed = tag_articles([own, *edited], rules, "missing", memo)
    assert again[0].tags == ("reagan",) and renamed == {}
    assert (again, renamed) == tag_articles([own, *edited], rules, "missing")[::2]
