"""Site regions from coordinates, with the polygons the project draws itself (data/regions.geojson)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import shape

REGIONS_FILE = Path(__file__).with_name("data") / "regions.geojson"
REGION_LABELS = {
    "asia": "Asia",
    "west_africa": "West Africa",
    "gulf_of_aden": "Gulf of Aden",
    "mediterranean": "Mediterranean",
    "americas": "Americas",
    "other": "Other waters",
}
# NGA ASAM subregion -> site region, exactly as the design note maps them.
NGA_SUBREGION_TO_REGION = {
    **{n: "west_africa" for n in (51, 57)},
    **{n: "gulf_of_aden" for n in (61, 62)},
    **{n: "mediterranean" for n in (52, 53, 54, 55, 56)},
    **{n: "asia" for n in (63, 71, 72, 73, 74, 91, 92, 93, 94, 95, 96, 97)},
    **{n: "americas" for n in range(11, 30)},
}


def nga_subregion_region(subregion: int | str) -> str:
    return NGA_SUBREGION_TO_REGION.get(int(subregion), "other")


@lru_cache(maxsize=4)
def load_regions(path: str | Path = REGIONS_FILE) -> list[tuple[str, object]]:
    """[(region, polygon)] in file order: the first polygon that covers a point wins."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    polygons = []
    for feature in data["features"]:
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        polygons.append((feature["properties"]["region"], geometry))
    return polygons


def region_of(lat: float, lon: float, path: str | Path = REGIONS_FILE) -> str:
    for region, polygon in load_regions(path):
        if shapely.intersects_xy(polygon, lon, lat):
            return region
    return "other"


def regions_of(lats, lons, path: str | Path = REGIONS_FILE) -> list[str]:
    """Vectorised region_of for many points (the import and benchmarks use it)."""
    import numpy as np

    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    result = np.full(len(lats), "other", dtype=object)
    unassigned = np.ones(len(lats), dtype=bool)
    for region, polygon in load_regions(path):
        hit = shapely.intersects_xy(polygon, lons, lats) & unassigned
        result[hit] = region
        unassigned &= ~hit
    return list(result)
