"""Each article's tags: its own tags named as the subjects they are (:mod:`.subjects`), then
the tags the build found for it (:mod:`.resolve`); and what the archive learns on the way:
the kind of every tag and the own tags that were renamed.

Kinds and renames are decided by first occurrences, in the order of the articles. They are
worked out here from each own tag's first article (found in C, over every article's tags
at once) and from the found tags, so that ``serve`` need not visit every article's tags
again when it already knows their merged tags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import chain, repeat

from .gazetteer import Place
from .resolve import Tagged

NameOf = Callable[[str], str]


def merged(
    own: Sequence[str], found: Tagged | None, name_of: NameOf
) -> tuple[tuple[str, ...], int]:
    """An article's tags: its own tags as named (one per case-folded name), then the found
    ones no own tag names; and how many of them are its own."""
    names: list[str] = []
    seen: set[str] = set()
    for tag in own:
        name = name_of(tag)
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    owned = len(names)
    for name, _kind in found.tags if found is not None else ():
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return tuple(names), owned


def kinds_and_renames(
    own: Sequence[Sequence[str]],
    found: Sequence[tuple[int, Tagged]],
    name_of: NameOf,
    declared: Mapping[str, str],
    places: Mapping[str, Place],
) -> tuple[dict[str, str], dict[str, str]]:
    """Each tag's kind by its case-folded name, and each renamed own tag's new name.

    ``own``: every article's own tags, in order; ``found``: (position, found tags) of the
    articles the build tagged. As if each article were visited in turn, its own tags
    before its found ones: an own tag gives its name's kind (``declared``, else "place"
    for a gazetteer place, else "") where no tag of that name came before; a found tag
    gives its kind where the name has none yet or an empty one. So a name's kind is its
    first own tag's, if that is not empty and comes no later than its first found tag;
    else its first non-empty found kind; else "". Renames are in their first own tag's order.
    """
    first_own = dict.fromkeys(chain.from_iterable(own))  # in order of first occurrence
    # Each own tag's first article: read from the last article back, the first one stays.
    backwards = reversed(own)
    at = dict(
        zip(
            chain.from_iterable(map(reversed, reversed(own))),
            chain.from_iterable(map(repeat, range(len(own) - 1, -1, -1), map(len, backwards))),
            strict=True,
        )
    )
    renames: dict[str, str] = {}
    first: dict[str, tuple[int, str]] = {}  # case-folded name -> (article, first own name)
    for tag in first_own:
        name = name_of(tag)
        if name != tag:
            renames[tag] = name
        first.setdefault(name.casefold(), (at[tag], name))
    found_at: dict[str, int] = {}
    found_kind: dict[str, str] = {}
    for position, tagged in found:
        for name, kind in tagged.tags:
            key = name.casefold()
            found_at.setdefault(key, position)
            if kind:
                found_kind.setdefault(key, kind)
    kinds: dict[str, str] = {}
    for key, (position, name) in first.items():
        kind = declared.get(key, "place" if places.get(name) is not None else "")
        later = found_at.get(key)
        fits = kind and (later is None or position <= later)
        kinds[key] = kind if fits else found_kind.get(key, "")
    for key in found_at:
        kinds.setdefault(key, found_kind.get(key, ""))
    return kinds, renames
