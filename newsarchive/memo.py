"""Work kept between the builds of ``serve``, found again by the very object it was made from.

The rule that makes this safe: an article whose file did not change is the *same object*
in the next build (the read stage keeps parsed articles by file, the tags stage keeps its
tagged copy, the model keeps its placed copy). Everything later computed from an article
(its related-articles features, its page key, its search metadata row) is kept by that
object's identity, and is valid exactly as long as the object is the same. Articles are
frozen dataclasses, so the same object always holds the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

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
