"""One owner per issue: two real `invoke newsletter-send` processes against moto's SES over HTTP.

A fault proxy adds latency to each SendEmail so that the live run always has rows 'sending' when
the second run starts: on the old code the second run's recovery turned exactly those into
'uncertain' and the live run's outcomes were lost.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import pytest
from newsletter_site import build_fixture_site, moto_ses, per_recipient, received
from ses_fault_proxy import FaultProxy
from sites import ROOT

from csoa.sending import db
from csoa.sending.members import add_member

SLUG = "july-2019"
N = 240


def _states(path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return dict(conn.execute("SELECT state, COUNT(*) FROM ledger WHERE issue=? GROUP BY state", (SLUG,)).fetchall())
    except sqlite3.OperationalError:  # not created yet
        return {}
    finally:
        conn.close()


def _wait_until_sending(proc, database, at_least_done: int) -> dict[str, int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0].decode()
        states = _states(database)
        if states.get("sending", 0) >= 2 and sum(states.get(s, 0) for s in ("sent", "uncertain")) >= at_least_done:
            return states
        time.sleep(0.01)
    raise AssertionError(f"the first run never got going: {_states(database)}")


@pytest.fixture
def two_runs(tmp_path, monkeypatch):
    """A fixture site, N members, moto behind a proxy with 0.3 s latency; yields (command, env, db, moto url)."""
    site = build_fixture_site(tmp_path / "site")
    database = tmp_path / "var" / "newsletter.sqlite3"
    with moto_ses(monkeypatch, quota="1000000:250") as moto_url, FaultProxy(moto_url, latency=0.3) as proxy_url:
        conn = db.connect(database)
        for i in range(N):
            add_member(conn, f"crew{i}@example.org")
        conn.close()
        env = {**os.environ, "NEWSLETTER_DB": str(database), "NEWSLETTER_REPORTS": str(tmp_path / "reports"),
               "AWS_ENDPOINT_URL": proxy_url}
        command = [str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "newsletter-send", SLUG,
                   "--output", str(site), "--rate", "40"]
        yield command, env, database, moto_url, tmp_path


def test_a_second_run_is_refused_while_the_owner_lives_and_touches_nothing(two_runs):
    command, env, database, moto_url, cwd = two_runs
    first = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        before = _wait_until_sending(first, database, at_least_done=10)
        second = subprocess.run(command + ["--resend-uncertain"], env=env, cwd=cwd, capture_output=True, text=True,
                                timeout=120)
        assert first.poll() is None, "the first run ended before the second was refused: the test proves nothing"
        during = _states(database)
        out = first.communicate(timeout=120)[0].decode()
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 1, second.stdout + second.stderr
    assert f"refused: issue {SLUG} is being sent by another run (pid {first.pid}, started " in second.stdout
    assert "nothing was done" in second.stdout and "@" not in second.stdout
    assert before.get("uncertain", 0) == during.get("uncertain", 0) == 0  # the live rows were left alone
    assert first.returncode == 0, out
    assert f"sent {N}, failed 0, uncertain 0" in out and "interrupted" not in out
    assert _states(database) == {"sent": N}
    counts = per_recipient(received(moto_url))
    assert counts == {f"crew{i}@example.org": 1 for i in range(N)}


def test_a_killed_owner_is_told_apart_and_recovered_by_the_next_run(two_runs):
    command, env, database, moto_url, cwd = two_runs
    first = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _wait_until_sending(first, database, at_least_done=20)
    first.send_signal(signal.SIGKILL)
    first.wait()
    interrupted = _states(database)["sending"]
    assert interrupted >= 2
    second = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{interrupted} rows were interrupted by a previous crash: now uncertain" in second.stdout
    conn = sqlite3.connect(database)
    states = dict(conn.execute("SELECT email, state FROM ledger WHERE issue=?", (SLUG,)).fetchall())
    conn.close()
    members = {f"crew{i}@example.org" for i in range(N)}
    assert set(states) == members and set(states.values()) <= {"sent", "uncertain"}
    uncertain = {e for e, s in states.items() if s == "uncertain"}
    assert len(uncertain) == interrupted
    counts = per_recipient(received(moto_url))
    assert max(counts.values()) == 1 and set(counts) <= members
    assert all(counts.get(e) == 1 for e, s in states.items() if s == "sent")
    assert members - set(counts) <= uncertain  # whoever got nothing is reported uncertain


def test_the_lock_is_the_kernel_s_not_a_pid_file(tmp_path):
    """Two holders in one process conflict too (flock is per open file); leaving the block releases it;
    the lock file names the holder's pid for the message but never an address."""
    from csoa.sending.owner import IssueBusy, IssueOwnership

    database = tmp_path / "var" / "newsletter.sqlite3"
    first, second = db.connect(database), db.connect(database)
    with IssueOwnership(first, SLUG) as held:
        with pytest.raises(IssueBusy, match=f"pid {os.getpid()}, started "):
            with IssueOwnership(second, SLUG):
                pass
        with IssueOwnership(second, "another-issue"):  # other issues are not held
            pass
    with IssueOwnership(second, SLUG):  # released on leaving the block
        pass
    assert held.path.parent == database.parent and "@" not in held.path.read_text()
    with IssueOwnership(sqlite3.connect(":memory:"), SLUG) as memory:  # no other process can see it
        assert memory.path is None
