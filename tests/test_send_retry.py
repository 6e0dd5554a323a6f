"""A rejection storm pauses the run; the editor fixes the cause and retries the failed rows deliberately.
The report names the rows never tried by their hash (never by address)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from newsletter_site import build_fixture_site, moto_ses, per_recipient, received, settings_env
from sites import ROOT
from test_send import SLUG, FaultySES, _members, _send

from csoa.sending import db, ledger
from csoa.sending.runreport import recipient_hash
from csoa.sending.ses import make_sesv2

N = 200


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("site"))


def test_a_rejection_storm_can_be_retried_once_fixed_and_the_untried_are_reported(site, tmp_path, monkeypatch):
    database = settings_env(monkeypatch, tmp_path)
    storm = {f"member{i}@example.org" for i in range(40)}  # e.g. a sender identity SES refused for a while
    with moto_ses(monkeypatch) as url:
        conn = db.connect(database)
        _members(conn, N)
        paused, conn, _ = _send(site, sesv2=FaultySES(make_sesv2(), reject=storm), workers=2)
        failed = {r["email"] for r in ledger.rows_in(conn, SLUG, "failed")}
        pending = {r["email"] for r in ledger.rows_in(conn, SLUG, "pending")}
        resumed, conn, _ = _send(site)  # the cause is fixed, but a plain resume leaves the failed rows alone
        still_failed = ledger.counts(conn, SLUG)["failed"]
        env = {**os.environ, "NEWSLETTER_DB": str(database), "NEWSLETTER_REPORTS": str(tmp_path / "var" / "reports")}
        retry = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "newsletter-send", SLUG,
                                "--output", str(site), "--retry-failed"], env=env, cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
        counts = per_recipient(received(url))
    assert paused.paused and "rejections in a row" in paused.paused
    assert 25 <= len(failed) <= 27 and failed <= storm  # the 25 plus those in flight
    assert len(failed) + len(pending) == N
    assert paused.never_tried == len(pending) and paused.pending_tried_before == 0
    assert sorted(paused.never_tried_recipients) == sorted(recipient_hash(e) for e in pending)
    written = open(paused.report_path).read()
    assert "@example.org" not in written and json.loads(written)["never_tried"] == len(pending)
    assert f"pending: {len(pending)} never tried" in paused.summary()
    assert "--retry-failed" in paused.summary()
    assert resumed.sent == len(pending) and still_failed == len(failed)
    assert resumed.never_tried == 0 and resumed.never_tried_recipients == []
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert f"sent {len(failed)}, failed 0, uncertain 0" in retry.stdout
    assert f"{len(failed)} failed rows were retried (--retry-failed)" in retry.stdout
    assert "@example.org" not in retry.stdout + retry.stderr
    conn = db.connect(database)
    assert ledger.counts(conn, SLUG) == {"sent": N}
    assert counts == {f"member{i}@example.org": 1 for i in range(N)}  # nobody twice, nobody forgotten


def test_retrying_failed_rows_never_touches_sent_or_uncertain_ones(site, tmp_path, monkeypatch):
    """Only rows SES rejected (certainly not delivered) are requeued: an uncertain row may have been
    delivered, so it stays for --resend-uncertain, and a sent row is never sent again."""
    database = settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch) as url:
        conn = db.connect(database)
        _members(conn, 6)
        rejected = {"member1@example.org", "member4@example.org"}
        first, conn, _ = _send(site, sesv2=FaultySES(make_sesv2(), reject=rejected, timeout_after=0.0))
        conn.execute("UPDATE ledger SET state='uncertain' WHERE email='member2@example.org'")
        again, conn, _ = _send(site, retry_failed=True)
        counts = per_recipient(received(url))
    assert first.failed == 2 and again.requeued_failed == 2 and again.sent == 2
    states = dict(conn.execute("SELECT email, state FROM ledger").fetchall())
    assert states["member2@example.org"] == "uncertain"
    assert counts == {f"member{i}@example.org": 1 for i in range(6)}
