"""The search stage's entry point: the index files of an archive in the form the config asks
for, sharded (:mod:`.sharded`, the default) or monolithic (:mod:`.monolithic`)."""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..model import Archive
from .monolithic import monolithic_assets
from .scripts import SearchAssets
from .sharded import Mover, ShardState, sharded_assets


def site_assets(
    archive: Archive,
    config: Config,
    state: ShardState | None = None,
    write: Callable[[str, bytes], object] | None = None,
    move: Mover | None = None,
) -> SearchAssets:
    """The search files in the form ``config.search_index`` asks for. ``state`` (kept by
    ``serve``) lets the sharded form reuse the last build's work; the files are the same
    without it. ``write``: where the sharded form sends its index files as it makes them
    (then named in ``written``, not held in ``files``), and ``move`` how it renames them
    when a folder fans out (see sharded.fan_out)."""
    if config.search_index == "monolithic":
        return monolithic_assets(archive, config)
    return sharded_assets(archive, config, state, write, move)
