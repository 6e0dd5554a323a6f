"""Downloads of public records, public fields only: CSV, JSON and GeoJSON; and summary.json.

Each says whether it is sample data. The CSV stays a plain table (header on the first line, no
comment lines, which spreadsheet and CSV readers would take for data): its first column,
`sample_data`, is `true` on every synthetic row. JSON and GeoJSON carry `sample_data` and `notice`
at the top and `sample_data` in every incident. A GeoJSON feature holds a record's id and position in
its `id` and `geometry`, and the other fields in its `properties`.
"""

from __future__ import annotations

import csv
import io
import json
from operator import attrgetter

from csoa.model.incident import Incident
from csoa.model.incident_table import CellWriter, sort_key
from csoa.model.incidents import PUBLIC_FIELDS, public_records
from csoa.stats.aggregate import is_sample
from csoa.stats.wording import SAMPLE_NOTICE

DOWNLOAD_FIELDS = ["sample_data", *PUBLIC_FIELDS]
PUBLIC_CELLS = CellWriter(PUBLIC_FIELDS)
_public_values = attrgetter(*PUBLIC_FIELDS)
GEOMETRY_FIELDS = frozenset({"id", "lat", "lon"})  # in a GeoJSON feature's own members, not its properties


def _labels(records: list[Incident]) -> dict:
    sample = is_sample(records)
    return {"sample_data": sample, "notice": SAMPLE_NOTICE if sample else None}


def public_rows(records: list[Incident]) -> list[dict]:
    """Public records as text cells of the public fields only (confidential fields never leave)."""
    return [PUBLIC_CELLS.by_field(record) for record in sorted(public_records(records), key=sort_key)]


def csv_text(records: list[Incident]) -> str:
    """incidents.to_csv_text of the public fields, with the sample_data column first (written here
    row by row: copying 100,000 records to add one key would cost a second)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DOWNLOAD_FIELDS)
    writer.writerows(["true" if r.is_sample else "false", *PUBLIC_CELLS.cells(r)]
                     for r in sorted(public_records(records), key=sort_key))
    return out.getvalue()


def _typed(record: Incident) -> dict:
    """The public fields as JSON values (lists are the record's tuples: JSON arrays all the same)."""
    out = {"sample_data": record.is_sample, **dict(zip(PUBLIC_FIELDS, _public_values(record)))}
    out["date"] = record.date.isoformat()
    return out


def json_text(records: list[Incident], items: list[dict] | None = None) -> str:
    if items is None:
        items = typed_public(records)
    # compact: the C encoder is used only without indent, and 100,000 records must stay quick
    document = {**_labels(records), "fields": DOWNLOAD_FIELDS, "incidents": items}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def typed_public(records: list[Incident]) -> list[dict]:
    """Public records, public fields only, JSON-ready, in the table's order (shared by JSON and GeoJSON)."""
    return [_typed(r) for r in sorted(public_records(records), key=sort_key)]


def geojson_text(records: list[Incident], items: list[dict] | None = None) -> str:
    if items is None:
        items = typed_public(records)
    # A feature's id and point carry the record's id, lat and lon: its properties do not repeat them
    # (they were 5% of the file; every value stays in the download, once).
    features = [
        {"type": "Feature", "id": item["id"], "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
         "properties": {k: v for k, v in item.items() if k not in GEOMETRY_FIELDS}}
        for item in items
    ]
    # sample_data and notice are GeoJSON "foreign members" (RFC 7946, 6.1): readers keep or ignore them
    document = {"type": "FeatureCollection", **_labels(records), "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def summary_text(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
