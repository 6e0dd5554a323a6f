"""The project's sample incident table tells the alliance's story: computed by the real aggregation
from content/data/incidents.csv as of the July 2016 newsletter, its headline reads as that issue did."""

from __future__ import annotations

from datetime import date

from sites import ROOT
from stats_helpers import project_regions

from csoa.model.incidents import read_incidents
from csoa.stats import aggregate
from csoa.stats.sample_story import write_sample

TABLE = ROOT / "content" / "data" / "incidents.csv"


def _records():
    records, errors = read_incidents(TABLE, date(2019, 7, 8), project_regions())
    assert errors == []
    return records


def test_headline_as_of_8_july_2016_reads_as_the_newsletter_did():
    # "In the last three years organised maritime criminals were active in 63 countries. 5,140 criminals
    # have been identified successfully boarding 856 ships and so impacting on ... an estimated 16,000 ships crew."
    as_of, head = aggregate.headline([r for r in _records() if r.in_scope], date(2016, 7, 8))
    assert as_of == date(2016, 7, 8)
    assert (head["window_start"], head["window_end"]) == ("2013-07-09", "2016-07-08")
    assert head["countries"] == 63
    assert head["criminals"] == 5140
    assert head["ships_boarded"] == 856
    assert round(head["crew"], -3) == 16000


def test_the_table_spans_2013_to_27_june_2019_and_is_all_sample():
    records = _records()
    assert min(r.date for r in records) == date(2013, 1, 1)
    assert max(r.date for r in records if r.in_scope) == date(2019, 6, 27)
    assert {r.source for r in records} == {"sample", "member_report"}
    assert all(r.narrative.startswith("SAMPLE DATA (synthetic)") for r in records)
    assert {r.date.year for r in records} == set(range(2013, 2020))


def test_the_table_is_regenerated_byte_for_byte_from_its_seed(tmp_path):
    write_sample(tmp_path / "incidents.csv", project_regions(), ROOT / "content" / "data" / "ports.csv")
    assert (tmp_path / "incidents.csv").read_bytes() == TABLE.read_bytes()
