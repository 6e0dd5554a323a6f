"""The command behind `invoke daily`: run, print the report, tell a person when it failed, exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from csoa.apps.daily.daily import run_daily
from csoa.apps.daily.notify import email_editors, job_summary


def run_daily_command(settings_file: str | Path, state_dir: str | Path, overrides: dict | None = None,
                      out=sys.stdout, err=sys.stderr, sesv2=None) -> int:
    from csoa.engine.build import load_settings

    report = run_daily(settings_file, overrides, state_dir)
    print(report.to_text(), file=out if not report.failed else err)
    job_summary(report)
    if not report.failed:
        return 0
    try:
        print(email_editors(report, load_settings(settings_file, overrides), sesv2), file=err)
    except Exception as failure:  # the run failed already: say that the email failed too, do not hide the report
        print(f"the report could not be emailed: {type(failure).__name__}: {failure}", file=err)
    return 1
