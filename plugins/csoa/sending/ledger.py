"""The send ledger: one row per (issue, recipient), frozen before the first API call.

States: pending -> sending (committed before the call) -> sent (+ MessageId) | failed (rejected
address) | uncertain (timeout, 5xx, or found 'sending' after a crash: SES may or may not have it).
Rows that must not be sent are 'skipped' with a reason. Only 'pending' rows are ever claimed,
so a row is handed to SES at most once unless an operator asks to resend the uncertain ones
(which may duplicate) or to retry the failed ones (SES rejected those: nothing was delivered).

This module owns the ``issues`` and ``ledger`` tables: no other module runs SQL on them. It also
holds the one rule for who may be sent to (``refusal``), which the freeze and the dry run share.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from csoa.model.member import Member, address_problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS issues (
    issue TEXT PRIMARY KEY,
    frozen_at TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY,
    issue TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    segment TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,          -- pending | skipped | sending | sent | uncertain | failed
    reason TEXT NOT NULL DEFAULT '',
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL,
    UNIQUE (issue, email)
);
CREATE INDEX IF NOT EXISTS ledger_state ON ledger (issue, state);
"""

STATES = ("pending", "skipped", "sending", "sent", "uncertain", "failed")
FREEZE_BATCH = 5000  # rows written per executemany while freezing: the audience is never held whole


class Claim(NamedTuple):
    """A row claimed for sending: its id, the member as the ledger froze them, and their edition."""

    id: int
    member: Member
    segment: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def refusal(member: Member, suppressions: Mapping[str, str]) -> str | None:
    """Why ``member`` may not be sent to (the reason of a 'skipped' row), or None when they may.

    ``suppressions`` maps member keys (lower-case addresses) to the reason they were suppressed."""
    if not member.subscribed:
        return "unsubscribed"
    if member.key in suppressions:
        return f"suppressed: {suppressions[member.key]}"
    problem = address_problem(member.email)
    return f"invalid: {problem}" if problem else None


def _frozen(email: str, token: str, segment: str) -> Member:
    """The member as a row holds them: address, token and, as regions, the segment they get."""
    return Member(email, regions=tuple(segment.split()), token=token)


def is_frozen(conn: sqlite3.Connection, issue: str) -> bool:
    return conn.execute("SELECT 1 FROM issues WHERE issue = ?", (issue,)).fetchone() is not None


def freeze_audience(conn, issue: str, subject: str, members: Iterable[Member], suppressions: Mapping[str, str],
                    segment_of: Callable[[Member], str]) -> Counter:
    """Write the whole audience into the ledger in one transaction (only the first time).

    ``members`` may be a lazy iterator (it is read once, in batches); ``segment_of(member)`` names
    the rendered edition the member gets. Returns counts per state."""
    if is_frozen(conn, issue):
        return counts(conn, issue)
    now = _now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = []
        for member in members:
            reason = refusal(member, suppressions)
            rows.append((issue, member.email, segment_of(member), member.token,
                         "pending" if reason is None else "skipped", reason or "", now))
            if len(rows) >= FREEZE_BATCH:
                _insert(conn, rows)
                rows.clear()
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


def preview(conn, issue: str, members: Iterable[Member], suppressions: Mapping[str, str],
            segment_of: Callable[[Member], str]) -> Iterator[tuple[Member, str]]:
    """Who a send would hand to SES now, with their edition, changing nothing: the pending rows of
    a frozen issue, else every member the rule lets through."""
    if is_frozen(conn, issue):
        for email, token, segment in conn.execute(
                "SELECT email, token, segment FROM ledger WHERE issue=? AND state='pending' ORDER BY id", (issue,)):
            yield _frozen(email, token, segment), segment
        return
    for member in members:
        if refusal(member, suppressions) is None:
            yield member, segment_of(member)


def counts(conn, issue: str) -> Counter:
    return Counter({row[0]: row[1] for row in conn.execute(
        "SELECT state, COUNT(*) FROM ledger WHERE issue = ? GROUP BY state", (issue,))})


def pending_segments(conn, issue: str) -> list[str]:
    """The editions the pending rows need (rendered before the first call)."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT segment FROM ledger WHERE issue=? AND state='pending' ORDER BY segment", (issue,))]


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


def never_tried(conn, issue: str) -> Iterator[str]:
    """Addresses of pending rows never handed to SES by any run (for hashing into the report)."""
    for (email,) in conn.execute(
            "SELECT email FROM ledger WHERE issue=? AND state='pending' AND attempts=0 ORDER BY id", (issue,)):
        yield email


def pending_ids(conn, issue: str, limit: int | None = None) -> list[int]:
    sql = "SELECT id FROM ledger WHERE issue=? AND state='pending' ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in conn.execute(sql, (issue,))]


def claim(conn, ids: list[int]) -> list[Claim]:
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
    return [Claim(row_id, _frozen(email, token, segment), segment) for row_id, email, segment, token in conn.execute(
        f"SELECT id, email, segment, token FROM ledger WHERE id IN ({marks}) ORDER BY id", claimed)]


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
