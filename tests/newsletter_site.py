"""Fixture site, statistics summary and local SES helpers for the newsletter tests (not a test module)."""

from __future__ import annotations

import email
import io
import json
import tempfile
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from email import policy

from PIL import Image
from sites import build

NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)
REGIONS = ("asia", "west_africa", "gulf_of_aden", "mediterranean")
SENDER = "CSO Alliance <newsletter@csoalliance.com>"

SUMMARY = {  # shaped like /statistics/summary.json (docs: shared/design/incidents.md); numbers invented
    "as_of": "2019-07-01",
    "headline": {"window_start": "2016-07-02", "window_end": "2019-07-01", "countries": 63, "ships_boarded": 856,
                 "criminals": 5140, "criminals_known_for": 700, "crew": 16000, "crew_estimated_for": 800},
    "by_year": {str(y): {"total": t, "hijacked": 1, "boarded": t - 10, "fired_upon": 3, "attempted": 4,
                         "suspicious_approach": 2, "unknown": 0}
                for y, t in ((2016, 310), (2017, 280), (2018, 301), (2019, 150))},
    "by_region": {}, "by_country": {}, "by_vessel_status": {},
}


def png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (20, 60, 90)).save(buf, "PNG")
    return buf.getvalue()


def _article(kind, slug, title, date, summary, extra="", body=None):
    return f"""Title: {title}
Date: {date}
Slug: {slug}
Summary: {summary}
{extra}
{body or f"Body of {title}."}
"""


FILES = {
    "images/boarding.png": png(800, 400),
    # before the first issue: only reachable by Pin
    "news/2019-03-01-old-news.md": _article("news", "old-news", "Old news from March", "2019-03-01 10:00", "An older story."),
    # between the issues (first issue: 2019-05-01)
    "news/2019-04-20-april-news.md": _article("news", "april-news", "April news", "2019-04-20 10:00", "In the first issue."),
    "news/2019-06-01-membership.md": _article("news", "membership-500", "Membership passes 500", "2019-06-01 10:00",
                                              "Five hundred CSOs.", "Image: images/boarding.png\nImage_alt: CSOs at a workshop"),
    "news/2019-06-03-web-only.md": _article("news", "web-only-note", "A web-only note", "2019-06-03 10:00",
                                            "Only on the web page.", "Newsletter: web-only"),
    "news/2019-06-04-email-only.md": _article("news", "email-only-note", "An email-only note", "2019-06-04 10:00",
                                              "Only in the email."),
    "news/2019-06-05-excluded.md": _article("news", "excluded-story", "An excluded story", "2019-06-05 10:00", "Left out."),
    "workshops/2019-06-10-bimco.md": _article("workshops", "bimco-athens", "BIMCO workshop, Athens", "2019-06-10 10:00",
                                              "Three panels and a hot debate.",
                                              "Workshop_date: 2019-06-08\nPlace: Athens, Greece\nOrganisers: BIMCO, LSS-SAPU"),
    "reports/2019-06-20-drone.md": _article("reports", "iran-drone-attack", "First Response Report: Iran drone attack",
                                            "2019-06-20 10:00", "What CSOs need to know.",
                                            "Incident_date: 2019-06-20\nRegion: gulf_of_aden",
                                            "## What happened\n\nA drone.\n\n## Advice\n\nReport at once.\n"),
    "intelligence/2019-06-21-asia.md": _article("intelligence", "asia-june", "Asia: Singapore Strait boardings",
                                                "2019-06-21 10:00", "Boardings rise in the strait.", "Region: asia"),
    "intelligence/2019-06-22-wa.md": _article("intelligence", "west-africa-june", "West Africa: Gulf of Guinea kidnappings",
                                              "2019-06-22 10:00", "Kidnappings off Nigeria.", "Region: west_africa"),
    "news/2019-07-20-future.md": _article("news", "future-story", "A story from the future", "2019-07-20 10:00", "Not yet."),
    # events: one upcoming, one past
    "events/2019-10-02-cypnaval.md": _article("events", "cypnaval-2019", "CYPnaval Conference", "2019-06-01 10:00",
                                             "Cyprus.", "Start: 2019-10-02 09:00\nEnd: 2019-10-02 17:00\nTimezone: Asia/Nicosia\nVenue: Filoxenia Centre\nCity: Nicosia"),
    "events/2019-06-05-past.md": _article("events", "past-event", "A past event", "2019-05-20 10:00", "Over.",
                                          "Start: 2019-06-05 09:00\nTimezone: Europe/London\nCity: London"),
    "newsletters/2019-05-01-may.md": """Title: May 2019
Date: 2019-05-01 08:00 +01:00
Subject: May 2019 newsletter
Preheader: The first issue.

The first letter.
""",
    "newsletters/2019-07-05-july.md": """Title: July 2019
Date: 2019-07-05 08:00 +01:00
Subject: CSO Alliance newsletter, July 2019
Preheader: What happened since May.
Pin: old-news
Exclude: excluded-story
Order: bimco-athens
Email-only: email-only-note

Dear members, this is the **editor's letter**. See our [latest report](/reports/iran-drone-attack/).

A second paragraph.
""",
}


def regions_named(keys) -> tuple:
    """The Region records of the project's settings with these keys (SES topics, members' regions)."""
    from stats_helpers import project_regions

    return tuple(r for r in project_regions().regions if r.key in keys)


def build_fixture_site(root, summary=SUMMARY, files=None):
    extra = {"statistics_summary": summary} if summary else {}
    return build(root, files or FILES, now=NOW, **extra)


@contextmanager
def moto_ses(monkeypatch, quota="1000000:500", regions=REGIONS, records_in_content=False):
    """A ThreadedMotoServer on a free port, provisioned; yields its URL. boto3 reaches it via AWS_ENDPOINT_URL.

    A real send records what it sent beside the issue (csoa.sending.sent_issue); tests that send with the
    project's own settings would write into content/, so the records go to a scratch folder unless
    ``records_in_content`` (the tests of the records themselves, on fixture sites)."""
    from moto.server import ThreadedMotoServer

    from csoa.sending.localaws import FAKE_CREDENTIALS, provision

    for key, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    if records_in_content:
        monkeypatch.delenv("NEWSLETTER_SENT_DIR", raising=False)
    else:
        monkeypatch.setenv("NEWSLETTER_SENT_DIR", tempfile.mkdtemp(prefix="sent-records-"))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    # moto's backends are per process, shared by every server in it: start from a clean state
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10)
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    if quota:
        monkeypatch.setenv("NEWSLETTER_SES_QUOTA", quota)
    else:
        monkeypatch.delenv("NEWSLETTER_SES_QUOTA", raising=False)
    provision(url, SENDER, "members", regions_named(regions), "newsletter")
    try:
        yield url
    finally:
        server.stop()


def received(url) -> list[email.message.EmailMessage]:
    """Every message moto's SES accepted, read over HTTP from moto's state dump. Raw messages are parsed;
    for Simple content moto keeps only the recipients, the subject and one body (the HTML part), so those
    come back as a message with To, Subject and that body. The full request is in moto's recording."""
    with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=60) as response:
        data = json.load(response)
    out = [email.message_from_string(m["raw_data"], policy=policy.default) for m in data["ses"].get("RawMessage", [])]
    for m in data["ses"].get("Message", []):
        msg = email.message.EmailMessage(policy=policy.default)
        msg["To"] = ", ".join(m["destinations"].get("ToAddresses", []))
        msg["Subject"] = m["subject"]
        msg.set_content(m["body"], subtype="html")
        out.append(msg)
    return out


def per_recipient(messages) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in messages:
        counts[str(m["To"]).lower()] = counts.get(str(m["To"]).lower(), 0) + 1
    return counts


def settings_env(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLETTER_DB", str(tmp_path / "var" / "newsletter.sqlite3"))
    monkeypatch.setenv("NEWSLETTER_REPORTS", str(tmp_path / "var" / "reports"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "var" / "newsletter.sqlite3"
