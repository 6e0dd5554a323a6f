"""The member store: the ``members`` and ``suppressions`` tables, and the CSV import into them.

Every member goes in and comes out as a ``csoa.model.member.Member``; no other module runs SQL on
these tables. A member's token is issued here, when the store first saves them.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from csoa.model.member import Member, RowError, read_csv

SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    regions TEXT NOT NULL DEFAULT '',          -- space-separated region keys
    status TEXT NOT NULL DEFAULT 'subscribed', -- subscribed | unsubscribed
    token TEXT NOT NULL,                       -- random, for unsubscribe links; not the address
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS suppressions (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    reason TEXT NOT NULL,                      -- hard-bounce | complaint | soft-bounces
    at TEXT NOT NULL
);
"""


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    def summary(self) -> str:
        lines = [f"{self.file}: {self.rows} rows, {len(self.errors)} bad"]
        if self.imported:
            lines.append(f"imported: {self.added} added, {self.updated} updated")
        else:
            lines.append("nothing imported (fix the rows below, or pass --skip-invalid)")
        lines += [f"  {self.file}: {e}" for e in self.errors]
        return "\n".join(lines)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _transaction(conn, work) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        work()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def import_csv(conn: sqlite3.Connection, path: str | Path, regions, skip_invalid: bool = False) -> ImportReport:
    """Import members from a CSV file. With bad rows nothing is imported unless ``skip_invalid``."""
    path = Path(path)
    report = ImportReport(file=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        report.errors.append(RowError(0, "file", f"not UTF-8 ({exc.reason} at byte {exc.start})"))
        return report
    found = read_csv(text, regions)
    report.rows, report.errors = found.rows, found.errors
    if report.errors and (not skip_invalid or any(e.field == "header" for e in report.errors)):
        return report

    def save_all():
        for member in found.members:
            if _save(conn, member):
                report.added += 1
            else:
                report.updated += 1

    _transaction(conn, save_all)
    report.imported = True
    return report


def _save(conn, member: Member) -> bool:
    """Insert ``member`` with a new token, or update the one with that address (keeping its token);
    True when inserted."""
    now = _now()
    if conn.execute("UPDATE members SET name=?, organisation=?, regions=?, status=?, updated=? WHERE email=?",
                    (member.name, member.organisation, " ".join(member.regions), member.status, now,
                     member.email)).rowcount:
        return False
    _insert(conn, member, now)
    return True


def _insert(conn, member: Member, now: str, verb: str = "INSERT") -> None:
    conn.execute(f"{verb} INTO members (email, name, organisation, regions, status, token, updated) "
                 "VALUES (?,?,?,?,?,?,?)",
                 (member.email, member.name, member.organisation, " ".join(member.regions), member.status,
                  member.token or secrets.token_urlsafe(16), now))


def add_member(conn, email, name="", organisation="", regions=(), status="subscribed") -> Member:
    """Insert (or replace) one member as given, with a new token. No validation: for data that arrived
    before the rules did."""
    member = Member(email, name, organisation, tuple(regions), status, secrets.token_urlsafe(16))
    _insert(conn, member, _now(), verb="INSERT OR REPLACE")
    return member


def iter_members(conn) -> Iterator[Member]:
    """Every member in the order they were added, read lazily (the store is never held whole)."""
    for email, name, organisation, regions, status, token in conn.execute(
            "SELECT email, name, organisation, regions, status, token FROM members ORDER BY rowid"):
        yield Member(email, name, organisation, tuple(regions.split()), status, token)


def update_choices(conn, members: Iterable[Member]) -> None:
    """Store the status and regions of each given member (e.g. read back from SES), in one transaction."""
    def write():
        now = _now()
        conn.executemany("UPDATE members SET status=?, regions=?, updated=? WHERE email=?",
                         [(m.status, " ".join(m.regions), now, m.email) for m in members])

    _transaction(conn, write)


def suppressed(conn) -> dict[str, str]:
    """Member key (lower-case address) -> why it is suppressed. One entry per suppressed address."""
    return {email.lower(): reason for email, reason in conn.execute("SELECT email, reason FROM suppressions")}


def suppress(conn, email: str, reason: str, at: str | None = None) -> bool:
    return conn.execute(
        "INSERT OR IGNORE INTO suppressions (email, reason, at) VALUES (?,?,?)", (email, reason, at or _now())
    ).rowcount == 1
