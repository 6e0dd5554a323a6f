"""One publish at a time per bucket and prefix: a lock object taken with S3's conditional write.

``PutObject`` with ``If-None-Match: *`` succeeds for exactly one writer, so two publishes (two
editors, a merge and the daily run) can never both hold ``<prefix>.publish-lock.json``. The lock
is a lease: it names its holder and an expiry, so a publish that was killed blocks the next ones
only until then (``--break-lock`` takes it over at once, for an editor who knows it is dead).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from botocore.exceptions import ClientError

LOCK_NAME = ".publish-lock.json"
DEFAULT_LEASE = timedelta(hours=1)


class BucketLocked(Exception):
    """Another publish holds the bucket."""


def lock_key(prefix: str) -> str:
    return prefix + LOCK_NAME


def _holder() -> str:
    run = os.environ.get("GITHUB_RUN_ID")
    return f"{socket.gethostname()} pid {os.getpid()}" + (f" (CI run {run})" if run else "")


@dataclass
class BucketLock:
    s3: object
    bucket: str
    prefix: str
    lease: timedelta = DEFAULT_LEASE
    break_lock: bool = False
    now: object = None  # a clock for tests: () -> aware datetime
    etag: str | None = None

    def _now(self) -> datetime:
        return self.now() if self.now else datetime.now(timezone.utc)

    def _put(self) -> bool:
        started = self._now()
        body = json.dumps({"holder": _holder(), "started": started.isoformat(timespec="seconds"),
                           "expires": (started + self.lease).isoformat(timespec="seconds")}).encode()
        try:
            answer = self.s3.put_object(Bucket=self.bucket, Key=lock_key(self.prefix), Body=body, IfNoneMatch="*",
                                        ContentType="application/json", CacheControl="no-store")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
                return False
            raise
        self.etag = answer["ETag"]
        return True

    def _current(self) -> tuple[dict, str] | None:
        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=lock_key(self.prefix))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        try:
            held = json.loads(answer["Body"].read())
        except ValueError:
            held = {}
        return held, answer["ETag"]

    def acquire(self) -> "BucketLock":
        if self._put():
            return self
        current = self._current()
        if current is None:  # released between our put and our read
            if self._put():
                return self
            current = self._current() or ({}, "")
        held, etag = current
        expires = held.get("expires", "")
        try:
            expired = datetime.fromisoformat(expires) <= self._now()
        except ValueError:
            expired = True  # an unreadable lock protects nothing
        if not (expired or self.break_lock):
            raise BucketLocked(f"another publish holds s3://{self.bucket}/{lock_key(self.prefix)}: "
                               f"{held.get('holder', '?')}, since {held.get('started', '?')}, until {expires}. "
                               "Wait for it; if it is dead, its lease ends then, or run with --break-lock.")
        self.s3.delete_object(Bucket=self.bucket, Key=lock_key(self.prefix), IfMatch=etag)
        if not self._put():
            raise BucketLocked(f"another publish took s3://{self.bucket}/{lock_key(self.prefix)} at the same moment")
        return self

    def release(self) -> None:
        """Remove the lock if it is still ours (a lock broken by someone else is theirs now)."""
        if self.etag is None:
            return
        try:
            self.s3.delete_object(Bucket=self.bucket, Key=lock_key(self.prefix), IfMatch=self.etag)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("PreconditionFailed", "NoSuchKey", "404"):
                raise
        self.etag = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
