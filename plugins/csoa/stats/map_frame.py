"""Where a static map looks, and the land inside it.

A Frame is a window of longitude and latitude (plate carrée). A regional map is framed on its own
incidents, a port's map on the port and the incidents near it, so no map is mostly empty sea. A frame
may cross the antimeridian (east > 180): its longitudes are taken continuously from west, and land
is drawn from the copy of the world that lies there. Land is clipped to the frame (plus a margin, so
the clip's edges fall outside the picture), which keeps a small map's SVG small; no drawn piece of land
spans more than 180° of longitude, so none can draw a band across the map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box

from csoa.stats.countries import iso3_from_numeric
from csoa.stats.topology import countries

UNITS = 1000.0  # a map's width in SVG user units, whatever it shows: one precision for every map


@dataclass(frozen=True)
class Frame:
    west: float  # -180 <= west < 180
    south: float
    east: float  # west < east <= west + 360: above 180 when the frame crosses the antimeridian
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south

    def lon(self, lon: float) -> float:
        """A longitude as this frame counts it (west <= result < west + 360)."""
        return self.west + (lon - self.west + 1e-9) % 360 - 1e-9


WORLD = Frame(-180.0, -60.0, 180.0, 84.0)  # the seas ships use: no Antarctic band


def lon_interval(lons) -> tuple[float, float]:
    """The shortest (west, east) that covers every longitude, going east from west: the complement of
    the widest gap between neighbours on the circle (Fiji's 178°E and 179°W are 3° apart, not 357°)."""
    points = sorted({lon if -180 <= lon < 180 else (lon + 180) % 360 - 180 for lon in lons})
    if len(points) == 1:
        return points[0], points[0]
    gaps = [(b - a, i + 1) for i, (a, b) in enumerate(zip(points, points[1:]))]
    gaps.append((points[0] + 360 - points[-1], 0))
    _, start = max(gaps)
    west = points[start]
    east = points[start - 1] if start else points[-1]
    return west, east + (360 if east < west else 0)


def frame_around(points, pad: float = 0.12, min_size: tuple[float, float] = (12.0, 8.0),
                 aspect: tuple[float, float] = (0.75, 2.4), trim: float = 0.0) -> Frame:
    """A frame on ``points`` [(lon, lat)]: their extent, padded by ``pad`` of it on every side, at least
    ``min_size`` (degrees wide, high), with a width/height ratio within ``aspect``. ``trim``: the share
    of points left out at each edge, so that a stray few do not turn a region's map into an ocean's."""
    points = list(points)
    if not points:
        return WORLD
    west, _ = lon_interval(lon for lon, _ in points)
    # continuous from the interval's start (the tolerance keeps the westernmost point at the start)
    lons = sorted(west + (lon - west + 1e-9) % 360 - 1e-9 for lon, _ in points)
    lats = sorted(lat for _, lat in points)
    k = int(len(points) * trim)
    (west, east), (south, north) = (lons[k], lons[-1 - k]), (lats[k], lats[-1 - k])
    width = max((east - west) * (1 + 2 * pad), min_size[0])
    height = max((north - south) * (1 + 2 * pad), min_size[1])
    width, height = max(width, height * aspect[0]), max(height, width / aspect[1])
    if width >= 360 or height >= WORLD.height:
        return WORLD
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    mid_lat = min(max(mid_lat, WORLD.south + height / 2), WORLD.north - height / 2)  # slide, keep the size
    west = (mid_lon - width / 2 + 180) % 360 - 180
    return Frame(west, mid_lat - height / 2, west + width, mid_lat + height / 2)


def outside(frame: Frame, points) -> int:
    """How many of ``points`` [(lon, lat)] the frame leaves out."""
    return sum(1 for lon, lat in points if not (frame.south <= lat <= frame.north and frame.lon(lon) <= frame.east))


@dataclass(frozen=True)
class Projection:
    """Plate carrée onto a viewBox UNITS wide: x east from the frame's west edge, y south from its north."""
    frame: Frame

    @property
    def scale(self) -> float:  # user units per degree
        return UNITS / self.frame.width

    @property
    def size(self) -> tuple[float, float]:
        return UNITS, self.frame.height * self.scale

    def xy(self, lon: float, lat: float, wrap: bool = True) -> tuple[float, float]:
        """``wrap``: take the longitude as the frame counts it (a point); land from land_in already is."""
        lon = self.frame.lon(lon) if wrap else lon
        return (lon - self.frame.west) * self.scale, (self.frame.north - lat) * self.scale


def resolution_for(frame: Frame) -> str:
    """Natural Earth's 1:50m outlines for a close view (a port), 1:110m for a region or the world."""
    return "50m" if frame.width < 20 else "110m"


def _unwrap(ring) -> list[tuple[float, float]]:
    """Longitudes made continuous along a ring: one that crosses the antimeridian (Russia, Fiji) runs
    on past ±180 instead of jumping back across the world."""
    out, previous = [], None
    for lon, lat in ring:
        if previous is not None:
            lon += 360 * round((previous - lon) / 360)
        out.append((lon, lat))
        previous = lon
    return out


@lru_cache(maxsize=2)
def _atlas(resolution: str) -> tuple[list[dict], shapely.STRtree]:
    """The countries and an index of their rough boxes (a ring across ±180 gets the whole width): a
    country's shape is built only when a frame needs it, as a port's map needs few of the 1:50m ones."""
    atlas = countries(resolution)
    boxes = []
    for country in atlas:
        outer = [rings[0] for rings in country["polygons"]]
        lons = [f(map(itemgetter(0), ring)) for ring in outer for f in (min, max)]
        lats = [f(map(itemgetter(1), ring)) for ring in outer for f in (min, max)]
        boxes.append(box(min(lons), min(lats), max(lons), max(lats)))
    return atlas, shapely.STRtree(boxes)


@lru_cache(maxsize=1024)
def _country_shape(resolution: str, index: int):
    """One country as one (multi)polygon in continuous longitudes."""
    polygons = [Polygon(_unwrap(rings[0]), [_unwrap(r) for r in rings[1:]])
                for rings in countries(resolution)[index]["polygons"]]
    return shapely.make_valid(MultiPolygon(polygons))


def _polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [p for part in getattr(geometry, "geoms", []) for p in _polygons(part)]


def _halves(polygon: Polygon) -> list[Polygon]:
    """A piece wider than 180° of longitude (Antarctica, on a world map reaching that far) in two."""
    west, south, east, north = polygon.bounds
    if east - west <= 180:
        return [polygon]
    middle = (west + east) / 2
    return [p for rect in ((west, south, middle, north), (middle, south, east, north))
            for p in _polygons(shapely.clip_by_rect(polygon, *rect))]


def land_in(frame: Frame, margin: float = 0.03) -> list[tuple[str, str, list[Polygon]]]:
    """[(iso3, name, polygons)] of the land in ``frame``, in the frame's longitudes, clipped to it."""
    resolution = resolution_for(frame)
    atlas, tree = _atlas(resolution)
    dx, dy = frame.width * margin, frame.height * margin
    pieces: dict[int, list[Polygon]] = {}
    for shift in (-360, 0, 360):  # the copy of the world one turn east or west, for frames across ±180
        window = (frame.west - dx - shift, frame.south - dy, frame.east + dx - shift, frame.north + dy)
        for index in sorted(int(i) for i in tree.query(box(*window))):
            clipped = shapely.clip_by_rect(_country_shape(resolution, index), *window)
            moved = shapely.affinity.translate(clipped, xoff=shift) if shift else clipped
            pieces.setdefault(index, []).extend(h for p in _polygons(moved) for h in _halves(p))
    return [(iso3_from_numeric(atlas[i]["id"]), atlas[i]["name"], polys) for i, polys in sorted(pieces.items()) if polys]


def circle_degrees(lat: float, radius_nm: float) -> tuple[float, float]:
    """The half-width and half-height in degrees of a circle of ``radius_nm`` around latitude ``lat``."""
    half_height = radius_nm / 60
    return half_height / max(math.cos(math.radians(lat)), 0.05), half_height
