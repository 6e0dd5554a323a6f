"""Countries: ISO 3166 codes and names (pycountry), from a name in text or from coordinates.

From coordinates: the country (Natural Earth 1:50m polygons, vendored world-atlas) that contains
the point or is nearest to it, if within NEAREST_COAST_NM nautical miles; else none. That is our
documented approximation of "the coastal state whose waters / nearest coast".
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
import shapely
from shapely.geometry import MultiPolygon, Polygon

from csoa.stats.topology import countries as atlas_countries

NEAREST_COAST_NM = 200  # the outer limit of an exclusive economic zone
_NM_PER_DEGREE = 60.0

# Spellings found in incident reports that pycountry's fuzzy lookup does not resolve (or resolves wrongly).
NAME_ALIASES = {
    "IVORY COAST": "CIV", "COTE D'IVOIRE": "CIV", "CÔTE D'IVOIRE": "CIV",
    "DR CONGO": "COD", "DEM. REP. CONGO": "COD", "DEMOCRATIC REPUBLIC OF CONGO": "COD",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "COD", "CONGO": "COG", "REPUBLIC OF CONGO": "COG",
    "REPUBLIC OF THE CONGO": "COG", "THE CONGO": "COG",
    "VIETNAM": "VNM", "SOUTH KOREA": "KOR", "NORTH KOREA": "PRK", "RUSSIA": "RUS", "IRAN": "IRN",
    "TANZANIA": "TZA", "VENEZUELA": "VEN", "VENEZEULA": "VEN", "BOLIVIA": "BOL", "SYRIA": "SYR",
    "TAIWAN": "TWN", "BURMA": "MMR", "MYANMAR": "MMR", "LAOS": "LAO", "MICRONESIA": "FSM",
    "ST LUCIA": "LCA", "ST. LUCIA": "LCA", "SAINT LUCIA": "LCA",
    "ST VINCENT": "VCT", "ST. VINCENT AND THE GRENADINES": "VCT", "ST. VINCENTS AND GRENADINES": "VCT",
    "SAINT VINCENT AND THE GRENADINES": "VCT", "ST VINCENT AND THE GRENADINES": "VCT",
    "ST MARTIN": "MAF", "SAINT MARTIN": "MAF", "ST. MARTIN": "MAF", "SINT MAARTEN": "SXM",
    "ST KITTS AND NEVIS": "KNA", "ST. KITTS AND NEVIS": "KNA",
    "SAO TOME AND PRINCIPE": "STP", "SAO TOME": "STP", "CAPE VERDE": "CPV",
    "COLUMBIA": "COL", "INDONEISA": "IDN", "NDONESIA": "IDN", "PHILLIPINES": "PHL", "PHILIPINES": "PHL",
    "UNITED STATES": "USA", "USA": "USA", "U.S. VIRGIN ISLANDS": "VIR", "US VIRGIN ISLANDS": "VIR",
    "BRITISH VIRGIN ISLANDS": "VGB", "UK": "GBR", "UNITED KINGDOM": "GBR", "TURKEY": "TUR",
    "GUINEA BISSAU": "GNB", "EAST TIMOR": "TLS", "BRUNEI": "BRN", "MOLDOVA": "MDA",
    "SUQUTRA": "YEM", "SOCOTRA": "YEM", "HONG KONG": "HKG", "MACAU": "MAC",
}
# Sea and ocean names are not countries: never fuzzy-match them ("GULF OF GUINEA" is not Guinea).
SEA_WORDS = re.compile(r"\b(SEA|OCEAN|GULF|STRAIT|STRAITS|CHANNEL|BAY|BAB|PASSAGE|BASIN|CARIBBEAN|HORN OF)\b")


@lru_cache(maxsize=512)
def name_of(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if not country:
        return iso3
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=4096)
def iso3_from_name(text: str) -> str:
    """ISO alpha-3 for a country name as written in a report, or "" when it is not a country."""
    name = re.sub(r"\s+", " ", text.strip().upper().replace("(U)", "")).strip(" .,-")
    if not name:
        return ""
    if name in NAME_ALIASES:
        return NAME_ALIASES[name]
    if SEA_WORDS.search(name):
        return ""
    return _names_upper().get(name, "")


@lru_cache(maxsize=1)
def _names_upper() -> dict[str, str]:
    names: dict[str, str] = {}
    for attr in ("official_name", "common_name", "name"):  # later attributes win
        for country in pycountry.countries:
            value = getattr(country, attr, "")
            if value:
                names[value.upper()] = country.alpha_3
    return names


def iso3_from_numeric(numeric: str) -> str:
    country = pycountry.countries.get(numeric=str(numeric).zfill(3)) if numeric else None
    return country.alpha_3 if country else ""


@lru_cache(maxsize=1)
def _country_index():
    codes, geometries = [], []
    for country in atlas_countries("50m"):
        code = iso3_from_numeric(country["id"])
        if not code:
            continue
        parts = [Polygon(rings[0], rings[1:]) for rings in country["polygons"] if len(rings[0]) >= 4]
        geometries.append(MultiPolygon(parts).buffer(0))
        codes.append(code)
    return codes, shapely.STRtree(geometries), geometries


def iso3_from_position(lat: float, lon: float) -> str:
    return iso3_from_positions([lat], [lon])[0]


def iso3_from_positions(lats, lons) -> list[str]:
    """Containing or nearest country within NEAREST_COAST_NM, "" beyond (vectorised).

    Distance is measured on the longitude/latitude plane with 1 degree = 60 nm, which is exact
    north-south and generous east-west away from the equator: a coarse, documented approximation.
    """
    import numpy as np

    codes, tree, _ = _country_index()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    result = [""] * len(points)
    point_idx, geom_idx = tree.query_nearest(points, max_distance=NEAREST_COAST_NM / _NM_PER_DEGREE, all_matches=False)
    for p, g in zip(point_idx, geom_idx):
        result[int(p)] = codes[int(g)]
    return result
