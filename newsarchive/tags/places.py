"""Where a place tag is on the globe, for the map: a country at the point countryinfo gives
for it (its capital's when it has none), a city at GeoNames' point for it. A tag is looked up
as the tags stage reads it ("usa", "Japan", "west-germany"), so explicit tags from feeds find
their place too. A US state is at its namesake city (New York, Washington) when there is one,
else it has no point, like names the gazetteer does not know.
"""

from __future__ import annotations

import functools

from .gazetteer import Place, big_cities, gazetteer

# (latitude, longitude) in degrees.
LatLon = tuple[float, float]


@functools.cache
def points() -> dict[tuple[str, str], LatLon]:
    """Points by (place name, kind), once per process (0.2 s, mostly GeoNames' cities): a
    build loads them before its page workers fork (render.worldmap.prepare)."""
    from countryinfo import all_countries

    from .gazetteer import _display_name

    points: dict[tuple[str, str], LatLon] = {}
    for country in sorted(all_countries(), key=lambda c: str(c.info()["name"])):
        info = country.info()
        latlng = info.get("latlng") or info.get("capital_latlng")
        if latlng and len(latlng) == 2:
            point = (float(latlng[0]), float(latlng[1]))
            for kind in ("country", "region"):  # England etc. are regions of the UK
                points.setdefault((_display_name(info), kind), point)
    for city in big_cities():  # the most populous city of a name, as the gazetteer has it
        points.setdefault((city["name"], "city"), (city["latitude"], city["longitude"]))
    return points


def place_of(name: str) -> Place | None:
    """The gazetteer's place for a tag's name, read as the tags stage reads explicit tags
    (exact, Title Case, UPPER CASE), and a feed's slug ("west-germany") as words."""
    names = gazetteer().names
    for form in (name, name.replace("-", " ")):
        place = names.get(form) or names.get(form.title()) or names.get(form.upper())
        if place is not None:
            return place
    return None


def coordinates(name: str) -> LatLon | None:
    """The point of the place a tag names, or None when it has none (see the module)."""
    place = place_of(name)
    if place is None:
        return None
    known = points()
    found = known.get((place.name, place.kind))
    if found is None and place.kind == "region":  # news means the city (GeoNames' names)
        found = known.get((place.name, "city")) or known.get((place.name + " City", "city"))
    return found
