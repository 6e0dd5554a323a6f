"""`invoke stats-update` against a local server speaking NGA MSI's ASAM API, faults included.

The records come from rows of the licensed ASAM export in ../shared/data, read at test time.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ROOT
from nga_msi_server import NgaMsiServer, api_records_from_export
from stats_helpers import project_regions

from csoa.stats import nga_msi
from csoa.stats.importer import import_incidents
from csoa.stats.update import stats_update, update_window

TODAY = date(2022, 6, 21)  # the export's own date
FAST = nga_msi.RetryPolicy(attempts=3, backoff=0.01, max_wait=5, timeout=1.0)


@pytest.fixture
def export(shared_data) -> Path:
    return shared_data / "nga-asam" / "asam_2022-06-21.csv"


@pytest.fixture
def records(export):
    """The export's records of 2022 (about 50), as the API answers them."""
    return api_records_from_export(export, since=date(2022, 1, 1))


@pytest.fixture
def table(tmp_path) -> Path:
    """A copy of the project's sample table: the update adds to it."""
    path = tmp_path / "incidents.csv"
    shutil.copyfile(ROOT / "content" / "data" / "incidents.csv", path)
    return path


def _update(server, table, tmp_path, sleeps=None, **kwargs):
    sleeps = [] if sleeps is None else sleeps
    return stats_update(table, TODAY, server.base_url, tmp_path / "reports", project_regions(), policy=FAST,
                        sleep=sleeps.append, **kwargs)


def test_an_update_adds_records_and_a_second_run_changes_nothing(records, table, tmp_path):
    with NgaMsiServer(records) as server:
        first = _update(server, table, tmp_path)
        after_first = table.read_bytes()
        second = _update(server, table, tmp_path)
    assert first.fetched == len(records) > 10
    assert first.report.new == len(records) - len(first.report.rejected) - len(first.report.merged) > 10
    assert first.report.written
    # the second run starts from the newest NGA record less the overlap, and finds nothing new
    assert second.first == date(2022, 6, 1) - timedelta(days=30)
    assert 0 < second.fetched < first.fetched
    assert second.report.new == 0 and not second.report.written
    assert table.read_bytes() == after_first
    assert server.requests[0]["minOccurDate"] == "2013-01-01"
    assert server.requests[1]["minOccurDate"] == "2022-05-02"
    assert server.requests[1]["maxOccurDate"] == "2022-06-21"
    assert server.requests[1]["sort"] == "date" and server.requests[1]["output"] == "json"


def test_an_update_then_a_full_import_of_the_same_records_gives_the_same_table(records, export, table, tmp_path):
    by_update = table
    by_import = tmp_path / "imported.csv"
    shutil.copyfile(table, by_import)
    with NgaMsiServer(records) as server:
        _update(server, by_update, tmp_path)
    # the same rows, as NGA's own export file has them
    text = export.read_bytes().decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text, newline="")) if r["date"] >= "2022-01-01"]
    source = tmp_path / "export-2022.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import_incidents("asam", source, by_import, TODAY, regions=project_regions(), report_dir=tmp_path / "import-reports")
    assert by_update.read_bytes() == by_import.read_bytes()


def test_a_late_correction_inside_the_overlap_updates_the_record(records, table, tmp_path):
    with NgaMsiServer(records) as server:
        _update(server, table, tmp_path)
        newest = max(records, key=lambda r: r["date"])
        newest["description"] = newest["description"] + " UPDATE: two robbers were later arrested."
        result = _update(server, table, tmp_path)
    assert result.report.updated == 1 and result.report.written
    assert "later arrested" in table.read_text(encoding="utf-8")


@pytest.mark.parametrize("fault, message", [
    (["503", "503", "503"], "HTTP 503"),
    (["500", "500", "500"], "HTTP 500"),
    (["malformed"], "not JSON"),
    (["truncated", "truncated", "truncated"], "cut short"),
    (["bad-record"], "latitude: expected a number"),
    (["slow:3", "slow:3", "slow:3"], "no answer within 1 s"),
    (["429:600"], "longer than 5 s"),
])
def test_every_network_fault_leaves_the_table_exactly_as_it_was(records, table, tmp_path, fault, message):
    before = table.read_bytes()
    with NgaMsiServer(records) as server:
        server.faults = list(fault)
        with pytest.raises(nga_msi.FetchError, match=message) as failure:
            _update(server, table, tmp_path)
    assert server.base_url in str(failure.value)  # the message names the URL
    assert table.read_bytes() == before
    assert not (tmp_path / "reports").exists()


def test_a_bad_record_is_named_by_its_position_and_reference(records, table, tmp_path):
    with NgaMsiServer(records) as server:
        server.faults = ["bad-record"]
        with pytest.raises(nga_msi.FetchError) as failure:
            _update(server, table, tmp_path)
    newest = max(records, key=lambda r: (r["date"], r["reference"]))
    assert f"record 1 (reference {newest['reference']}): latitude: expected a number from -90 to 90, got 'north'" in str(failure.value)


def test_transient_faults_are_retried_and_retry_after_is_honoured(records, table, tmp_path):
    sleeps = []
    with NgaMsiServer(records) as server:
        server.faults = ["429:7", "503", "truncated"]
        policy = nga_msi.RetryPolicy(attempts=4, backoff=0.01, max_wait=10, timeout=1.0)
        result = stats_update(table, TODAY, server.base_url, tmp_path / "reports", project_regions(), policy=policy,
                              sleep=sleeps.append)
    assert result.report.new > 10
    assert sleeps[0] == 7  # Retry-After, not the backoff
    assert sleeps[1:] == [0.02, 0.04]  # then the doubling backoff
    assert len(server.requests) == 4


def test_the_window_starts_in_2013_without_nga_records_and_never_after_today(tmp_path):
    assert update_window(tmp_path / "none.csv", TODAY, project_regions()) == (date(2013, 1, 1), TODAY)
    assert update_window(tmp_path / "none.csv", date(2012, 5, 1), project_regions()) == (date(2012, 5, 1), date(2012, 5, 1))


def test_the_command_exits_non_zero_when_nothing_could_be_fetched(records, table, tmp_path):
    before = table.read_bytes()
    with NgaMsiServer(records) as server:
        server.faults = ["malformed"]
        env = {**os.environ, "NGA_MSI_BASE_URL": server.base_url, "SOURCE_DATE_EPOCH": "1655769600"}
        done = subprocess.run(
            [sys.executable, "-m", "invoke", "stats-update", "--table", str(table), "--report-dir", str(tmp_path / "r")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the table was left unchanged" in done.stderr and "not JSON" in done.stderr
    assert server.base_url in done.stderr
    assert table.read_bytes() == before
