"""Work kept between the builds of ``serve``, found again by the very object it was made from.

The rule that makes this safe: an article whose file did not change is the *same object*
in the next build (the read stage keeps parsed articles by file, the tags stage keeps its
tagged copy, the model keeps its placed copy). Everything later computed from an article
(its related-articles features, its page key, its search metadata row) is kept by that
object's identity, and is valid exactly as long as the object is the same. Articles are
frozen dataclasses, so the same object always holds the same values.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ObjectMemo(Generic[V]):
    """Values made from objects in the last build, found again only for the very same object.

    Each entry holds its object, so the object's id cannot be reused by another while the
    entry exists. ``keep=False`` (a one-off build) remembers nothing, so a build that has no
    next one pays nothing for it.
    """

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self._before: dict[int, tuple[object, V]] = {}
        self._now: dict[int, tuple[object, V]] = {}

    def get(self, key: object, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()``; kept for the next build."""
        value = self.find(key)
        if value is None:
            value = make()
        self.keep(key, value)
        return value

    def find(self, key: object) -> V | None:
        """The value the last build kept for this very object, or None (keep it with
        :meth:`keep` to have it next time): :meth:`get` without making closures."""
        found = self._before.get(id(key))
        return found[1] if found is not None and found[0] is key else None

    def keep(self, key: object, value: V) -> None:
        if self.keeping:
            self._now[id(key)] = (key, value)

    def forget(self, keys: Iterable[object]) -> None:
        """Drop what the last build kept for these objects: a value made from more than its
        object (an article's key holds its tags' URLs and kinds) that changed since."""
        before = self._before
        for key in keys:
            found = before.get(id(key))
            if found is not None and found[0] is key:
                del before[id(key)]

    def each(self, keys: Iterable[K], make: Callable[[K], V]) -> Iterator[V]:
        """:meth:`get` for each key in turn (``make(key)`` when none is kept), in one loop:
        for a value of every article, the calls of ``get`` cost as much as the values."""
        before, now = self._before, self._now if self.keeping else None
        for key in keys:
            found = before.get(id(key))
            if found is None or found[0] is not key:
                found = (key, make(key))
            if now is not None:
                now[id(key)] = found
            yield found[1]

    def next_build(self) -> None:
        """Keep what this build asked for; forget the rest."""
        self._before, self._now = self._now, {}


class InputMemo(Generic[V]):
    """Values made in the last build, found again by name while their inputs are the same.

    Inputs are compared cheaply and strictly: a string or number by value, a tuple item
    by item (a listing's articles: unchanged ones are the same objects), anything else
    (articles, tags, periods) by identity. A miss only costs the work again, so an input
    that is equal but not the same object is simply made anew. ``keep=False`` remembers nothing.
    """

    def __init__(self, keep: bool = True) -> None:
        self.keeping = keep
        self._before: dict[str, tuple[tuple[object, ...], V]] = {}
        self._now: dict[str, tuple[tuple[object, ...], V]] = {}

    def get(self, name: str, inputs: tuple[object, ...], make: Callable[..., V], *args: Any) -> V:
        """The value kept under ``name`` if made from the same ``inputs``, else
        ``make(*args)`` (arguments, not a closure: the callers loop)."""
        if not self.keeping:
            return make(*args)
        old = self._before.get(name)
        value = old[1] if old is not None and _same_inputs(old[0], inputs) else make(*args)
        self._now[name] = (inputs, value)
        return value

    def before(self, name: str) -> V | None:
        """What the last build kept under ``name``, whatever it was made from: for a maker
        that can reuse parts of it (a listing's pages that did not change)."""
        old = self._before.get(name)
        return None if old is None else old[1]

    def next_build(self) -> None:
        """Keep what this build asked for; forget the rest."""
        self._before, self._now = self._now, {}


_VALUES = (str, int, float, bool, type(None))


def _same_inputs(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    if len(old) != len(new):
        return False
    if all(map(operator.is_, old, new)):
        return True  # the usual case, tested in C
    for a, b in zip(old, new, strict=True):
        if a is b:
            continue
        kind = type(a)
        if kind is not type(b):
            return False
        if kind is tuple:  # the cheap test first: a listing's articles, the same objects
            same = len(a) == len(b) and all(map(operator.is_, a, b))  # type: ignore[arg-type]
            if not same and not _same_inputs(a, b):  # type: ignore[arg-type]
                return False
        elif kind not in _VALUES or a != b:
            return False
    return True
