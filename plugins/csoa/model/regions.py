"""Site regions from coordinates, with the polygons the project draws itself (data/regions.geojson)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import shape

REGIONS_FILE = Path(__file__).with_name("data") / "regions.geojson"  # the settings' REGION_POLYGONS
FALLBACK_REGION = "other"  # the waters no polygon covers
# NGA ASAM subregion -> the site regions it spans (62 holds the Arabian Sea and the Gulf).
NGA_SUBREGION_TO_REGIONS = {
    **{n: ("west_africa",) for n in (51, 57)},
    61: ("gulf_of_aden",),
    62: ("gulf_of_aden", "arabian_gulf"),
    **{n: ("mediterranean",) for n in (52, 53, 54, 55, 56)},
    **{n: ("asia",) for n in (63, 71, 72, 73, 74, 91, 92, 93, 94, 95, 96, 97)},
    **{n: ("americas",) for n in range(11, 30)},
}


def nga_subregion_regions(subregion: int | str) -> tuple[str, ...]:
    return NGA_SUBREGION_TO_REGIONS.get(int(subregion), (FALLBACK_REGION,))


def region_keys(path: str | Path = REGIONS_FILE) -> tuple[str, ...]:
    """Every region an incident can be in: the polygons' keys in file order, then "other"."""
    return tuple(dict.fromkeys([key for key, _ in load_regions(path)] + [FALLBACK_REGION]))


@dataclass(frozen=True)
class SiteRegions:
    """The settings' REGION_TABLE as the statistics use it: labels and URL slugs of every region,
    and which regions content is filed under (they have a /regions/ page)."""

    labels: dict
    slugs: dict
    filing: frozenset
    polygons: Path = REGIONS_FILE
    former_slugs: dict = field(default_factory=dict)  # {key: [slugs its URLs used before]}

    @classmethod
    def from_table(cls, table: dict, path: str | Path = REGIONS_FILE) -> "SiteRegions":
        missing = [key for key in region_keys(path) if key not in table]
        unknown = [key for key in table if key not in region_keys(path)]
        if missing or unknown:
            raise ValueError(f"REGION_TABLE and {Path(path).name} disagree: "
                             f"{'no entry for ' + ', '.join(missing) if missing else ''}"
                             f"{'; ' if missing and unknown else ''}"
                             f"{'no polygon for ' + ', '.join(unknown) if unknown else ''}")
        return cls({k: r["label"] for k, r in table.items()}, {k: r["slug"] for k, r in table.items()},
                   frozenset(k for k, r in table.items() if r.get("filing")), Path(path),
                   {k: list(r["former_slugs"]) for k, r in table.items() if r.get("former_slugs")})

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.labels)


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
    return FALLBACK_REGION


def regions_of(lats, lons, path: str | Path = REGIONS_FILE) -> list[str]:
    """Vectorised region_of for many points (the import and benchmarks use it)."""
    import numpy as np

    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    result = np.full(len(lats), FALLBACK_REGION, dtype=object)
    unassigned = np.ones(len(lats), dtype=bool)
    for region, polygon in load_regions(path):
        hit = shapely.intersects_xy(polygon, lons, lats) & unassigned
        result[hit] = region
        unassigned &= ~hit
    return list(result)
