"""SES bounce and complaint notifications -> suppressions.

Hard bounces and complaints suppress at once; soft (transient) bounces after 3 within 30 days.
Accepts SNS-wrapped or raw SES notifications (identity notifications ``notificationType`` and
configuration-set event publishing ``eventType``). Each feedbackId is applied once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from csoa.sending.members import suppress

log = logging.getLogger(__name__)
SOFT_LIMIT = 3
SOFT_WINDOW = timedelta(days=30)


class BadNotification(ValueError):
    pass


@dataclass
class Event:
    kind: str  # hard | soft | complaint
    email: str
    at: str
    feedback_id: str


@dataclass
class FeedbackReport:
    read: int = 0
    ignored: int = 0  # deliveries, sends and other notification types
    duplicates: int = 0
    suppressed: dict = field(default_factory=lambda: {"hard-bounce": 0, "complaint": 0, "soft-bounces": 0})
    soft_recorded: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"read {self.read} notifications ({self.ignored} not bounces or complaints, {self.duplicates} already seen)",
                 "suppressed: " + ", ".join(f"{k} {v}" for k, v in self.suppressed.items()),
                 f"soft bounces recorded: {self.soft_recorded}"]
        return "\n".join(lines + [f"error: {e}" for e in self.errors])


def parse_notification(data) -> list[Event]:
    """The bounce/complaint events in one notification ([] for other types)."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise BadNotification(f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise BadNotification("expected a JSON object")
    if data.get("Type") == "Notification" and "Message" in data:  # SNS envelope
        return parse_notification(data["Message"])
    kind = data.get("notificationType") or data.get("eventType")
    if kind not in ("Bounce", "Complaint"):
        return []
    mail_ts = (data.get("mail") or {}).get("timestamp", "")
    if kind == "Bounce":
        bounce = data.get("bounce")
        if not isinstance(bounce, dict) or "bounceType" not in bounce or "bouncedRecipients" not in bounce:
            raise BadNotification("Bounce without bounce.bounceType / bounce.bouncedRecipients")
        severity = "hard" if bounce["bounceType"] == "Permanent" else "soft"
        at = bounce.get("timestamp") or mail_ts
        fid = bounce.get("feedbackId") or f"{at}"
        return [Event(severity, r["emailAddress"], at, fid) for r in bounce["bouncedRecipients"]]
    complaint = data.get("complaint")
    if not isinstance(complaint, dict) or "complainedRecipients" not in complaint:
        raise BadNotification("Complaint without complaint.complainedRecipients")
    at = complaint.get("timestamp") or mail_ts
    fid = complaint.get("feedbackId") or f"{at}"
    return [Event("complaint", r["emailAddress"], at, fid) for r in complaint["complainedRecipients"]]


def _address(value: str) -> str:
    from email.utils import parseaddr
    return parseaddr(value)[1] or value


def apply_events(conn, events: list[Event], report: FeedbackReport) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for e in events:
            email = _address(e.email)
            key = f"{e.feedback_id}|{email.lower()}"
            if conn.execute("INSERT OR IGNORE INTO feedback_seen (feedback_id) VALUES (?)", (key,)).rowcount == 0:
                report.duplicates += 1
                continue
            if e.kind == "hard":
                report.suppressed["hard-bounce"] += suppress(conn, email, "hard-bounce", e.at)
            elif e.kind == "complaint":
                report.suppressed["complaint"] += suppress(conn, email, "complaint", e.at)
            else:
                conn.execute("INSERT OR IGNORE INTO soft_bounces (email, at, feedback_id) VALUES (?,?,?)",
                             (email, e.at, e.feedback_id))
                report.soft_recorded += 1
                when = datetime.fromisoformat(e.at.replace("Z", "+00:00"))
                recent = [datetime.fromisoformat(r[0].replace("Z", "+00:00")) for r in
                          conn.execute("SELECT at FROM soft_bounces WHERE email = ?", (email,))]
                if sum(1 for t in recent if when - SOFT_WINDOW <= t <= when) >= SOFT_LIMIT:
                    report.suppressed["soft-bounces"] += suppress(conn, email, "soft-bounces", e.at)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _record(conn, events, report: FeedbackReport) -> None:
    """Count one readable notification and apply its events (a delivery notice has none)."""
    report.read += 1
    if not events:
        report.ignored += 1
    apply_events(conn, events, report)


def from_directory(conn, directory: str | Path) -> FeedbackReport:
    report = FeedbackReport()
    for path in sorted(Path(directory).glob("*.json")):
        try:
            events = parse_notification(path.read_text(encoding="utf-8"))
        except (BadNotification, KeyError, TypeError) as exc:
            report.errors.append(f"{path}: {exc} (expected an SES bounce or complaint notification)")
            continue
        _record(conn, events, report)
    return report


def drain_queue(conn, sqs, queue_url: str, max_batches: int = 1000) -> FeedbackReport:
    """Read SQS until empty; a message is deleted only after its events are committed.
    Unreadable messages stay in the queue (and go to its dead-letter queue, if configured)."""
    report = FeedbackReport()
    for _ in range(max_batches):
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not batch:
            break
        for message in batch:
            try:
                events = parse_notification(message["Body"])
            except (BadNotification, KeyError, TypeError) as exc:
                report.errors.append(f"SQS message {message['MessageId']}: {exc}; left in the queue")
                continue
            _record(conn, events, report)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return report
