"""The search stage's entry point: the index files of an archive in the form the config asks
for, sharded (:mod:`.sharded`, the default) or monolithic (:mod:`.monolithic`)."""

from __future__ import annotations

from collections.abc import Mapping

from ..config import Config
from ..model import Archive
from .monolithic import monolithic_assets
from .scripts import SearchAssets
from .sharded import ShardState, sharded_assets


def site_assets(
    archive: Archive,
    config: Config,
    digests: Mapping[str, str] | None = None,
    state: ShardState | None = None,
) -> SearchAssets:
    """The search files in the form ``config.search_index`` asks for. ``digests`` (each
    article file's digest by path) and ``state`` (kept by ``serve``) let the sharded form
    reuse the last build's work; the files are the same without them."""
    if config.search_index == "monolithic":
        return monolithic_assets(archive, config)
    return sharded_assets(archive, config, digests, state)
