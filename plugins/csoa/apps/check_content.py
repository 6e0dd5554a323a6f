"""`invoke check`: validate all content with the project's settings, write nothing, report everything."""

from __future__ import annotations

import sys
from pathlib import Path

from csoa.engine.build import load_settings
from csoa.engine.content_check import check_content


def run_check(settings_file: str | Path, overrides: dict | None = None, out=sys.stdout, err=sys.stderr) -> int:
    """Print every error and info; return the exit status (1 when there are errors)."""
    report = check_content(load_settings(settings_file, overrides))
    for info in report.infos:
        print(f"info: {info}", file=out)
    for error in report.errors:
        print(f"error: {error}", file=err)
    files = f"{report.files_checked} file{'s' * (report.files_checked != 1)}"
    if report.errors:
        print(f"{len(report.errors)} error(s) in {files}", file=err)
        return 1
    print(f"{files} checked: no errors", file=out)
    return 0
