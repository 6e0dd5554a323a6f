"""The files the incident list and the interactive map load in the browser (statistics/data/).

The downloads (incidents.csv/.json/.geojson) are complete and large: 9,000 real records make a
10 MB GeoJSON. A reader on a satellite link gets, on first load, only what a page needs:

* incidents-index.json: every public record, newest first, as columns of short values (codes
  into small lookup lists), without narratives: what the list filters and sorts on and the map
  draws. Both pages load the same file, so the second one finds it in the cache.
* narratives/NNN.json: the narratives in blocks of BLOCK records of the index's order (block
  NNN holds positions NNN*BLOCK up to the next block), fetched only for the rows on screen or
  the dot a reader selects.
* countries-110m.json, countries-50m.json: the countries for a flat map (split at the antimeridian,
  see topology.planar_polygons), compactly encoded; the 1:50m file is fetched only when zoomed in.
"""

from __future__ import annotations

import json
from functools import lru_cache
from operator import attrgetter

from markupsafe import escape

from csoa.model.incident import Incident
from csoa.model.incident_table import sort_key
from csoa.model.incidents import ATTACK_TYPES, VESSEL_STATUSES, VESSEL_TYPES, public_records
from csoa.model.regions import SiteRegions
from csoa.stats.charts import ATTACK_LABELS
from csoa.stats.countries import name_of
from csoa.stats.topology import planar_countries
from csoa.stats.wording import human_date

BLOCK = 100  # narratives per file: a page of 25 rows sorted by anything but date touches few KB each
PAGE_SIZE = 25  # rows per page of the incident list (the server writes the first page)
COORDINATE_DECIMALS = 3  # about 100 m: finer than any dot on the map; the downloads keep full precision
SOURCE_LABELS = {"nga_asam": "NGA ASAM", "imb": "IMB", "recaap": "ReCAAP", "mdat_gog": "MDAT-GoG",
                 "ukmto": "UKMTO", "member_report": "Member report", "press": "Press", "sample": "Sample"}
# "Bulk carrier, anchored": the list says a vessel's type and status in one phrase
STATUS_WORDS = {"berthed": "berthed", "anchored": "anchored", "underway": "underway", "unknown": "status unknown"}


def newest_first(records: list[Incident]) -> list[Incident]:
    """Public records in the list's order; the narrative blocks are cut along it."""
    return sorted(public_records(records), key=sort_key, reverse=True)


def _codes(values, known=()) -> list[str]:
    """The lookup list of a coded column: the known values in their order, then any others sorted."""
    return list(known) + sorted(set(values) - set(known))


def _coded(rows: list[Incident], field: str, codes: list[str]) -> list[int]:
    index = {value: i for i, value in enumerate(codes)}
    value_of = attrgetter(field)
    return [index[value_of(r)] for r in rows]


def index_document(rows: list[Incident], regions: SiteRegions, sample: bool, notice: str | None) -> dict:
    """incidents-index.json of the public records `rows` (newest first)."""
    codes = {
        "region": list(regions.labels),
        "attack_type": _codes((r.attack_type for r in rows), ATTACK_TYPES),
        "vessel_status": _codes((r.vessel_status for r in rows), VESSEL_STATUSES),
        "vessel_type": _codes((r.vessel_type for r in rows), VESSEL_TYPES),
        "source": _codes(r.source for r in rows),
        "country": _codes(r.country_iso3 for r in rows),  # "" (no country) sorts first
    }
    columns = {
        "date": [r.date.isoformat() for r in rows],
        "lat": [round(r.lat, COORDINATE_DECIMALS) for r in rows],
        "lon": [round(r.lon, COORDINATE_DECIMALS) for r in rows],
        "location": [r.location_text or r.port for r in rows],
        "in_scope": [1 if r.in_scope else 0 for r in rows],
        **{field: _coded(rows, "country_iso3" if field == "country" else field, values)
           for field, values in codes.items()},
    }
    labels = {
        "region": [regions.labels[k] for k in codes["region"]],
        "attack_type": [ATTACK_LABELS.get(k, k) for k in codes["attack_type"]],
        "vessel_status": [STATUS_WORDS.get(k, k) for k in codes["vessel_status"]],
        "vessel_type": [k.replace("_", " ").capitalize() for k in codes["vessel_type"]],
        "source": [SOURCE_LABELS.get(k, k) for k in codes["source"]],
        "country": [name_of(k) if k else "" for k in codes["country"]],
    }
    return {"sample_data": sample, "notice": notice, "count": len(rows), "block": BLOCK,
            "region_slugs": [regions.slugs[k] for k in codes["region"]],
            "codes": codes, "labels": labels, "columns": columns}


def narrative_blocks(rows: list[Incident]) -> list[list[str]]:
    return [[r.narrative for r in rows[start:start + BLOCK]] for start in range(0, len(rows), BLOCK)]


def block_name(number: int) -> str:
    return f"{number:03d}.json"


def _delta_ring(ring) -> list[int]:
    """A ring as [x0, y0, dx1, dy1, ...] in hundredths of a degree (about 1 km, finer than 1:50m
    draws): a third of the size of GeoJSON's decimals once compressed. Repeated points are dropped."""
    out, px, py = [], None, None
    for x, y in ring:
        qx, qy = round(x * 100), round(y * 100)
        if px is None:
            out += [qx, qy]
        elif (qx, qy) != (px, py):
            out += [qx - px, qy - py]
        px, py = qx, qy
    return out


def countries_document(resolution: str) -> dict:
    """The countries for the interactive map, every polygon drawable on a flat map (split at the
    antimeridian), rings delta-encoded (statistics-map.js decodes them)."""
    countries = []
    for country in planar_countries(resolution):
        polygons = []
        for polygon in country["polygons"]:
            outline, *holes = (_delta_ring(ring) for ring in polygon)
            if len(outline) >= 8:  # fewer than 4 points at this precision: a speck, not drawn
                polygons.append([outline, *[hole for hole in holes if len(hole) >= 8]])
        countries.append([country["name"], polygons, 1 if country["cut"] else 0])
    return {"source": f"Natural Earth 1:{resolution[:-1]} million countries, world-atlas (ISC)",
            "scale": 0.01, "rings": "x0,y0,dx1,dy1,... in units of scale degrees",
            "fields": ["name", "polygons", "cut (drawn without an outline)"], "countries": countries}


@lru_cache(maxsize=2)
def countries_text(resolution: str) -> str:
    """countries_document as text, made once per process (the atlas does not change between builds)."""
    return to_json(countries_document(resolution))


def to_json(document) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def list_row(record: Incident, regions: SiteRegions) -> dict:
    """One row of the incident list as the server writes the first page (statistics.js writes the
    others the same way); text from the data arrives escaped."""
    vessel = record.vessel_type.replace("_", " ").capitalize()
    return {
        "date": record.date.isoformat(), "human_date": human_date(record.date),
        "country": record.country_iso3.lower(),
        "country_name": escape(name_of(record.country_iso3)) if record.country_iso3 else "",
        "location": escape(record.location_text or record.port),
        "region_slug": regions.slugs[record.region], "region_label": escape(regions.labels[record.region]),
        "attack_label": ATTACK_LABELS.get(record.attack_type, record.attack_type),
        "in_scope": record.in_scope,
        "vessel": f"{vessel}, {STATUS_WORDS.get(record.vessel_status, record.vessel_status)}",
        "source": escape(SOURCE_LABELS.get(record.source, record.source)),
        "narrative": escape(record.narrative),
    }
