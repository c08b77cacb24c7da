"""Pages in the site's language: interface strings from the theme's gettext catalogues, dates
and numbers as CLDR (Babel) writes them in each language.

Catalogues are ``locale/<code>.po`` beside the templates (``ru.po``), read as text
when a build starts (no compiled ``.mo`` files to keep in step); a language without one shows
the English strings the templates are written in, with its own dates and numbers.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    format_time,
    get_month_names,
)
from babel.dates import tokenize_pattern as cldr_tokens
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.units import format_unit

from ..errors import ArchiveError

# The CLDR locale each language's dates are written in. English pages keep the day first
# ("10 April 2023"), as they always have; Norwegian is Bokmål.
CLDR_LOCALES = {"en": "en_GB", "no": "nb"}


def N_(message: str) -> str:
    """Marks a string the templates translate but get from Python, for ``pybabel extract``."""
    return message


# What model.KIND_LABELS and search.sorting.SORT_LABELS hold (tests/test_i18n.py keeps them
# in step): the templates pass them through _().
PYTHON_STRINGS = (
    *(N_("Person"), N_("People"), N_("Place"), N_("Places"), N_("Organisation")),
    *(N_("Organisations"), N_("Topic"), N_("Topics"), N_("Tag"), N_("Other tags")),
    *(N_("Relevance"), N_("Newest first"), N_("Oldest first")),
)


def catalogue_path(folders: Sequence[Path], code: str) -> Path | None:
    """The first theme folder's catalogue for ``code`` (a site's own theme before the default)."""
    for folder in folders:
        path = folder / "locale" / f"{code}.po"
        if path.is_file():
            return path
    return None


def load_translations(folders: Sequence[Path], code: str) -> gettext.NullTranslations:
    """The catalogue for ``code`` from the theme ``folders``, or none (English) when there is
    none; a catalogue that cannot be read is an ArchiveError naming its line."""
    path = catalogue_path(folders, code)
    if path is None:
        return gettext.NullTranslations()
    stat = path.stat()
    return _read_catalogue(str(path), stat.st_mtime_ns, stat.st_size, code)


@functools.lru_cache(maxsize=8)
def _read_catalogue(path: str, mtime: int, size: int, code: str) -> gettext.GNUTranslations:
    """A .po file compiled in memory (``serve`` makes a renderer per rebuild: read once)."""
    del mtime, size  # only part of the cache key
    try:
        with open(path, "rb") as file:
            data = file.read()
        bad = misformatted_line(data.decode("utf-8"))
        if bad is not None:
            raise ArchiveError(f"bad message catalogue: {bad[1]}", path, bad[0])
        catalog = read_po(io.BytesIO(data), locale=cldr_locale(code), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", 1)
        raise ArchiveError(f"bad message catalogue: {exc}", path, line) from None
    except (OSError, UnicodeDecodeError) as exc:
        message = f"cannot read message catalogue: {getattr(exc, 'strerror', None) or exc}"
        raise ArchiveError(message, path) from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"')


def misformatted_line(text: str) -> tuple[int, str] | None:
    """The first line of a .po file that is neither a comment, a keyword with a quoted string
    nor a quoted string, and what is wrong (Babel's reader skips or mangles such lines
    without a word: ``msgstr Теги`` became ``ег``)."""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if line and not line.startswith("#") and not _PO_LINE.fullmatch(line):
            return number, f"expected msgid, msgstr or a quoted string, not {line[:40]!r}"
    return None


@functools.lru_cache(maxsize=64)
def cldr_locale(code: str) -> Locale:
    try:
        return Locale.parse(CLDR_LOCALES.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def _capitalised(text: str) -> str:
    """Month names open a title or stand alone in a list: ``апрель 2023 г.`` -> ``Апрель``."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Dates:
    """Dates, month names and numbers as one language writes them (CLDR, through Babel)."""

    code: str

    @functools.cached_property
    def locale(self) -> Locale:
        return cldr_locale(self.code)

    def date(self, value: datetime, with_time: bool = False) -> str:
        """``10 April 2023`` / ``10 апреля 2023 г.``; with the time, ``…, 13:13`` (the time
        as the page's datetime shows it: in the site's zone)."""
        day = _long_date(self.code, value.year, value.month, value.day)
        if not with_time:
            return day
        return _with_time(self.code, day, value.hour, value.minute)

    def month_name(self, month: int) -> str:
        """The month alone, as in a list of months: ``April``, ``Апрель``."""
        return _month_name(self.code, month)

    def month_title(self, year: int, month: int, start: bool = True) -> str:
        """CLDR's yMMMM: ``April 2023``, ``Апрель 2023 г.`` (``апрель 2023 г.`` inside a
        sentence: ``start=False``)."""
        text = _year_month(self.code, year, month)
        return _capitalised(text) if start else text

    def day_month(self, month: int, day: int) -> str:
        """CLDR's MMMMd: ``10 April``, ``10 апреля``."""
        return format_skeleton("MMMMd", datetime(2000, month, day), locale=self.locale)

    def month_abbr(self, month: int) -> str:
        """The month short, under a timeline's bar: ``Apr``, ``Апр.``."""
        names = get_month_names("abbreviated", "stand-alone", locale=self.locale)
        return _capitalised(names[month])

    def date_range(self, first: date, last: date) -> str:
        """CLDR's interval of yMMMd: ``12–14 Mar 1987``, ``12 Feb – 30 Oct 1987``, one date
        when both are the same day."""
        return _interval(self.code, first, last)

    def at_times(self, day: str, times: str) -> str:
        """A date and times as the locale joins a date and a time: ``2 Mar 1987, 09:12–11:40``."""
        return _date_time_pattern(self.code).replace("{1}", day).replace("{0}", times)

    @property
    def first_weekday(self) -> int:
        """The locale's first day of the week, 0 Monday ... 6 Sunday (en_GB, ru: Monday)."""
        return int(self.locale.first_week_day)

    def weekdays(self) -> list[tuple[str, str]]:
        """(abbreviated, wide) day names from :attr:`first_weekday` on: calendar headers."""
        short = self.locale.days["stand-alone"]["abbreviated"]
        wide = self.locale.days["stand-alone"]["wide"]
        days = [(self.first_weekday + i) % 7 for i in range(7)]
        return [(_capitalised(short[d]), _capitalised(wide[d])) for d in days]

    def number(self, value: int) -> str:
        """Grouped as the language groups digits: ``20,841``, ``20 841``."""
        return format_decimal(value, locale=self.locale)

    def size(self, value: int) -> str:
        """A file's size in decimal units, one decimal at most: ``5.2 MB``, ``5,2 МБ``."""
        unit, amount = "kilobyte", round(value / 1000, 1)
        if amount >= 1000:
            unit, amount = "megabyte", value / 1_000_000
        return format_unit(
            round(amount, 1), f"digital-{unit}", "short", "#,##0.#", locale=self.locale
        )

    def for_script(self) -> dict[str, object]:
        """What the search page needs to write dates as :meth:`date` does: the long date's
        parts (fields such as ``d``, ``MMMM``, ``y`` and literal text) and the month names."""
        parts: list[list[str] | str] = []
        for kind, value in cldr_tokens(self.locale.date_formats["long"].pattern):
            if kind == "field":
                parts.append([value[0] * value[1]])
            else:
                parts.append(value)
        months = get_month_names("wide", "format", locale=self.locale)
        return {"parts": parts, "months": [months[m] for m in range(1, 13)]}


# Every page writes dates, and Babel takes 5-15 µs a call: the same days and minutes recur.
@functools.lru_cache(maxsize=65536)
def _long_date(code: str, year: int, month: int, day: int) -> str:
    return format_date(date(year, month, day), "long", locale=cldr_locale(code))


@functools.lru_cache(maxsize=4096)  # timelines name every month of the archive, on many pages
def _year_month(code: str, year: int, month: int) -> str:
    return format_skeleton("yMMMM", datetime(year, month, 1), locale=cldr_locale(code))


@functools.lru_cache(maxsize=65536)  # every page of every listing has a label
def _interval(code: str, first: date, last: date) -> str:
    return format_interval(first, last, "yMMMd", locale=cldr_locale(code))


def _with_time(code: str, day: str, hour: int, minute: int) -> str:
    shown = _short_time(code, hour, minute)
    return _date_time_pattern(code).replace("{1}", day).replace("{0}", shown)


@functools.lru_cache(maxsize=64)
def _date_time_pattern(code: str) -> str:
    return str(cldr_locale(code).datetime_formats.get("medium", "{1}, {0}"))


# By the time alone: with the day in its key, nearly every article page missed (each has
# its own minute of its own day) and paid Babel's formatting.
@functools.lru_cache(maxsize=4096)
def _short_time(code: str, hour: int, minute: int) -> str:
    return format_time(time(hour, minute), "short", locale=cldr_locale(code))


@functools.lru_cache(maxsize=256)  # every article page names its month (Babel: a look-up a call)
def _month_name(code: str, month: int) -> str:
    names = get_month_names("wide", "stand-alone", locale=cldr_locale(code))
    return _capitalised(names[month])


def plural_samples(code: str) -> dict[str, int]:
    """A number of each CLDR plural category of the language (``one``: 1, ``few``: 2, ...),
    so a catalogue's ngettext can give the form the search page picks by category."""
    rule = cldr_locale(code).plural_form
    samples: dict[str, int] = {}
    for number in (*range(0, 200), 1000, 1000000):
        samples.setdefault(rule(number), number)
    return samples


def plural_forms(
    translations: gettext.NullTranslations, code: str, singular: str, plural: str
) -> dict[str, str]:
    """The forms of a message with a count ``{n}``, by CLDR category (the page chooses with
    ``Intl.PluralRules``): ``{"one": "{n} статья", "few": "{n} статьи", "many": ...}``."""
    samples = plural_samples(code)
    return {cat: translations.ngettext(singular, plural, n) for cat, n in samples.items()}
