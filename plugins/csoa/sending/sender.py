"""Sending one issue: preflight, frozen audience, claim-before-call ledger, rate control, report.

Guarantees (see the README): a row is handed to SES only after it was committed as 'sending';
only 'pending' rows are claimed; a crash leaves at most the in-flight rows 'sending', which the
next run turns into 'uncertain' (reported, resent only with --resend-uncertain). A run owns its
issue (an OS lock, see owner.py) from the freeze to the report: a second run of the same issue is
refused, so recovery only ever sees rows of a run that is certainly dead.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from csoa.email.message import MessageTemplate, Unsubscribe
from csoa.sending import ledger
from csoa.sending.members import iter_members, suppressed
from csoa.sending.owner import IssueBusy, IssueOwnership
from csoa.sending.runreport import Progress, RunReport, recipient_hash, redact, write_report
from csoa.sending.ses import Rejected, SesClient, Systemic, Throttled, Uncertain
from csoa.sending.throttle import TokenBucket

__all__ = ["Edition", "IssueBusy", "PreflightFailed", "RunReport", "SendConfig", "dry_run", "freeze", "preflight",
           "recipient_hash", "redact", "send_issue", "send_test"]

log = logging.getLogger(__name__)


class PreflightFailed(Exception):
    pass


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
    retry_failed: bool = False  # put rows SES rejected back to pending (the editor fixed the cause)
    workers: int | None = None
    max_throttle_retries: int = 8
    backoff_base: float = 0.05
    backoff_cap: float = 5.0
    pause_after_rejections: int = 25  # consecutive rejections look systemic (e.g. a bad sender)
    quota_override: tuple[float, float] | None = None  # (max 24 h, max rate) for emulators with fixed quotas
    reports_dir: Path = Path("var/reports")
    progress: bool = True


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
    """Send ``issue`` to every pending recipient of its ledger (freezing the audience the first time).

    Raises IssueBusy, before touching anything, when another live run owns the issue."""
    with IssueOwnership(conn, issue):
        return _send_owned(conn, issue, subject, issue_regions, edition_for, client, config)


def _send_owned(conn, issue, subject, issue_regions, edition_for, client, config: SendConfig) -> RunReport:
    report = RunReport(issue=issue, mode="send", started=_now())
    frozen = freeze(conn, issue, subject, issue_regions)
    log.info("issue %s audience: %s", issue, dict(frozen))
    report.recovered_interrupted = ledger.recover_interrupted(conn, issue)  # we own the issue: their run is dead
    if config.resend_uncertain:
        report.requeued_uncertain = ledger.requeue_uncertain(conn, issue)
    if config.retry_failed:
        report.requeued_failed = ledger.requeue_failed(conn, issue)
    pending = ledger.counts(conn, issue).get("pending", 0)
    if pending == 0:
        return _finish(conn, report, 0.0, time.monotonic(), config)
    rate, allowed = preflight(client, config, pending, report)
    report.set_rate = rate
    editions = _Editions(edition_for, config)
    for (segment,) in conn.execute("SELECT DISTINCT segment FROM ledger WHERE issue=? AND state='pending'", (issue,)):
        editions[segment]  # render every edition before the first call: a template error stops nothing mid-run
    started = time.monotonic()
    bucket = _Pump(conn, issue, editions, client, config, rate, report).run(allowed)
    report.final_rate, report.rate_cuts = round(bucket.rate, 2), bucket.cuts
    return _finish(conn, report, rate, started, config)


def _backoff(config: SendConfig, attempt: int) -> float:
    """Full jitter: a random wait up to an exponentially growing cap."""
    return random.uniform(0, min(config.backoff_cap, config.backoff_base * 2 ** attempt))


class _Pump:
    """Claims pending rows one by one at the bucket's rate, sends them from a thread pool, records outcomes."""

    def __init__(self, conn, issue, editions, client, config: SendConfig, rate: float, report: RunReport):
        self.conn, self.issue, self.editions, self.client, self.config = conn, issue, editions, client, config
        self.report = report
        self.bucket = TokenBucket(rate)
        self.workers = config.workers or max(2, min(32, math.ceil(rate * 0.25)))
        self.managed = list_management(client, config)
        self.throttles = 0
        self._throttles_lock = threading.Lock()
        self.consecutive_rejections = 0
        self.outcomes: list = []

    def deliver(self, row):
        """In a worker thread: one row to SES, retrying throttled calls after a jittered backoff."""
        content = self.editions[row["segment"]].content(row["token"])
        tags = {"issue": self.issue, "segment": row["segment"].replace(" ", "_") or "general"}
        config = self.config
        for attempt in range(config.max_throttle_retries + 1):
            try:
                message_id = self.client.send(config.sender, row["email"], content, self.managed, tags)
                self.bucket.on_success()
                return row, "sent", "", message_id
            except Throttled:
                self.bucket.on_throttle()
                with self._throttles_lock:
                    self.throttles += 1
                time.sleep(_backoff(config, attempt))  # no new token: the bucket paces messages, and SES
                # counts the messages it accepts against MaxSendRate, not the calls it throttled
            except Uncertain as exc:
                return row, "uncertain", str(exc), None
            except Rejected as exc:
                return row, "failed", str(exc), None
            except Systemic as exc:
                return row, "release", str(exc), None
        return row, "release", f"still throttled after {config.max_throttle_retries} retries", None

    def settle(self, done) -> None:
        report = self.report
        for future in done:
            row, state, reason, message_id = future.result()
            if state == "release":
                ledger.release(self.conn, [row["id"]], f"paused: {reason}")
                report.paused = report.paused or redact(reason)
                continue
            self.outcomes.append((row["id"], state, reason, message_id))
            h = recipient_hash(row["email"])
            if state == "sent":
                report.sent += 1
                self.ids_file.write(json.dumps([h, message_id]) + "\n")
                self.consecutive_rejections = 0
            elif state == "failed":
                report.failed += 1
                report.failed_recipients.append([h, redact(reason)])
                self.consecutive_rejections += 1
                if self.consecutive_rejections >= self.config.pause_after_rejections:
                    report.paused = report.paused or (f"{self.consecutive_rejections} rejections in a row "
                                                      f"(last: {redact(reason)})")
            else:
                report.uncertain += 1
                report.uncertain_recipients.append(h)
            self.progress.advance()
        ledger.record(self.conn, self.outcomes)
        self.outcomes.clear()

    def run(self, allowed: int) -> TokenBucket:
        directory = Path(self.config.reports_dir)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')
        ids_path = directory / f"{self.issue}-send-{stamp}-message-ids.jsonl"
        self.report.message_ids_file = str(ids_path)
        self.progress = Progress(self.config.progress, allowed)
        inflight: set = set()
        with ids_path.open("a", encoding="utf-8") as self.ids_file, \
                ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ses") as pool:
            try:
                self._loop(pool, inflight, allowed)
            finally:
                done, _ = wait(inflight)
                self.settle(done)
                self.progress.close()
        self.report.throttles = self.throttles
        return self.bucket

    def _loop(self, pool, inflight: set, allowed: int) -> None:
        queue: deque[int] = deque()
        claimed_total = 0
        while self.report.paused is None and claimed_total < allowed:
            if len(inflight) >= self.workers:
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                inflight -= done
                self.settle(done)
                continue
            finished = {f for f in inflight if f.done()}
            if finished:
                inflight -= finished
                self.settle(finished)
                continue
            if not queue:
                queue.extend(ledger.pending_ids(self.conn, self.issue, limit=1000))
                if not queue:
                    break
            self.bucket.acquire()
            for row in ledger.claim(self.conn, [queue.popleft()]):
                claimed_total += 1
                inflight.add(pool.submit(self.deliver, row))


def _finish(conn, report: RunReport, rate: float, started: float, config: SendConfig) -> RunReport:
    report.finished = _now()
    report.duration_s = round(time.monotonic() - started, 3)
    report.set_rate = rate
    done = report.sent + report.failed + report.uncertain
    report.effective_rate = round(done / report.duration_s, 2) if report.duration_s > 0 else 0.0
    report.ledger = dict(ledger.counts(conn, report.issue))
    never = ledger.never_tried(conn, report.issue)
    report.never_tried, report.never_tried_recipients = len(never), [recipient_hash(e) for e in never]
    report.pending_tried_before = report.ledger.get("pending", 0) - report.never_tried
    write_report(report, config.reports_dir)
    log.info("issue %s: sent %d, failed %d, uncertain %d, throttled %d", report.issue, report.sent,
             report.failed, report.uncertain, report.throttles)
    return report


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
    write_report(report, config.reports_dir)
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
    from csoa.sending.addresses import address_problem
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
    write_report(report, config.reports_dir)
    return report
