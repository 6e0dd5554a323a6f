"""The member store: CSV import with row-by-row validation, listing, unsubscribes and suppressions."""

from __future__ import annotations

import csv
import io
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from csoa.sending.addresses import address_problem, normalise

COLUMNS = ("email", "name", "organisation", "regions", "status")
STATUSES = ("subscribed", "unsubscribed")


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header line, so the first member is row 2 (as a spreadsheet shows it)
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


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


@dataclass(frozen=True)
class Member:
    email: str
    name: str
    organisation: str
    regions: tuple[str, ...]
    status: str
    token: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_csv(text: str, regions: dict | list, file: str = "members.csv") -> tuple[list[dict], ImportReport]:
    """Validate every row; return the good rows and a report naming each bad row, field and problem."""
    report = ImportReport(file=file)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("email",) if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        what = []
        if missing:
            what.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            what.append(f"unknown column(s) {', '.join(unknown)}")
        report.errors.append(RowError(1, "header", "; ".join(what) + f" (expected {', '.join(COLUMNS)})"))
        return [], report
    reader.fieldnames = header
    good: list[dict] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        report.rows += 1
        if None in raw:
            report.errors.append(RowError(number, "row", f"more fields than the {len(header)} columns"))
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        problems = []
        email = row.get("email", "")
        problem = address_problem(email)
        if problem:
            problems.append(RowError(number, "email", f"{problem} (expected a deliverable address)"))
        else:
            key = normalise(email).lower()
            if key in seen:
                problems.append(RowError(number, "email", f"duplicate of row {seen[key]}"))
            else:
                seen[key] = number
            email = normalise(email)
        chosen = [r for r in row.get("regions", "").replace(";", " ").replace(",", " ").split() if r]
        bad_regions = [r for r in chosen if r not in regions]
        if bad_regions:
            problems.append(RowError(number, "regions", f"unknown {', '.join(bad_regions)} (expected some of {', '.join(regions)})"))
        status = row.get("status", "") or "subscribed"
        if status not in STATUSES:
            problems.append(RowError(number, "status", f"{status!r} (expected {' or '.join(STATUSES)})"))
        if problems:
            report.errors.extend(problems)
            continue
        good.append({
            "email": email,
            "name": row.get("name", ""),
            "organisation": row.get("organisation", ""),
            "regions": " ".join(dict.fromkeys(chosen)),
            "status": status,
        })
    return good, report


def import_csv(conn: sqlite3.Connection, path: str | Path, regions, skip_invalid: bool = False) -> ImportReport:
    """Import members from a CSV file. With bad rows nothing is imported unless ``skip_invalid``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        report = ImportReport(file=str(path))
        report.errors.append(RowError(0, "file", f"not UTF-8 ({exc.reason} at byte {exc.start})"))
        return report
    rows, report = parse_csv(text, regions, file=str(path))
    if report.errors and (not skip_invalid or any(e.field == "header" for e in report.errors)):
        return report
    now = _now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for row in rows:
            existing = conn.execute("SELECT 1 FROM members WHERE email = ?", (row["email"],)).fetchone()
            if existing:
                conn.execute(
                    "UPDATE members SET name=?, organisation=?, regions=?, status=?, updated=? WHERE email=?",
                    (row["name"], row["organisation"], row["regions"], row["status"], now, row["email"]),
                )
                report.updated += 1
            else:
                conn.execute(
                    "INSERT INTO members (email, name, organisation, regions, status, token, updated) VALUES (?,?,?,?,?,?,?)",
                    (row["email"], row["name"], row["organisation"], row["regions"], row["status"], secrets.token_urlsafe(16), now),
                )
                report.added += 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    report.imported = True
    return report


def add_member(conn, email, name="", organisation="", regions=(), status="subscribed") -> None:
    """Insert one member as given (no validation: for data that arrived before the rules did)."""
    conn.execute(
        "INSERT OR REPLACE INTO members (email, name, organisation, regions, status, token, updated) VALUES (?,?,?,?,?,?,?)",
        (email, name, organisation, " ".join(regions), status, secrets.token_urlsafe(16), _now()),
    )


def iter_members(conn):
    for row in conn.execute("SELECT * FROM members ORDER BY rowid"):
        yield Member(row["email"], row["name"], row["organisation"], tuple(row["regions"].split()), row["status"], row["token"])


def set_unsubscribed(conn, emails) -> int:
    n = 0
    for email in emails:
        n += conn.execute(
            "UPDATE members SET status='unsubscribed', updated=? WHERE email=? AND status!='unsubscribed'", (_now(), email)
        ).rowcount
    return n


def suppressed(conn) -> dict[str, str]:
    return {row["email"].lower(): row["reason"] for row in conn.execute("SELECT email, reason FROM suppressions")}


def suppress(conn, email: str, reason: str, at: str | None = None) -> bool:
    return conn.execute(
        "INSERT OR IGNORE INTO suppressions (email, reason, at) VALUES (?,?,?)", (email, reason, at or _now())
    ).rowcount == 1
