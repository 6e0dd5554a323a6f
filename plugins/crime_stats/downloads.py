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
    out = {f: record[f] for f in PUBLIC_FIELDS}
    out["date"] = record["date"].isoformat()
    return out


def json_text(records: list[dict], items: list[dict] | None = None) -> str:
    if items is None:
        items = typed_public(records)
    # compact: the C encoder is used only without indent, and 100,000 records must stay quick
    return json.dumps({"fields": PUBLIC_FIELDS, "incidents": items}, ensure_ascii=False, separators=(",", ":")) + "\n"


def typed_public(records: list[dict]) -> list[dict]:
    """Public records, public fields only, JSON-ready, in the table's order (shared by JSON and GeoJSON)."""
    return [_typed(r) for r in sorted(public_records(records), key=lambda r: (r["date"], r["id"]))]


def geojson_text(records: list[dict], items: list[dict] | None = None) -> str:
    if items is None:
        items = typed_public(records)
    features = [
        {"type": "Feature", "id": item["id"], "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
         "properties": item}
        for item in items
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")) + "\n"


def summary_text(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
