"""Static SVG maps drawn at build time: incident dots coloured by attack type, and a choropleth by
country, over the Natural Earth countries of the vendored npm package `world-atlas` (ISC).

Each map is framed on what it shows (map_frame.py): the world, a region's incidents, a port and the
incidents near it. Colours of sea, land and borders are classes the stylesheet sets for the light and
the dark scheme (statistics.css; the attributes are the light scheme's, for a reader without CSS), and
the SVG has exactly its frame's aspect ratio, so nothing around it shows as a bar.

Dots are drawn at a size in screen pixels (non-scaling strokes of zero-length lines), so a dot's size
means the same on every map and stays visible on a phone: DOT_SIZES says how many incidents at one spot
each size stands for. A spot is 1/300 of the map's width; dots of one type and size are one path.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from functools import lru_cache
from html import escape
from pathlib import Path

from markupsafe import Markup

from csoa.model.incident import Incident
from csoa.model.incidents import ATTACK_TYPES
from csoa.model.regions import REGIONS_FILE, load_regions
from csoa.stats.charts import ATTACK_COLOURS, ATTACK_LABELS
from csoa.stats.map_frame import WORLD, Frame, Projection, circle_degrees, frame_around, land_in

CHOROPLETH_CLASSES = ("#fde0c5", "#facba6", "#f59e72", "#e4572e", "#a8201a")  # light -> dark, no count = land
SEA, LAND, BORDER = "#eaf1f7", "#d9dee4", "#8a96a3"  # the light scheme's; statistics.css has both
# (fewest incidents at one spot, dot diameter in CSS px): the same on every map, and in the legend
DOT_SIZES = ((1, 6), (2, 9), (10, 13), (100, 17))
SPOTS_ACROSS = 300


def dot_size(count: int) -> int:
    return [size for least, size in DOT_SIZES if count >= least][-1]


def dot_size_legend() -> list[tuple[str, int]]:
    """[("2–9", 9), ...]: what each dot size stands for."""
    bounds = [least for least, _ in DOT_SIZES[1:]]
    labels = [f"{least}–{upper - 1}" if upper - 1 > least else f"{least}"
              for (least, _), upper in zip(DOT_SIZES, bounds)] + [f"{DOT_SIZES[-1][0]} or more"]
    return [(label, size) for label, (_, size) in zip(labels, DOT_SIZES)]


TRIM_FROM = 200  # incidents: a region with this many is framed on all but the farthest half percent
TRIM = 0.005


def region_frame(records: list[Incident], region: str, polygons: str | Path = REGIONS_FILE) -> Frame:
    """A region's map looks at its incidents; without any, at its polygon (the other waters: the world)."""
    if records:
        return frame_around([(r.lon, r.lat) for r in records], trim=TRIM if len(records) >= TRIM_FROM else 0)
    bounds = [g.bounds for key, g in load_regions(polygons) if key == region]
    if not bounds:
        return WORLD
    west, south, east, north = bounds[0]
    return frame_around([(west, south), (east, north)], pad=0)


def port_frame(lat: float, lon: float, records: list[Incident], radius_nm: float) -> Frame:
    """A port's map: the port, the circle its incidents are counted in, and those incidents."""
    half_w, half_h = circle_degrees(lat, radius_nm * 1.4)
    corners = [(lon - half_w, lat - half_h), (lon + half_w, lat + half_h)]
    return frame_around(corners + [(r.lon, r.lat) for r in records], pad=0.05, min_size=(1.0, 0.7),
                        aspect=(1.2, 2.0))


def choropleth_classes(values: dict[str, int]) -> list[tuple[int, int, str]]:
    """Five classes on a log scale of the highest count: [(low, high, colour)]."""
    top = max(values.values(), default=0)
    if top == 0:
        return []
    edges = sorted({0} | {max(1, math.ceil(top ** (i / 5))) for i in range(1, 6)})
    classes, low = [], 1
    for i, high in enumerate(e for e in edges if e > 0):
        if high >= low:
            classes.append((low, high, CHOROPLETH_CLASSES[min(i, 4)]))
            low = high + 1
    return classes


def _colour_for(count: int, classes) -> str | None:
    for low, high, colour in classes:
        if low <= count <= high:
            return colour
    return None  # no incidents: the land's own colour


def _ring_d(ring, projection: Projection) -> str:
    points, last = [], None
    for lon, lat in ring:
        x, y = projection.xy(lon, lat, wrap=False)  # land is in the frame's longitudes already
        point = f"{x:.1f},{y:.1f}"
        if point != last:  # a 1:110m world has many vertices closer than a tenth of a unit
            points.append(point)
            last = point
    return "M" + "L".join(points) + "Z" if len(points) > 2 else ""


@lru_cache(maxsize=64)
def _land_ds(frame: Frame) -> tuple[tuple[str, str], ...]:
    """(iso3, path data) per country, or per piece where a country's pieces together span over 180°
    (Russia's far east beside its west): no path ever spans half the world. Several maps share a frame."""
    projection, out = Projection(frame), []
    for iso3, _name, polygons in land_in(frame):
        west = min(p.bounds[0] for p in polygons)
        east = max(p.bounds[2] for p in polygons)
        for group in ([polygons] if east - west <= 180 else [[p] for p in polygons]):
            d = "".join(_ring_d(ring, projection) for p in group
                        for ring in [p.exterior.coords, *(i.coords for i in p.interiors)])
            if d:
                out.append((iso3, d))
    return tuple(out)


def _land_paths(projection: Projection, country_counts: dict[str, int] | None) -> list[str]:
    classes = choropleth_classes(country_counts) if country_counts is not None else []
    out = []
    for iso3, d in _land_ds(projection.frame):
        colour = _colour_for(country_counts.get(iso3, 0), classes) if country_counts is not None else None
        out.append(f'<path d="{d}" fill="{colour}"/>' if colour else f'<path d="{d}"/>')
    return out


def _dot_paths(records: list[Incident], projection: Projection) -> list[str]:
    spot = projection.size[0] / SPOTS_ACROSS
    spots: Counter = Counter()
    for r in records:
        x, y = projection.xy(r.lon, r.lat)
        spots[(round(x / spot), round(y / spot), r.attack_type)] += 1
    by_look: dict[tuple[int, str], list[str]] = defaultdict(list)
    for (sx, sy, attack_type), n in sorted(spots.items()):
        by_look[(dot_size(n), attack_type)].append(f"M{sx * spot:.1f} {sy * spot:.1f}h0")
    out = []
    # big dots first, and within a size the least severe first, so hijackings stay visible on top
    for size in sorted({size for _, size in DOT_SIZES}, reverse=True):
        for attack_type in reversed(ATTACK_TYPES):
            if (size, attack_type) in by_look:
                out.append(f'<path class="dots" d="{"".join(by_look[(size, attack_type)])}" stroke="{ATTACK_COLOURS[attack_type]}" '
                           f'stroke-width="{size}" stroke-linecap="round" vector-effect="non-scaling-stroke"/>')
    return out


def _port_marks(projection: Projection, port: tuple[float, float], radius_nm: float) -> list[str]:
    """The port as a hollow square, the circle its incidents are counted in as a dashed ring."""
    lat, lon = port
    x, y = projection.xy(lon, lat)
    half_w, half_h = circle_degrees(lat, radius_nm)
    rx, ry = half_w * projection.scale, half_h * projection.scale
    keep = 'vector-effect="non-scaling-stroke"'
    return [f'<ellipse class="port-radius" cx="{x:.1f}" cy="{y:.1f}" rx="{rx:.1f}" ry="{ry:.1f}" fill="none" '
            f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 4" {keep}/>',
            f'<path class="port-mark" d="M{x:.1f} {y:.1f}h0" stroke="currentColor" stroke-width="12" stroke-linecap="square" {keep}/>',
            f'<path class="port-mark-inner" d="M{x:.1f} {y:.1f}h0" stroke="{SEA}" stroke-width="6" stroke-linecap="square" {keep}/>']


def map_svg(records: list[Incident], map_id: str, title: str, description: str, region: str | None = None,
            country_counts: dict[str, int] | None = None, polygons: str | Path = REGIONS_FILE,
            frame: Frame | None = None, port: tuple[float, float] | None = None, radius_nm: float = 0) -> str:
    """An accessible inline SVG: dots by attack type, or a choropleth when country_counts is given. The
    frame is ``frame``, else the region's (framed on ``records``), else the world; ``port`` (lat, lon)
    marks a port and the ``radius_nm`` circle around it."""
    frame = frame or (region_frame(records, region, polygons) if region else WORLD)
    projection = Projection(frame)
    width, height = projection.size
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="incident-map" viewBox="0 0 {width:.0f} {height:.1f}" '
        f'width="{width:.0f}" height="{height:.1f}" data-units-per-degree="{projection.scale:.4f}" '
        f'data-frame="{frame.west:.3f} {frame.south:.3f} {frame.east:.3f} {frame.north:.3f}" '
        f'role="img" aria-labelledby="{map_id}-title {map_id}-desc">',
        f'<title id="{map_id}-title">{escape(title)}</title><desc id="{map_id}-desc">{escape(description)}</desc>',
        f'<rect class="sea" x="0" y="0" width="{width:.0f}" height="{height:.1f}" fill="{SEA}"/>',
        f'<g class="land" fill="{LAND}" stroke="{BORDER}" stroke-width="0.8" stroke-linejoin="round">',
        *_land_paths(projection, country_counts), "</g>",
    ]
    if country_counts is None:
        out += ['<g class="incidents" fill="none" stroke-opacity="0.9">', *_dot_paths(records, projection), "</g>"]
    if port:
        out += _port_marks(projection, port, radius_nm)
    out.append("</svg>")
    return Markup("".join(out))  # markup we drew ourselves: templates show it as it is


def legend_items() -> list[tuple[str, str]]:
    return [(ATTACK_LABELS[t], ATTACK_COLOURS[t]) for t in ATTACK_TYPES]


def choropleth_legend(country_counts: dict[str, int]) -> list[tuple[str, str]]:
    return [(f"{low}–{high}" if low != high else f"{low}", colour) for low, high, colour in choropleth_classes(country_counts)]

