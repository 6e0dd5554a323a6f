"""`invoke stats-import` reads the build's settings: the table is INCIDENTS_FILE and "today" is BUILD_NOW."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from sites import ROOT
from stats_helpers import project_regions
from test_stats_import import MAPPING, THEIR_CSV

from csoa.apps.stats_import import run_stats_import
from csoa.model.incidents import read_incidents

ROOT_SETTINGS = ROOT / "pelicanconf.py"


def _run(tmp_path, now: datetime, **kwargs) -> tuple[int, str]:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "theirs.csv").write_text(THEIR_CSV, encoding="utf-8")
    (tmp_path / "content").mkdir()
    out, err = io.StringIO(), io.StringIO()
    overrides = {"PATH": str(tmp_path / "content"), "INCIDENTS_FILE": str(tmp_path / "elsewhere.csv"), "BUILD_NOW": now}
    code = run_stats_import(ROOT_SETTINGS, "csv", tmp_path / "theirs.csv", tmp_path / "map.toml",
                            report_dir=tmp_path / "reports", overrides=overrides, out=out, err=err, **kwargs)
    return code, out.getvalue() + err.getvalue()


def test_the_default_table_is_the_setting_incidents_file(tmp_path):
    code, text = _run(tmp_path, datetime(2019, 7, 8, tzinfo=timezone.utc))
    assert code == 0, text
    records, errors = read_incidents(tmp_path / "elsewhere.csv", datetime(2019, 7, 8).date(), project_regions())
    assert len(records) == 3 and not errors
    assert not (tmp_path / "content" / "data" / "incidents.csv").exists()


def test_today_is_the_builds_pinned_now(tmp_path):
    """As of 4 February 2018 the records of 5 and 8 February are in the future: the same rows as above,
    imported with a "now" pinned earlier, lose them."""
    code, text = _run(tmp_path, datetime(2018, 2, 4, 12, tzinfo=timezone.utc))
    assert code == 0, text
    records, _ = read_incidents(tmp_path / "elsewhere.csv", datetime(2018, 2, 4).date(), project_regions())
    assert sorted(str(r.date) for r in records) == ["2018-02-03", "2018-02-04"]
