"""archive.toml: defaults, and errors that name the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsarchive.config import OPTIONS, Config, load_config, load_rules
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "A"\nper_page = \n', ":2: invalid TOML: Invalid value (column 12)"),
        ('title = "A"\ndescription = "open', ":2: invalid TOML: Unterminated string (at the end"),
    ],
)
def test_toml_syntax_error_is_at_its_line(tmp_path: Path, text: str, expected: str) -> None:
    """``archive.toml:2: ...`` as for articles (editors jump there), not "(at line 2, ...)"."""
    path = tmp_path / "archive.toml"
    path.write_text(text)
    with pytest.raises(ArchiveError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}{expected}")
    assert "at line" not in str(info.value)


def test_every_bad_key_is_reported_at_its_line(tmp_path: Path) -> None:
    """A bad ``per_page`` no longer hides a bad ``timezone``, nor a wrong type the rest."""
    path = tmp_path / "archive.toml"
    text = (
        '# settings\ntitle = "News"\nper_page = 0\n  timezone = "Mars/Olympus"\n'
        'related = "five"\n"titel" = "x"\n\n[extra]\nkey = 1\n'
    )
    error = raised(load_config, path, text)
    assert str(error).splitlines() == [
        f"{path}:3: 'per_page' must be at least 1",
        f"{path}:4: 'timezone': unknown time zone 'Mars/Olympus'",
        f"{path}:5: 'related' must be an integer, not str",
        f"{path}:6: unknown key 'titel' (known: {', '.join(OPTIONS)})",
        f"{path}:8: unknown key 'extra' (known: {', '.join(OPTIONS)})",
    ]
    assert [part.line for part in error.parts] == [3, 4, 5, 6, 8]


def test_every_bad_tag_rule_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "tags.toml"
    text = 'home = 3\n[aliases]\n"Vladimir Putin" = ["Putin"]\nBob = "Robert"\n[kinds]\nBob = "x"\n'
    assert str(raised(load_rules, path, text)).splitlines() == [
        f"{path}:1: home: must be a place's name",
        f"{path}:4: aliases: 'Bob' must be a list of names",
        f"{path}:6: kinds: 'Bob' must be one of person, place, organisation, topic",
    ]


def raised(load: Callable[[Path], object], path: Path, text: str) -> ArchiveError:
    """The error ``load`` raises for ``path`` holding ``text``."""
    path.write_text(text)
    with pytest.raises(ArchiveError) as info:
        load(path)
    return info.value
