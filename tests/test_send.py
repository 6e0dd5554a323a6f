"""Sending through a real SES API over HTTP (moto's server): the wire, the ledger, faults, preflight."""

from __future__ import annotations

import base64
import email
import json
import random
from email import policy

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from bs4 import BeautifulSoup
from newsletter_site import REGIONS, build_fixture_site, moto_ses, per_recipient, received, regions_named, settings_env
from sites import ROOT

from csoa.apps import newsletter as commands
from csoa.email.message import MessageError
from csoa.sending import db, ledger
from csoa.sending.members import add_member, suppress
from csoa.sending.sender import PreflightFailed, send_issue

SETTINGS = ROOT / "pelicanconf.py"
SLUG = "july-2019"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("site"))


def _members(conn, n, regions=lambda i: (REGIONS[i % 2],) if i % 3 else ()):
    for i in range(n):
        add_member(conn, f"member{i}@example.org", name=f"M {i}", regions=regions(i))


def _send(site, sesv2=None, **kw):
    settings = commands.load(SETTINGS)
    issue = commands.load_issue(settings, SLUG, site)
    conn = db.connect(db.db_path(settings))
    config = commands.send_config(settings, progress=False, **kw)
    client = commands.make_client(settings, sesv2)
    return send_issue(conn, SLUG, issue["subject"], commands.issue_regions(issue),
                      commands.editions_for(issue, settings), client, config), conn, issue


def _recorded_sends(site, tmp_path, monkeypatch, **config):
    """Send the issue to two members through moto's server with recording on; return every SendEmail
    request body as moto received it, the ledger connection and the issue."""
    from csoa.sending.localaws import FAKE_CREDENTIALS, provision, start_moto_process

    settings_env(monkeypatch, tmp_path)
    for k, v in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(k, v)
    recording = tmp_path / "recording.jsonl"
    proc, url = start_moto_process(env={"MOTO_ENABLE_RECORDING": "1", "MOTO_RECORDER_FILEPATH": str(recording), **FAKE_CREDENTIALS})
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        monkeypatch.setenv("NEWSLETTER_SES_QUOTA", "1000:50")
        provision(url, "newsletter@csoalliance.com", "members", regions_named(REGIONS), "newsletter")
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        add_member(conn, "asia.reader@example.org", regions=("asia",))
        add_member(conn, "no.region@example.org")
        # one worker: moto's recorder writes each entry and its newline in two unlocked writes, so two
        # requests recorded at once can share a line
        report, conn, issue = _send(site, workers=1, **config)
        assert report.sent == 2
        stored = received(url)
    finally:
        proc.kill()
        proc.wait()
    sends = [json.loads(e["body"] if not e.get("body_encoded") else base64.b64decode(e["body"]))
             for e in map(json.loads, recording.read_text().splitlines()) if "/outbound-emails" in e["url"]]
    assert len(sends) == 2 and sorted(str(m["To"]) for m in stored) == ["asia.reader@example.org", "no.region@example.org"]
    return {b["Destination"]["ToAddresses"][0]: b for b in sends}, conn, issue


def _check_content(body, issue):
    """What both unsubscribe designs share: Simple content, both parts, every email item in the text part."""
    assert body["ConfigurationSetName"] == "newsletter"
    tags = {t["Name"]: t["Value"] for t in body["EmailTags"]}
    assert tags["issue"] == SLUG and tags["app"] == "cso-alliance-newsletter"
    assert "Raw" not in body["Content"]
    simple = body["Content"]["Simple"]
    assert simple["Subject"] == {"Data": issue["subject"], "Charset": "UTF-8"}
    text, html = simple["Body"]["Text"]["Data"], simple["Body"]["Html"]["Data"]
    assert simple["Body"]["Text"]["Charset"] == simple["Body"]["Html"]["Charset"] == "UTF-8"
    assert html.lstrip().lower().startswith("<!doctype html") and "%%" not in html + text
    for section in issue["sections"]:
        for item in section["items"]:
            if item["channel"] != "web-only":
                assert item["title"] in text and item["url"] in text
    assert "A web-only note" not in text and "A web-only note" not in html
    headers = {h["Name"]: h["Value"] for h in simple["Headers"]}
    assert headers["List-Id"] == "CSO Alliance newsletter <newsletter.csoalliance.com>"
    return tags, text, html, headers


def test_what_ses_receives_on_the_wire_ses_hosts_the_unsubscribe(site, tmp_path, monkeypatch):
    """The default: every SendEmail request as moto's server recorded it carries ListManagementOptions
    (contact list + topic), so SES adds List-Unsubscribe + List-Unsubscribe-Post itself and fills in
    {{amazonSESUnsubscribeUrl}}, which is the visible link of both parts; we send no unsubscribe header."""
    sends, conn, issue = _recorded_sends(site, tmp_path, monkeypatch)
    texts = {}
    for to, body in sends.items():
        assert body["ListManagementOptions"] == {"ContactListName": "members", "TopicName": "newsletter"}
        tags, text, html, headers = _check_content(body, issue)
        assert tags["segment"] == {"asia.reader@example.org": "asia", "no.region@example.org": "general"}[to]
        assert "List-Unsubscribe" not in headers and "List-Unsubscribe-Post" not in headers  # SES's to add
        assert text.count("{{amazonSESUnsubscribeUrl}}") == 1 and "Unsubscribe: {{amazonSESUnsubscribeUrl}}" in text
        links = [a for a in BeautifulSoup(html, "lxml").find_all("a") if a.get_text(strip=True) == "Unsubscribe"]
        assert [a["href"] for a in links] == ["{{amazonSESUnsubscribeUrl}}"]
        assert html.count("{{amazonSESUnsubscribeUrl}}") == 1  # SES replaces only the first two occurrences
        texts[to] = text
    assert "Singapore Strait" in texts["asia.reader@example.org"] and "Singapore Strait" not in texts["no.region@example.org"]
    assert "Gulf of Guinea" not in texts["asia.reader@example.org"]


def test_what_ses_receives_on_the_wire_with_our_own_endpoint(site, tmp_path, monkeypatch):
    """NEWSLETTER_UNSUBSCRIBE_URL set: each member's own URL in both parts and in our RFC 8058 headers,
    and no ListManagementOptions (SES would replace our headers with its own)."""
    own = "https://lists.csoalliance.com/unsubscribe?t={token}"
    sends, conn, issue = _recorded_sends(site, tmp_path, monkeypatch, unsubscribe_url=own,
                                         unsubscribe_mailto="mailto:info@csoalliance.com?subject=unsubscribe")
    tokens = {r["email"]: r["token"] for r in conn.execute("SELECT email, token FROM members")}
    for to, body in sends.items():
        assert "ListManagementOptions" not in body
        _, text, html, headers = _check_content(body, issue)
        url = own.format(token=tokens[to])
        assert len(tokens[to]) >= 16 and "{{amazonSESUnsubscribeUrl}}" not in text + html
        assert headers["List-Unsubscribe"] == f"<{url}>, <mailto:info@csoalliance.com?subject=unsubscribe>"
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"Unsubscribe: {url}" in text and f'href="{url}"' in html


def test_an_own_endpoint_that_cannot_work_is_refused(site, tmp_path, monkeypatch):
    settings = commands.load(SETTINGS)
    for bad in ("http://lists.csoalliance.com/u?t={token}", "https://www.csoalliance.com/newsletters/unsubscribe/"):
        with pytest.raises(MessageError, match="expected an https:// URL containing {token}"):
            commands.send_config(settings, unsubscribe_url=bad)


def test_rerun_sends_nothing_and_the_audience_is_frozen(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 30)
        add_member(conn, "gone@example.org", status="unsubscribed")
        add_member(conn, "bounced@example.org")
        suppress(conn, "bounced@example.org", "hard-bounce")
        first, conn, _ = _send(site)
        add_member(conn, "late@example.org")  # joins after the audience was frozen
        second, conn, _ = _send(site)
        counts = per_recipient(received(url))
    assert (first.sent, second.sent) == (30, 0)
    lines = [json.loads(line) for line in open(first.message_ids_file)]
    assert len(lines) == 30 and len({mid for _, mid in lines}) == 30 and not any("@" in h for h, _ in lines)
    assert counts == {f"member{i}@example.org": 1 for i in range(30)}
    states = dict(conn.execute("SELECT email, state || ':' || reason FROM ledger").fetchall())
    assert states["gone@example.org"] == "skipped:unsubscribed"
    assert states["bounced@example.org"] == "skipped:suppressed: hard-bounce"
    assert "late@example.org" not in states


class FaultySES:
    """The only fake: wraps the real boto3 client and injects throttling, timeouts and rejections."""

    def __init__(self, real, seed=7, throttle=0.0, timeout_after=0.0, timeout_before=0.0, reject=(), pause_after=None,
                 server_error=0.0):
        self.real, self.rng = real, random.Random(seed)
        self.server_error = server_error
        self.throttle, self.timeout_after, self.timeout_before = throttle, timeout_after, timeout_before
        self.reject, self.pause_after = set(reject), pause_after
        self.calls = 0
        self.injected = {"throttle": 0, "timeout_after": [], "timeout_before": [], "reject": [], "server_error": []}

    def __getattr__(self, name):
        return getattr(self.real, name)

    def send_email(self, **request):
        self.calls += 1
        to = request["Destination"]["ToAddresses"][0]
        if self.pause_after is not None and self.calls > self.pause_after:
            raise ClientError({"Error": {"Code": "SendingPausedException", "Message": "sending paused"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "SendEmail")
        if self.rng.random() < self.throttle:
            self.injected["throttle"] += 1
            raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate exceeded."},
                               "ResponseMetadata": {"HTTPStatusCode": 429}}, "SendEmail")
        if to in self.reject:
            self.injected["reject"].append(to)
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": f"Address blacklisted: {to}"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "SendEmail")
        if self.rng.random() < self.server_error:
            self.injected["server_error"].append(to)
            raise ClientError({"Error": {"Code": "InternalFailure", "Message": "internal error"},
                               "ResponseMetadata": {"HTTPStatusCode": 500}}, "SendEmail")
        if self.rng.random() < self.timeout_before:
            self.injected["timeout_before"].append(to)
            raise ReadTimeoutError(endpoint_url="injected")
        result = self.real.send_email(**request)
        if self.rng.random() < self.timeout_after:
            self.injected["timeout_after"].append(to)
            raise ReadTimeoutError(endpoint_url="injected")
        return result


def test_throttling_and_timeouts_lose_nobody_and_double_nobody(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    from csoa.sending.ses import make_sesv2

    with moto_ses(monkeypatch) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 300)
        faulty = FaultySES(make_sesv2(), throttle=0.06, timeout_after=0.02, timeout_before=0.02, server_error=0.02)
        report, conn, _ = _send(site, sesv2=faulty, backoff_base=0.001, backoff_cap=0.01, max_throttle_retries=30)
        counts = per_recipient(received(url))
        uncertain = {r["email"] for r in ledger.rows_in(conn, SLUG, "uncertain")}
        sent = {r["email"] for r in ledger.rows_in(conn, SLUG, "sent")}
        resend, conn, _ = _send(site, resend_uncertain=True)
        after = per_recipient(received(url))
    assert faulty.injected["throttle"] > 10 and report.throttles == faulty.injected["throttle"]
    injected_uncertain = faulty.injected["timeout_after"] + faulty.injected["timeout_before"] + faulty.injected["server_error"]
    assert uncertain == set(injected_uncertain) and len(injected_uncertain) == len(uncertain) > 0
    assert faulty.calls == 300 + faulty.injected["throttle"]  # only throttled calls are retried
    assert len(sent) + len(uncertain) == 300 and not sent & uncertain
    assert all(counts.get(e) == 1 for e in sent)
    assert all(counts.get(e) == 1 for e in faulty.injected["timeout_after"])  # SES had it: uncertain, not resent
    assert all(e not in counts for e in faulty.injected["timeout_before"] + faulty.injected["server_error"])
    assert max(counts.values()) == 1
    assert ledger.counts(conn, SLUG) == {"sent": 300}
    assert resend.requeued_uncertain == len(uncertain) and resend.sent == len(uncertain)
    assert all(after[e] == 1 for e in sent) and all(after[e] >= 1 for e in uncertain)


def test_one_percent_invalid_and_one_percent_rejected_exact_counts(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    from csoa.sending.ses import make_sesv2

    with moto_ses(monkeypatch) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        invalid = {i for i in range(0, 1000, 100)}
        rejected = {f"member{i}@example.org" for i in range(50, 1000, 100)}
        for i in range(1000):
            add_member(conn, f"membér{i}@example.org" if i in invalid else f"member{i}@example.org")  # legacy rows
        faulty = FaultySES(make_sesv2(), reject=rejected)
        report, conn, _ = _send(site, sesv2=faulty)
        counts = per_recipient(received(url))
    assert (report.sent, report.failed, report.uncertain, report.paused) == (980, 10, 0, None)
    assert ledger.counts(conn, SLUG) == {"sent": 980, "failed": 10, "skipped": 10}
    assert {r["email"] for r in ledger.rows_in(conn, SLUG, "failed")} == rejected
    assert all(r["reason"].startswith("invalid: non-ASCII") for r in ledger.rows_in(conn, SLUG, "skipped"))
    assert len(counts) == 980 and set(counts.values()) == {1}
    written = open(report.report_path).read()
    assert "@example.org" not in written and written.count("Address blacklisted: <") == 10


def test_systemic_error_pauses_and_the_run_resumes(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    from csoa.sending.ses import make_sesv2

    with moto_ses(monkeypatch) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 120)
        paused, conn, _ = _send(site, sesv2=FaultySES(make_sesv2(), pause_after=50), workers=2)
        mid = ledger.counts(conn, SLUG)
        resumed, conn, _ = _send(site)
        counts = per_recipient(received(url))
    assert paused.paused and "SendingPausedException" in paused.paused
    assert 48 <= paused.sent <= 50 and mid["pending"] == 120 - paused.sent and "sending" not in mid
    assert resumed.sent == 120 - paused.sent and resumed.paused is None
    assert len(counts) == 120 and set(counts.values()) == {1}


def test_preflight_refuses_beyond_the_quota_or_sends_a_part(site, tmp_path, monkeypatch):
    """moto's real quota: 200 per 24 h, 1 per second."""
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch, quota=None) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 203)
        with pytest.raises(PreflightFailed, match="quota has 200 messages left but 203"):
            _send(site)
        assert received(url) == []
        monkeypatch.setenv("NEWSLETTER_SES_QUOTA", "200:1000")  # keep moto's daily quota, lift its 1/s
        partial, conn, _ = _send(site, allow_partial=True)
        assert partial.sent == 200 and ledger.counts(conn, SLUG)["pending"] == 3
        assert len(received(url)) == 200


def test_unverified_sender_is_refused(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch):
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 3)
        with pytest.raises(PreflightFailed, match="not verified"):
            _send(site, sender="Someone <someone@elsewhere.example>")


def test_test_send_and_dry_run_leave_the_ledger_alone(site, tmp_path, monkeypatch, capsys):
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 12)
        assert commands.newsletter_send(SETTINGS, SLUG, output=site, test_to="a@example.org,b@example.org", progress=False) == 0
        got = received(url)
        assert sorted(str(m["To"]) for m in got) == ["a@example.org", "b@example.org"]
        assert all(str(m["Subject"]).startswith("[TEST] ") for m in got)
        assert commands.newsletter_send(SETTINGS, SLUG, output=site, dry=True, progress=False) == 0
        emls = list((tmp_path / "var" / "outbox" / SLUG).glob("*.eml"))
        assert len(emls) == 12 and len(received(url)) == 2
        assert not any("@" in p.name for p in emls)
        preview = email.message_from_bytes(emls[0].read_bytes(), policy=policy.default)
        assert preview.get_content_type() == "multipart/alternative" and preview["List-Id"]
        assert "Unsubscribe: {{amazonSESUnsubscribeUrl}}" in preview.get_body(("plain",)).get_content()
        assert 'href="{{amazonSESUnsubscribeUrl}}"' in preview.get_body(("html",)).get_content()
        assert "ContactListName=members, TopicName=newsletter" in preview["X-Dry-Run-Note"]
        assert preview["List-Unsubscribe"] is None  # SES adds it when it sends
    assert conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0] == 0
    for report in (tmp_path / "var" / "reports").glob("*.json"):
        assert "@example.org" not in report.read_text()


class AccountStateSES(FaultySES):
    """Injects account states moto cannot produce: sending disabled, or still in the sandbox."""

    def __init__(self, real, enabled, production):
        super().__init__(real)
        self.enabled, self.production = enabled, production

    def get_account(self):
        return {"SendingEnabled": self.enabled, "ProductionAccessEnabled": self.production,
                "SendQuota": {"Max24HourSend": 50000.0, "MaxSendRate": 100.0, "SentLast24Hours": 0.0}}


def test_preflight_refuses_when_sending_is_disabled_and_warns_in_the_sandbox(site, tmp_path, monkeypatch):
    settings_env(monkeypatch, tmp_path)
    from csoa.sending.ses import make_sesv2

    with moto_ses(monkeypatch, quota=None) as url:
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 5)
        with pytest.raises(PreflightFailed, match="sending is disabled"):
            _send(site, sesv2=AccountStateSES(make_sesv2(), enabled=False, production=True))
        assert received(url) == []
        report, _, _ = _send(site, sesv2=AccountStateSES(make_sesv2(), enabled=True, production=False))
    assert report.sent == 5 and report.set_rate == 100
    assert any("sandbox" in w for w in report.warnings)
