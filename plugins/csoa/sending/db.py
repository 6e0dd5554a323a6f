"""The newsletter's SQLite database: members, suppressions, feedback and the send ledger live in one file.

The file is outside content/ and output/ (setting and env var NEWSLETTER_DB, default
var/newsletter.sqlite3, git-ignored). WAL with synchronous=NORMAL: every commit survives a crash
or SIGKILL of the process (the guarantee the ledger needs); only a power loss can drop the last
commits (see the README).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from csoa.sending import feedback, ledger, members

DEFAULT_DB = "var/newsletter.sqlite3"

# Each table's owner declares it: the member store, the ledger, the feedback reader.
SCHEMA = members.SCHEMA + ledger.SCHEMA + feedback.SCHEMA


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
