"""The benchmark report shows every round, not only the medians (the machine drifts between rounds)."""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import report  # noqa: E402
from growth import exponent, growth  # noqa: E402


def _measured_row(results: dict) -> dict:
    """The largest size of the recorded run whose rebuilds were measured too (a row's note needs them)."""
    return [r for r in results["build"] if "rebuild_rendered" in r][-1]


def test_the_report_lists_each_round_and_the_ratio_to_hugo_round_by_round():
    results = json.loads((Path(__file__).resolve().parents[1] / "bench" / "results.json").read_text())
    row = dict(_measured_row(results))
    row["runs_s"] = {"ours": [5.0, 6.0, 4.5], "vanilla": [7.0, 7.5, 6.9], "hugo": [2.0, 3.0, 1.5]}
    text = report.markdown_table({**results, "build": [row]})
    assert "rounds (s): ours 5.0, 6.0, 4.5; vanilla 7.0, 7.5, 6.9; hugo 2.0, 3.0, 1.5" in text
    assert "ours / Hugo round by round 2.5x, 2.0x, 3.0x" in text


def test_a_row_without_rounds_or_hugo_still_renders():
    results = json.loads((Path(__file__).resolve().parents[1] / "bench" / "results.json").read_text())
    row = {k: v for k, v in _measured_row(results).items() if k != "runs_s"}
    assert re.search(r"(?<!rebuild )rounds \(s\)", report.markdown_table({**results, "build": [row]})) is None
    row["runs_s"] = {"ours": [5.0], "vanilla": [7.0]}
    text = report.markdown_table({**results, "build": [row]})
    assert "ours / Hugo round by round" not in text and "ours / vanilla Pelican round by round 0.71x" in text


def test_the_growth_exponent_is_the_slope_of_log_time_on_log_n():
    assert abs(exponent([(n, 0.003 * n) for n in (1000, 2000, 5000, 20000)]) - 1.0) < 1e-9
    assert abs(exponent([(n, 2e-7 * n**2 + 0.0) for n in (1000, 5000, 20000)]) - 2.0) < 1e-9
    # least squares over noisy figures: between the slopes of its neighbours
    assert 0.9 < exponent([(1000, 3.0), (2000, 5.0), (5000, 16.0), (20000, 58.0)]) < 1.1
    assert exponent([(1000, 3.0)]) is None and exponent([(1000, 3.0), (2000, None)]) is None


def _growth_rows():
    rows = []
    for n, ours, vanilla in ((1000, 3.0, 3.5), (5000, 16.0, 17.0), (20000, 75.0, 80.0)):
        rows.append({"n": n, "repeats": 1, "ours_s": ours, "pelican_s": vanilla, "hugo_s": n / 2000,
                     "rebuild_s": 0.4, "pelican_rebuild_s": vanilla * 0.8, "hugo_rebuild_s": n / 2000,
                     "ours_tree_peak_mb": round(n * 0.07, 1), "ours_peak_mb": round(n * 0.05, 1), "pelican_tree_peak_mb": 50.0,
                     "pelican_peak_mb": 60.0, "ours_cpu_s": 1, "pelican_cpu_s": 1, "rebuild_identical": True})
    return rows


def test_the_report_shows_every_series_growth_and_judges_the_targets_at_every_size():
    results = json.loads((Path(__file__).resolve().parents[1] / "bench" / "results.json").read_text())
    rows = _growth_rows()
    text = "\n".join(report.growth_section(rows))
    exponents = growth(rows)
    assert exponents["ours_s"] > 1.0 and exponents["rebuild_s"] == 0.0
    assert f"| ours, cold build (s) | {exponents['ours_s']} | 3.0 | 16.0 | 75.0 |" in text
    # the worst size decides
    assert "0.85x vanilla Pelican at every size: **not met** (worst 0.94x at N=5000)" in text
    assert "grows no faster than linearly: **not met**" in text
    assert "peak under 1.5 GB at N=20,000: met (1400.0 MB" in text
    assert "| 20000 | 1 | 0.94x | 0.4 | 64.0 | 10.0 | 0.01x |" in text
    table = report.markdown_table({**results, "build": rows})
    assert "### Growth with N" in table and "runs: " not in table  # one count of rounds for every size
