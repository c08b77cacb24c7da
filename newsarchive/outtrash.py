"""The files an in-place commit replaces or deletes, freed after it instead of during it.

On ext4, freeing a file's blocks is most of what replacing or deleting it costs: 100 to 150
microseconds for a page (a rename to a new name: 10), 6 to 20 ms for the 26 MB data file at
20,841 articles. A new article replaced or deleted some 270 files (its pages, and the search
files named by their content), which was most of serve's commit. So the commit gives each
old file a second name in a trash folder in the cache folder first (a hard link: the site
never lacks the file, and a kill leaves the old file in place), renames the new file over
it or moves the gone file there, and a thread removes the folder once the commit is done.
Where hard links cannot be made there (the cache folder on another file system), the
commit replaces and deletes as it always did.

A trash folder is ``.<output id>.trash-<process id>-<n>``; :func:`.outlock.recover` removes
those a killed build left.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

_COUNT = itertools.count()
_EMPTYING: list[threading.Thread] = []


class Trash:
    """A folder that takes the old files of one commit (made on first use)."""

    def __init__(self, cache: Path, output_id: str) -> None:
        self.folder = f"{cache}/.{output_id}.trash-{os.getpid()}-{next(_COUNT)}"
        self._made = False
        self._usable = True
        self._taken = 0

    def _name(self) -> str | None:
        if not self._made:
            try:
                os.mkdir(self.folder)
            except OSError:
                self._usable = False
                return None
            self._made = True
        self._taken += 1
        return f"{self.folder}/{self._taken}"

    def keep(self, path: str) -> None:
        """Give the file at ``path`` (to be replaced) a name in the trash, if it can be had."""
        name = self._name() if self._usable else None
        if name is None:
            return
        try:
            os.link(path, name)
        except FileNotFoundError:
            pass
        except OSError:  # no hard links across file systems (or here at all)
            self._usable = False

    def take(self, path: str) -> bool:
        """Move the file at ``path`` (to be deleted) into the trash; whether it is gone."""
        name = self._name() if self._usable else None
        if name is None:
            return False
        try:
            os.rename(path, name)
        except FileNotFoundError:
            return True
        except OSError:
            self._usable = False
            return False
        return True

    def empty(self) -> None:
        """Remove the folder, in a thread (unlinking releases the GIL): the commit is done."""
        if not self._made:
            return
        thread = threading.Thread(target=shutil.rmtree, args=(self.folder, True))
        thread.start()
        _EMPTYING[:] = [t for t in _EMPTYING if t.is_alive()]
        _EMPTYING.append(thread)


def wait() -> None:
    """Wait until every trash folder of this process is removed."""
    while _EMPTYING:
        _EMPTYING.pop().join()
