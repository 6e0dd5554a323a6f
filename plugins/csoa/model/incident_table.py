"""Writing the incident table: cells formatted back to the table's text, rows in the deterministic
order (date, id), the file replaced atomically. The schema and the reading side: incidents.py."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date
from operator import attrgetter
from pathlib import Path

from csoa.model.incident import Incident
from csoa.model.incidents import COUNT_FIELDS, FIELDS, LIST_FIELDS, LIST_SEPARATOR


def format_cell(field: str, value) -> str:
    if value is None:
        return ""
    if field in LIST_FIELDS:
        return LIST_SEPARATOR.join(sorted(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format_degrees(value)
    return str(value)


def format_degrees(value: float) -> str:
    """Coordinates are kept to 5 decimals (about a metre): enough, and stable across re-imports."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def sort_key(record: Incident):
    return (record.date, record.id)


def _cell_formatter(field: str):
    """A fast formatter for one field's cells (same results as format_cell)."""
    if field in LIST_FIELDS:
        return lambda v: LIST_SEPARATOR.join(sorted(v)) if v else ""
    if field in ("lat", "lon"):
        return lambda v: "" if v is None else format_degrees(v)
    if field in ("in_scope", "public"):
        return lambda v: "true" if v else "false"
    if field == "date":
        return lambda v: "" if v is None else v.isoformat()
    if field in COUNT_FIELDS:
        return lambda v: "" if v is None else str(v)
    return lambda v: v or ""


class CellWriter:
    """The text cells of chosen fields of a record, in their order (same results as format_cell)."""

    def __init__(self, fields: list[str]):
        self.fields = list(fields)
        self._values = attrgetter(*self.fields) if len(self.fields) > 1 else lambda r: (getattr(r, self.fields[0]),)
        self._formatters = [_cell_formatter(f) for f in self.fields]

    def cells(self, record: Incident) -> list[str]:
        return [fmt(value) for fmt, value in zip(self._formatters, self._values(record))]

    def by_field(self, record: Incident) -> dict[str, str]:
        return dict(zip(self.fields, self.cells(record)))


TABLE_CELLS = CellWriter(FIELDS)


def to_csv_text(records: list[Incident], fields: list[str] = FIELDS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    cells = (TABLE_CELLS if fields is FIELDS else CellWriter(fields)).cells
    writer.writerows(cells(record) for record in sorted(records, key=sort_key))
    return out.getvalue()


def write_incidents(path: str | Path, records: list[Incident], text: str | None = None) -> None:
    """Write the table atomically (temp file + rename) in the deterministic order (date, id)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_csv_text(records) if text is None else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
