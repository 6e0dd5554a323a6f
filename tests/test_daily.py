"""`invoke daily` end to end: NGA's API on a local server, a real production build, linkcheck, moto's S3.

A run that fails at any step leaves the live bucket exactly as it was, says which step failed and
emails the editors through SES; a run made a day later moves an ended event to the past.
"""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timedelta, timezone

import boto3
import pytest
from aws_local import fake_aws_env
from conftest import ROOT
from newsletter_site import received
from nga_msi_server import NgaMsiServer, api_records_from_export
from rich.console import Console
from sites import site_settings, soup, write_content

from csoa.apps.daily.command import run_daily_command
from csoa.apps.daily.daily import run_daily
from csoa.publishing.bucket_lock import BucketLock

NOW = datetime(2022, 6, 21, 6, 0, tzinfo=timezone.utc)
BUCKET = "daily-site"
FILES = {
    "news/a.md": """\
        Title: Piracy workshop in Singapore
        Date: 2022-06-01 09:00
        Summary: CSOs met in Singapore.

        The workshop discussed reporting.
        """,
    "events/briefing.md": """\
        Title: Gulf of Guinea briefing
        Uid: 2022-gulf-of-guinea-briefing
        Date: 2022-05-01 09:00
        Start: 2022-06-21 09:00
        End: 2022-06-21 12:00
        Timezone: Europe/London
        City: London
        Country: GB
        Summary: A morning briefing.

        Agenda to follow.
        """,
}


@pytest.fixture
def site(tmp_path, shared_data, monkeypatch):
    import urllib.request

    from moto.server import ThreadedMotoServer

    write_content(tmp_path, FILES)
    (tmp_path / "content" / "data").mkdir()
    shutil.copyfile(ROOT / "content" / "data" / "incidents.csv", tmp_path / "content" / "data" / "incidents.csv")
    records = api_records_from_export(shared_data / "nga-asam" / "asam_2022-06-21.csv", since=date(2022, 5, 1))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10)
    fake_aws_env(monkeypatch, endpoint)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    boto3.client("sesv2").create_email_identity(EmailIdentity="newsletter@csoalliance.com")
    monkeypatch.setenv("SITE_BUCKET", BUCKET)
    monkeypatch.setenv("SITE_PREFIX", "")
    monkeypatch.delenv("CLOUDFRONT_DISTRIBUTION_ID", raising=False)
    monkeypatch.setenv("DAILY_REPORT_TO", "editor@example.org")
    with NgaMsiServer(records) as nga:
        monkeypatch.setenv("NGA_MSI_BASE_URL", nga.base_url)
        yield {"root": tmp_path, "s3": s3, "nga": nga, "endpoint": endpoint}
    server.stop()


def _overrides(site, now=NOW):
    return site_settings(site["root"], now=now, PUBLIC_SITEURL="https://www.csoalliance.com")


def _run(site, now=NOW):
    console = Console(file=io.StringIO(), width=200)
    return run_daily(ROOT / "publishconf.py", _overrides(site, now), site["root"] / "var" / "daily", console)


def _bucket(site) -> dict[str, str]:
    listing = site["s3"].list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: o["ETag"] for o in listing}


def test_a_daily_run_publishes_and_a_second_run_changes_nothing(site):
    table = site["root"] / "content" / "data" / "incidents.csv"
    first = _run(site)
    assert not first.failed, first.to_text()
    assert first.new_incidents > 5
    assert "news/piracy-workshop-in-singapore/index.html" in first.uploaded
    assert "statistics/index.html" in first.uploaded
    after_first, table_after_first = _bucket(site), table.read_bytes()
    report_text = (site["root"] / "var" / "daily" / "daily-report.txt").read_text()
    assert f"new incidents: {first.new_incidents}" in report_text

    second = _run(site)
    assert not second.failed, second.to_text()
    assert second.new_incidents == 0 and second.uploaded == [] and second.deleted == []
    assert _bucket(site) == after_first
    assert table.read_bytes() == table_after_first


def _break_nga(site):
    site["nga"].faults = ["malformed"]


def _break_build(site):
    write_content(site["root"], {"news/bad.md": "Title: No date or summary\n\nBody.\n"})


def _break_links(site):
    write_content(site["root"], {"news/links.md": """\
        Title: A broken link
        Date: 2022-06-02 09:00
        Summary: Links to nowhere.

        See <a href="/nowhere/">this page</a>.
        """})


def _hold_the_bucket(site):
    BucketLock(site["s3"], BUCKET, "").acquire()  # another publish is running


@pytest.mark.parametrize("breaker, step, says", [
    (_break_nga, "stats-update", "not JSON"),
    (_break_build, "build", "news/bad.md"),
    (_break_links, "linkcheck", "/nowhere/"),
    (_hold_the_bucket, "publish", "another publish holds"),
])
def test_a_run_that_fails_at_any_step_leaves_the_live_bucket_as_it_was(site, breaker, step, says):
    assert not _run(site).failed
    write_content(site["root"], {"news/b.md": """\
        Title: A second article
        Date: 2022-06-03 09:00
        Summary: Would change the home page.

        Body.
        """})
    before = _bucket(site)
    breaker(site)
    out, err = io.StringIO(), io.StringIO()
    code = run_daily_command(ROOT / "publishconf.py", site["root"] / "var" / "daily", _overrides(site, NOW + timedelta(hours=1)),
                             out=out, err=err)
    assert code == 1
    after = _bucket(site)
    after.pop(".publish-lock.json", None)
    before.pop(".publish-lock.json", None)
    assert after == before
    text = err.getvalue()
    assert f"FAILED at {step}: the live site was left as it was" in text
    assert says in text
    mails = [m for m in received(site["endpoint"]) if "daily run failed" in str(m["Subject"])]
    assert len(mails) == 1 and f"failed at {step}" in str(mails[0]["Subject"])
    assert "report emailed to 1 editor(s)" in text and "editor@example.org" not in text


def test_a_run_made_a_day_later_moves_the_ended_event_to_the_past_on_every_page(site):
    first = _run(site)
    output = site["root"] / "output"
    link = "events/gulf-of-guinea-briefing/"

    def listed(page, selector):
        section = soup(output / page).select_one(selector)
        return section is not None and any(a["href"].endswith(link) for a in section.find_all("a", href=True))

    assert listed("events/index.html", "[aria-labelledby=events-upcoming]")
    assert not listed("events/index.html", "[aria-labelledby=events-past]")
    assert listed("index.html", ".upcoming-events")
    assert soup(output / link / "index.html").select_one("a.event-add")  # an upcoming event offers the calendar
    assert first.events_now_past == []

    tomorrow = _run(site, NOW + timedelta(days=1))
    assert not tomorrow.failed, tomorrow.to_text()
    assert not listed("events/index.html", "[aria-labelledby=events-upcoming]")
    assert listed("events/index.html", "[aria-labelledby=events-past]")
    assert not listed("index.html", ".upcoming-events")
    assert soup(output / link / "index.html").select_one("a.event-add") is None  # a past one does not
    assert tomorrow.events_now_past == [
        "Gulf of Guinea briefing (2022-gulf-of-guinea-briefing), ended 2022-06-21T12:00:00+01:00"]
    assert {"events/index.html", "index.html"} <= set(tomorrow.uploaded)
    live = site["s3"].get_object(Bucket=BUCKET, Key="events/index.html")["Body"].read().decode()
    assert "Past events" in live
