"""Static SVG maps drawn at build time: incident points coloured by attack type, and a choropleth
by country, over the Natural Earth 1:110m countries of the vendored npm package `world-atlas` (ISC).

Projection: plate carrée (x = longitude, y = -latitude), SCALE pixels per degree. A regional map is
the same drawing with a viewBox cropped to the region's polygons. Points are binned to the pixel
(one circle per pixel and attack type, sized by count) so 100,000 incidents still make a small SVG.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from html import escape
from pathlib import Path

from markupsafe import Markup

from csoa.model.incidents import ATTACK_TYPES
from csoa.model.regions import FALLBACK_REGION, REGIONS_FILE, load_regions
from csoa.stats.charts import ATTACK_COLOURS, ATTACK_LABELS
from csoa.stats.countries import iso3_from_numeric
from csoa.stats.topology import countries

SCALE = 2.5  # pixels per degree: a 900 x 450 world
WIDTH, HEIGHT = 360 * SCALE, 180 * SCALE
CHOROPLETH_CLASSES = ("#fde0c5", "#facba6", "#f59e72", "#e4572e", "#a8201a")  # light -> dark, no count = grey
NO_DATA = "#e8eaed"
SEA = "#f4f8fb"


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) * SCALE, (90 - lat) * SCALE


def _unwrap(ring) -> list[tuple[float, float]]:
    """Make longitudes continuous along a ring, so one crossing the antimeridian (Russia, Fiji)
    does not draw a line across the whole map."""
    out, previous = [], None
    for lon, lat in ring:
        if previous is not None:
            while lon - previous > 180:
                lon -= 360
            while lon - previous < -180:
                lon += 360
        out.append((lon, lat))
        previous = lon
    return out


def _path(rings) -> str:
    parts = []
    for ring in rings:
        ring = _unwrap(ring)
        lons = [lon for lon, _ in ring]
        # a ring that now runs past ±180 is drawn again one world over; the map's edge clips both
        shifts = [0] + ([360] if min(lons) < -180 else []) + ([-360] if max(lons) > 180 else [])
        for shift in shifts:
            points = [project(lon + shift, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def country_paths() -> list[tuple[str, str, str]]:
    """[(iso3 or "", name, SVG path data)] for the 1:110m countries."""
    result = []
    for country in countries("110m"):
        d = "".join(_path(polygon) for polygon in country["polygons"])
        result.append((iso3_from_numeric(country["id"]), country["name"], d))
    return result


def region_view_box(region: str, margin: float = 3.0, polygons: str | Path = REGIONS_FILE) -> tuple[float, float, float, float]:
    if region == FALLBACK_REGION:
        return 0, 0, WIDTH, HEIGHT
    bounds = [g.bounds for r, g in load_regions(polygons) if r == region]
    minx, miny, maxx, maxy = bounds[0]
    # the regions reach to 60S for simplicity; crop the map to where ships are
    miny = max(miny, -45 if region != "americas" else -58)
    maxy = min(maxy, 62)
    x0, y0 = project(minx - margin, maxy + margin)
    x1, y1 = project(maxx + margin, miny - margin)
    return max(x0, 0), max(y0, 0), min(x1, WIDTH) - max(x0, 0), min(y1, HEIGHT) - max(y0, 0)


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


def _colour_for(count: int, classes) -> str:
    for low, high, colour in classes:
        if low <= count <= high:
            return colour
    return NO_DATA


def map_svg(records: list[dict], map_id: str, title: str, description: str, region: str | None = None,
            country_counts: dict[str, int] | None = None, polygons: str | Path = REGIONS_FILE) -> str:
    """An accessible inline SVG: points by attack type, or a choropleth when country_counts is given."""
    x, y, w, h = region_view_box(region, polygons=polygons) if region else (0, 0, WIDTH, HEIGHT)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="incident-map" viewBox="{x:.1f} {y:.1f} {w:.1f} {h:.1f}" '
        f'role="img" aria-labelledby="{map_id}-title {map_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{map_id}-title">{escape(title)}</title><desc id="{map_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" fill="{SEA}"/>',
    ]
    classes = choropleth_classes(country_counts) if country_counts is not None else []
    # outlines of rings drawn one world over (antimeridian) are clipped to the world's frame
    out.append(f'<clipPath id="{map_id}-world"><rect x="0" y="0" width="{WIDTH:.0f}" height="{HEIGHT:.0f}"/></clipPath>')
    out.append(f'<g stroke="#8a96a3" stroke-width="0.3" clip-path="url(#{map_id}-world)">')
    for iso3, name, d in country_paths():
        fill = _colour_for(country_counts.get(iso3, 0), classes) if country_counts is not None else "#dfe3e8"
        out.append(f'<path d="{d}" fill="{fill}"/>')
    out.append("</g>")
    if country_counts is None:
        bins: Counter = Counter()
        for r in records:
            px, py = project(r["lon"], r["lat"])
            bins[(round(px), round(py), r["attack_type"])] += 1
        radius = 1.6 if region is None else 1.2
        out.append('<g fill-opacity="0.8" stroke="#ffffff" stroke-width="0.2">')
        # draw the least severe first so that hijackings stay visible on top
        for attack_type in reversed(ATTACK_TYPES):
            colour = ATTACK_COLOURS[attack_type]
            for (px, py, t), n in sorted(bins.items()):
                if t == attack_type:
                    r_ = radius * (1 + math.log10(n)) if n > 1 else radius
                    out.append(f'<circle cx="{px}" cy="{py}" r="{r_:.1f}" fill="{colour}"/>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))  # markup we drew ourselves: templates show it as it is


def legend_items() -> list[tuple[str, str]]:
    return [(ATTACK_LABELS[t], ATTACK_COLOURS[t]) for t in ATTACK_TYPES]


def choropleth_legend(country_counts: dict[str, int]) -> list[tuple[str, str]]:
    return [(f"{low}–{high}" if low != high else f"{low}", colour) for low, high, colour in choropleth_classes(country_counts)]

