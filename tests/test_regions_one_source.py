"""Regions are defined once, in the settings (REGION_TABLE and REGION_POLYGONS): a region added there
is a value the incident table may hold, an incident's region when its position lies in the new
polygon, a region page, a region feed and a statistics page; a region the settings do not name is
refused with an error that says where and what was expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sites import ROOT, build, settings_for, soup
from stats_helpers import TODAY, project_regions, rows_of, sample_records, table_text, text_of

from csoa.model.incident import Incident
from csoa.model.incidents import read_incidents
from csoa.model.regions import REGIONS_FILE, site_regions
from csoa.stats.importer import enrich

NORTH_SEA = {"label": "North Sea", "slug": "north-sea", "filing": True}
BOX = [[-4.0, 51.0], [10.0, 51.0], [10.0, 61.0], [-4.0, 61.0], [-4.0, 51.0]]


def _with_north_sea(folder: Path) -> dict:
    """Settings overrides: the project's regions and a North Sea, its polygon tried first."""
    polygons = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    polygons["features"].insert(0, {"type": "Feature", "properties": {"region": "north_sea"},
                                    "geometry": {"type": "Polygon", "coordinates": [BOX]}})
    path = folder / "regions.geojson"
    path.write_text(json.dumps(polygons), encoding="utf-8")
    table = settings_for(ROOT)["REGION_TABLE"]
    return {"REGION_TABLE": {**table, "north_sea": NORTH_SEA}, "REGION_POLYGONS": str(path)}


def _table_with_region(tmp_path: Path, region: str) -> Path:
    rows = rows_of(table_text(sample_records(6)))
    rows[3]["region"] = region
    path = tmp_path / "incidents.csv"
    path.write_text(text_of(rows), encoding="utf-8")
    return path


def test_a_region_added_to_the_settings_is_a_valid_region_of_the_incident_table(tmp_path):
    regions = site_regions(settings_for(ROOT, **_with_north_sea(tmp_path)))
    records, errors = read_incidents(_table_with_region(tmp_path, "north_sea"), TODAY, regions)
    assert errors == [] and [r.region for r in records].count("north_sea") == 1


@pytest.mark.parametrize("region, settings", [("north_sea", "project"), ("atlantis", "with the North Sea")])
def test_a_region_the_settings_do_not_name_is_refused_naming_file_row_field_and_the_regions(tmp_path, region, settings):
    regions = project_regions() if settings == "project" else site_regions(settings_for(ROOT, **_with_north_sea(tmp_path)))
    path = _table_with_region(tmp_path, region)
    records, errors = read_incidents(path, TODAY, regions)
    assert len(records) == 5 and [(e.file, e.row, e.field, e.value) for e in errors] == [(str(path), 5, "region", region)]
    expected = "one of " + ", ".join(regions.keys)
    assert errors[0].expected.startswith(expected) and "REGION_TABLE" in errors[0].expected
    assert str(errors[0]).startswith(f"{path}, row 5, field 'region': got '{region}', expected {expected}")
    assert ("north_sea" in errors[0].expected) == (settings != "project")


def test_a_region_added_to_the_settings_reaches_statistics_region_pages_and_feeds(tmp_path):
    overrides = _with_north_sea(tmp_path)
    regions = site_regions(settings_for(ROOT, **overrides))
    # the importer's enrich places an incident by the settings' polygons
    at_sea = Incident(id="sample-00001", source="sample", source_ref="00001", date=TODAY.replace(month=6), lat=56.0,
                      lon=3.0, location_precision="approximate", attack_type="boarded", vessel_status="underway",
                      vessel_type="tanker", narrative="SAMPLE DATA (synthetic): boarded in the North Sea.")
    (placed,) = enrich([at_sea], None, regions)
    assert placed.region == "north_sea"
    out = build(tmp_path, {
        "data/incidents.csv": table_text([placed, *sample_records(20)]),
        "intelligence/2019-06-02-north-sea.md": """\
            Title: North Sea note
            Date: 2019-06-02 09:00
            Summary: A note about the North Sea.
            Region: north_sea

            Text.
            """}, **overrides)
    region_page = soup(out / "regions" / "north-sea" / "index.html")
    assert region_page.h1.get_text(strip=True) == "North Sea"
    assert [a.get_text(strip=True) for a in region_page.select("main article h2 a, main article h3 a")] == ["North Sea note"]
    feed = (out / "feeds" / "regions" / "north-sea.atom.xml").read_text(encoding="utf-8")
    assert "<title>CSO Alliance: North Sea</title>" in feed and "North Sea note" in feed
    assert soup(out / "statistics" / "regions" / "north-sea" / "index.html").h1.get_text(" ", strip=True).startswith("North Sea")
    summary = json.loads((out / "statistics" / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["by_region"]["north_sea"].values()) == 1
    index = json.loads((out / "statistics" / "data" / "incidents-index.json").read_text(encoding="utf-8"))
    assert "north-sea" in index["region_slugs"]
