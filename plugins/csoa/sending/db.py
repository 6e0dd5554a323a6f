"""The newsletter's SQLite database: members, suppressions and the send ledger live in one file.

The file is outside content/ and output/ (setting and env var NEWSLETTER_DB, default
var/newsletter.sqlite3, git-ignored). WAL with synchronous=NORMAL: every commit survives a crash
or SIGKILL of the process (the guarantee the ledger needs); only a power loss can drop the last
commits (see the README).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

DEFAULT_DB = "var/newsletter.sqlite3"

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
CREATE TABLE IF NOT EXISTS soft_bounces (
    email TEXT NOT NULL COLLATE NOCASE,
    at TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    PRIMARY KEY (email, feedback_id)
);
CREATE TABLE IF NOT EXISTS feedback_seen (feedback_id TEXT PRIMARY KEY);
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


def db_path(settings: dict | None = None) -> Path:
    """NEWSLETTER_DB from the environment, then the settings, then the default."""
    value = os.environ.get("NEWSLETTER_DB") or (settings or {}).get("NEWSLETTER_DB") or DEFAULT_DB
    return Path(value)


def connect(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # explicit BEGIN/COMMIT
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn
