"""What a send run tells the editor: the summary printed at the end and the JSON report in var/reports/.

Member addresses never appear here: recipients are named by a 12-character hash, and addresses that
SES quotes in its error messages are replaced by their hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


def recipient_hash(email: str) -> str:
    """A stable pseudonym for logs and reports: addresses never appear there."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


_ADDRESS = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+\.[A-Za-z0-9-]+")


def redact(text: str) -> str:
    """Error messages from SES can quote addresses: reports and logs get their hash instead."""
    return _ADDRESS.sub(lambda m: f"<{recipient_hash(m.group(0))}>", text)


@dataclass
class RunReport:
    issue: str
    mode: str
    started: str
    finished: str = ""
    duration_s: float = 0.0
    set_rate: float = 0.0
    effective_rate: float = 0.0
    final_rate: float = 0.0  # where the rate controller ended (below set_rate after sustained throttling)
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    throttles: int = 0
    rate_cuts: int = 0
    recovered_interrupted: int = 0
    requeued_uncertain: int = 0
    requeued_failed: int = 0
    paused: str | None = None
    warnings: list[str] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=dict)
    message_ids: list[list[str]] = field(default_factory=list)  # [recipient hash, MessageId] (test sends)
    message_ids_file: str = ""  # a send run streams [recipient hash, MessageId] lines here (memory stays flat)
    uncertain_recipients: list[str] = field(default_factory=list)  # hashes
    failed_recipients: list[list[str]] = field(default_factory=list)  # [hash, reason]
    never_tried: int = 0  # pending rows never handed to SES (by any run)
    never_tried_recipients: list[str] = field(default_factory=list)  # their hashes
    pending_tried_before: int = 0  # pending rows an earlier attempt gave back (pause) or that were requeued
    report_path: str = ""

    def summary(self) -> str:
        parts = [f"{self.issue} ({self.mode}): sent {self.sent}, failed {self.failed}, uncertain {self.uncertain}",
                 f"throttled {self.throttles} times, {self.effective_rate:.1f} msg/s (set {self.set_rate:.1f}), {self.duration_s:.1f} s",
                 "ledger: " + ", ".join(f"{k} {v}" for k, v in sorted(self.ledger.items()))]
        if self.rate_cuts:
            parts.append(f"sustained throttling: the rate was lowered {self.rate_cuts} times (ended at {self.final_rate:.1f} msg/s)")
        if self.recovered_interrupted:
            parts.append(f"{self.recovered_interrupted} rows were interrupted by a previous crash: now uncertain")
        if self.requeued_failed:
            parts.append(f"{self.requeued_failed} failed rows were retried (--retry-failed)")
        if self.never_tried or self.pending_tried_before:
            parts.append(f"pending: {self.never_tried} never tried, {self.pending_tried_before} tried before and given back "
                         "(hashes of the never-tried rows are in the report)")
        if self.paused:
            parts.append(f"PAUSED: {self.paused} (fix it, then run the same command again to resume)")
        failed_rows = self.ledger.get("failed", 0)
        if failed_rows and self.mode == "send":
            parts.append(f"{failed_rows} rows are failed (SES rejected them, nothing was delivered): once the cause is "
                         "fixed, run the same command with --retry-failed to send to them")
        parts += [f"warning: {w}" for w in self.warnings]
        return "\n".join(parts)


def write_report(report: RunReport, directory: Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"{report.issue}-{report.mode}-{stamp}.json"
    report.report_path = str(path)
    path.write_text(json.dumps(report.__dict__, indent=1, sort_keys=True), encoding="utf-8")


class Progress:
    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
            from rich.progress import Progress as Bar
            self.bar = Bar(transient=False)
            self.bar.start()
            self.task = self.bar.add_task("sending", total=total)

    def advance(self) -> None:
        if self.bar:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
