"""One owner per issue: a run holds an OS lock (flock) on a file beside the database while it sends.

The kernel releases the lock when the owner's process ends, however it ends (exit, crash, SIGKILL),
so "the lock is free" means with certainty that no live run owns the issue: only then may 'sending'
rows be treated as interrupted. A PID check could not tell (PIDs are reused). The PID and start time
written into the file only make the refusal message useful; they decide nothing. The file is never
deleted (deleting a lock file races with a run that has just opened it). flock needs a local file
system: keep NEWSLETTER_DB off NFS.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path


class IssueBusy(Exception):
    """Another live run owns this issue."""


def lock_path(db_file: Path, issue: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", issue)
    return db_file.with_name(f"{db_file.name}.send-{safe}.lock")


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The main database's file, or None for an in-memory one (no other process can see it)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


class IssueOwnership:
    """``with IssueOwnership(conn, issue):`` holds the issue for this run or raises IssueBusy at once."""

    def __init__(self, conn: sqlite3.Connection, issue: str):
        db_file = database_file(conn)
        self.path = lock_path(db_file, issue) if db_file else None
        self.issue = issue
        self._fd: int | None = None

    def __enter__(self) -> "IssueOwnership":
        if self.path is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by child processes
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise IssueBusy(f"issue {self.issue} is being sent by another run ({holder}); nothing was done. "
                            "Wait for it to finish, or stop it, then run the command again "
                            f"(lock: {self.path})") from None
        os.ftruncate(fd, 0)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()}, started {stamp}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor releases the lock
            self._fd = None
