"""One member record from the CSV to the SES call, one owner of the ledger's SQL, one rule for who may
be sent to, and sending above email (never the reverse). Sends go to moto's SES server over HTTP."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from newsletter_site import moto_ses, per_recipient, received, settings_env
from sites import ROOT
from test_send import FaultySES

from csoa.email.message import PLACEHOLDER
from csoa.model.member import Member, read_csv
from csoa.sending import db, ledger
from csoa.sending.edition import Edition
from csoa.sending.members import add_member, import_csv, iter_members, suppress
from csoa.sending.sender import SendConfig, dry_run, freeze, send_issue
from csoa.sending.ses import SesClient, make_sesv2

PACKAGE = ROOT / "plugins" / "csoa"
ISSUE = "july-2019"
REGIONS = {"asia": "Asia", "west_africa": "West Africa"}
SENDER = "CSO Alliance <newsletter@csoalliance.com>"


def _edition(segment: str) -> Edition:
    """A minimal edition per segment (the send's rendering is tested elsewhere): the unsubscribe link
    placeholder once in each part, as the message builder requires."""
    return Edition(f"Issue [{segment}]", f"<p>{segment}</p><a href='{PLACEHOLDER}'>Unsubscribe</a>",
                   f"{segment}\nUnsubscribe: {PLACEHOLDER}")


def _config(tmp_path, **kw) -> SendConfig:
    return SendConfig(sender=SENDER, list_id="CSO Alliance newsletter <newsletter.csoalliance.com>",
                      reports_dir=tmp_path / "reports", progress=False, quota_override=(1e6, 500.0), **kw)


class RecordingClient(SesClient):
    """The real client (boto3 to moto's server), noting every recipient object the sender hands it."""

    def __init__(self, sesv2):
        super().__init__(sesv2=sesv2)
        self.recipients: list = []

    def send(self, sender, recipient, content, list_management, tags):
        self.recipients.append(recipient)
        return super().send(sender, recipient, content, list_management, tags)


def test_the_member_read_from_the_csv_is_the_record_the_store_the_ledger_and_the_sender_use(tmp_path, monkeypatch):
    csv_file = tmp_path / "members.csv"
    csv_file.write_text("email,name,organisation,regions,status\n"
                        "ann@example.org,Ann,Acme,asia,subscribed\n"
                        "bob@EXAMPLE.org,Bob,,west_africa asia,\n"
                        "cy@example.org,Cy,,,unsubscribed\n", encoding="utf-8")
    parsed = read_csv(csv_file.read_text(encoding="utf-8"), REGIONS).members
    conn = db.connect(settings_env(monkeypatch, tmp_path))
    assert import_csv(conn, csv_file, REGIONS).imported
    stored = list(iter_members(conn))
    assert [type(m) for m in parsed + stored] == [Member] * 6
    assert [(m.email, m.regions, m.status, m.token) for m in parsed] == [
        ("ann@example.org", ("asia",), "subscribed", ""), ("bob@example.org", ("west_africa", "asia"), "subscribed", ""),
        ("cy@example.org", (), "unsubscribed", "")]
    assert [m.email for m in stored] == [m.email for m in parsed] and all(len(m.token) >= 16 for m in stored)
    with pytest.raises(AttributeError):
        stored[0].status = "unsubscribed"  # frozen: a change is a new record (dataclasses.replace)
    with moto_ses(monkeypatch, regions=tuple(REGIONS)):
        client = RecordingClient(make_sesv2())
        report = send_issue(conn, ISSUE, "Issue", ["asia"], _edition, client, _config(tmp_path))
    assert report.sent == 2
    assert all(type(m) is Member for m in client.recipients)
    tokens = {m.email: m.token for m in stored}
    assert sorted((m.email, m.token, m.regions) for m in client.recipients) == [
        ("ann@example.org", tokens["ann@example.org"], ("asia",)),
        ("bob@example.org", tokens["bob@example.org"], ("asia",))]  # the regions this issue has, as frozen


def _audience(conn):
    """Members of every kind the rule must tell apart."""
    add_member(conn, "ok@example.org", regions=("asia",))
    add_member(conn, "plain@example.org")
    add_member(conn, "gone@example.org", status="unsubscribed")
    add_member(conn, "bounced@example.org")
    suppress(conn, "BOUNCED@example.org", "hard-bounce")
    add_member(conn, "müller@example.org")  # a legacy row from before the address rules


def test_one_rule_refuses_unsubscribed_suppressed_and_undeliverable_members(tmp_path):
    suppressions = {"bounced@example.org": "complaint"}
    assert ledger.refusal(Member("a@example.org", status="unsubscribed"), {}) == "unsubscribed"
    assert ledger.refusal(Member("Bounced@example.org"), suppressions) == "suppressed: complaint"
    assert ledger.refusal(Member("müller@example.org"), {}).startswith("invalid: non-ASCII local part")
    assert ledger.refusal(Member("ok@example.org"), suppressions) is None
    conn = db.connect(tmp_path / "n.sqlite3")
    _audience(conn)
    config = _config(tmp_path)
    before = dry_run(conn, ISSUE, ["asia"], _edition, config, tmp_path / "outbox-before")
    assert freeze(conn, ISSUE, "Issue", ["asia"]) == {"pending": 2, "skipped": 3}
    reasons = dict(conn.execute("SELECT email, reason FROM ledger WHERE state='skipped'").fetchall())
    assert reasons == {"gone@example.org": "unsubscribed", "bounced@example.org": "suppressed: hard-bounce",
                       "müller@example.org": "invalid: non-ASCII local part (SES has no SMTPUTF8)"}
    add_member(conn, "late@example.org")  # joined after the freeze: no send of this issue reaches them
    after = dry_run(conn, ISSUE, ["asia"], _edition, config, tmp_path / "outbox-after")
    names = [sorted(p.name for p in (tmp_path / f"outbox-{when}" / ISSUE).iterdir()) for when in ("before", "after")]
    assert before.sent == after.sent == 2 and names[0] == names[1]  # the dry run previews what the freeze froze


def _sql_users(conn, seen: dict[str, set[str]]) -> None:
    """Note, for each table a statement touches, the module whose code prepared it."""
    touching = {sqlite3.SQLITE_READ, sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}

    def authorizer(action, table, _column, _db, _trigger):
        if action in touching and table:
            frame = sys._getframe(1)  # the Python code that called execute(): no frame in between
            seen.setdefault(table, set()).add(frame.f_globals.get("__name__", "?"))
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)


def test_only_the_ledger_runs_sql_on_its_tables_and_only_the_store_on_the_members(tmp_path, monkeypatch):
    """Every statement of a send with rejections and timeouts, a retry and a resend, and a dry run,
    is traced to the module that prepared it."""
    conn = db.connect(settings_env(monkeypatch, tmp_path))
    seen: dict[str, set[str]] = {}
    _sql_users(conn, seen)
    _audience(conn)
    for i in range(20):
        add_member(conn, f"crew{i}@example.org", regions=("asia",) if i % 2 else ())
    with moto_ses(monkeypatch, regions=tuple(REGIONS)) as url:
        faulty = FaultySES(make_sesv2(), reject={"crew3@example.org"}, timeout_after=0.2, seed=3)
        first = send_issue(conn, ISSUE, "Issue", ["asia"], _edition, SesClient(sesv2=faulty), _config(tmp_path))
        again = send_issue(conn, ISSUE, "Issue", ["asia"], _edition, SesClient(sesv2=make_sesv2()),
                           _config(tmp_path, retry_failed=True, resend_uncertain=True))
        dry_run(conn, ISSUE, ["asia"], _edition, _config(tmp_path), tmp_path / "outbox")
        counts = per_recipient(received(url))
    assert first.failed == 1 and first.uncertain > 0 and again.sent == 1 + first.uncertain
    assert ledger.counts(conn, ISSUE) == {"sent": 22, "skipped": 3} and len(counts) == 22
    assert seen["ledger"] == seen["issues"] == {"csoa.sending.ledger"}
    assert seen["members"] == seen["suppressions"] == {"csoa.sending.members"}


SQL_ON = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN|TABLE(?: IF NOT EXISTS)?)\s+(\w+)\b")


def test_no_source_but_the_owner_names_a_table_in_sql():
    owners = {"ledger": "sending/ledger.py", "issues": "sending/ledger.py", "members": "sending/members.py",
              "suppressions": "sending/members.py", "soft_bounces": "sending/feedback.py",
              "feedback_seen": "sending/feedback.py"}
    strays = [(str(path.relative_to(PACKAGE)), table) for path in sorted(PACKAGE.rglob("*.py"))
              for table in SQL_ON.findall(path.read_text(encoding="utf-8"))
              if table in owners and str(path.relative_to(PACKAGE)) != owners[table]]
    assert strays == []


def test_the_build_never_loads_the_sender():
    """Sending depends on email (it sends the messages email builds), never the reverse (the layers
    contract in pyproject.toml): so the Pelican plugin that writes a sent issue's archive loads the
    record of the sent issue, not the sender and boto3."""
    probe = ("import sys, csoa.plugins.newsletter; "
             "print(sorted(m for m in ('boto3', 'csoa.sending.sender', 'csoa.sending.ses') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
