"""The real NGA ASAM export (../shared/data, never copied into the repo) through our importer."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sites import ROOT, build, settings_for

from csoa.model.incidents import read_incidents
from csoa.model.positions import parse_dms
from csoa.model.regions import regions_of, site_regions
from csoa.stats.importer import import_incidents

ASAM_ROWS = 8642
TODAY = date(2022, 6, 21)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, request):
    from conftest import SHARED

    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"the licensed datasets folder {data} is absent (it sits beside the checkout)")
    root = tmp_path_factory.mktemp("asam")
    table = root / "content" / "data" / "incidents.csv"
    report = import_incidents("asam", data / "nga-asam" / "asam_2022-06-21.csv", table, TODAY,
                              regions=site_regions(settings_for(ROOT)), ports_file=data / "ports" / "world_port_index.csv", report_dir=root / "reports")
    return data, root, table, report


def test_every_row_accounted_for(imported):
    _, root, table, report = imported
    assert report.read == ASAM_ROWS
    assert report.read == report.accepted + len(report.merged) + len(report.rejected)
    assert len(report.rejected) == 0
    # the two duplicated references are the only merges: the later row replaces the earlier
    assert len(report.merged) == 2
    records, errors = read_incidents(table, TODAY, site_regions(settings_for(ROOT)))
    assert errors == [] and len(records) == report.accepted
    assert "rows read: 8642 = accepted 8640 + merged 2 + rejected 0" in (root / "reports" / "nga_asam-import-report.txt").read_text()


def test_every_position_parses(shared_data):
    with (shared_data / "nga-asam" / "asam_2022-06-21.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == ASAM_ROWS
    positions = [parse_dms(r["position"]) for r in rows]
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in positions)


def test_region_polygons_agree_with_nga_subregions(shared_data, capsys):
    with (shared_data / "nga-asam" / "asam_2022-06-21.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    positions = [parse_dms(r["position"]) for r in rows]
    ours = regions_of([p[0] for p in positions], [p[1] for p in positions])
    table = site_regions(settings_for(ROOT))
    theirs = [table.of_nga_subregion(r["subreg"]) for r in rows]  # subregion 62 spans two of ours
    agreement = sum(a in b for a, b in zip(ours, theirs)) / len(rows)
    with capsys.disabled():
        print(f"\nregion agreement with NGA subregions: {agreement:.4%} of {len(rows)} records")
    assert agreement >= 0.99


def test_extraction_rules_on_real_records(imported):
    _, _, table, _ = imported
    records, _ = read_incidents(table, TODAY, site_regions(settings_for(ROOT)))
    by_id = {r.id: r for r in records}
    first = by_id["nga_asam-2022-146"]  # Ochakov, struck by a shell while berthed: military, out of scope
    assert (first.country_iso3, first.vessel_status, first.vessel_type, first.in_scope) == ("UKR", "berthed", "tanker", False)
    second = by_id["nga_asam-2022-148"]  # three robbers armed with knives, underway in the Singapore Strait
    assert (second.country_iso3, second.perpetrators, second.weapons, second.vessel_status) == ("IDN", 3, ("knives",), "underway")
    assert second.region == "asia" and "perpetrators" in second.derived
    assert all(r.source == "nga_asam" and r.id == f"nga_asam-{r.source_ref}" for r in records)
    assert sum(1 for r in records if r.country_iso3) / len(records) > 0.9


def test_reimport_changes_nothing(imported):
    data, root, table, _ = imported
    before = table.read_bytes()
    report = import_incidents("asam", data / "nga-asam" / "asam_2022-06-21.csv", table, TODAY,
                              regions=site_regions(settings_for(ROOT)), ports_file=data / "ports" / "world_port_index.csv")
    assert table.read_bytes() == before and not report.written and report.unchanged == 8640


@pytest.mark.slow
def test_summary_equals_recomputation_from_published_csv(imported):
    from test_stats_site import recompute

    data, root, table, _ = imported
    from datetime import datetime, timezone

    out = build(root, now=datetime(2022, 6, 21, tzinfo=timezone.utc), PORTS_FILE=str(data / "ports" / "world_port_index.csv"))
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    published = list(csv.DictReader(io.StringIO((out / "statistics" / "incidents.csv").read_text(encoding="utf-8"))))
    assert len(published) == 8640  # every ASAM record is public
    assert summary == recompute(published)
    # the newest record (2022-06-01, a shell striking a berthed tanker) is military: out of scope
    newest_in_scope = max(r["date"] for r in published if r["in_scope"] == "true")
    assert summary["as_of"] == newest_in_scope < max(r["date"] for r in published)
