"""Documented rules on small, hand-written inputs: ASAM text extraction, countries, ports and risk,
the headline window, and the `invoke stats-import` task end to end."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from stats_helpers import project_regions, sample_records

from csoa.stats import aggregate, asam
from csoa.stats.countries import iso3_from_name, iso3_from_position
from csoa.stats.ports import PortIndex, PortsFileError, load_ports, risk_level

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text,expected", [
    ("pirates hijacked the tanker and sailed it away", "hijacked"),
    ("four robbers boarded the bulk carrier at anchor", "boarded"),
    ("robbers attempted to board; the alarm was raised and they aborted the attempt", "attempted"),
    ("two skiffs fired upon the vessel, which increased speed", "fired_upon"),
    ("a suspicious craft approached the ship", "suspicious_approach"),
    ("robbers attempted to board the ship but were spotted; they boarded unsuccessfully", "attempted"),
    ("engine spares were stolen from the vessel", "boarded"),
    ("the vessel reported an incident", "unknown"),
])
def test_attack_type_is_the_most_severe_that_applies(text, expected):
    assert asam.extract_attack_type(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("while berthed at the port of x", "berthed"),
    ("robbers boarded the anchored tanker", "anchored"),
    ("underway in the eastbound lane near lagos anchorage", "underway"),
    ("at lagos anchorage", "anchored"),
    ("no position given", "unknown"),
])
def test_vessel_status(text, expected):
    assert asam.extract_vessel_status(text) == expected


def test_perpetrators_weapons_crew():
    text = "three robbers armed with knives and guns boarded; two crew members were injured. the crew of 21 were safe."
    assert asam.extract_perpetrators(text) == 3
    assert asam.extract_weapons(text) == ("guns", "knives")
    crew = asam.extract_crew(text)
    assert (crew["crew_injured"], crew["crew_onboard"], crew["crew_killed"]) == (2, 21, None)
    assert asam.extract_perpetrators("a group of pirates approached") is None
    assert asam.extract_weapons("nothing said") == ("not_stated",) and asam.extract_weapons("unarmed robbers") == ("none",)
    # a count larger than the stated crew means the stated figure was not the whole crew
    assert asam.extract_crew("kidnapped five crew members. a crew of 3 remained")["crew_onboard"] is None


def test_in_scope_rules():
    assert not asam.extract_in_scope("military activity", "a shell struck the ship")
    assert not asam.extract_in_scope("", "protesters onboard small boats met the tanker")
    assert not asam.extract_in_scope("", "the vessel was detained by the iranian authorities")
    assert asam.extract_in_scope("pirates", "robbers boarded; the nigerian navy responded and the robbers were arrested")


def test_countries_from_text_and_position():
    assert asam.country_from_description("NIGERIA: On 3 May ...") == "NGA"
    assert asam.country_from_description("(U) INDONESIA: On ...") == "IDN"
    assert asam.country_from_description("LAGOS ANCHORAGE, NIGERIA: ...") == "NGA"
    assert asam.country_from_description("GULF OF GUINEA: ...") == ""  # a sea, not Guinea
    assert iso3_from_name("Ivory Coast") == "CIV" and iso3_from_name("Atlantis") == ""
    assert iso3_from_position(6.3, 3.3) == "NGA"  # off Lagos
    assert iso3_from_position(-30.0, -20.0) == ""  # mid South Atlantic: no coast within 200 nm


def test_port_list_and_risk_rule(tmp_path):
    ports_csv = tmp_path / "ports.csv"
    ports_csv.write_text("name,country,lat,lon\nLagos,NG,6.43,3.37\nTema,GH,5.63,0.02\n")
    index = PortIndex(load_ports(ports_csv))
    assert index.nearest(6.40, 3.40).name == "Lagos" and index.nearest(0.0, -30.0) is None
    assert [p.slug for _, p in index.within(6.0, 2.0, 200)] == ["lagos-nga", "tema-gha"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country,lat,lon\nNowhere,NG,95,3\n")
    with pytest.raises(PortsFileError, match="row 2"):
        load_ports(bad)
    base = sample_records(1)[0]
    as_of, start = date(2019, 6, 1), date(2016, 6, 2)
    def inc(day, kind="attempted", **extra):
        return base._replace(date=day, attack_type=kind, in_scope=True, crew_kidnapped=None, crew_killed=None, **extra)
    assert risk_level([], as_of, start) == "low"
    assert risk_level([inc(date(2014, 1, 1))], as_of, start) == "low"
    assert risk_level([inc(date(2018, 1, 1))], as_of, start) == "moderate"
    assert risk_level([inc(date(2019, 1, 1), "boarded")], as_of, start) == "elevated"
    assert risk_level([inc(date(2017, 1, 1))] * 3, as_of, start) == "elevated"
    assert risk_level([inc(date(2017, 1, 1), "hijacked")], as_of, start) == "high"
    assert risk_level([inc(date(2017, 1, 1))] * 10, as_of, start) == "high"


def test_headline_window_handles_29_february():
    assert aggregate.three_years_before(date(2020, 2, 29)) == date(2017, 2, 28)
    records = [r._replace(in_scope=True) for r in sample_records(30, seed=3)]
    records[0] = records[0]._replace(date=date(2020, 2, 29))
    head = aggregate.summary(records, project_regions().keys)["headline"]
    assert (head["window_start"], head["window_end"]) == ("2017-03-01", "2020-02-29")


def test_invoke_stats_import_task_end_to_end(tmp_path):
    from test_stats_import import MAPPING, THEIR_CSV

    (tmp_path / "map.toml").write_text(MAPPING)
    (tmp_path / "theirs.csv").write_text(THEIR_CSV)
    invoke = Path(sys.executable).parent / "invoke"
    result = subprocess.run(
        [str(invoke), "stats-import", "--source", "csv", "--mapping", str(tmp_path / "map.toml"),
         "--input", str(tmp_path / "theirs.csv"), "--table", str(tmp_path / "incidents.csv"),
         "--report-dir", str(tmp_path / "reports")],
        cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1562544000"})
    assert result.returncode == 0, result.stderr
    assert "rows read: 7 = accepted 3 + merged 0 + rejected 4" in result.stdout
    assert (tmp_path / "incidents.csv").exists() and (tmp_path / "reports" / "example_source-rejected-rows.csv").exists()
    failed = subprocess.run([str(invoke), "stats-import", "--source", "csv", "--input", str(tmp_path / "theirs.csv"),
                             "--table", str(tmp_path / "incidents.csv")], cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 1 and "--mapping" in failed.stderr


def test_summary_for_settings_equals_the_published_summary(tmp_path):
    import json

    from sites import build, settings_for
    from stats_helpers import table_text

    from csoa.stats.check import summary_for_settings

    out = build(tmp_path, {"data/incidents.csv": table_text(sample_records(40, seed=5))})
    published = json.loads((out / "statistics" / "summary.json").read_text())
    assert summary_for_settings(settings_for(tmp_path)) == published


def test_country_outlines_never_jump_across_the_map():
    """Rings that cross the antimeridian (Russia, Fiji) are unwrapped: no segment of any country
    outline on the world map spans more than half the map width, which would draw a line across it."""
    import re

    from csoa.stats.maps import map_svg

    svg = map_svg([], "m", "World", "The world.")
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    widest = 0.0
    for d in re.findall(r'<path d="([^"]*)"', svg):
        for ring in re.findall(r"M([^Z]*)Z", d):
            xs = [float(point.split(",")[0]) for point in ring.split("L")]
            widest = max(widest, max(abs(b - a) for a, b in zip(xs, xs[1:])))
    assert 0 < widest < width / 2


def test_headline_sentence_reads_like_the_newsletter():
    from csoa.stats.pages import headline_sentence

    head = {"countries": 63, "criminals": 5140, "ships_boarded": 856, "crew": 16000}
    assert headline_sentence(head) == (
        "In the last three years organised maritime criminals were active in 63 countries. "
        "5,140 criminals have been identified successfully boarding 856 ships, impacting an estimated 16,000 crew."
    )
