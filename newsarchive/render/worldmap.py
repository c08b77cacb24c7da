"""The map of the archive's places: Natural Earth's land and country borders (world-atlas's
``countries-110m.json``, vendored in ``worldatlas/``; public domain data, ISC package) drawn
once per build as one SVG file in the Equal Earth projection, and each place's mark computed
here for the pages to draw over it inline, so that a mark can be a link.

The outline is the same on every page: pages show it as an image (``places/world.svg``),
which a browser loads once, and only the marks are in the page.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Tag
from ..tags.places import coordinates, points

TOPOLOGY = Path(__file__).with_name("worldatlas") / "countries-110m.json"
OUTLINE_PATH = "places/world.svg"  # the outline's file in the site

# Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area, so the land reads at its size.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
WIDTH = 1000  # the viewBox's width; coordinates are rounded to tenths of it
# Latitudes shown: Antarctica is left out, the north of Greenland kept.
NORTH, SOUTH = 84.0, -57.0
# Marks: area proportional to the article count, all together MARKS_SHARE of the map's
# area; none larger than MAX_RADIUS, none smaller than MIN_RADIUS (a dot one can still see).
MARKS_SHARE = 0.06
MAX_RADIUS, MIN_RADIUS, ONE_ARTICLE_RADIUS = 30.0, 4.0, 6.0
HERE_RADIUS = 18.0  # the place's mark on its own tag page's small map

Point = tuple[float, float]
Ring = list[Point]


def equal_earth(lon: float, lat: float) -> Point:
    """The Equal Earth projection of a point in degrees, in the unit sphere's coordinates
    (x to the east, y to the north)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_EDGE = equal_earth(180.0, 0.0)[0]
_SCALE = WIDTH / (2 * _X_EDGE)
_TOP, _BOTTOM = equal_earth(0.0, NORTH)[1], equal_earth(0.0, SOUTH)[1]
HEIGHT = round((_TOP - _BOTTOM) * _SCALE)


def project(lon: float, lat: float) -> Point:
    """A point in degrees on the map: viewBox units, y downwards."""
    x, y = equal_earth(lon, lat)
    return (x + _X_EDGE) * _SCALE, (_TOP - y) * _SCALE


@dataclass(frozen=True)
class Frame:
    """Where the outline's file is in the site, and the map's size (its viewBox)."""

    path: str
    width: int
    height: int


FRAME = Frame(OUTLINE_PATH, WIDTH, HEIGHT)


@dataclass(frozen=True)
class Topology:
    """A TopoJSON topology decoded: each arc's points in degrees, and the objects' polygons
    as lists of rings, each ring a list of signed arc indices (~i: arc i reversed)."""

    arcs: tuple[tuple[Point, ...], ...]
    objects: dict[str, tuple[tuple[tuple[int, ...], ...], ...]]
    names: dict[str, tuple[str, ...]]  # each object's geometries' names, polygon by polygon


def decode(data: dict[str, Any]) -> Topology:
    """Decode a quantized TopoJSON topology: arcs are delta-encoded integers, scaled and
    translated by its ``transform`` (the TopoJSON specification, 2.1.4 and 2.2.2)."""
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:
        x = y = 0
        decoded = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            decoded.append((x * sx + tx, y * sy + ty))
        arcs.append(tuple(decoded))
    objects, names = {}, {}
    for name, obj in data["objects"].items():
        geometries = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
        polygons, labels = [], []
        for geometry in geometries:
            parts = geometry.get("arcs") or []
            if geometry["type"] == "Polygon":
                parts = [parts]
            elif geometry["type"] != "MultiPolygon":
                continue
            for polygon in parts:
                polygons.append(tuple(tuple(ring) for ring in polygon))
                labels.append(str((geometry.get("properties") or {}).get("name", "")))
        objects[name], names[name] = tuple(polygons), tuple(labels)
    return Topology(tuple(arcs), objects, names)


def ring(topology: Topology, indices: Sequence[int]) -> Ring:
    """A ring's points: its arcs joined, each after the first without its first point (the
    last of the one before); a closed ring ends where it starts."""
    joined: Ring = []
    for index in indices:
        arc = topology.arcs[index] if index >= 0 else topology.arcs[~index][::-1]
        joined.extend(arc[1:] if joined else arc)
    return joined


def _number(tenths: int) -> str:
    """A coordinate in tenths as SVG's shortest form: 12.3, 5, .5, -.5."""
    text = f"{abs(tenths) // 10}.{abs(tenths) % 10}" if tenths % 10 else str(abs(tenths) // 10)
    text = text.removeprefix("0") if text.startswith("0.") else text
    return "-" + text if tenths < 0 else text


def unwrapped(line: Ring) -> list[Ring]:
    """A line that crosses the antimeridian (Fiji, Chukotka) made continuous, going past
    180 degrees, and again a full turn over, so that each side's part shows at its own edge
    of the map (the sphere's outline clips what lies beyond)."""
    out: Ring = [line[0]]
    turn = 0.0
    for (lon0, _), (lon, lat) in itertools.pairwise(line):
        if lon - lon0 > 180:
            turn -= 360
        elif lon0 - lon > 180:
            turn += 360
        out.append((lon + turn, lat))
    lons = [lon for lon, _ in out]
    if max(lons) > 180:
        return [out, [(lon - 360, lat) for lon, lat in out]]
    if min(lons) < -180:
        return [out, [(lon + 360, lat) for lon, lat in out]]
    return [out]


def _path(lines: Iterable[Ring], close: bool, wrap: bool = True) -> str:
    """An SVG path of projected lines: each line's first point absolute, then relative steps
    between points rounded to tenths (rounded once, so no error adds up); steps that round to
    nothing are left out."""
    out = []
    for line in (part for whole in lines for part in (unwrapped(whole) if wrap else [whole])):
        projected = [project(lon, lat) for lon, lat in line]
        tenths = [(round(x * 10), round(y * 10)) for x, y in projected]
        steps = []
        last = tenths[0]
        for point in tenths[1:]:
            dx, dy = point[0] - last[0], point[1] - last[1]
            if dx or dy:
                steps.append(_pair(dx, dy))
                last = point
        if len(steps) < (2 if close else 1):
            continue
        out.append("M" + _pair(*tenths[0]) + "l" + "".join(steps) + ("z" if close else ""))
    return "".join(out)


def _pair(x: int, y: int) -> str:
    a, b = _number(x), _number(y)
    return (a if a.startswith("-") else " " + a) + (b if b.startswith("-") else " " + b)


@dataclass(frozen=True)
class Outline:
    """The map's paths (the sphere's outline, the land, the borders between countries) and
    its size."""

    sphere: str
    land: str
    borders: str
    width: int = WIDTH
    height: int = HEIGHT


def _south_of_map(line: Ring) -> bool:
    return max(lat for _, lat in line) < SOUTH


@functools.cache
def outline() -> Outline:
    """The land and the borders, once per process (about 0.1 s)."""
    topology = decode(json.loads(TOPOLOGY.read_text("utf-8")))
    land = [
        ring(topology, indices)
        for polygon in topology.objects["land"]
        for indices in polygon
        if not _south_of_map(ring(topology, indices))
    ]
    # A border is an arc two countries share: drawn once, not once for each of them.
    uses = Counter(
        index if index >= 0 else ~index
        for polygon in topology.objects["countries"]
        for indices in polygon
        for index in indices
    )
    borders = [list(topology.arcs[i]) for i in sorted(uses) if uses[i] > 1]
    edge = [(-180.0, NORTH - i) for i in range(int(NORTH - SOUTH) + 1)]
    sphere = _path([edge + [(180.0, lat) for _, lat in reversed(edge)]], close=True, wrap=False)
    return Outline(sphere, _path(land, close=True), _path(borders, close=False))


def _svg_number(value: float) -> str:
    return _number(round(value * 10))


@functools.cache
def outline_svg() -> bytes:
    """The outline as an SVG file (drawn as an image behind the marks); colours follow the
    reader's light or dark scheme, as the pages do."""
    shape = outline()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {shape.width} {shape.height}" width="{shape.width}" '
        f'height="{shape.height}">'
        "<style>.s{fill:#f1efe9}.l{fill:#dcd8cf}.b{fill:none;stroke:#fdfcf9;stroke-width:.7}"
        "@media (prefers-color-scheme:dark){.s{fill:#1d1c1b}.l{fill:#3a3835}.b{stroke:#151515}}"
        f'</style><clipPath id="c"><path d="{shape.sphere}"/></clipPath>'
        f'<path class="s" d="{shape.sphere}"/><g clip-path="url(#c)">'
        f'<path class="l" d="{shape.land}"/><path class="b" d="{shape.borders}"/></g></svg>\n'
    ).encode("ascii")


@dataclass(frozen=True)
class Mark:
    """A place's mark: its tag and its circle in the map's viewBox (as text, for the page)."""

    tag: Tag
    x: str
    y: str
    r: str


@dataclass(frozen=True)
class PlaceMap:
    """The marks of an archive's places, big ones first (small ones are drawn over them),
    and the place tags the map has no point for."""

    marks: tuple[Mark, ...]
    unmapped: tuple[Tag, ...]


def radius(count: int, total: int) -> float:
    """A mark's radius: its area proportional to ``count``, all marks together (``total``
    articles) covering MARKS_SHARE of the map, so it reads the same for any archive's size
    (but one article's never over ONE_ARTICLE_RADIUS); none over MAX_RADIUS (one place can
    be most of an archive) or under MIN_RADIUS."""
    share = math.sqrt(MARKS_SHARE * WIDTH * HEIGHT / (math.pi * max(total, 1)))
    scale = min(share, ONE_ARTICLE_RADIUS)  # a small archive's marks stay small
    return min(MAX_RADIUS, max(MIN_RADIUS, scale * math.sqrt(count)))


def mark_at(tag: Tag, r: float) -> Mark | None:
    """``tag``'s mark of radius ``r``, or None when its place has no point."""
    point = coordinates(tag.name)
    if point is None:
        return None
    x, y = project(point[1], point[0])
    return Mark(tag, _svg_number(x), _svg_number(y), _svg_number(r))


def place_map(tags: Iterable[Tag]) -> PlaceMap:
    """The map of ``tags`` (place tags): one mark each, sized by its article count."""
    places = sorted(tags, key=lambda t: (-len(t.articles), t.name))
    total = sum(len(tag.articles) for tag in places)
    marks, unmapped = [], []
    for tag in places:
        mark = mark_at(tag, radius(len(tag.articles), total))
        if mark is None:
            unmapped.append(tag)
        else:
            marks.append(mark)
    return PlaceMap(tuple(marks), tuple(unmapped))


def place_mark(tag: Tag) -> Mark | None:
    """The mark of a place on its own tag page's small map, or None when it has no point."""
    return mark_at(tag, HERE_RADIUS)


def prepare(tags: Iterable[Tag]) -> None:
    """Load the places' points once, before page workers fork, when any tag is a place
    (each worker would otherwise load them again)."""
    if any(tag.kind == "place" for tag in tags):
        points()
