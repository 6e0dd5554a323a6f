"""Crash safety: SIGKILL `invoke newsletter-send` at random points of a 2,000-recipient send, resume
each time; everybody gets exactly one message except in-flight ones, reported uncertain; nobody missing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest
from newsletter_site import build_fixture_site, moto_ses, per_recipient, received
from sites import ROOT

from csoa.sending import db
from csoa.sending.members import add_member

N = 2000
SLUG = "july-2019"


def _done(path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM ledger WHERE state IN ('sent','uncertain','failed')").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_doubles_nobody(tmp_path, monkeypatch):
    site = build_fixture_site(tmp_path / "site")
    database = tmp_path / "var" / "newsletter.sqlite3"
    rng = random.Random(20190708)
    with moto_ses(monkeypatch, quota="1000000:250") as url:
        conn = db.connect(database)
        for i in range(N):
            add_member(conn, f"crew{i}@example.org", regions=("asia",) if i % 4 == 0 else ())
        conn.close()
        env = {**os.environ, "NEWSLETTER_DB": str(database), "NEWSLETTER_REPORTS": str(tmp_path / "reports")}
        command = [str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "newsletter-send", SLUG,
                   "--output", str(site), "--rate", "250"]
        kills, runs, final = 0, 0, None
        while runs < 80:
            runs += 1
            proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            target = _done(database) + rng.randint(20, 180)
            started = time.monotonic()
            early = rng.random() < 0.15  # sometimes kill during start-up or the freeze
            while proc.poll() is None:
                if (early and time.monotonic() - started > rng.uniform(0.3, 1.2)) or (not early and _done(database) >= target):
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                    break
                time.sleep(0.003)
            output = proc.communicate()[0].decode()
            if proc.returncode == 0:
                final = output
                break
        counts = per_recipient(received(url))
    conn = sqlite3.connect(database)
    states = dict(conn.execute("SELECT email, state FROM ledger WHERE issue=?", (SLUG,)).fetchall())
    assert final is not None, "the send never finished"
    assert kills >= 10
    members = {f"crew{i}@example.org" for i in range(N)}
    assert set(states) == members  # nobody forgotten
    assert set(states.values()) <= {"sent", "uncertain"}
    uncertain = {e for e, s in states.items() if s == "uncertain"}
    assert max(counts.values()) == 1  # nobody doubled
    assert set(counts) <= members
    assert all(counts.get(e) == 1 for e, s in states.items() if s == "sent")
    missing = members - set(counts)
    assert missing <= uncertain  # whoever got nothing is reported uncertain
    assert len(uncertain) <= kills * 32  # at most the in-flight rows of each killed run
    assert f"uncertain {len(uncertain)}" in final
    reasons = conn.execute("SELECT reason, COUNT(*) FROM ledger WHERE state='uncertain' GROUP BY reason").fetchall()
    print(f"kills={kills} runs={runs} uncertain={len(uncertain)} (received {len(uncertain - missing)} of them) {reasons}")
