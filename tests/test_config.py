"""archive.toml: defaults, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.config import Config, load_config
from newsarchive.errors import ArchiveError

from .conftest import REPO


def test_repo_config_loads() -> None:
    config = load_config(REPO / "archive.toml")
    assert config.base_url.startswith("https://") and config.per_page == 20


def test_missing_default_config_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "archive.toml") == Config()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('titel = "x"', "unknown key 'titel'"),
        ('per_page = "20"', "'per_page' must be an integer"),
        ("title = 3", "'title' must be a string"),
        ('timezone = "Mars/Olympus"', "'timezone': unknown time zone 'Mars/Olympus'"),
        ("per_page = 0", "'per_page' must be at least 1"),
        ('base_url = "example.org"', "'base_url' must be an absolute http(s) URL"),
        ("title = ", "invalid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "archive.toml"
    path.write_text(text + "\n")
    with pytest.raises(ArchiveError) as info:
        load_config(path)
    assert fragment in str(info.value)
    assert str(info.value).startswith(str(path))


def test_named_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="config file not found"):
        load_config(tmp_path / "other.toml")
