"""serve's placing (``placing.Placement``): a rebuild that patches the last placing gives
the URLs, order and warnings a fresh placing gives, and unchanged articles keep their
placed copies, through adds, deletes and edits that collide with each other's URLs."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.model import Article
from newsarchive.placing import FEW_PLACED, Placement, place_articles

NAMES = [f"{n:02d}.txt" for n in range(12)]
# Titles that collide: the same words, a name with no letters, and the suffixed place
# another file's twin would get (``twin-<hash of its name>``), which a suffix must skip.
TITLES = [
    "Twin",
    "Other",
    "???",
    *(f"Twin {hashlib.sha1(n.encode()).hexdigest()[:6]}" for n in NAMES[:3]),
]
TIMES = [datetime(2023, 4, 10, 9, tzinfo=UTC), datetime(2023, 4, 10, 18, tzinfo=UTC)]
TIMES.append(datetime(2023, 4, 11, 1, tzinfo=UTC))


def article(name: str, title: int, time: int) -> Article:
    return Article(name, TITLES[title], TIMES[time], None, "", "")


# Each step sets one file to an article (title, time), or deletes it (None).
steps = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.none() | st.tuples(st.integers(0, len(TITLES) - 1), st.integers(0, len(TIMES) - 1)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_a_patched_placing_is_a_fresh_one(
    changes: list[tuple[str, tuple[int, int] | None]],
) -> None:
    files: dict[str, Article] = {}
    state = Placement()
    placed_before: dict[int, Article] = {}
    for name, spec in changes:
        if spec is None:
            files.pop(name, None)
        else:
            files[name] = article(name, *spec)
        given_now = list(files.values())
        placed, warnings = place_articles(given_now, state)
        fresh, fresh_warnings = place_articles(list(given_now))
        assert [a.url for a in placed] == [a.url for a in fresh]
        assert [a.path for a in placed] == [a.path for a in fresh]
        assert warnings == fresh_warnings
        # An article given again keeps its placed copy while its URL stays.
        now = {id(g): p for g, p in zip(state.given, state.placed, strict=True)}
        for key, kept in placed_before.items():
            if key in now and now[key].url == kept.url:
                assert now[key] is kept
        placed_before = now


def test_many_changes_place_everything_again() -> None:
    """Past FEW_PLACED changes a rebuild places every article (the same result)."""
    many = [Article(f"{n}.txt", f"Title {n}", TIMES[n % 3], None, "", "") for n in range(200)]
    state = Placement()
    place_articles(many[:50], state)
    placed, _ = place_articles(many[: 50 + FEW_PLACED + 1], state)
    assert [a.url for a in placed] == [
        a.url for a in place_articles(many[: 50 + FEW_PLACED + 1])[0]
    ]


def test_one_off_placing_keeps_nothing() -> None:
    state = Placement(keep=False)
    placed, _ = place_articles([article("a.txt", 0, 0), article("b.txt", 0, 1)], state)
    assert len(placed) == 2 and not state.given and not state.taken


def test_a_gone_article_whose_place_a_suffix_skipped_moves_that_suffix() -> None:
    """``twin-<hash of 02.txt>`` held by one article makes 02.txt's twin skip to a longer
    hash; deleting the holder gives 02.txt the short one, as a fresh placing does."""
    holder = article("05.txt", TITLES.index(f"Twin {hashlib.sha1(b'02.txt').hexdigest()[:6]}"), 0)
    first, twin = article("01.txt", 0, 0), article("02.txt", 0, 1)
    state = Placement()
    before, _ = place_articles([holder, first, twin], state)
    after, _ = place_articles([first, twin], state)
    moved = {a.path: a.url for a in after}["02.txt"]
    assert moved != {a.path: a.url for a in before}["02.txt"]
    assert moved == {a.path: a.url for a in place_articles([first, twin])[0]}["02.txt"]
