"""`invoke stats-update`: the ASAM records that are new or changed since the table's newest one, from NGA's API.

The window runs from the newest NGA record of the table less ``overlap_days`` (late corrections to recent
records arrive that way) to today. The records fetched are written as an ASAM export
(``<report_dir>/nga_msi-fetched.csv``, kept as the record of what the API said) and imported by the very
importer of ``stats-import --source asam``, with its report and its atomic replace: an update followed by a
full import of the same records gives the same table, and a run with nothing new changes nothing.
A fetch that fails leaves the table exactly as it was.
"""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from csoa.model.incidents import IncidentDataError, read_incidents
from csoa.model.positions import to_dms
from csoa.model.regions import SiteRegions
from csoa.stats import asam, nga_msi
from csoa.stats.importer import ImportReport, import_incidents

DEFAULT_OVERLAP_DAYS = 30
FIRST_DATE = date(2013, 1, 1)  # the running total starts in 2013 (the alliance's newsletter)
FETCHED_FILE = "nga_msi-fetched.csv"


@dataclass
class UpdateResult:
    url: str
    first: date
    last: date
    fetched: int
    report: ImportReport


def base_url(settings: dict | None = None, environ=os.environ) -> str:
    """The API's base URL: the environment variable NGA_MSI_BASE_URL, else the setting, else NGA's."""
    return environ.get("NGA_MSI_BASE_URL") or (settings or {}).get("NGA_MSI_BASE_URL") or nga_msi.DEFAULT_BASE_URL


def update_window(table_path: Path, today: date, regions: SiteRegions,
                  overlap_days: int = DEFAULT_OVERLAP_DAYS) -> tuple[date, date]:
    """(first, last) occurrence dates to ask for: from the newest NGA record less the overlap, to today."""
    newest = None
    if table_path.exists():
        records, errors = read_incidents(table_path, today, regions)
        if errors:
            raise IncidentDataError(errors)
        dates = [r.date for r in records if r.source == asam.SOURCE]
        newest = max(dates) if dates else None
    first = max(FIRST_DATE, newest - timedelta(days=overlap_days)) if newest else FIRST_DATE
    return min(first, today), today


def _position(record: dict) -> str:
    text = record.get("position")
    if isinstance(text, str) and text.strip():
        return text
    return to_dms(float(record["latitude"]), float(record["longitude"]))


def asam_export_text(records: list[dict]) -> str:
    """The records as NGA's ASAM export has them (its columns; the position as degrees-minutes-seconds)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(asam.ASAM_COLUMNS)
    for record in sorted(records, key=lambda r: (r["date"], r["reference"])):
        writer.writerow([
            record["reference"].strip(), record["date"].strip()[:10], _position(record),
            record.get("navArea") or "", "" if record.get("subreg") is None else str(record["subreg"]),
            record.get("hostility") or "", record.get("victim") or "", record.get("description") or "",
        ])
    return out.getvalue()


def stats_update(table_path: str | Path, today: date, base: str, report_dir: str | Path, regions: SiteRegions,
                 ports_file: str | Path | None = None, overlap_days: int = DEFAULT_OVERLAP_DAYS,
                 policy: nga_msi.RetryPolicy = nga_msi.RetryPolicy(), sleep=time.sleep, log=None) -> UpdateResult:
    """Fetch the window's records and import them into the table of a site with ``regions`` (its
    settings' regions). Raises nga_msi.FetchError (table untouched) when the API could not be read,
    IncidentDataError when the table itself is invalid."""
    table_path, report_dir = Path(table_path), Path(report_dir)
    first, last = update_window(table_path, today, regions, overlap_days)
    url, records = nga_msi.fetch_asam(base, first, last, policy, sleep, log)
    report_dir.mkdir(parents=True, exist_ok=True)
    fetched = report_dir / FETCHED_FILE
    fetched.write_text(asam_export_text(records), encoding="utf-8", newline="")
    report = import_incidents("asam", fetched, table_path, today, regions=regions, ports_file=ports_file,
                              report_dir=report_dir)
    return UpdateResult(url=url, first=first, last=last, fetched=len(records), report=report)


def describe(result: UpdateResult) -> str:
    window = f"{result.first.isoformat()} to {result.last.isoformat()}"
    head = f"NGA MSI: {result.fetched} record(s) occurring {window}\n  from {result.url}\n"
    return head + result.report.to_text()
