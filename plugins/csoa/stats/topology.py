"""Read the vendored world-atlas TopoJSON (Natural Earth countries, npm `world-atlas`, ISC licence).

TopoJSON stores shared, quantised, delta-encoded arcs; this decodes them into plain rings of
(lon, lat) so shapely (country lookup) and maps.py (SVG drawing) can use them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

ATLAS_DIR = Path(__file__).with_name("data") / "world-atlas"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


@lru_cache(maxsize=2)
def countries(resolution: str = "110m") -> list[dict]:
    """[{"id": ISO 3166 numeric or "", "name": str, "polygons": [[outer ring, hole...], ...]}]"""
    topology = json.loads((ATLAS_DIR / f"countries-{resolution}.json").read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    result = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        result.append({
            "id": geometry.get("id", ""),
            "name": geometry["properties"]["name"],
            "polygons": [[_ring(arcs, ring) for ring in polygon] for polygon in polygons],
        })
    return result


def _crosses_antimeridian(polygon) -> bool:
    return any(abs(a[0] - b[0]) > 180 for ring in polygon for a, b in zip(ring, ring[1:]))


def _halves(part) -> list:
    """A part still wider than 180 degrees (Antarctica, round the pole) is cut at its middle meridian,
    so that no drawn path spans more than half the world (a planar map would take it for a band)."""
    from shapely import clip_by_rect

    minx, miny, maxx, maxy = part.bounds
    if maxx - minx <= 180:
        return [part]
    middle = (minx + maxx) / 2
    halves = [clip_by_rect(part, minx, miny, middle, maxy), clip_by_rect(part, middle, miny, maxx, maxy)]
    return [g for half in halves for g in getattr(half, "geoms", [half]) if not g.is_empty]


def _unwrapped(ring) -> tuple[list[tuple[float, float]], bool]:
    """The ring with continuous longitudes (a step of more than 180° is a crossing, undone by ±360),
    and whether it goes round a pole (then it does not close by itself: it is closed over the pole)."""
    import numpy as np

    lon, lat = np.array(ring, dtype=float).T
    lon[1:] -= 360 * np.cumsum(np.round(np.diff(lon) / 360))
    polar = abs(lon[-1] - lon[0]) > 180
    if polar:
        pole = -90.0 if lat.mean() < 0 else 90.0
        lon, lat = np.append(lon, [lon[-1], lon[0]]), np.append(lat, [pole, pole])
    return list(zip(lon.tolist(), lat.tolist())), polar


def planar_polygons(polygon) -> list[list[list[tuple[float, float]]]]:
    """One country polygon as polygons a flat (plate carrée) map can draw. world-atlas stitches
    rings across the antimeridian for spherical renderers (Fiji, Chukotka, Antarctica round the
    pole), which a flat map draws as bands across the world: here they are unwrapped, closed over
    the pole where they go round it, cut at ±180 (the part beyond drawn one world over) and at
    most 180° wide. (The antimeridian package does the same, but takes seconds for Russia at 1:50m.)"""
    if not _crosses_antimeridian(polygon):
        return [polygon]
    from shapely import affinity, clip_by_rect, make_valid
    from shapely.geometry import Polygon

    rings = [_unwrapped(ring) for ring in polygon]
    # the largest ring is the outline (at 1:50m Antarctica's first ring is a sliver round the pole)
    outline = max(rings, key=lambda r: Polygon(r[0]).area)
    holes = [ring for ring, polar in rings if not polar and ring is not outline[0]]
    shape = make_valid(Polygon(outline[0], holes))
    pieces = [affinity.translate(clip_by_rect(shape, west, -90, west + 360, 90), xoff=-west - 180)
              for west in (-540, -180, 180)]
    out = []
    for piece in pieces:
        for part in getattr(piece, "geoms", [piece]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            for half in _halves(part):
                out.append([list(half.exterior.coords), *[list(hole.coords) for hole in half.interiors]])
    return out


@lru_cache(maxsize=2)
def planar_countries(resolution: str = "110m") -> list[dict]:
    """countries(), every polygon drawable on a flat map (see planar_polygons); "cut" says that one
    was cut at a meridian inside the land (Antarctica), where an outline would draw a false coast."""
    out = []
    for country in countries(resolution):
        polygons = [p for polygon in country["polygons"] for p in planar_polygons(polygon)]
        cut = any(max(x for x, _ in p[0]) - min(x for x, _ in p[0]) >= 180 for p in polygons)
        out.append({**country, "polygons": polygons, "cut": cut})
    return out
