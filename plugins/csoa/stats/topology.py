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
