"""Helpers for the statistics tests: incident tables as text, built from the sample generator."""

from __future__ import annotations

import csv
import io
from datetime import date

from csoa.model.incident_table import to_csv_text
from csoa.model.incidents import FIELDS
from csoa.stats.sample_data import generate

TODAY = date(2019, 7, 8)  # tests/sites.py pins BUILD_NOW to this day


def sample_records(n: int = 60, seed: int = 7) -> list[dict]:
    from csoa.stats.importer import enrich

    records = generate(n, seed)
    enrich(records, None)
    return records


def table_text(records: list[dict]) -> str:
    return to_csv_text(records)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def text_of(rows: list[dict], fields=FIELDS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
