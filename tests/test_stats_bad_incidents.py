"""The bad-incident corpus (tests/bad_incidents/, see its README): every case through the importer
and the table validator; a few through the real build and the real `invoke` tasks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sites import ROOT, build
from stats_helpers import TODAY, project_regions

from csoa.engine.build import BuildFailed
from csoa.model.incidents import IncidentDataError, read_incidents
from csoa.stats.importer import import_incidents

BAD = Path(__file__).parent / "bad_incidents"
KINDS = {"incidents.csv": "table", "input.csv": "csv import", "asam.csv": "asam import"}
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())


def kind(case: str) -> str:
    (name,) = [f for f in KINDS if (BAD / case / f).is_file()]
    return name


def expected(case: str) -> list[str]:
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("#")]


def cases_of(file_name: str) -> list[str]:
    return [c for c in CASES if kind(c) == file_name]


def physical_lines(data: bytes) -> int:
    """Counted without our reader: the corpus files end their lines with \\n only."""
    assert b"\r" not in data
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def test_corpus_size_by_kind():
    by_kind = Counter(KINDS[kind(c)] for c in CASES)
    assert by_kind == {"table": 15, "csv import": 16, "asam import": 7}, by_kind
    for case in CASES:
        assert (BAD / case / "expected.txt").read_text(encoding="utf-8").startswith("# "), case


# ---------------------------------------------------------------- incident tables


@pytest.mark.parametrize("case", cases_of("incidents.csv"))
def test_table_validator_reports_exactly_the_expected_errors(case):
    path = BAD / case / "incidents.csv"
    _, errors = read_incidents(path, TODAY, project_regions())
    assert [str(e).replace(str(path), "{file}") for e in errors] == expected(case)


@pytest.mark.parametrize("case", cases_of("incidents.csv"))
def test_import_into_a_bad_table_is_refused_with_the_same_errors(case, tmp_path):
    table = tmp_path / "incidents.csv"
    shutil.copy(BAD / case / "incidents.csv", table)
    before = table.read_bytes()
    with pytest.raises(IncidentDataError) as failure:
        import_incidents("csv", BAD / "import_uppercase_vocabulary" / "input.csv", table, TODAY,
                         regions=project_regions(), mapping_path=BAD / "mapping.toml")
    assert [e.replace(str(table), "{file}") for e in failure.value.errors] == expected(case)
    assert table.read_bytes() == before


# ---------------------------------------------------------------- imports


def _import(case: str, tmp_path: Path):
    file_name = kind(case)
    source = BAD / case / file_name
    table = tmp_path / "incidents.csv"
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / "base_table.csv", table)
    try:
        report = import_incidents("asam" if file_name == "asam.csv" else "csv", source, table, TODAY,
                                  regions=project_regions(), mapping_path=BAD / "mapping.toml", report_dir=tmp_path / "reports")
    except ValueError as failure:  # a file-level error: the import refused the whole file
        return source, table, None, "error: " + str(failure).replace(str(source), "{input}")
    return source, table, report, None


@pytest.mark.parametrize("case", cases_of("input.csv") + cases_of("asam.csv"))
def test_import_reports_every_line_and_writes_only_a_valid_table(case, tmp_path):
    source, table, report, error = _import(case, tmp_path)
    if error is not None:
        assert [error] == expected(case)
        assert table.read_bytes() == (BAD / "base_table.csv").read_bytes()
        return
    assert report.to_text().splitlines()[1:] == expected(case)
    assert report.balanced()
    assert report.lines.total == physical_lines(source.read_bytes())
    records, errors = read_incidents(table, TODAY, project_regions())  # what stats-check and the build would say
    assert errors == [] and len(records) == 6 + report.new
    rejected = (tmp_path / "reports" / f"{report.source}-rejected-rows.csv").read_text(encoding="utf-8")
    assert len(rejected.splitlines()) >= len(report.rejected) + 1


def test_issue_12_duplicate_with_a_semicolon_ref_leaves_a_table_that_passes_stats_check(tmp_path):
    """Point 1 as reported: ref A;B duplicates sample-00078 (6.03, 3.577 on 2013-01-05)."""
    _, table, report, error = _import("import_ref_with_semicolon_duplicate", tmp_path)
    assert error is None and not report.written and [r.row for r in report.rejected] == [2]
    assert read_incidents(table, TODAY, project_regions())[1] == []
    # and the next import into it still works
    again = import_incidents("csv", BAD / "import_uppercase_vocabulary" / "input.csv", table, TODAY,
                         regions=project_regions(), mapping_path=BAD / "mapping.toml")
    assert again.new == 2 and read_incidents(table, TODAY, project_regions())[1] == []


def test_unterminated_quote_costs_only_its_own_line(tmp_path):
    _, table, report, _ = _import("import_unterminated_quote", tmp_path)
    refs = {r.source_ref for r in read_incidents(table, TODAY, project_regions())[0]}
    assert {"P-2", "P-3"} <= refs and "Q-1" not in refs
    assert (report.read, report.accepted, [r.row for r in report.rejected]) == (3, 2, [2])


def test_control_characters_are_removed_from_imported_text(tmp_path):
    for case, ref, narrative in [("import_nul_in_narrative", "N-1", "tworobbers boarded"),
                                 ("asam_control_in_description", "2014-13", "NIGERIA: robbers boarded the tanker at anchor on 3 MARCH.")]:
        _, table, _, _ = _import(case, tmp_path / case)
        (record,) = [r for r in read_incidents(table, TODAY, project_regions())[0] if r.source_ref == ref]
        assert record.narrative == narrative


def test_vocabulary_in_other_case_is_written_in_the_vocabulary_spelling(tmp_path):
    _, table, _, _ = _import("import_uppercase_vocabulary", tmp_path)
    by_ref = {r.source_ref: r for r in read_incidents(table, TODAY, project_regions())[0]}
    assert (by_ref["C-1"].attack_type, by_ref["C-1"].vessel_status) == ("boarded", "anchored")
    assert (by_ref["C-2"].attack_type, by_ref["C-2"].vessel_status) == ("attempted", "underway")
    assert "ANCHORED" not in table.read_text(encoding="utf-8") and "Underway" not in table.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the real build and the real tasks


@pytest.mark.parametrize("case", ["table_nul_in_narrative", "table_superscript_count", "table_unbalanced_quote_then_bad_row"])
def test_real_build_fails_with_the_expected_errors_and_keeps_the_output(case, tmp_path):
    good = (BAD / "base_table.csv").read_text(encoding="utf-8")
    out = build(tmp_path, {"data/incidents.csv": good})
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    table = tmp_path / "content" / "data" / "incidents.csv"
    shutil.copy(BAD / case / "incidents.csv", table)
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path)
    assert [e.replace(str(table), "{file}") for e in failure.value.errors] == expected(case)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_imported_control_character_never_reaches_the_published_pages(tmp_path):
    import re

    _, table, report, _ = _import("import_nul_in_narrative", tmp_path / "import")
    assert report.cleaned and report.written
    out = build(tmp_path, {"data/incidents.csv": table.read_text(encoding="utf-8")})
    published = {p: p.read_text(encoding="utf-8") for p in (out / "statistics").rglob("*") if p.suffix in (".html", ".csv", ".json")}
    assert any("tworobbers boarded" in text for text in published.values())
    control = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
    assert [p for p, text in published.items() if control.search(text)] == []


def _invoke(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", "--search-root", str(ROOT), *args],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1562544000"})


@pytest.mark.parametrize("task", ["stats-check", "check"])
def test_invoke_checks_report_a_unicode_digit_without_a_traceback(task, tmp_path):
    case = "table_superscript_count"
    (tmp_path / "content" / "data").mkdir(parents=True)
    table = tmp_path / "content" / "data" / "incidents.csv"
    shutil.copy(BAD / case / "incidents.csv", table)
    settings = tmp_path / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                        f"PATH = {str(tmp_path / 'content')!r}\n", encoding="utf-8")
    result = _invoke(tmp_path, task, "--settings", str(settings))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    printed = [line.removeprefix("error: ").replace(str(table), "{file}") for line in result.stderr.splitlines()]
    assert set(expected(case)) <= set(printed), result.stderr


def test_invoke_stats_import_names_file_and_line_of_a_latin1_export(tmp_path):
    table = tmp_path / "incidents.csv"
    shutil.copy(BAD / "base_table.csv", table)
    source = BAD / "asam_latin1" / "asam.csv"
    result = _invoke(tmp_path, "stats-import", "--source", "asam", "--input", str(source), "--table", str(table),
                     "--report-dir", str(tmp_path / "reports"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == "Import failed, nothing changed: " + expected("asam_latin1")[0].removeprefix("error: ").replace("{input}", str(source))
    assert table.read_bytes() == (BAD / "base_table.csv").read_bytes()
