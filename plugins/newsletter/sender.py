"""Sending one issue: preflight, frozen audience, claim-before-call ledger, rate control, report.

Guarantees (see the README): a row is handed to SES only after it was committed as 'sending';
only 'pending' rows are claimed; a crash leaves at most the in-flight rows 'sending', which the
next run turns into 'uncertain' (reported, resent only with --resend-uncertain).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import re
import threading
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import ledger
from .members import iter_members, suppressed
from .message import MessageTemplate, Unsubscribe
from .ses import Rejected, SesClient, Systemic, Throttled, Uncertain
from .throttle import TokenBucket

log = logging.getLogger(__name__)


class PreflightFailed(Exception):
    pass


def recipient_hash(email: str) -> str:
    """A stable pseudonym for logs and reports: addresses never appear there."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


_ADDRESS = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+\.[A-Za-z0-9-]+")


def redact(text: str) -> str:
    """Error messages from SES can quote addresses: reports and logs get their hash instead."""
    return _ADDRESS.sub(lambda m: f"<{recipient_hash(m.group(0))}>", text)


@dataclass
class Edition:
    subject: str
    html: str
    text: str


@dataclass
class SendConfig:
    sender: str
    list_id: str
    unsubscribe_url: str | None = None  # None: SES hosts the unsubscribe; else our endpoint, with {token}
    unsubscribe_mailto: str = ""  # only with our own endpoint (SES writes its own List-Unsubscribe)
    topic: str | None = "newsletter"
    rate: float | None = None
    allow_partial: bool = False
    resend_uncertain: bool = False
    workers: int | None = None
    max_throttle_retries: int = 8
    backoff_base: float = 0.05
    backoff_cap: float = 5.0
    pause_after_rejections: int = 25  # consecutive rejections look systemic (e.g. a bad sender)
    quota_override: tuple[float, float] | None = None  # (max 24 h, max rate) for emulators with fixed quotas
    reports_dir: Path = Path("var/reports")
    progress: bool = True


@dataclass
class RunReport:
    issue: str
    mode: str
    started: str
    finished: str = ""
    duration_s: float = 0.0
    set_rate: float = 0.0
    effective_rate: float = 0.0
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    throttles: int = 0
    recovered_interrupted: int = 0
    requeued_uncertain: int = 0
    paused: str | None = None
    warnings: list[str] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=dict)
    message_ids: list[list[str]] = field(default_factory=list)  # [recipient hash, MessageId] (test sends)
    message_ids_file: str = ""  # a send run streams [recipient hash, MessageId] lines here (memory stays flat)
    uncertain_recipients: list[str] = field(default_factory=list)  # hashes
    failed_recipients: list[list[str]] = field(default_factory=list)  # [hash, reason]
    report_path: str = ""

    def summary(self) -> str:
        parts = [f"{self.issue} ({self.mode}): sent {self.sent}, failed {self.failed}, uncertain {self.uncertain}",
                 f"throttled {self.throttles} times, {self.effective_rate:.1f} msg/s (set {self.set_rate:.1f}), {self.duration_s:.1f} s",
                 "ledger: " + ", ".join(f"{k} {v}" for k, v in sorted(self.ledger.items()))]
        if self.recovered_interrupted:
            parts.append(f"{self.recovered_interrupted} rows were interrupted by a previous crash: now uncertain")
        if self.paused:
            parts.append(f"PAUSED: {self.paused} (fix it, then run the same command again to resume)")
        parts += [f"warning: {w}" for w in self.warnings]
        return "\n".join(parts)


def unsubscribe_of(config: SendConfig) -> Unsubscribe:
    return Unsubscribe(config.unsubscribe_url, config.unsubscribe_mailto)


def list_management(client: SesClient, config: SendConfig) -> dict | None:
    """ListManagementOptions when SES hosts the unsubscribe; none with our own endpoint, whose headers SES
    would otherwise replace with its own."""
    return client.list_management(config.topic) if unsubscribe_of(config).ses_hosted else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def segment_key(regions, issue_regions) -> str:
    """The edition a member gets: the regions they chose that this issue has a section for."""
    return " ".join(sorted(set(regions) & set(issue_regions)))


def preflight(client: SesClient, config: SendConfig, recipients: int, report: RunReport) -> tuple[float, int]:
    """Check the account can send this issue now; return (rate, how many may be sent)."""
    account = client.account()
    if config.quota_override:
        account.max_24h, account.max_rate = config.quota_override
    if account.sending_enabled is False:
        raise PreflightFailed("sending is disabled for this SES account (or paused by SES)")
    if account.sending_enabled is None:
        report.warnings.append("the endpoint does not report whether sending is enabled")
    if not client.sender_verified(config.sender):
        raise PreflightFailed(f"the sender identity {config.sender} is not verified in SES")
    if account.production is False:
        report.warnings.append("the account is in the SES sandbox: only verified recipients will receive mail")
    elif account.production is None:
        report.warnings.append("the endpoint does not say whether the account is out of the SES sandbox")
    left = math.inf if account.max_24h < 0 else int(account.max_24h - account.sent_24h)
    allowed = recipients
    if left < recipients:
        if not config.allow_partial:
            raise PreflightFailed(
                f"the 24-hour quota has {left} messages left but {recipients} recipients are pending "
                "(wait, raise the quota, or pass --allow-partial to send what the quota allows and resume later)")
        allowed = max(0, int(left))
        report.warnings.append(f"quota allows {allowed} of {recipients}; the rest stay pending for a later run")
    rate = account.max_rate if not config.rate else min(config.rate, account.max_rate)
    if rate <= 0:
        raise PreflightFailed("the account's maximum send rate is 0")
    return rate, allowed


def freeze(conn, issue: str, subject: str, issue_regions) -> Counter:
    return ledger.freeze_audience(conn, issue, subject, iter_members(conn), suppressed(conn),
                                  lambda m: segment_key(m.regions, issue_regions))


class _Editions:
    """One MessageTemplate per segment, rendered on first use."""

    def __init__(self, edition_for: Callable[[str], Edition], config: SendConfig, subject_prefix: str = ""):
        self._edition_for, self._config, self._prefix = edition_for, config, subject_prefix
        self._cache: dict[str, MessageTemplate] = {}
        self._lock = threading.Lock()

    def __getitem__(self, segment: str) -> MessageTemplate:
        with self._lock:
            if segment not in self._cache:
                e = self._edition_for(segment)
                c = self._config
                self._cache[segment] = MessageTemplate(self._prefix + e.subject, e.html, e.text, c.list_id,
                                                       unsubscribe_of(c))
            return self._cache[segment]


def send_issue(conn, issue: str, subject: str, issue_regions, edition_for: Callable[[str], Edition],
               client: SesClient, config: SendConfig) -> RunReport:
    """Send ``issue`` to every pending recipient of its ledger (freezing the audience the first time)."""
    report = RunReport(issue=issue, mode="send", started=_now())
    frozen = freeze(conn, issue, subject, issue_regions)
    log.info("issue %s audience: %s", issue, dict(frozen))
    report.recovered_interrupted = ledger.recover_interrupted(conn, issue)
    if config.resend_uncertain:
        report.requeued_uncertain = ledger.requeue_uncertain(conn, issue)
    pending = ledger.counts(conn, issue).get("pending", 0)
    if pending == 0:
        return _finish(conn, report, 0.0, time.monotonic(), config)
    rate, allowed = preflight(client, config, pending, report)
    report.set_rate = rate
    editions = _Editions(edition_for, config)
    for (segment,) in conn.execute("SELECT DISTINCT segment FROM ledger WHERE issue=? AND state='pending'", (issue,)):
        editions[segment]  # render every edition before the first call: a template error stops nothing mid-run
    started = time.monotonic()
    _pump(conn, issue, editions, client, config, rate, allowed, report)
    return _finish(conn, report, rate, started, config)


def _backoff(config: SendConfig, attempt: int) -> float:
    """Full jitter: a random wait up to an exponentially growing cap."""
    return random.uniform(0, min(config.backoff_cap, config.backoff_base * 2 ** attempt))


def _pump(conn, issue, editions, client, config, rate, allowed, report) -> None:
    bucket = TokenBucket(rate)
    workers = config.workers or max(2, min(32, math.ceil(rate * 0.25)))
    counters = Counter()
    counters_lock = threading.Lock()
    managed = list_management(client, config)

    def deliver(row):
        content = editions[row["segment"]].content(row["token"])
        tags = {"issue": issue, "segment": row["segment"].replace(" ", "_") or "general"}
        for attempt in range(config.max_throttle_retries + 1):
            try:
                message_id = client.send(config.sender, row["email"], content, managed, tags)
                return row, "sent", "", message_id
            except Throttled:
                bucket.on_throttle()
                with counters_lock:
                    counters["throttles"] += 1
                time.sleep(_backoff(config, attempt))
                bucket.acquire()
            except Uncertain as exc:
                return row, "uncertain", str(exc), None
            except Rejected as exc:
                return row, "failed", str(exc), None
            except Systemic as exc:
                return row, "release", str(exc), None
        return row, "release", f"still throttled after {config.max_throttle_retries} retries", None

    progress = _progress(config.progress, allowed)
    directory = Path(config.reports_dir)
    directory.mkdir(parents=True, exist_ok=True)
    ids_path = directory / f"{issue}-send-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}-message-ids.jsonl"
    report.message_ids_file = str(ids_path)
    ids_file = ids_path.open("a", encoding="utf-8")
    queue: deque[int] = deque()
    inflight = set()
    outcomes = []
    consecutive_rejections = 0
    claimed_total = 0

    def settle(done) -> None:
        nonlocal consecutive_rejections
        for future in done:
            row, state, reason, message_id = future.result()
            if state == "release":
                ledger.release(conn, [row["id"]], f"paused: {reason}")
                report.paused = report.paused or redact(reason)
                continue
            outcomes.append((row["id"], state, reason, message_id))
            h = recipient_hash(row["email"])
            if state == "sent":
                report.sent += 1
                ids_file.write(json.dumps([h, message_id]) + "\n")
                consecutive_rejections = 0
            elif state == "failed":
                report.failed += 1
                report.failed_recipients.append([h, redact(reason)])
                consecutive_rejections += 1
                if consecutive_rejections >= config.pause_after_rejections:
                    report.paused = report.paused or f"{consecutive_rejections} rejections in a row (last: {redact(reason)})"
            else:
                report.uncertain += 1
                report.uncertain_recipients.append(h)
            progress.advance()
        ledger.record(conn, outcomes)
        outcomes.clear()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ses") as pool:
        try:
            while report.paused is None and claimed_total < allowed:
                if len(inflight) >= workers:
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    inflight -= done
                    settle(done)
                    continue
                finished = {f for f in inflight if f.done()}
                if finished:
                    inflight -= finished
                    settle(finished)
                    continue
                if not queue:
                    queue.extend(ledger.pending_ids(conn, issue, limit=1000))
                    if not queue:
                        break
                bucket.acquire()
                rows = ledger.claim(conn, [queue.popleft()])
                for row in rows:
                    claimed_total += 1
                    inflight.add(pool.submit(deliver, row))
        finally:
            done, _ = wait(inflight)
            settle(done)
            progress.close()
            ids_file.close()
    report.throttles = counters["throttles"]


class _progress:
    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if enabled:
            from rich.progress import Progress
            self.bar = Progress(transient=False)
            self.bar.start()
            self.task = self.bar.add_task("sending", total=total)

    def advance(self) -> None:
        if self.bar:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


def _finish(conn, report: RunReport, rate: float, started: float, config: SendConfig) -> RunReport:
    report.finished = _now()
    report.duration_s = round(time.monotonic() - started, 3)
    report.set_rate = rate
    done = report.sent + report.failed + report.uncertain
    report.effective_rate = round(done / report.duration_s, 2) if report.duration_s > 0 else 0.0
    report.ledger = dict(ledger.counts(conn, report.issue))
    _write_report(report, config.reports_dir)
    log.info("issue %s: sent %d, failed %d, uncertain %d, throttled %d", report.issue, report.sent,
             report.failed, report.uncertain, report.throttles)
    return report


def _write_report(report: RunReport, directory: Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"{report.issue}-{report.mode}-{stamp}.json"
    report.report_path = str(path)
    path.write_text(json.dumps(report.__dict__, indent=1, sort_keys=True), encoding="utf-8")


def send_test(issue: str, edition: Edition, addresses: list[str], client: SesClient, config: SendConfig) -> RunReport:
    """The real issue to a few addresses with a [TEST] subject prefix; the ledger is not touched."""
    report = RunReport(issue=issue, mode="test", started=_now())
    started = time.monotonic()
    template = _Editions(lambda _segment: edition, config, subject_prefix="[TEST] ")[""]
    managed = list_management(client, config)  # as the real issue: SES's unsubscribe link works in a test too
    for address in addresses:
        content = template.content("test")
        try:
            report.message_ids.append([recipient_hash(address), client.send(config.sender, address, content, managed,
                                                                            {"issue": issue, "segment": "test"})])
            report.sent += 1
        except (Rejected, Uncertain, Throttled, Systemic) as exc:
            report.failed += 1
            report.failed_recipients.append([recipient_hash(address), redact(str(exc))])
    report.finished = _now()
    report.duration_s = round(time.monotonic() - started, 3)
    _write_report(report, config.reports_dir)
    return report


def dry_run(conn, issue: str, issue_regions, edition_for, config: SendConfig, outbox: Path,
            managed: dict | None = None) -> RunReport:
    """No API call and no ledger change: write what each pending recipient would get as .eml files."""
    report = RunReport(issue=issue, mode="dry-run", started=_now())
    started = time.monotonic()
    editions = _Editions(edition_for, config)
    directory = Path(outbox) / issue
    directory.mkdir(parents=True, exist_ok=True)
    sup = suppressed(conn)
    already = {r["email"].lower() for r in conn.execute("SELECT email FROM ledger WHERE issue=? AND state!='pending'", (issue,))}
    from .addresses import address_problem
    for m in iter_members(conn):
        if m.status != "subscribed" or m.email.lower() in sup or address_problem(m.email) or m.email.lower() in already:
            continue
        segment = segment_key(m.regions, issue_regions)
        raw = editions[segment].eml(config.sender, m.email, m.token, managed)
        (directory / f"{recipient_hash(m.email)}.eml").write_bytes(raw)
        report.sent += 1
    report.finished = _now()
    report.duration_s = round(time.monotonic() - started, 3)
    report.ledger = dict(ledger.counts(conn, issue))
    _write_report(report, config.reports_dir)
    return report
