"""The incident table is validated at every build: each bad row is reported with its row number,
field, value and what was expected; a bad table fails the build and changes nothing on disk."""

from __future__ import annotations

import pytest
from sites import build
from stats_helpers import TODAY, project_regions, rows_of, sample_records, table_text, text_of

from csoa.engine.build import BuildFailed
from csoa.model.incidents import FIELDS, read_incidents


def _good_text() -> str:
    return table_text(sample_records(12))


def _with(row_index: int, **changes) -> tuple[bytes, int]:
    """The good table with one row changed; returns (bytes, its CSV line number)."""
    rows = rows_of(_good_text())
    rows[row_index].update(changes)
    return text_of(rows).encode("utf-8"), row_index + 2


def _corpus():
    """(kind, bytes, expected row, expected field, a word of the expectation)."""
    good = _good_text()
    rows = rows_of(good)
    cases = []

    def case(kind, field, value, expect, index=3):
        data, line = _with(index, **{field: value})
        cases.append((kind, data, line, field, expect))

    case("bad date", "date", "2016-13-45", "ISO date")
    case("date in the future", "date", "2030-01-01", "not in the future")
    case("date before 1978", "date", "1970-05-01", "1978")
    case("latitude 95", "lat", "95", "between -90 and 90")
    case("longitude not a number", "lon", "east", "between -180 and 180")
    case("unknown attack type", "attack_type", "kidnapping", "one of hijacked")
    case("unknown vessel status", "vessel_status", "drifting", "one of berthed")
    case("unknown vessel type", "vessel_type", "submarine", "one of bulk_carrier")
    case("negative count", "perpetrators", "-3", "whole number")
    case("count not a number", "crew_onboard", "twelve", "whole number")
    case("bad boolean", "public", "yes", "true or false")
    case("bad time", "time_utc", "25:61", "HH:MM")
    case("unknown country code", "country_iso3", "XXX", "ISO 3166-1 alpha-3")
    case("unknown weapon", "weapons", "guns;cannon", "set of guns")
    case("missing required value", "location_precision", "", "required")
    case("bad region", "region", "atlantis", "one of asia, west_africa, gulf_of_aden, arabian_gulf, mediterranean, americas, other")
    # crew injured greater than crew on board
    data, line = _with(4, crew_onboard="5", crew_injured="9")
    cases.append(("crew injured > crew on board", data, line, "crew_injured", "at most crew_onboard"))
    # duplicate id: row 6 takes row 2's id
    dup = [dict(r) for r in rows]
    dup[5]["id"] = dup[1]["id"]
    dup[5]["source"] = dup[1]["source"]
    cases.append(("duplicate id", text_of(dup).encode(), 7, "id", "unique id"))
    # a missing column
    fields = [f for f in FIELDS if f != "vessel_status"]
    cases.append(("missing column", text_of([{k: v for k, v in r.items() if k != "vessel_status"} for r in rows], fields).encode(), 1, "vessel_status", "column named"))
    # wrong delimiter
    cases.append(("wrong delimiter", good.replace(",", ";").encode(), 1, "(header)", "comma-separated"))
    # not UTF-8 (Latin-1 bytes on row 5)
    lines = good.encode().split(b"\n")
    lines[4] = lines[4].replace(b"SAMPLE DATA", "SAMPLE D\u00c9TA".encode("latin-1"))
    cases.append(("non-UTF-8", b"\n".join(lines), 5, "(encoding)", "UTF-8"))
    # a row with a cell too many
    lines = good.split("\n")
    lines[6] = lines[6] + ",extra"
    cases.append(("ragged row", "\n".join(lines).encode(), 7, "(row)", "cells"))
    # an unknown column
    cases.append(("unknown column", good.replace("derived\n", "derived,notes\n", 1).replace("\n", ",\n").replace("derived,notes,\n", "derived,notes\n", 1).encode(), 1, "notes", "only the columns"))
    return cases


CORPUS = _corpus()


def test_corpus_has_at_least_fifteen_kinds():
    assert len({kind for kind, *_ in CORPUS}) >= 15


def test_good_table_has_no_errors(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(_good_text(), encoding="utf-8")
    records, errors = read_incidents(path, TODAY, project_regions())
    assert errors == [] and len(records) == 12


@pytest.mark.parametrize("kind,data,line,field,expect", CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_table_gives_row_level_error(tmp_path, kind, data, line, field, expect):
    path = tmp_path / "incidents.csv"
    path.write_bytes(data)
    records, errors = read_incidents(path, TODAY, project_regions())
    matching = [e for e in errors if e.row == line and e.field == field]
    assert matching, f"{kind}: no error for row {line} field {field}; got {[str(e) for e in errors]}"
    assert expect in matching[0].expected
    text = str(matching[0])
    assert str(path) in text and f"row {line}" in text and field in text


@pytest.mark.parametrize("kind,data,line,field,expect", CORPUS[::4], ids=[c[0] for c in CORPUS[::4]])
def test_bad_table_fails_build_and_changes_nothing(tmp_path, kind, data, line, field, expect):
    out = build(tmp_path, {"data/incidents.csv": _good_text()})
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert (out / "statistics" / "summary.json").exists()
    (tmp_path / "content" / "data" / "incidents.csv").write_bytes(data)
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path)
    assert any(f"row {line}" in e and field in e for e in failure.value.errors), failure.value.errors
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert (tmp_path / "content" / "data" / "incidents.csv").read_bytes() == data


def test_every_error_is_reported_not_only_the_first(tmp_path):
    rows = rows_of(_good_text())
    rows[1]["lat"] = "95"
    rows[4]["attack_type"] = "nope"
    rows[7]["date"] = "yesterday"
    path = tmp_path / "incidents.csv"
    path.write_text(text_of(rows), encoding="utf-8")
    _, errors = read_incidents(path, TODAY, project_regions())
    assert {(e.row, e.field) for e in errors} == {(3, "lat"), (6, "attack_type"), (9, "date")}


def test_check_reports_every_bad_row_and_exits_1(tmp_path):
    import io

    from sites import ROOT, site_settings, write_content

    from csoa.apps.check_incidents import run_incidents_check

    rows = rows_of(_good_text())
    rows[2]["lat"] = "95"
    write_content(tmp_path, {"data/incidents.csv": text_of(rows)})
    out, err = io.StringIO(), io.StringIO()
    assert run_incidents_check(ROOT / "pelicanconf.py", site_settings(tmp_path), out=out, err=err) == 1
    assert "row 4, field 'lat': got '95', expected decimal degrees between -90 and 90" in err.getvalue()
    write_content(tmp_path, {"data/incidents.csv": _good_text()})
    assert run_incidents_check(ROOT / "pelicanconf.py", site_settings(tmp_path), out=out, err=err) == 0


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 80), st.integers(0, 100_000))
def test_written_table_reads_back_identically(n, seed):
    from csoa.model.incident_table import format_cell, to_csv_text
    from csoa.model.incidents import FIELDS, parse_incidents_text

    records = sample_records(n, seed)
    text = to_csv_text(records)
    back, errors = parse_incidents_text(text, "incidents.csv", TODAY, project_regions())
    assert errors == []
    assert to_csv_text(back) == text
    assert [[format_cell(f, getattr(r, f)) for f in FIELDS] for r in back] == [
        [format_cell(f, getattr(r, f)) for f in FIELDS] for r in sorted(records, key=lambda r: (r.date, r.id))]
    # the records read back are the records written (``row`` says where each was read: not compared)
    assert [r._replace(row=0) for r in back] == sorted(records, key=lambda r: (r.date, r.id))


def test_vocabulary_values_in_other_case_are_read_and_normalised(tmp_path):
    """Issue 12, point 3: 'ANCHORED' can be read unambiguously; a look-alike letter cannot."""
    rows = rows_of(_good_text())
    rows[1].update(vessel_status="ANCHORED", attack_type="Boarded", weapons="GUNS;Knives", country_iso3="nga", vessel_type="Tanker")
    rows[2].update(vessel_type="tan\u212aer")  # KELVIN SIGN, which lower() turns into a Latin k
    path = tmp_path / "incidents.csv"
    path.write_text(text_of(rows), encoding="utf-8")
    records, errors = read_incidents(path, TODAY, project_regions())
    assert [(e.row, e.field) for e in errors] == [(4, "vessel_type")]
    (first,) = [r for r in records if r.row == 3]
    assert (first.vessel_status, first.attack_type, first.weapons, first.country_iso3, first.vessel_type) == (
        "anchored", "boarded", ("guns", "knives"), "NGA", "tanker")
