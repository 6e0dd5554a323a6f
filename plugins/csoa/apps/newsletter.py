"""What the invoke tasks call: each function takes plain arguments, prints a summary, returns an exit code."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from csoa.email.message import MessageError
from csoa.email.render import render_html, render_text
from csoa.email.site import email_template_dir, site_info
from csoa.model.regions import site_regions
from csoa.sending import db as newsletter_db
from csoa.sending import sent_issue
from csoa.sending.sender import (
    Edition,
    IssueBusy,
    PreflightFailed,
    SendConfig,
    dry_run,
    send_issue,
    send_test,
    unsubscribe_of,
)
from csoa.sending.ses import SesClient

log = logging.getLogger(__name__)


def load(settings_file) -> dict:
    from csoa.engine.build import load_settings

    return load_settings(settings_file)


def _site(settings):
    return site_info(settings), email_template_dir(settings)


def send_config(settings: dict, **overrides) -> SendConfig:
    """Raises MessageError when NEWSLETTER_UNSUBSCRIBE_URL is set but cannot work."""
    quota = os.environ.get("NEWSLETTER_SES_QUOTA")  # "MAX24H:MAXRATE" for emulators with fixed quotas
    config = SendConfig(
        sender=settings.get("NEWSLETTER_SENDER", "CSO Alliance <newsletter@csoalliance.com>"),
        # unset (the default): SES hosts the one-click unsubscribe; set: our own endpoint, with {token}
        unsubscribe_url=settings.get("NEWSLETTER_UNSUBSCRIBE_URL") or None,
        unsubscribe_mailto=settings.get("NEWSLETTER_UNSUBSCRIBE_MAILTO",
                                        f"mailto:{settings.get('CONTACT_EMAIL', 'info@csoalliance.com')}?subject=unsubscribe"),
        list_id=settings.get("NEWSLETTER_LIST_ID", "CSO Alliance newsletter <newsletter.csoalliance.com>"),
        quota_override=tuple(float(x) for x in quota.split(":")) if quota else None,
        reports_dir=Path(os.environ.get("NEWSLETTER_REPORTS", "var/reports")),
    )
    for key, value in overrides.items():
        setattr(config, key, value)
    unsubscribe_of(config)  # validates an own endpoint before anything is frozen or sent
    return config


def contact_list(settings: dict) -> str:
    return settings.get("NEWSLETTER_CONTACT_LIST", "members")


def make_client(settings: dict, sesv2=None) -> SesClient:
    return SesClient(sesv2=sesv2, configuration_set=settings.get("NEWSLETTER_CONFIGURATION_SET", "newsletter"),
                     contact_list=contact_list(settings), tags={"app": "cso-alliance-newsletter"})


def load_issue(settings: dict, slug: str, output: str | None = None) -> dict:
    path = Path(output or settings["OUTPUT_PATH"]) / "newsletters" / slug / "issue.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: build the site first (invoke build), and check the slug")
    return json.loads(path.read_text(encoding="utf-8"))


def editions_for(issue: dict, settings: dict):
    site, templates = _site(settings)

    def edition_for(segment: str) -> Edition:
        regions = segment.split()
        return Edition(issue["subject"], render_html(issue, site, templates, regions), render_text(issue, site, regions))

    return edition_for


def recorder_for(settings: dict, slug: str, issue: dict, output_dir) -> sent_issue.Recorder:
    """The real send's editions, recorded in the sent issue's file (sent_issue.Recorder) as they are rendered."""
    site, templates = _site(settings)
    png = Path(output_dir) / "newsletters" / slug / "figures.png"
    return sent_issue.Recorder(sent_issue.sent_file(sent_issue.sent_folder(settings), slug), issue,
                               lambda i: editions_for(i, settings),
                               lambda i: (render_html(i, site, templates), render_text(i, site)),
                               png.read_bytes() if (issue.get("figures") or {}).get("chart") and png.exists() else None)


def issue_regions(issue: dict) -> list[str]:
    return [s["region"] for s in issue["regional"]]


def newsletter_send(settings_file, slug, output=None, dry=False, test_to=None, rate=None, resend_uncertain=False,
                    allow_partial=False, progress=True, sesv2=None, retry_failed=False) -> int:
    settings = load(settings_file)
    try:
        issue = load_issue(settings, slug, output)
    except FileNotFoundError as exc:
        print(exc)
        return 1
    conn = newsletter_db.connect(newsletter_db.db_path(settings))
    try:
        config = send_config(settings, rate=rate, resend_uncertain=resend_uncertain, allow_partial=allow_partial,
                             progress=progress, retry_failed=retry_failed)
    except MessageError as exc:
        print(f"refused: {exc}")
        return 1
    edition_for = editions_for(issue, settings)
    if dry:
        managed = ({"ContactListName": contact_list(settings), "TopicName": config.topic}
                   if unsubscribe_of(config).ses_hosted else None)
        report = dry_run(conn, slug, issue_regions(issue), edition_for, config, Path("var/outbox"), managed)
        print(f"dry run: {report.sent} messages written to var/outbox/{slug}/ (no API call, ledger untouched)")
        return 0
    client = make_client(settings, sesv2)
    if test_to:
        addresses = [a.strip() for a in test_to.split(",") if a.strip()]
        report = send_test(slug, edition_for(" ".join(issue_regions(issue))), addresses, client, config)
        print(report.summary())
        return 0 if not report.failed else 2
    edition_for = recorder_for(settings, slug, issue, output or settings["OUTPUT_PATH"])
    try:
        report = send_issue(conn, slug, issue["subject"], issue_regions(issue), edition_for, client, config)
    except (PreflightFailed, MessageError, sent_issue.SentIssueError, IssueBusy) as exc:  # nothing was sent
        print(f"refused: {exc}")
        return 1
    print(report.summary())
    print(f"report: {report.report_path}")
    return 2 if report.paused else 0


def members_import(settings_file, csv_file, skip_invalid=False) -> int:
    from csoa.sending.members import import_csv

    settings = load(settings_file)
    conn = newsletter_db.connect(newsletter_db.db_path(settings))
    report = import_csv(conn, csv_file, site_regions(settings).filed, skip_invalid=skip_invalid)
    print(report.summary())
    return 0 if not report.errors else 1


def members_sync(settings_file) -> int:
    from csoa.sending.ses import make_sesv2
    from csoa.sending.sync import sync_members

    settings = load(settings_file)
    conn = newsletter_db.connect(newsletter_db.db_path(settings))
    report = sync_members(conn, make_sesv2(), contact_list(settings), site_regions(settings).filing_regions)
    print(report.summary())
    return 0


def newsletter_feedback(settings_file, queue_url=None, from_dir=None) -> int:
    import boto3

    from csoa.sending.feedback import drain_queue, from_directory

    settings = load(settings_file)
    conn = newsletter_db.connect(newsletter_db.db_path(settings))
    if bool(queue_url) == bool(from_dir):
        print("give exactly one of --queue-url or --from-dir")
        return 1
    report = from_directory(conn, from_dir) if from_dir else drain_queue(conn, boto3.client("sqs"), queue_url)
    print(report.summary())
    return 0 if not report.errors else 1


def aws_local(settings_file, port=5000) -> int:
    """Start moto on 127.0.0.1:PORT, provision it, print the environment to use, wait for Ctrl-C."""
    from csoa.sending.localaws import FAKE_CREDENTIALS, provision, start_moto_process

    settings = load(settings_file)
    for key, value in FAKE_CREDENTIALS.items():
        os.environ.setdefault(key, value)
    proc, url = start_moto_process(int(port))
    names = provision(url, settings.get("NEWSLETTER_SENDER", "newsletter@csoalliance.com"),
                      settings.get("NEWSLETTER_CONTACT_LIST", "members"), site_regions(settings).filing_regions,
                      settings.get("NEWSLETTER_CONFIGURATION_SET", "newsletter"))
    print(f"moto SES/SQS on {url}: sender {names['sender']} verified, contact list {names['contact_list']}, "
          f"feedback queue {names['queue_url']}")
    print("In another shell:")
    print(f"  export AWS_ENDPOINT_URL={url} " + " ".join(f"{k}={v}" for k, v in FAKE_CREDENTIALS.items()))
    print("  export NEWSLETTER_SES_QUOTA=50000:200   # moto's own quota is fixed at 200/day, 1/s")
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=30)  # moto lets go of the port before we return
    return 0
