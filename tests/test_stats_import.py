"""Importers: a mapping-file import end to end, duplicates across sources, the report, determinism."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from stats_helpers import TODAY, project_regions, sample_records

from csoa.model.incident_table import write_incidents
from csoa.model.incidents import read_incidents
from csoa.stats import dedupe
from csoa.stats.importer import import_incidents
from csoa.stats.mapping_import import MappingError

MAPPING = """\
source = "example_source"
id_column = "ref"
[columns]
date = "when"
lat = "latitude"
lon = "longitude"
country_iso3 = "nearest_country"
attack_type = "what"
vessel_status = "ship_state"
location_text = "location_description"
perpetrators = "n_attackers"
[values.attack_type]
Boarded = "boarded"
"Boarding attempt" = "attempted"
Hijack = "hijacked"
[values.vessel_status]
"AT ANCHOR" = "anchored"
STEAMING = "underway"
"*" = "unknown"
[constants]
location_precision = "approximate"
[parse]
date_format = "%d/%m/%Y"
missing = ["NA", ""]
"""

THEIR_CSV = """\
ref,when,latitude,longitude,nearest_country,what,ship_state,location_description,n_attackers
A-1,03/02/2018,6.40,3.40,NGA,Boarded,AT ANCHOR,Lagos anchorage,4
A-2,04/02/2018,1.20,103.90,SGP,boarding attempt,STEAMING,Singapore Strait,NA
A-3,05/02/2018,12.50,47.00,NA,Hijack,drifting,Gulf of Aden,7
A-4,06/02/2018,13.00,48.00,YEM,Exploded,AT ANCHOR,Gulf of Aden,2
A-5,31/02/2018,13.00,48.00,YEM,Boarded,AT ANCHOR,Gulf of Aden,2
A-6,07/02/2018,95,48.00,YEM,Boarded,AT ANCHOR,Gulf of Aden,2
A-7,08/02/2018,NA,48.00,YEM,Boarded,AT ANCHOR,Gulf of Aden,2
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "theirs.csv").write_text(THEIR_CSV, encoding="utf-8")
    return tmp_path


def test_mapping_import_end_to_end(files):
    table = files / "incidents.csv"
    report = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml",
                              report_dir=files / "reports")
    assert report.read == 7 and report.balanced()
    assert report.accepted == 3 and len(report.rejected) == 4
    records, errors = read_incidents(table, TODAY, project_regions())
    assert errors == []
    by_ref = {r.source_ref: r for r in records}
    a1, a2, a3 = by_ref["A-1"], by_ref["A-2"], by_ref["A-3"]
    assert (a1.id, a1.source, a1.date, a1.attack_type, a1.vessel_status, a1.perpetrators) == (
        "example_source-A-1", "example_source", date(2018, 2, 3), "boarded", "anchored", 4)
    assert a1.region == "west_africa" and a1.location_precision == "approximate"
    assert a2.attack_type == "attempted" and a2.vessel_status == "underway" and a2.perpetrators is None
    assert a3.vessel_status == "unknown" and a3.country_iso3 == "" and a3.region == "gulf_of_aden"
    reasons = {r.row: r.reason for r in report.rejected}
    assert "'Exploded'" in reasons[5] and "values.attack_type" in reasons[5]
    assert "date_format" in reasons[6]
    assert "lat" in reasons[7] and "95" in reasons[7]
    assert "required" in reasons[8]
    text = (files / "reports" / "example_source-import-report.txt").read_text()
    assert "rows read: 7 = accepted 3 + merged 0 + rejected 4" in text and "row 5:" in text
    rejected = list(csv.DictReader((files / "reports" / "example_source-rejected-rows.csv").open()))
    assert [r["row"] for r in rejected] == ["5", "6", "7", "8"] and rejected[0]["ref"] == "A-4"


def test_reimport_changes_nothing(files):
    table = files / "incidents.csv"
    import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    first = table.read_bytes()
    report = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert table.read_bytes() == first
    assert report.unchanged == 3 and report.new == 0 and not report.written


def test_duplicate_of_other_source_is_merged_into_fuller_record(files):
    table = files / "incidents.csv"
    existing = sample_records(1)[0]._replace(
        id="imb-2018-001", source="imb", source_ref="2018-001", date=date(2018, 2, 4), lat=6.45, lon=3.42,
        vessel_type="unknown", vessel_name="", public=True, attack_type="boarded", country_iso3="NGA",
        crew_onboard=None, crew_injured=None, crew_kidnapped=None, perpetrators=None, narrative="")
    write_incidents(table, [existing])
    report = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert report.balanced() and len(report.merged) == 1
    records, _ = read_incidents(table, TODAY, project_regions())
    merged = [r for r in records if r.also_reported_by]
    assert len(merged) == 1
    kept = merged[0]
    other = {"imb-2018-001": "example_source:A-1", "example_source-A-1": "imb:2018-001"}
    assert kept.also_reported_by == (other[kept.id],)
    assert len(records) == 3  # A-1 and the IMB record became one
    again = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert again.balanced() and not again.written


def test_same_source_update_replaces_the_earlier_entry(files):
    table = files / "incidents.csv"
    import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    (files / "theirs.csv").write_text(THEIR_CSV.replace("Lagos anchorage,4", "Lagos anchorage,6"), encoding="utf-8")
    report = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert report.updated == 1 and report.unchanged == 2
    records, _ = read_incidents(table, TODAY, project_regions())
    assert [r.perpetrators for r in records if r.source_ref == "A-1"] == [6]


def test_bad_mapping_and_bad_existing_table_change_nothing(files):
    table = files / "incidents.csv"
    table.write_text("id,source\nbroken\n", encoding="utf-8")
    before = table.read_bytes()
    with pytest.raises(Exception) as failure:
        import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert "row" in str(failure.value) or "column" in str(failure.value)
    assert table.read_bytes() == before
    (files / "bad.toml").write_text(MAPPING.replace('lat = "latitude"', 'lat = "no_such_column"'))
    table.unlink()
    with pytest.raises(MappingError, match="no_such_column"):
        import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "bad.toml")
    assert not table.exists()


def test_dedupe_rules():
    a = sample_records(1)[0]._replace(source="imb", date=date(2018, 1, 1), lat=0.0, lon=0.0, vessel_type="tanker",
                                      vessel_name="")
    near = a._replace(source="recaap", date=date(2018, 1, 2), lat=0.0, lon=10 / 60 * 0.99)  # just under 10 nm east
    assert dedupe.is_duplicate(a, near)
    assert not dedupe.is_duplicate(a, near._replace(lon=10 / 60 * 1.02))  # just over 10 nm
    assert not dedupe.is_duplicate(a, near._replace(date=date(2018, 1, 3)))  # two days apart
    assert not dedupe.is_duplicate(a, near._replace(vessel_type="container"))
    assert dedupe.is_duplicate(a, near._replace(vessel_type="unknown"))
    assert not dedupe.is_duplicate(a, near._replace(source="imb"))  # same source: only by reference


def test_a_merged_table_that_would_fail_validation_is_never_written(files, monkeypatch):
    """The last guard (issue 12, point 1): the text about to replace the table passes the build's
    validation first. The real merge can no longer produce a bad table, so a fault is injected: a
    merge that lists a reference the table's schema refuses."""
    table = files / "incidents.csv"
    existing = sample_records(1)[0]._replace(
        id="imb-2018-001", source="imb", source_ref="2018-001", date=date(2018, 2, 4), lat=6.45, lon=3.42,
        vessel_type="unknown", vessel_name="", public=True, attack_type="boarded", country_iso3="NGA")
    write_incidents(table, [existing])
    before = table.read_bytes()
    real_merge = dedupe.merge_pair
    monkeypatch.setattr(dedupe, "merge_pair", lambda kept, other: real_merge(kept, other)._replace(also_reported_by=("example_source:A 1",)))
    with pytest.raises(ValueError, match="import refused and the table left unchanged") as failure:
        import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert "field 'also_reported_by': got 'example_source:A 1'" in str(failure.value)
    assert "record imb-2018-001" in str(failure.value) or "record example_source-A-1" in str(failure.value)
    assert table.read_bytes() == before
    assert read_incidents(table, TODAY, project_regions())[1] == []


def test_a_value_already_in_our_vocabulary_needs_no_mapping_entry(files):
    """A [values.attack_type] table without "*" no longer refuses 'HIJACKED': it is our word in capitals."""
    (files / "theirs.csv").write_text(THEIR_CSV.replace("A-3,05/02/2018,12.50,47.00,NA,Hijack,", "A-3,05/02/2018,12.50,47.00,NA,HIJACKED,"))
    table = files / "incidents.csv"
    report = import_incidents("csv", files / "theirs.csv", table, TODAY, regions=project_regions(), mapping_path=files / "map.toml")
    assert report.accepted == 3
    records, _ = read_incidents(table, TODAY, project_regions())
    assert [r.attack_type for r in records if r.source_ref == "A-3"] == ["hijacked"]
