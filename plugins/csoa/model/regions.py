"""Site regions from coordinates, with the polygons the project draws itself (data/regions.geojson)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import shape

REGIONS_FILE = Path(__file__).with_name("data") / "regions.geojson"  # the settings' REGION_POLYGONS
FALLBACK_REGION = "other"  # the waters no polygon covers


def region_keys(path: str | Path = REGIONS_FILE) -> tuple[str, ...]:
    """Every region an incident can be in: the polygons' keys in file order, then "other"."""
    return tuple(dict.fromkeys([key for key, _ in load_regions(path)] + [FALLBACK_REGION]))


@dataclass(frozen=True)
class Region:
    """One row of the settings' REGION_TABLE: the key content and incidents.csv use, the label every
    page, feed, email and SES topic shows, the one URL slug, whether content is filed under it, and
    the slugs its URLs used before."""

    key: str
    label: str
    slug: str
    filing: bool = False
    former_slugs: tuple[str, ...] = ()
    nga_subregions: frozenset[int] = frozenset()  # NGA ASAM subregions that lie in it


@dataclass(frozen=True)
class SiteRegions:
    """The settings' regions (REGION_TABLE and REGION_POLYGONS): what content, statistics, feeds,
    newsletter segments and SES topics share. Build it with ``site_regions(settings)``."""

    regions: tuple[Region, ...]
    polygons: Path = REGIONS_FILE

    @classmethod
    def from_table(cls, table: dict, path: str | Path = REGIONS_FILE) -> "SiteRegions":
        """The table's regions, checked against the polygons: every key needs one, and every polygon
        a row (the build fails naming what is missing)."""
        regions = cls.of_table(table, path)
        regions.check_polygons()
        return regions

    @classmethod
    def of_table(cls, table: dict, path: str | Path = REGIONS_FILE) -> "SiteRegions":
        return cls(tuple(Region(key, row["label"], row["slug"], bool(row.get("filing")),
                                tuple(row.get("former_slugs", ())), frozenset(row.get("nga_subregions", ())))
                         for key, row in table.items()), Path(path))

    def check_polygons(self) -> None:
        known = region_keys(self.polygons)
        missing = [key for key in known if key not in self.labels]
        unknown = [key for key in self.labels if key not in known]
        if missing or unknown:
            raise ValueError(f"REGION_TABLE and {self.polygons.name} disagree: "
                             f"{'no entry for ' + ', '.join(missing) if missing else ''}"
                             f"{'; ' if missing and unknown else ''}"
                             f"{'no polygon for ' + ', '.join(unknown) if unknown else ''}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.regions)

    @property
    def labels(self) -> dict[str, str]:
        return {r.key: r.label for r in self.regions}

    @property
    def slugs(self) -> dict[str, str]:
        return {r.key: r.slug for r in self.regions}

    @property
    def filing(self) -> frozenset[str]:
        return frozenset(r.key for r in self.regions if r.filing)

    @property
    def filing_regions(self) -> tuple[Region, ...]:
        """The Region records content is filed under, in the table's order."""
        return tuple(r for r in self.regions if r.filing)

    @property
    def filed(self) -> dict[str, str]:
        """{key: label} of the regions content is filed under: a report's or an intelligence item's
        Region:, the region feeds, newsletter segments and SES topics."""
        return {r.key: r.label for r in self.regions if r.filing}

    @property
    def former_slugs(self) -> dict[str, list[str]]:
        return {r.key: list(r.former_slugs) for r in self.regions if r.former_slugs}

    def of_nga_subregion(self, subregion: int | str) -> tuple[str, ...]:
        """The regions an NGA ASAM subregion lies in ("other" for one the table does not name)."""
        return tuple(r.key for r in self.regions if int(subregion) in r.nga_subregions) or (FALLBACK_REGION,)


def site_regions(settings) -> SiteRegions:
    """The regions of a site's settings (not checked against the polygons: see from_table)."""
    return SiteRegions.of_table(settings.get("REGION_TABLE", {}), settings.get("REGION_POLYGONS") or REGIONS_FILE)


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
