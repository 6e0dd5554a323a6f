"""A failed daily run reaches a person: an email to the editors through the project's SES setup,
and the report in the CI's job summary when there is one (GitHub's GITHUB_STEP_SUMMARY).

The editors' addresses come from the environment (DAILY_REPORT_TO, comma-separated; a CI secret),
never from the repository; the report itself carries no member data."""

from __future__ import annotations

import os

from csoa.apps.daily.report import DailyReport


def recipients(settings: dict, environ=os.environ) -> list[str]:
    raw = environ.get("DAILY_REPORT_TO") or settings.get("DAILY_REPORT_TO") or ""
    return [a.strip() for a in raw.split(",") if a.strip()]


def email_editors(report: DailyReport, settings: dict, sesv2=None, environ=os.environ) -> str:
    """Send the report to the editors; return what was done, for the log (no addresses in it)."""
    to = recipients(settings, environ)
    if not to:
        return "no DAILY_REPORT_TO set: no email sent"
    if sesv2 is None:
        import boto3

        sesv2 = boto3.client("sesv2")
    subject = f"[{settings.get('SITENAME', 'site')}] daily run failed at {report.failed}"
    sesv2.send_email(
        FromEmailAddress=settings.get("NEWSLETTER_SENDER", "CSO Alliance <newsletter@csoalliance.com>"),
        Destination={"ToAddresses": to},
        Content={"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"},
                            "Body": {"Text": {"Data": report.to_text(), "Charset": "UTF-8"}}}},
    )
    return f"report emailed to {len(to)} editor(s)"


def job_summary(report: DailyReport, environ=os.environ) -> None:
    path = environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write("## Daily run\n\n```text\n" + report.to_text() + "```\n")
