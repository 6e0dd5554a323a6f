"""The incident table: schema, vocabularies, row validation and CSV reading/writing.

One row per incident in `content/data/incidents.csv` (UTF-8, comma-separated, header row), as fixed
by the design note `incidents.md`. Cells hold plain text; lists (`also_reported_by`, `weapons`,
`derived`) are separated by `;`; booleans are `true`/`false`. In memory each row is an Incident
(incident.py) with typed values (date, float, int or None, bool, sorted tuples). The region column
holds a key of the site's regions (the settings' REGION_TABLE, csoa.model.regions.site_regions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry

from csoa.model.csv_lines import CONTROL_CHARACTERS, control_characters, split_lines
from csoa.model.csv_lines import records as csv_records
from csoa.model.incident import COLUMNS, Incident
from csoa.model.regions import SiteRegions

FIELDS = list(COLUMNS)  # the table's columns in order: the fields of an Incident
REQUIRED = {"id", "source", "date", "lat", "lon", "location_precision", "attack_type", "in_scope",
            "vessel_status", "vessel_type", "public"}
# Never published, whatever the source (the design note makes them confidential for member reports).
CONFIDENTIAL_FIELDS = ("vessel_name", "vessel_imo", "flag_iso2")
PUBLIC_FIELDS = [f for f in FIELDS if f not in CONFIDENTIAL_FIELDS and f != "public"]

KNOWN_SOURCES = ("nga_asam", "imb", "recaap", "mdat_gog", "ukmto", "member_report", "press", "sample")
ATTACK_TYPES = ("hijacked", "boarded", "fired_upon", "attempted", "suspicious_approach", "unknown")
VESSEL_STATUSES = ("berthed", "anchored", "underway", "unknown")
VESSEL_TYPES = ("bulk_carrier", "tanker", "container", "general_cargo", "ro_ro", "passenger", "offshore",
                "tug_barge", "fishing", "yacht", "dhow", "other", "unknown")
LOCATION_PRECISIONS = ("exact", "approximate", "estimated")
WEAPONS = ("guns", "knives", "other", "none", "not_stated")
CREW_FIELDS = ("crew_hostage", "crew_kidnapped", "crew_injured", "crew_killed")
COUNT_FIELDS = ("perpetrators", "crew_onboard") + CREW_FIELDS
LIST_FIELDS = ("also_reported_by", "weapons", "derived")
# Fixed vocabularies; the region's is the site's own (see _parsers)
ENUMS = {
    "attack_type": ATTACK_TYPES,
    "vessel_status": VESSEL_STATUSES,
    "vessel_type": VESSEL_TYPES,
    "location_precision": LOCATION_PRECISIONS,
}
# Free text (third-party wording): an importer removes control characters from these, with a note.
FREE_TEXT_FIELDS = ("location_text", "narrative", "vessel_name", "port")
EARLIEST_DATE = date(1978, 1, 1)
LIST_SEPARATOR = ";"

_SOURCE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# [0-9], not \d: \d and str.isdigit() also take other scripts' digits and superscripts ("²")
_TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_ALSO_RE = re.compile(r"^[a-z][a-z0-9_]*:[^\s;]+$")
# A reference ends up as `source:ref` in a merged duplicate's also_reported_by (a ';'-separated list)
_REFERENCE_RE = re.compile(r"^[^\s;]+$")
_REFERENCE_EXPECTED = "a reference without spaces or ';' (a merged duplicate lists it as source:ref in also_reported_by)"
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


# ---------------------------------------------------------------- parsing one row


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(sorted({part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()}))


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
        # float() also reads "1_0" as 10 and other scripts' digits; the range check rejects nan and inf
        if not -limit <= number <= limit or "_" in value or not value.isascii():
            raise _Bad(expected)
        return number

    return parse


def _parse_bool(value: str, today: date) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise _Bad("true or false")
    return lowered == "true"


def _parse_count(value: str, today: date) -> int:
    if not (value.isascii() and value.isdigit()):
        raise _Bad("a whole number ≥ 0 (or empty when not stated)")
    return int(value)


def _in_vocabulary(value: str, vocabulary) -> str | None:
    """The vocabulary's spelling of ``value``, which may differ in case only ("ANCHORED"); ASCII
    only, so that no look-alike letter (the Kelvin sign...) is read as a Latin one."""
    if value in vocabulary:
        return value
    lowered = value.lower() if value.isascii() else None
    return lowered if lowered in vocabulary else None


def _enum_parser(vocabulary: tuple[str, ...], what: str = ""):
    expected = "one of " + ", ".join(vocabulary) + what

    def parse(value: str, today: date) -> str:
        if value in vocabulary:  # the common case first: this runs for every cell of the table
            return value
        spelled = _in_vocabulary(value, vocabulary)
        if spelled is None:
            raise _Bad(expected)
        return spelled

    return parse


def _list_parser(valid, expected: str, vocabulary=None):
    def parse(value: str, today: date) -> tuple[str, ...]:
        items = _split_list(value)
        if all(valid(item) for item in items):
            return items
        if vocabulary is not None:
            items = tuple(sorted({_in_vocabulary(item, vocabulary) or item for item in items}))
            if all(valid(item) for item in items):
                return items
        raise _Bad(expected)

    return parse


def _pattern_parser(pattern, expected: str, normalise=None):
    def parse(value: str, today: date) -> str:
        if pattern(value):
            return value
        if normalise is not None and value.isascii() and pattern(normalise(value)):
            return normalise(value)
        raise _Bad(expected)

    return parse


_PARSERS = {
    "date": _parse_date,
    "lat": _degrees_parser(90),
    "lon": _degrees_parser(180),
    "in_scope": _parse_bool,
    "public": _parse_bool,
    **{f: _parse_count for f in COUNT_FIELDS},
    **{f: _enum_parser(v) for f, v in ENUMS.items()},
    "weapons": _list_parser(lambda w: w in WEAPONS, f"a ';'-separated set of {', '.join(WEAPONS)}", WEAPONS),
    "derived": _list_parser(lambda f: f in FIELDS, "a ';'-separated set of field names of this table"),
    "also_reported_by": _list_parser(lambda a: bool(_ALSO_RE.match(a)), "a ';'-separated list of source:ref"),
    "id": _pattern_parser(_REFERENCE_RE.match, "an id without spaces or ';'"),
    "source_ref": _pattern_parser(_REFERENCE_RE.match, _REFERENCE_EXPECTED),
    "source": _pattern_parser(_SOURCE_RE.match, "a source name in lower case (" + ", ".join(KNOWN_SOURCES) + ", or a mapping file's source)"),
    "time_utc": _pattern_parser(_TIME_RE.match, "a time HH:MM (24-hour)"),
    "time_local": _pattern_parser(_TIME_RE.match, "a time HH:MM (24-hour)"),
    "country_iso3": _pattern_parser(_ISO3.__contains__, "an ISO 3166-1 alpha-3 country code (e.g. NGA)", str.upper),
    "flag_iso2": _pattern_parser(_ISO2.__contains__, "an ISO 3166-1 alpha-2 country code (e.g. LR)", str.upper),
    "vessel_imo": _pattern_parser(lambda v: v.isascii() and v.isdigit() and len(v) == 7, "a 7-digit IMO number"),
}


@lru_cache(maxsize=8)
def _parsers(region_keys: tuple[str, ...]) -> tuple:
    """(index in an Incident, field, parser or None) for every column; the region column takes the
    site's region keys (its settings' REGION_TABLE), named in the error when a cell has another."""
    parsers = {**_PARSERS, "region": _enum_parser(region_keys, " (the site's regions: REGION_TABLE in the settings)")}
    return tuple((i, field, parsers.get(field)) for i, field in enumerate(FIELDS))


_EMPTY = list(Incident())  # the empty record's values, copied for every row


def parse_row(cells: dict[str, str], row: int, file: str, today: date, regions: SiteRegions,
              controls: bool = True) -> tuple[Incident, list[RowError]]:
    """Turn the text cells of one row into a typed record; return it with every error found.
    ``regions``: the site's regions (csoa.model.regions.site_regions), the values the region
    column may hold. ``controls=False`` skips the search for control characters, for a caller
    that has searched the whole text at once and found none."""
    return _parse_row(cells, row, file, today, _parsers(regions.keys), controls)


def _parse_row(cells: dict[str, str], row: int, file: str, today: date, parsers: tuple,
               controls: bool = True) -> tuple[Incident, list[RowError]]:
    errors: list[RowError] = []
    values = _EMPTY.copy()
    values[-1] = row
    for index, field, parser in parsers:
        value = cells.get(field) or ""
        if value != value.strip():
            value = value.strip()
        if not value:
            if field in REQUIRED:
                errors.append(RowError(file, row, field, value, "a value (this field is required)"))
            continue
        if parser is None:
            values[index] = value
            continue
        try:
            values[index] = parser(value, today)
        except _Bad as bad:
            errors.append(RowError(file, row, field, value, bad.args[0]))
    record = Incident._make(values)
    # control characters never enter the table: invisible on a page, and fatal to an XML parser
    if controls and CONTROL_CHARACTERS.search("".join(v for v in cells.values() if v)):
        found = {f: control_characters(cells.get(f) or "") for f in FIELDS}
        errors[:] = [RowError(file, row, f, cells[f], f"text without control characters (found {where})")
                     for f, where in found.items() if where] + [e for e in errors if not found[e.field]]
    if any(e.field == "source_ref" for e in errors):  # the id is made of it: one error says it all
        errors = [e for e in errors if e.field != "id" or not e.value.endswith(cells.get("source_ref") or "\0")]
    return record, errors + _row_rule_errors(record, file, row)


def _row_rule_errors(record: Incident, file: str, row: int) -> list[RowError]:
    """The rules between the cells of one row: crew counts within the crew, ids made of the source."""
    errors = []
    onboard = record.crew_onboard
    if onboard is not None:
        for field in CREW_FIELDS:
            count = getattr(record, field)
            if count is not None and count > onboard:
                errors.append(RowError(file, row, field, str(count), f"at most crew_onboard ({onboard})"))
    if record.source and record.id and record.source != "member_report":
        if not record.id.startswith(record.source + "-"):
            errors.append(RowError(file, row, "id", record.id, f"an id of the form {record.source}-<source_ref>"))
    if record.source == "member_report" and record.id and not re.match(r"^CSO-\d{4}-\d{4}$", record.id):
        errors.append(RowError(file, row, "id", record.id, "an id of the form CSO-YYYY-NNNN for a member report"))
    return errors


# ---------------------------------------------------------------- the whole file


def read_incidents(path: str | Path, today: date, regions: SiteRegions) -> tuple[list[Incident], list[RowError]]:
    """Read and validate the incident table; return (records, errors). Errors name row and field.
    ``regions``: the site's regions, the keys the region column may hold."""
    path = Path(path)
    name = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4]
        return [], [RowError(name, line, "(encoding)", repr(bad)[2:-1], "UTF-8 text (save the file as UTF-8)")]
    return parse_incidents_text(text, name, today, regions)


def _header_errors(header: list[str], name: str) -> list[RowError]:
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        sep = next(s for s in ";\t|" if s in header[0])
        return [RowError(name, 1, "(header)", header[0][:60], f"comma-separated columns (this file looks {sep!r}-separated)")]
    errors = [RowError(name, 1, field, "(column absent)", "a column named " + field) for field in FIELDS if field not in header]
    errors += [RowError(name, 1, column, column, "only the columns of the schema: " + ",".join(FIELDS))
               for column in header if column not in FIELDS]
    errors += [RowError(name, 1, column, column, "each column once") for column in sorted({h for h in header if header.count(h) > 1})]
    return errors


def parse_incidents_text(text: str, name: str, today: date, regions: SiteRegions) -> tuple[list[Incident], list[RowError]]:
    """Validate the table's text; every malformed line is an error of its own and reading goes on
    after it, so one stray quote hides no later row."""
    if not text.strip():
        return [], [RowError(name, 0, "(file)", "", "a header row: " + ",".join(FIELDS))]
    lines = split_lines(text)
    head = next(csv_records(lines))
    if head.cells is None:
        return [], [RowError(name, 1, "(header)", head.problem, "a valid CSV header row")]
    header = [h.strip() for h in head.cells]
    errors = _header_errors(header, name)
    if errors:
        return [], errors

    controls = bool(CONTROL_CHARACTERS.search(text))  # one scan of the text spares one per row
    parsers = _parsers(regions.keys)
    records: list[Incident] = []
    seen_ids: dict[str, int] = {}
    for row in csv_records(lines, head.end):
        if row.cells == [] or row.cells == [""]:
            continue
        if row.cells is None:
            excerpt = lines[row.start - 1].rstrip("\r\n")[:60]
            errors.append(RowError(name, row.start, "(row)", excerpt, f"a well-formed CSV row, but {row.problem}"))
            continue
        if len(row.cells) != len(header):
            errors.append(RowError(name, row.start, "(row)", f"{len(row.cells)} cells", f"{len(header)} cells, one per column"))
            continue
        record, row_errors = _parse_row(dict(zip(header, row.cells)), row.start, name, today, parsers, controls)
        errors.extend(row_errors)
        if record.id:
            if record.id in seen_ids:
                errors.append(RowError(name, row.start, "id", record.id, f"a unique id (row {seen_ids[record.id]} has it too)"))
            else:
                seen_ids[record.id] = row.start
        if not row_errors:
            records.append(record)
    return records, errors


def load_incidents(path: str | Path, today: date, regions: SiteRegions) -> list[Incident]:
    """Read the incident table; raise IncidentDataError listing every error."""
    records, errors = read_incidents(path, today, regions)
    if errors:
        raise IncidentDataError(errors)
    return records


def public_records(records: list[Incident]) -> list[Incident]:
    return [r for r in records if r.public]
