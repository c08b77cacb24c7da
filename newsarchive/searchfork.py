"""A cold one-off build's search stage in its own forked process, started as soon as the
model has placed the articles and grouped the tags, which is all it reads.

Before, this process made the search index after the related articles, the page jobs and
the page keys, while the page workers rendered. Those stages before the workers run in
one process (a second of 20,000 articles, two and a half minutes of a million), so one
core waited. In a child of its own, the index is made on that core meanwhile. The child
writes its files into the new folder as they are made (as this process did) and reports
the manifest's records of them; the files are the same bytes as before. This process
writes the data files meanwhile, then takes the child's records.

Only a build with no manifest of a last build (a new output folder) does this: otherwise
the last build's search files may be kept, which is known only from the page keys.
"""

from __future__ import annotations

from .config import Config
from .model import Archive
from .output import SiteWriter, Stamp
from .parallel import ForkedTasks
from .search.assets import site_assets
from .search.scripts import SearchAssets

# The child's files: path, content digest and stamp (its first field is the size).
Records = list[tuple[str, str, Stamp]]
_WORK: tuple[Archive, Config, SiteWriter] | None = None  # what the child inherits


def _search(_: None) -> tuple[SearchAssets, Records]:
    """In the child: the search stage, writing its files; the assets and their records."""
    assert _WORK is not None
    archive, config, writer = _WORK
    assets = site_assets(archive, config, None, writer.write, writer.move)
    # This child has written nothing else: its manifest's files are the index's.
    stamps = writer.manifest.stamps
    return assets, [(path, digest, stamps[path]) for path, digest in writer.manifest.files.items()]


class SearchFork:
    """The search stage running in a forked child (see the module's docstring), started by
    :meth:`start` when the model stage has grouped the tags."""

    def __init__(self, config: Config, writer: SiteWriter):
        self.config, self.writer = config, writer
        self.tasks: ForkedTasks[None, tuple[SearchAssets, Records]] | None = None

    @classmethod
    def wanted(cls, config: Config, writer: SiteWriter, keep: bool, jobs: int) -> SearchFork | None:
        """One for a build that should make its search index in a child: a one-off build
        (serve keeps the index's state in this process) on more than one core, into a new
        folder; else None."""
        if keep or jobs <= 1 or writer.previous is not None or writer.in_place:
            return None
        return cls(config, writer)

    def start(self, archive: Archive) -> None:
        """Fork the child that makes the index of ``archive``'s articles and tags."""
        global _WORK
        self.writer.begin(0)  # a new folder: no page count changes how it is written
        _WORK = (archive, self.config, self.writer)
        self.tasks = ForkedTasks(_search, [None], 1)
        # Forked before this process goes on: the related stage's threads (numpy) must not
        # run while it forks, as a child has only the forking thread and no lock they hold.
        self.tasks.forked.wait()

    def result(self) -> SearchAssets:
        """Wait for the child; its files are then this build's, recorded as written here."""
        assert self.tasks is not None, "started by the model stage"
        try:
            assets, records = next(self.tasks.results())
        finally:
            self.close()
        for path, digest, stamp in records:
            self.writer.record(path, stamp[0], None, digest, stamp)
            self.writer.changed.append(path)
        return assets

    def close(self) -> None:
        """End the child if it still runs (after an error here); idempotent."""
        global _WORK
        if self.tasks is not None:
            self.tasks.close()
            self.tasks = None
        _WORK = None
