"""Helpers for the statistics tests: incident tables as text, built from the sample generator."""

from __future__ import annotations

import csv
import io
from datetime import date

from functools import lru_cache

from csoa.model.incident import Incident
from csoa.model.incident_table import to_csv_text
from csoa.model.incidents import FIELDS
from csoa.model.regions import SiteRegions, site_regions
from csoa.stats.sample_data import generate

TODAY = date(2019, 7, 8)  # tests/sites.py pins BUILD_NOW to this day


@lru_cache(maxsize=1)
def project_regions() -> SiteRegions:
    """The regions of the project's settings (pelicanconf.py's REGION_TABLE and REGION_POLYGONS)."""
    from sites import ROOT, settings_for

    return site_regions(settings_for(ROOT))


def sample_records(n: int = 60, seed: int = 7) -> list[Incident]:
    from csoa.stats.importer import enrich

    return enrich(generate(n, seed), None, project_regions())


def table_text(records: list[Incident]) -> str:
    return to_csv_text(records)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def text_of(rows: list[dict], fields=FIELDS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
