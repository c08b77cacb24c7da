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

A replaced file is swapped with its new one in one exchange (``renameat2`` with
``RENAME_EXCHANGE``) and then renamed into the trash, not linked there and renamed over:
ext4 (``auto_da_alloc``, on by default) writes out a new file's data when it is renamed
over another, so that replacing a file through a rename survives a crash; that was 0.5 ms a
file, 30 to 40 ms for a 100 MB data file, and most of the commit. The journal holds each new
file's inode, so a build that finishes a commit killed between the exchange and the rename
knows the file at the new file's name is the old one (:meth:`.outlock.Journal.finish`).

A trash folder is ``.<output id>.trash-<process id>-<n>``; :func:`.outlock.recover` removes
those a killed build left.
"""

from __future__ import annotations

import ctypes
import errno
import itertools
import os
import shutil
import threading
from pathlib import Path

_COUNT = itertools.count()
_EMPTYING: list[threading.Thread] = []
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a libc without it (glibc < 2.28)
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    return function


_EXCHANGE = _renameat2()


def exchange(first: str, second: str) -> bool:
    """Swap the files at two paths in one step; False where the system cannot (then
    nothing was done). Raises FileNotFoundError when either is missing."""
    if _EXCHANGE is None:
        return False
    a, b = os.fsencode(first), os.fsencode(second)
    if _EXCHANGE(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code == errno.ENOENT:
        raise FileNotFoundError(code, os.strerror(code), first)
    return False  # EINVAL (a file system without it), ENOSYS


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

    def replace(self, new: str, path: str) -> None:
        """Put the file at ``new`` in the place of ``path``; the old file, if any, goes to the
        trash (see the module's docstring for why not :meth:`keep` and a rename)."""
        if self._usable and (name := self._name()) is not None:
            try:
                swapped = exchange(new, path)
            except FileNotFoundError:  # nothing to replace: a new file
                os.rename(new, path)
                return
            if swapped:  # the old file is at the new file's name now
                try:
                    os.rename(new, name)
                except OSError:  # the trash on another file system: freed here
                    self._usable = False
                    os.unlink(new)
                return
        self.keep(path)
        os.replace(new, path)

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
