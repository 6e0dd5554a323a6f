"""The incident table: schema, vocabularies, row validation and CSV reading/writing.

One row per incident in `content/data/incidents.csv` (UTF-8, comma-separated, header row), as fixed
by the design note `incidents.md`. Cells hold plain text; lists (`also_reported_by`, `weapons`,
`derived`) are separated by `;`; booleans are `true`/`false`. Records in memory are plain dicts
with typed values (date, float, int or None, bool, sorted lists), which keeps 100,000 of them cheap.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pycountry

from .regions import region_keys

FIELDS = [
    "id", "source", "source_ref", "also_reported_by", "date", "time_utc", "time_local",
    "lat", "lon", "location_precision", "location_text", "country_iso3", "region", "port",
    "attack_type", "in_scope", "vessel_status", "vessel_type", "vessel_name", "vessel_imo",
    "flag_iso2", "perpetrators", "weapons", "crew_onboard", "crew_hostage", "crew_kidnapped",
    "crew_injured", "crew_killed", "narrative", "public", "derived",
]
REQUIRED = {"id", "source", "date", "lat", "lon", "location_precision", "attack_type", "in_scope",
            "vessel_status", "vessel_type", "public"}
# Never published, whatever the source (the design note makes them confidential for member reports).
CONFIDENTIAL_FIELDS = ("vessel_name", "vessel_imo", "flag_iso2")
PUBLIC_FIELDS = [f for f in FIELDS if f not in CONFIDENTIAL_FIELDS and f != "public"]

KNOWN_SOURCES = ("nga_asam", "imb", "recaap", "mdat_gog", "ukmto", "member_report", "press", "sample")
SITE_REGIONS = region_keys()  # the polygons' keys and "other" (labels and slugs: the settings' REGION_TABLE)
ATTACK_TYPES = ("hijacked", "boarded", "fired_upon", "attempted", "suspicious_approach", "unknown")
VESSEL_STATUSES = ("berthed", "anchored", "underway", "unknown")
VESSEL_TYPES = ("bulk_carrier", "tanker", "container", "general_cargo", "ro_ro", "passenger", "offshore",
                "tug_barge", "fishing", "yacht", "dhow", "other", "unknown")
LOCATION_PRECISIONS = ("exact", "approximate", "estimated")
WEAPONS = ("guns", "knives", "other", "none", "not_stated")
CREW_FIELDS = ("crew_hostage", "crew_kidnapped", "crew_injured", "crew_killed")
COUNT_FIELDS = ("perpetrators", "crew_onboard") + CREW_FIELDS
LIST_FIELDS = ("also_reported_by", "weapons", "derived")
ENUMS = {
    "region": SITE_REGIONS,
    "attack_type": ATTACK_TYPES,
    "vessel_status": VESSEL_STATUSES,
    "vessel_type": VESSEL_TYPES,
    "location_precision": LOCATION_PRECISIONS,
}
EARLIEST_DATE = date(1978, 1, 1)
LIST_SEPARATOR = ";"

_SOURCE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ALSO_RE = re.compile(r"^[a-z][a-z0-9_]*:\S+$")
_ISO3 = {c.alpha_3 for c in pycountry.countries}
_ISO2 = {c.alpha_2 for c in pycountry.countries}


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or the header/file when row is 1 or 0)."""

    file: str
    row: int  # the CSV line number of the record (header = 1); 0 for the file as a whole
    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, field {self.field!r}: got {self.value!r}, expected {self.expected}"


class IncidentDataError(ValueError):
    """The incident table has errors; ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        self.errors = [str(e) for e in errors]  # what the build runner reports
        super().__init__(f"{len(errors)} error(s) in incident data:\n" + "\n".join(self.errors))


def empty_record() -> dict:
    record = {field: "" for field in FIELDS}
    record.update({f: None for f in COUNT_FIELDS})
    record.update({f: [] for f in LIST_FIELDS})
    record.update(lat=None, lon=None, date=None, in_scope=True, public=True)
    return record


# ---------------------------------------------------------------- parsing one row


def _split_list(text: str) -> list[str]:
    return sorted({part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()})


class _Bad(Exception):
    """A cell that does not parse; the argument says what was expected."""


def _parse_date(value: str, today: date) -> date:
    try:
        d = date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        raise _Bad("an ISO date YYYY-MM-DD") from None
    if d > today:
        raise _Bad(f"a date not in the future (on or before {today.isoformat()})")
    if d < EARLIEST_DATE:
        raise _Bad(f"a date on or after {EARLIEST_DATE.isoformat()}")
    return d


def _degrees_parser(limit: int):
    expected = f"decimal degrees between -{limit} and {limit}"

    def parse(value: str, today: date) -> float:
        try:
            number = float(value)
        except ValueError:
            raise _Bad(expected) from None
        if not -limit <= number <= limit:  # also rejects nan
            raise _Bad(expected)
        return number

    return parse


def _parse_bool(value: str, today: date) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise _Bad("true or false")
    return lowered == "true"


def _parse_count(value: str, today: date) -> int:
    if not value.isdigit():
        raise _Bad("a whole number ≥ 0 (or empty when not stated)")
    return int(value)


def _enum_parser(vocabulary: tuple[str, ...]):
    expected = "one of " + ", ".join(vocabulary)

    def parse(value: str, today: date) -> str:
        if value not in vocabulary:
            raise _Bad(expected)
        return value

    return parse


def _list_parser(valid, expected: str):
    def parse(value: str, today: date) -> list[str]:
        items = _split_list(value)
        if not all(valid(item) for item in items):
            raise _Bad(expected)
        return items

    return parse


def _pattern_parser(pattern, expected: str):
    def parse(value: str, today: date) -> str:
        if not pattern(value):
            raise _Bad(expected)
        return value

    return parse


_PARSERS = {
    "date": _parse_date,
    "lat": _degrees_parser(90),
    "lon": _degrees_parser(180),
    "in_scope": _parse_bool,
    "public": _parse_bool,
    **{f: _parse_count for f in COUNT_FIELDS},
    **{f: _enum_parser(v) for f, v in ENUMS.items()},
    "weapons": _list_parser(lambda w: w in WEAPONS, f"a ';'-separated set of {', '.join(WEAPONS)}"),
    "derived": _list_parser(lambda f: f in FIELDS, "a ';'-separated set of field names of this table"),
    "also_reported_by": _list_parser(lambda a: bool(_ALSO_RE.match(a)), "a ';'-separated list of source:ref"),
    "source": _pattern_parser(_SOURCE_RE.match, "a source name in lower case (" + ", ".join(KNOWN_SOURCES) + ", or a mapping file's source)"),
    "time_utc": _pattern_parser(_TIME_RE.match, "a time HH:MM (24-hour)"),
    "time_local": _pattern_parser(_TIME_RE.match, "a time HH:MM (24-hour)"),
    "country_iso3": _pattern_parser(_ISO3.__contains__, "an ISO 3166-1 alpha-3 country code in capitals (e.g. NGA)"),
    "flag_iso2": _pattern_parser(_ISO2.__contains__, "an ISO 3166-1 alpha-2 country code in capitals (e.g. LR)"),
    "vessel_imo": _pattern_parser(lambda v: v.isdigit() and len(v) == 7, "a 7-digit IMO number"),
}


def parse_row(cells: dict[str, str], row: int, file: str, today: date) -> tuple[dict, list[RowError]]:
    """Turn the text cells of one row into a typed record; return it with every error found."""
    errors: list[RowError] = []
    record = empty_record()

    def err(field, value, expected):
        errors.append(RowError(file, row, field, value, expected))

    for field in FIELDS:
        value = cells.get(field) or ""
        if value != value.strip():
            value = value.strip()
        if not value:
            if field in REQUIRED:
                err(field, value, "a value (this field is required)")
            continue
        parser = _PARSERS.get(field)
        if parser is None:
            record[field] = value
            continue
        try:
            record[field] = parser(value, today)
        except _Bad as bad:
            err(field, value, bad.args[0])

    onboard = record["crew_onboard"]
    if onboard is not None:
        for field in CREW_FIELDS:
            if record[field] is not None and record[field] > onboard:
                err(field, str(record[field]), f"at most crew_onboard ({onboard})")
    if record["source"] and record["id"] and record["source"] != "member_report":
        if not record["id"].startswith(record["source"] + "-"):
            err("id", record["id"], f"an id of the form {record['source']}-<source_ref>")
    if record["source"] == "member_report" and record["id"] and not re.match(r"^CSO-\d{4}-\d{4}$", record["id"]):
        err("id", record["id"], "an id of the form CSO-YYYY-NNNN for a member report")
    return record, errors


# ---------------------------------------------------------------- the whole file


def read_incidents(path: str | Path, today: date) -> tuple[list[dict], list[RowError]]:
    """Read and validate the incident table; return (records, errors). Errors name row and field."""
    path = Path(path)
    name = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4]
        return [], [RowError(name, line, "(encoding)", repr(bad)[2:-1], "UTF-8 text (save the file as UTF-8)")]
    return parse_incidents_text(text, name, today)


def parse_incidents_text(text: str, name: str, today: date) -> tuple[list[dict], list[RowError]]:
    if not text.strip():
        return [], [RowError(name, 0, "(file)", "", "a header row: " + ",".join(FIELDS))]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[RowError] = []
    try:
        header = next(reader)
    except csv.Error as exc:
        return [], [RowError(name, 1, "(header)", str(exc), "a valid CSV header row")]
    header = [h.strip() for h in header]
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        sep = next(s for s in ";\t|" if s in header[0])
        return [], [RowError(name, 1, "(header)", header[0][:60], f"comma-separated columns (this file looks {sep!r}-separated)")]
    missing = [f for f in FIELDS if f not in header]
    unknown = [h for h in header if h not in FIELDS]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for field in missing:
        errors.append(RowError(name, 1, field, "(column absent)", "a column named " + field))
    for column in unknown:
        errors.append(RowError(name, 1, column, column, "only the columns of the schema: " + ",".join(FIELDS)))
    for column in duplicated:
        errors.append(RowError(name, 1, column, column, "each column once"))
    if errors:
        return [], errors

    records: list[dict] = []
    seen_ids: dict[str, int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(name, start, "(row)", str(exc), "a well-formed CSV row (check the quotes)"))
            break
        line = reader.line_num
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            errors.append(RowError(name, start, "(row)", f"{len(cells)} cells", f"{len(header)} cells, one per column"))
            continue
        record, row_errors = parse_row(dict(zip(header, cells)), start, name, today)
        errors.extend(row_errors)
        if record["id"]:
            if record["id"] in seen_ids:
                errors.append(RowError(name, start, "id", record["id"], f"a unique id (row {seen_ids[record['id']]} has it too)"))
            else:
                seen_ids[record["id"]] = start
        if not row_errors:
            record["_row"] = start
            records.append(record)
    return records, errors


def load_incidents(path: str | Path, today: date) -> list[dict]:
    """Read the incident table; raise IncidentDataError listing every error."""
    records, errors = read_incidents(path, today)
    if errors:
        raise IncidentDataError(errors)
    return records


# ---------------------------------------------------------------- writing


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


def sort_key(record: dict):
    return (record["date"], record["id"])


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


def to_csv_text(records: list[dict], fields: list[str] = FIELDS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    formatters = [(f, _cell_formatter(f)) for f in fields]
    writer.writerows([fmt(record[f]) for f, fmt in formatters] for record in sorted(records, key=sort_key))
    return out.getvalue()


def write_incidents(path: str | Path, records: list[dict], text: str | None = None) -> None:
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


def public_records(records: list[dict]) -> list[dict]:
    return [r for r in records if r["public"]]
