"""The benchmark report shows every round, not only the medians (the machine drifts between rounds)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import report  # noqa: E402


def test_the_report_lists_each_round_and_the_ratio_to_hugo_round_by_round():
    results = json.loads((Path(__file__).resolve().parents[1] / "bench" / "results.json").read_text())
    row = dict(results["build"][-1])
    row["runs_s"] = {"ours": [5.0, 6.0, 4.5], "vanilla": [7.0, 7.5, 6.9], "hugo": [2.0, 3.0, 1.5]}
    text = report.markdown_table({**results, "build": [row]})
    assert "rounds (s): ours 5.0, 6.0, 4.5; vanilla 7.0, 7.5, 6.9; hugo 2.0, 3.0, 1.5" in text
    assert "ours / Hugo round by round 2.5x, 2.0x, 3.0x" in text


def test_a_row_without_rounds_or_hugo_still_renders():
    results = json.loads((Path(__file__).resolve().parents[1] / "bench" / "results.json").read_text())
    row = {k: v for k, v in results["build"][-1].items() if k != "runs_s"}
    assert "rounds (s)" not in report.markdown_table({**results, "build": [row]})
    row["runs_s"] = {"ours": [5.0], "vanilla": [7.0]}
    assert "round by round" not in report.markdown_table({**results, "build": [row]})
