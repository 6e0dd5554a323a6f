"""Downloads of public records, public fields only: CSV, JSON and GeoJSON; and summary.json."""

from __future__ import annotations

import json

from .incidents import PUBLIC_FIELDS, format_cell, public_records, to_csv_text


def public_rows(records: list[dict]) -> list[dict]:
    """Public records as text cells of the public fields only (confidential fields never leave)."""
    rows = []
    for record in sorted(public_records(records), key=lambda r: (r["date"], r["id"])):
        rows.append({f: format_cell(f, record[f]) for f in PUBLIC_FIELDS})
    return rows


def csv_text(records: list[dict]) -> str:
    return to_csv_text(public_records(records), PUBLIC_FIELDS)


def _typed(record: dict) -> dict:
    out = {}
    for f in PUBLIC_FIELDS:
        value = record[f]
        out[f] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def json_text(records: list[dict]) -> str:
    items = [_typed(r) for r in sorted(public_records(records), key=lambda r: (r["date"], r["id"]))]
    return json.dumps({"fields": PUBLIC_FIELDS, "incidents": items}, ensure_ascii=False, indent=1) + "\n"


def geojson_text(records: list[dict]) -> str:
    features = []
    for record in sorted(public_records(records), key=lambda r: (r["date"], r["id"])):
        properties = _typed(record)
        features.append({
            "type": "Feature",
            "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": properties,
        })
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"


def summary_text(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
