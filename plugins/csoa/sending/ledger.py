"""The send ledger: one row per (issue, recipient), frozen before the first API call.

States: pending -> sending (committed before the call) -> sent (+ MessageId) | failed (rejected
address) | uncertain (timeout, 5xx, or found 'sending' after a crash: SES may or may not have it).
Rows that must not be sent are 'skipped' with a reason. Only 'pending' rows are ever claimed,
so a row is handed to SES at most once unless an operator asks to resend the uncertain ones
(which may duplicate) or to retry the failed ones (SES rejected those: nothing was delivered).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timezone

from csoa.sending.addresses import address_problem

STATES = ("pending", "skipped", "sending", "sent", "uncertain", "failed")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def is_frozen(conn: sqlite3.Connection, issue: str) -> bool:
    return conn.execute("SELECT 1 FROM issues WHERE issue = ?", (issue,)).fetchone() is not None


def freeze_audience(conn, issue: str, subject: str, members, suppressions: dict[str, str], segment_of) -> Counter:
    """Write the whole audience into the ledger in one transaction (only the first time).

    ``segment_of(member)`` names the rendered edition the member gets. Returns counts per state.
    """
    if is_frozen(conn, issue):
        return counts(conn, issue)
    now = _now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = []
        for m in members:
            if m.status != "subscribed":
                state, reason = "skipped", "unsubscribed"
            elif m.email.lower() in suppressions:
                state, reason = "skipped", f"suppressed: {suppressions[m.email.lower()]}"
            elif address_problem(m.email):
                state, reason = "skipped", f"invalid: {address_problem(m.email)}"
            else:
                state, reason = "pending", ""
            rows.append((issue, m.email, segment_of(m), m.token, state, reason, now))
            if len(rows) >= 5000:
                _insert(conn, rows)
                rows = []
        _insert(conn, rows)
        conn.execute("INSERT INTO issues (issue, frozen_at, subject) VALUES (?,?,?)", (issue, now, subject))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counts(conn, issue)


def _insert(conn, rows) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO ledger (issue, email, segment, token, state, reason, updated) VALUES (?,?,?,?,?,?,?)",
        rows,
    )


def counts(conn, issue: str) -> Counter:
    return Counter({row[0]: row[1] for row in conn.execute(
        "SELECT state, COUNT(*) FROM ledger WHERE issue = ? GROUP BY state", (issue,))})


def recover_interrupted(conn, issue: str) -> int:
    """Rows left 'sending' by a crashed run: SES may have accepted them, so they become uncertain.

    Only for the run that owns the issue (owner.IssueOwnership): then no live run has rows 'sending'."""
    return conn.execute(
        "UPDATE ledger SET state='uncertain', reason='interrupted while sending (process stopped)', updated=? "
        "WHERE issue=? AND state='sending'", (_now(), issue)).rowcount


def requeue_uncertain(conn, issue: str) -> int:
    return conn.execute(
        "UPDATE ledger SET state='pending', reason='resend requested', updated=? WHERE issue=? AND state='uncertain'",
        (_now(), issue)).rowcount


def requeue_failed(conn, issue: str) -> int:
    """Rows SES rejected (certainly not delivered) go back to pending: the editor asked to retry them."""
    return conn.execute(
        "UPDATE ledger SET state='pending', reason='retry of failed row requested', updated=? "
        "WHERE issue=? AND state='failed'", (_now(), issue)).rowcount


def never_tried(conn, issue: str) -> list[str]:
    """Addresses of pending rows never handed to SES by any run (for hashing into the report)."""
    return [row[0] for row in conn.execute(
        "SELECT email FROM ledger WHERE issue=? AND state='pending' AND attempts=0 ORDER BY id", (issue,))]


def pending_ids(conn, issue: str, limit: int | None = None) -> list[int]:
    sql = "SELECT id FROM ledger WHERE issue=? AND state='pending' ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in conn.execute(sql, (issue,))]


def claim(conn, ids: list[int]) -> list[sqlite3.Row]:
    """Mark rows 'sending' and COMMIT before any of them is handed to SES."""
    now = _now()
    conn.execute("BEGIN IMMEDIATE")
    claimed = []
    for row_id in ids:
        if conn.execute("UPDATE ledger SET state='sending', attempts=attempts+1, updated=? WHERE id=? AND state='pending'",
                        (now, row_id)).rowcount:
            claimed.append(row_id)
    conn.execute("COMMIT")
    if not claimed:
        return []
    marks = ",".join("?" * len(claimed))
    return conn.execute(f"SELECT id, email, segment, token FROM ledger WHERE id IN ({marks}) ORDER BY id", claimed).fetchall()


def record(conn, outcomes: list[tuple[int, str, str, str | None]]) -> None:
    """Commit outcomes ``(id, state, reason, message_id)`` of rows that were 'sending'."""
    if not outcomes:
        return
    now = _now()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "UPDATE ledger SET state=?, reason=?, message_id=?, updated=? WHERE id=? AND state='sending'",
        [(state, reason, message_id, now, row_id) for row_id, state, reason, message_id in outcomes],
    )
    conn.execute("COMMIT")


def release(conn, ids: list[int], reason: str) -> None:
    """Put claimed rows that were certainly NOT handed to SES back to pending (e.g. on a pause)."""
    if ids:
        now = _now()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE ledger SET state='pending', reason=?, updated=? WHERE id=? AND state='sending'",
                         [(reason, now, i) for i in ids])
        conn.execute("COMMIT")


def rows_in(conn, issue: str, state: str):
    return conn.execute("SELECT id, email, reason, message_id FROM ledger WHERE issue=? AND state=? ORDER BY id",
                        (issue, state)).fetchall()
