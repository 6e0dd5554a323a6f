"""Import any CSV through a TOML mapping file (format: design note `incidents.md`).

The mapped text cells are validated by the same rules as the incident table (incidents.parse_row),
so a mapped row is accepted only if it would be a valid row of `incidents.csv`.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

from csoa.model.csv_lines import InputFileError, SourceFile, SourceRows, clean_text
from csoa.model.incidents import ENUMS, FIELDS, FREE_TEXT_FIELDS, KNOWN_SOURCES, REQUIRED, parse_row
from csoa.model.regions import SiteRegions

# Fields the importer fills itself when the mapping leaves them out.
DEFAULTS = {"in_scope": "true", "public": "true", "vessel_status": "unknown", "vessel_type": "unknown",
            "attack_type": "unknown", "location_precision": "approximate"}


class MappingError(ValueError):
    pass


def load_mapping(path: str | Path) -> dict:
    path = Path(path)
    try:
        mapping = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML: {exc}") from exc
    source = mapping.get("source")
    if not isinstance(source, str) or not source.islower() or not source.replace("_", "").isalnum():
        raise MappingError(f"{path}: 'source' must be a lower-case name such as {KNOWN_SOURCES[1]!r}, got {source!r}")
    columns = mapping.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{path}: a [columns] table (our field = their column) is required")
    unknown = [f for f in list(columns) + list(mapping.get("constants", {})) + list(mapping.get("values", {})) if f not in FIELDS]
    if unknown:
        raise MappingError(f"{path}: unknown field(s) {', '.join(unknown)}; expected fields of {', '.join(FIELDS)}")
    for field in ("id", "source", "source_ref"):
        if field in columns or field in mapping.get("constants", {}):
            raise MappingError(f"{path}: {field!r} is set by the importer (use id_column for the source's reference)")
    for needed in ("date", "lat", "lon"):
        if needed not in columns:
            raise MappingError(f"{path}: [columns] must map {needed!r}")
    mapping.setdefault("values", {})
    mapping.setdefault("constants", {})
    mapping.setdefault("parse", {})
    mapping["parse"].setdefault("missing", [""])
    return mapping


def _map_value(mapping: dict, field: str, value: str) -> tuple[str | None, str | None]:
    """(our value, error) through [values.<field>]; case-insensitive; "*" catches the rest."""
    table = mapping["values"].get(field)
    if table is None:
        return value, None
    lowered = {str(k).lower(): v for k, v in table.items()}
    if value.lower() in lowered:
        return str(lowered[value.lower()]), None
    if "*" in table:
        return str(table["*"]), None
    if field in ENUMS and value.isascii() and value.lower() in ENUMS[field]:  # already our word, in other case
        return value.lower(), None
    return None, f"no mapping for this value in [values.{field}] and no \"*\" entry"


def _mapped_cells(mapping: dict, row: dict, missing_values: set[str]) -> tuple[dict, list[str], list[tuple[str, str]]]:
    """(our text cells, problems, [(field, note)] of cleaned free text) for one of their rows."""
    date_format = mapping["parse"].get("date_format", "%Y-%m-%d")
    cells = {field: str(value) for field, value in DEFAULTS.items()}
    cells.update({field: str(value) for field, value in mapping["constants"].items()})
    problems, cleaned = [], []
    for field, column in mapping["columns"].items():
        value = row[column].strip()
        if field in FREE_TEXT_FIELDS:
            value, note = clean_text(value)
            if note:
                cleaned.append((field, f"column {column!r}: {note}"))
        if value in missing_values:
            if field in ENUMS and "unknown" in ENUMS[field]:
                cells[field] = "unknown"
            elif field in REQUIRED:
                problems.append(f"column {column!r} ({field}): {value!r} means not stated, but {field} is required")
            else:
                cells[field] = ""
            continue
        mapped, error = _map_value(mapping, field, value)
        if error:
            problems.append(f"column {column!r} ({field}): {value!r}: {error}")
            continue
        if field == "date":
            try:
                mapped = datetime.strptime(mapped, date_format).date().isoformat()
            except ValueError:
                problems.append(f"column {column!r} (date): {value!r} does not match date_format {date_format!r}")
                continue
        cells[field] = mapped
    return cells, problems, cleaned


def read_mapped(path: str | Path, mapping: dict, today: date, regions: SiteRegions, progress=None) -> SourceRows:
    """Read a CSV through a mapping: its rows that make valid records (of a site with ``regions``),
    the rejected rows (with the reason), the cleaned cells, and where every line of the file went."""
    path = Path(path)
    try:
        source = SourceFile(path, progress)
    except InputFileError as exc:
        raise MappingError(str(exc)) from None
    id_column = mapping.get("id_column")
    needed = list(mapping["columns"].values()) + ([id_column] if id_column else [])
    missing = [c for c in needed if c not in source.header]
    if missing:
        raise MappingError(f"{path}: column(s) {', '.join(missing)} named in the mapping are absent; the file has {', '.join(source.header)}")
    missing_values = {str(v) for v in mapping["parse"]["missing"]}
    name = mapping["source"]
    out = SourceRows(lines=source.count)
    for line, row in source.well_formed_rows(out):
        cells, problems, cleaned = _mapped_cells(mapping, row, missing_values)
        out.cleaned += [(line.start, field, note) for field, note in cleaned]
        reference = row[id_column].strip() if id_column else str(line.start)
        if not reference:
            problems.append(f"column {id_column!r} (id): empty, expected the source's reference")
        cells.update(id=f"{name}-{reference}", source=name, source_ref=reference)
        if problems:
            out.rejected.append(source.rejection(line, "; ".join(problems), row))
            continue
        record, errors = parse_row(cells, line.start, str(path), today, regions)
        if errors:
            reasons = "; ".join(f"{e.field}: {e.value!r}, expected {e.expected}" for e in errors)
            out.rejected.append(source.rejection(line, reasons, row))
            continue
        out.rows.append((line.start, record))
    return out
