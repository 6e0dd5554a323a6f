"""The bad-content corpus: each case in tests/bad_content/<case>/ holds a content/ tree with one
mistake and expected.txt with the exact errors it must produce (a comment line says what it shows).

Every case is checked three ways: the validator, the real Pelican build (BuildFailed, previous
output byte-identical), and for a few cases `invoke check` as a real subprocess.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sites import ROOT, build, settings_for

from csoa.engine.build import BuildFailed
from csoa.engine.content_check import check_content

BAD = Path(__file__).parent / "bad_content"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())

GOOD = {
    "news/good.md": """\
    Title: Membership passes 425
    Date: 2016-07-08 09:00 +01:00
    Summary: The alliance grows.
    Tags: membership

    Body.
    """,
    "pages/about.md": """\
    Title: About
    Summary: About the alliance.

    Body.
    """,
}


def expected(case: str) -> list[str]:
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_output(tmp_path_factory) -> Path:
    """A successful build of a small valid site: the 'previous output' every failed build must keep."""
    root = tmp_path_factory.mktemp("good")
    return build(root, GOOD)


def test_the_corpus_is_big_and_every_case_expects_something():
    assert len(CASES) >= 25
    for case in CASES:
        assert expected(case), case
        assert all(line.startswith("content/") for line in expected(case)), case


@pytest.mark.parametrize("case", CASES)
def test_validator_reports_exactly_the_expected_errors(case):
    settings = settings_for(BAD / case, PATH=str(BAD / case / "content"))
    assert [str(e) for e in check_content(settings).errors] == expected(case)


@pytest.mark.parametrize("case", CASES)
def test_real_build_fails_with_every_error_and_keeps_the_previous_output(case, good_output, tmp_path):
    shutil.copytree(good_output, tmp_path / "output")
    before = snapshot(tmp_path / "output")
    assert "news/membership-passes-425/index.html" in before
    shutil.copytree(BAD / case / "content", tmp_path / "content", symlinks=True)  # a linked folder stays a link
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path)
    assert failure.value.errors == expected(case)
    assert snapshot(tmp_path / "output") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output-")]


def invoke_check(tmp_path: Path, content: Path) -> subprocess.CompletedProcess:
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\nPATH = {str(content)!r}\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "check", "--settings", str(settings)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("case", ["bad_date", "non_utf8", "duplicate_slug", "metadata_typo", "many_errors_in_one_file"])
def test_invoke_check_exits_1_and_prints_every_error(case, tmp_path):
    shutil.copytree(BAD / case / "content", tmp_path / "content")
    result = invoke_check(tmp_path, tmp_path / "content")
    assert result.returncode == 1, result.stderr
    printed = [line.removeprefix("error: ") for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert printed == expected(case)
    assert not (tmp_path / "output").exists()


def test_invoke_check_reports_all_files_of_the_corpus_in_one_run_and_passes_good_content(tmp_path):
    content = tmp_path / "content"
    markdown_cases = set()
    for case in [c for c in CASES if any(line.split(":")[0].endswith(".md") for line in expected(c))]:  # every case's markdown under a sub-folder of its own: news/<case>/x.md
        for path in sorted((BAD / case / "content").rglob("*.md")):
            rel = path.relative_to(BAD / case / "content")
            target = content / rel.parts[0] / case / Path(*rel.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
            markdown_cases.add(case)
    result = invoke_check(tmp_path, content)
    assert result.returncode == 1
    reported = {line.split("/")[2] for line in result.stderr.splitlines() if line.startswith("error: content/")}
    assert reported == markdown_cases  # not only the first file's errors: every case's file is reported
    assert len(markdown_cases) >= 25

    good = tmp_path / "good" / "content"
    for rel, text in GOOD.items():
        (good / rel).parent.mkdir(parents=True, exist_ok=True)
        (good / rel).write_text("\n".join(line.removeprefix("    ") for line in text.splitlines()) + "\n")
    result = invoke_check(tmp_path, good)
    assert result.returncode == 0, result.stderr
    assert "2 files checked: no errors" in result.stdout
