"""Import incidents into `incidents.csv`: read a source, derive region/port/country, merge, report.

Every physical line of the input is accounted for: lines = header + lines in rows + blank lines
(a quoted line break makes one row span several lines; a malformed line is a rejected row of its
own). Every row read is accounted for: read = accepted + merged + rejected.
* accepted: the row is (or updates, or is identical to) a record of the table;
* merged:   the row was folded into another record (a later row of the same file with the same
            reference, or a duplicate of another source's record - see dedupe.py);
* rejected: the row is invalid; the report and the rejected-rows file give its row number and why.

Control characters in free text (narratives, place and vessel names) are removed and each removal
is listed in the report; anywhere else they reject the row.

Nothing is written unless the existing table is valid and the table about to be written passes the
very validation the build applies; the table is replaced atomically, so a failed import leaves it
exactly as it was. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from csoa.model.csv_lines import LineCount, Rejection, SourceRows, clean_text, split_lines
from csoa.model.csv_lines import records as csv_records
from csoa.model.incident import Incident
from csoa.model.incident_table import TABLE_CELLS, sort_key, to_csv_text, write_incidents
from csoa.model.incidents import FREE_TEXT_FIELDS, IncidentDataError, parse_incidents_text, parse_row, read_incidents
from csoa.model.regions import SiteRegions, regions_of
from csoa.stats import asam, dedupe, mapping_import
from csoa.stats.countries import iso3_from_positions
from csoa.stats.ports import PortIndex, load_ports


@dataclass
class ImportReport:
    source: str
    input: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: list[tuple[int, str, str]] = field(default_factory=list)  # (row, kept id, why)
    rejected: list[Rejection] = field(default_factory=list)
    cleaned: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, what was removed)
    lines: LineCount = field(default_factory=LineCount)
    written: bool = False

    @property
    def accepted(self) -> int:
        return self.new + self.updated + self.unchanged

    def balanced(self) -> bool:
        return self.read == self.accepted + len(self.merged) + len(self.rejected) and self.lines.balanced()

    def to_text(self) -> str:
        count = self.lines
        lines = [
            f"Import of {self.input} (source {self.source})",
            f"lines in the file: {count.total} = header {count.header} + {count.in_rows} in rows + {count.blank} blank",
            f"rows read: {self.read} = accepted {self.accepted} + merged {len(self.merged)} + rejected {len(self.rejected)}",
            f"  accepted: {self.new} new, {self.updated} updated, {self.unchanged} unchanged",
            f"  table {'written' if self.written else 'left unchanged'}",
        ]
        if self.merged:
            lines.append("merged rows:")
            lines += [f"  row {row}: into {kept} ({why})" for row, kept, why in self.merged]
        if self.rejected:
            lines.append("rejected rows:")
            lines += [f"  {r.where}: {r.reason}" for r in self.rejected]
        if self.cleaned:
            lines.append("cleaned cells (control characters removed):")
            lines += [f"  row {row}: {name}: {what}" for row, name, what in self.cleaned]
        return "\n".join(lines) + "\n"


def _cells(record: Incident) -> dict[str, str]:
    return TABLE_CELLS.by_field(record)


def enrich(records: list[Incident], ports: PortIndex | None, regions: SiteRegions,
           country_from_position: bool = True) -> list[Incident]:
    """The records with region (always, from the site's polygons: ``regions.polygons``), port
    (nearest within 20 nm) and a missing country filled in."""
    if not records:
        return []
    region_keys = regions_of([r.lat for r in records], [r.lon for r in records], regions.polygons)
    countries = [r.country_iso3 for r in records]
    if country_from_position:
        lacking = [i for i, code in enumerate(countries) if not code]
        found = iso3_from_positions([records[i].lat for i in lacking], [records[i].lon for i in lacking])
        for i, code in zip(lacking, found):
            countries[i] = code
    enriched = []
    for record, region, country in zip(records, region_keys, countries):
        derived = record.derived
        if not country and "country_iso3" in derived:
            derived = tuple(f for f in derived if f != "country_iso3")
        port = ports.nearest(record.lat, record.lon) if ports else None
        enriched.append(record._replace(region=region, country_iso3=country, derived=derived,
                                        port=port.name if port else ""))
    return enriched


def _comparable(record: Incident) -> dict:
    return _cells(record)


def merge(existing: list[Incident], incoming: list[tuple[int, Incident]], report: ImportReport) -> list[Incident]:
    """Merge incoming rows into the existing records by the rules in the module docstring."""
    table = {r.id: r for r in existing}
    by_key = {(r.source, r.source_ref): r.id for r in existing if r.source_ref}
    aliases = {alias: r.id for r in existing for alias in r.also_reported_by}
    finder = dedupe.DuplicateFinder(existing)
    seen_in_file: dict[tuple[str, str], int] = {}
    outcome: dict[str, str] = {}  # id -> "new" | "updated" | "unchanged" (per accepted row)

    # a later row with the same reference replaces an earlier one of the same file
    last_row = {}
    for row, record in incoming:
        last_row[(record.source, record.source_ref)] = row
    for row, record in incoming:
        key = (record.source, record.source_ref)
        if last_row[key] != row:
            report.merged.append((row, record.id, f"row {last_row[key]} has the same reference and replaces it"))
            continue
        seen_in_file[key] = row
        if key in by_key:  # an update of a record we have: replace it, keep what others reported
            old = table[by_key[key]]
            new = record._replace(also_reported_by=tuple(sorted(set(old.also_reported_by) | set(record.also_reported_by))))
            state = "unchanged" if _comparable(new) == _comparable(old) else "updated"
            finder.remove(old)
            del table[old.id]
            table[new.id] = new
            finder.add(new)
            by_key[key] = new.id
            outcome[new.id] = state
            continue
        alias = dedupe.reference(record)
        if alias in aliases and aliases[alias] in table:
            report.merged.append((row, aliases[alias], "already merged into this record by an earlier import"))
            continue
        twin = finder.find(record)
        if twin is not None:
            kept, dropped = dedupe.choose_kept(twin, record)
            merged = dedupe.merge_pair(kept, dropped)
            finder.remove(twin)
            del table[twin.id]
            if twin is dropped:  # the new record won: the old one now lives on only in also_reported_by
                by_key.pop((twin.source, twin.source_ref), None)
            table[merged.id] = merged
            finder.add(merged)
            for a in merged.also_reported_by:
                aliases[a] = merged.id
            if merged.source_ref:
                by_key[(merged.source, merged.source_ref)] = merged.id
            report.merged.append((row, merged.id, f"duplicate of {dedupe.reference(twin)} (within {dedupe.MAX_DAYS} day and {dedupe.MAX_NM:g} nm)"))
            continue
        table[record.id] = record
        finder.add(record)
        by_key[key] = record.id
        outcome[record.id] = "new"
    for state in outcome.values():
        setattr(report, state, getattr(report, state) + 1)
    return list(table.values())


def _rejected_rows_csv(rejections: list[Rejection]) -> str:
    columns: list[str] = []
    for rejection in rejections:
        for column in rejection.cells:
            if column and column not in columns:
                columns.append(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "last_line", "reason"] + columns)
    for rejection in rejections:
        writer.writerow([rejection.row, rejection.end or rejection.row, rejection.reason] + [rejection.cells.get(c, "") for c in columns])
    return out.getvalue()


def _progress_reader(enabled: bool, description: str):
    """A rich progress bar (rows read) when enabled; a no-op otherwise."""
    if not enabled:
        from contextlib import nullcontext

        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    class _Bar:
        def __enter__(self):
            self.progress = Progress(SpinnerColumn(), TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False)
            self.progress.__enter__()
            self.task = self.progress.add_task(description, total=None)
            return lambda: self.progress.advance(self.task)

        def __exit__(self, *exc):
            return self.progress.__exit__(*exc)

    return _Bar()


def import_incidents(*args, **kwargs) -> ImportReport:
    """Import ``input_path`` into the table at ``table_path``; return the report (also written).

    Arguments: source ("asam" or "csv"), input_path, table_path, today, regions= (the site's
    regions, csoa.model.regions.site_regions: the keys the table's region column holds and the
    polygons that place an incident in one), mapping_path=None, ports_file=None, report_dir=None,
    progress=False.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()  # many small objects and no cycles: the cyclic collector would only rescan them
    try:
        return _import_incidents(*args, **kwargs)
    finally:
        if enabled:
            gc.enable()


def _read_source(source: str, input_path: Path, mapping_path, today: date, regions: SiteRegions,
                 tick) -> tuple[SourceRows, str, bool]:
    """(what the reader made of the file, the source name, whether to derive country from position)."""
    if source == "asam":
        return asam.read_asam(input_path, progress=tick), asam.SOURCE, True
    if source == "csv":
        if not mapping_path:
            raise mapping_import.MappingError("--mapping FILE.toml is required for --source csv")
        mapping = mapping_import.load_mapping(mapping_path)
        read = mapping_import.read_mapped(input_path, mapping, today, regions, progress=tick)
        return read, mapping["source"], "country_iso3" not in mapping["columns"]
    raise ValueError(f"unknown source {source!r}: expected 'asam' or 'csv'")


def _cleaned(record: Incident, row: int, report: ImportReport) -> Incident:
    """The record without control characters in its free text (e.g. a port name from the port list)."""
    changes = {}
    for name in FREE_TEXT_FIELDS:
        value = getattr(record, name)
        cleaned, note = clean_text(value or "")
        if note:
            report.cleaned.append((row, name, note))
        if cleaned != value:
            changes[name] = cleaned
    return record._replace(**changes) if changes else record


def _validated(rows: list[tuple[int, Incident]], report: ImportReport, input_path: Path, today: date,
               regions: SiteRegions) -> list[tuple[int, Incident]]:
    """The rows that pass the table's own validation; the others become rejected rows."""
    valid = []
    for row, record in rows:
        record = _cleaned(record, row, report)
        _, errors = parse_row(_cells(record), row, str(input_path), today, regions)
        if errors:
            reasons = "; ".join(f"{e.field}: {e.value!r}, expected {e.expected}" for e in errors)
            report.rejected.append(Rejection(row, reasons, {}))
        else:
            valid.append((row, record))
    return valid


class ImportRefused(ValueError):
    """The merged table would not pass the build's validation: nothing was written."""


def _check_final_table(text: str, merged: list[Incident], table_path: Path, today: date, regions: SiteRegions) -> None:
    """The text about to replace the table goes through the build's validation first."""
    _, errors = parse_incidents_text(text, str(table_path), today, regions)
    if not errors:
        return
    # the errors' row numbers are lines of a table that was never written: name the records instead
    starts = [r.start for r in csv_records(split_lines(text), 1)]
    ids = dict(zip(starts, (r.id for r in sorted(merged, key=sort_key))))
    details = [f"  record {ids.get(e.row, '?')}: field {e.field!r}: got {e.value!r}, expected {e.expected}" for e in errors]
    raise ImportRefused(f"{table_path}: import refused and the table left unchanged: the merged table would fail "
                        "the build's validation (a fault of the importer, please report it):\n" + "\n".join(details))


def _import_incidents(
    source: str,
    input_path: str | Path,
    table_path: str | Path,
    today: date,
    *,
    regions: SiteRegions,
    mapping_path: str | Path | None = None,
    ports_file: str | Path | None = None,
    report_dir: str | Path | None = None,
    progress: bool = False,
) -> ImportReport:
    input_path, table_path = Path(input_path), Path(table_path)
    existing: list[Incident] = []
    if table_path.exists():
        existing, errors = read_incidents(table_path, today, regions)
        if errors:
            raise IncidentDataError(errors)

    with _progress_reader(progress, f"Reading {input_path.name}") as tick:
        read, name, country_from_position = _read_source(source, input_path, mapping_path, today, regions, tick)

    report = ImportReport(source=name, input=str(input_path), read=read.read, rejected=list(read.rejected),
                          cleaned=list(read.cleaned), lines=read.lines)
    ports = PortIndex(load_ports(ports_file)) if ports_file else None
    enriched = enrich([r for _, r in read.rows], ports, regions, country_from_position)
    valid = _validated([(row, r) for (row, _), r in zip(read.rows, enriched)], report, input_path, today, regions)
    report.rejected.sort(key=lambda r: r.row)
    report.cleaned.sort()

    merged = merge(existing, valid, report)
    text = to_csv_text(merged)
    old_text = table_path.read_text(encoding="utf-8") if table_path.exists() else None
    if text != old_text:
        _check_final_table(text, merged, table_path, today, regions)
        write_incidents(table_path, merged, text)
        report.written = True
    assert report.balanced(), report.to_text()

    if report_dir:
        report_dir = Path(report_dir)
        report_dir.mkdir(parents=True, exist_ok=True)
        (report_dir / f"{name}-import-report.txt").write_text(report.to_text(), encoding="utf-8")
        (report_dir / f"{name}-rejected-rows.csv").write_text(_rejected_rows_csv(report.rejected), encoding="utf-8")
    return report
