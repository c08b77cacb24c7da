"""The map of places: the vendored outlines are world-atlas's own, TopoJSON is decoded into
closed rings, the projection puts known points where Equal Earth does, marks grow with their
count, and the drawing is the same every time."""

from __future__ import annotations

import json
import math
import re

import pytest

from newsarchive.model import Tag
from newsarchive.render import worldmap
from newsarchive.render.worldmap import (
    HEIGHT,
    MAX_RADIUS,
    MIN_RADIUS,
    WIDTH,
    decode,
    equal_earth,
    outline,
    outline_svg,
    place_map,
    project,
    radius,
    ring,
    unwrapped,
)
from newsarchive.tags.places import coordinates

from .conftest import REPO

NPM = REPO / "node_modules" / "world-atlas"


def test_vendored_outlines_are_the_npm_packages_own() -> None:
    if not (NPM / "countries-110m.json").exists():
        pytest.skip("node_modules/world-atlas is not installed (npm install)")
    for name in ("countries-110m.json", "LICENSE"):
        vendored = worldmap.TOPOLOGY.with_name(name).read_bytes()
        assert vendored == (NPM / name).read_bytes(), name
    version = json.loads((NPM / "package.json").read_text("utf-8"))["version"]
    assert (
        version == json.loads((REPO / "package.json").read_text())["devDependencies"]["world-atlas"]
    )


def small_topology() -> dict:
    """Two squares sharing an edge, quantized as TopoJSON writes them: arc 0 is the shared
    edge, 1 and 2 the rest of each square; the second uses arc 0 reversed (~0)."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [0, 4]],  # (11, 20) -> (11, 21)
            [[2, 4], [-2, 0], [0, -4], [2, 0]],  # (11, 21) -> (10, 21) -> (10, 20) -> (11, 20)
            [[2, 0], [2, 0], [0, 4], [-2, 0]],  # (11, 20) -> (12, 20) -> (12, 21) -> (11, 21)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "West"}},
                    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "E"}},
                    {"type": "Point", "coordinates": [0, 0]},
                ],
            }
        },
    }


def test_decode_gives_closed_rings_from_shared_reversed_arcs() -> None:
    topology = decode(small_topology())
    assert topology.arcs[0] == ((11.0, 20.0), (11.0, 21.0))
    assert topology.names["countries"] == ("West", "E")  # the point is not a polygon
    west, east = (ring(topology, polygon[0]) for polygon in topology.objects["countries"])
    assert west == [(11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]
    assert east == [(11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0), (11.0, 20.0)]


def test_every_ring_of_the_vendored_map_is_closed() -> None:
    topology = decode(json.loads(worldmap.TOPOLOGY.read_text("utf-8")))
    assert len(topology.names["countries"]) > 170
    for polygons in topology.objects.values():
        for polygon in polygons:
            for indices in polygon:
                points = ring(topology, indices)
                assert len(points) >= 4 and points[0] == points[-1]


def test_equal_earth_projects_known_points() -> None:
    # The published formulas (Šavrič et al. 2018) worked by hand.
    assert equal_earth(0, 0) == (0.0, 0.0)
    x, y = equal_earth(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-4) and y == 0
    x, y = equal_earth(0, 90)
    assert x == 0 and y == pytest.approx(1.3173, abs=1e-4)
    x, y = equal_earth(-90, -45)
    assert x == pytest.approx(-1.15986, abs=1e-4) and y == pytest.approx(-0.86023, abs=1e-4)
    # On the map: the centre in the middle, east to the right, north up, Tokyo where Japan is.
    assert project(0, 0)[0] == pytest.approx(WIDTH / 2)
    assert project(-180, 0)[0] == pytest.approx(0) and project(180, 0)[0] == pytest.approx(WIDTH)
    assert project(0, 84)[1] == pytest.approx(0)
    assert project(0, -57)[1] == pytest.approx(HEIGHT, abs=0.5)
    tokyo = project(139.7, 35.7)
    assert 840 < tokyo[0] < 870 and 100 < tokyo[1] < 125


def test_equal_earth_keeps_areas() -> None:
    """A one-degree cell's area on the map over its area on the sphere is the same at the
    equator, in Europe and near the pole: what makes the projection equal-area."""

    def ratio(lat: float, step: float = 0.05) -> float:
        corners = [(10, lat), (10 + step, lat), (10 + step, lat + step), (10, lat + step)]
        points = [equal_earth(lon, la) for lon, la in corners]
        shoelace = sum(
            x0 * y1 - x1 * y0
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
        )
        rad = math.radians
        sphere = rad(step) * (math.sin(rad(lat + step)) - math.sin(rad(lat)))
        return shoelace / 2 / sphere

    assert ratio(0) == pytest.approx(ratio(50), rel=1e-3)
    assert ratio(0) == pytest.approx(ratio(80), rel=1e-3)


def test_a_ring_across_the_antimeridian_is_drawn_at_both_edges() -> None:
    fiji = [(179.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (179.0, -17.0), (179.0, -16.0)]
    east, west = unwrapped(fiji)
    assert [lon for lon, _ in east] == [179.0, 181.0, 181.0, 179.0, 179.0]
    assert [lon for lon, _ in west] == [-181.0, -179.0, -179.0, -181.0, -181.0]
    assert unwrapped([(1.0, 2.0), (3.0, 4.0)]) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_marks_grow_with_their_count_within_bounds() -> None:
    radii = [radius(count, 20_000) for count in (1, 2, 10, 50, 100, 500, 1000, 5000, 20_000)]
    assert radii == sorted(radii) and len(set(radii)) > 5
    assert radii[0] == MIN_RADIUS and radii[-1] == MAX_RADIUS
    # Area proportional between the bounds: four times the articles, twice the radius.
    assert radius(400, 20_000) == pytest.approx(2 * radius(100, 20_000))
    # A small archive's marks stay small.
    assert radius(1, 3) < 10


def tag(name: str, count: int) -> Tag:
    return Tag(name, name.lower().replace(" ", "-"), (object(),) * count, "place")  # type: ignore[arg-type]


def test_place_map_puts_small_marks_over_big_ones_and_lists_the_rest() -> None:
    tags = [tag("Minsk", 3), tag("usa", 40), tag("Prussia", 9), tag("Japan", 12)]
    drawn = place_map(tags)
    assert [m.tag.name for m in drawn.marks] == ["usa", "Japan", "Minsk"]
    assert [float(m.r) for m in drawn.marks] == sorted(
        (float(m.r) for m in drawn.marks), reverse=True
    )
    assert [t.name for t in drawn.unmapped] == ["Prussia"]  # no point: not on the map
    assert place_map(reversed(tags)) == drawn


def test_place_tags_are_found_as_feeds_spell_them() -> None:
    assert coordinates("usa") == coordinates("United States") == (38.0, -97.0)
    assert coordinates("japan") == coordinates("Japan")
    assert coordinates("hong-kong") == coordinates("Hong Kong") is not None
    lat, lon = coordinates("Chicago") or (0, 0)
    assert 41 < lat < 42.5 and -88 < lon < -87
    assert coordinates("west-germany") is None and coordinates("Atlantis") is None
    # A US state: the middle of its people (New York City's weight), or its namesake city.
    lat, lon = coordinates("New York") or (0, 0)
    assert 40.6 < lat < 42 and -76 < lon < -73.8
    lat, lon = coordinates("Texas") or (0, 0)
    assert 29 < lat < 33 and -99 < lon < -95  # between Houston, Dallas and San Antonio
    lat, lon = coordinates("Washington") or (0, 0)
    assert 38.8 < lat < 39 and -77.1 < lon < -77  # the capital, not the state


def test_outline_is_small_deterministic_and_valid_svg() -> None:
    shape = outline()
    svg = outline_svg().decode("ascii")
    assert 30_000 < len(svg) < 90_000
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    # Only path data: numbers of at most one decimal, commands M, l, z.
    for d in (shape.sphere, shape.land, shape.borders):
        assert re.fullmatch(r"(M[ \d.-]+l[ \d.-]+z?)+", d)
        assert not re.search(r"\.\d\d", d)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # The same bytes when drawn again from the file (the cache is only a cache).
    outline_svg.cache_clear()
    outline.cache_clear()
    assert outline_svg().decode("ascii") == svg
