"""The token bucket (with a manual clock) and the rate cap min(--rate, MaxSendRate) against moto."""

from __future__ import annotations

import random

import pytest

from csoa.sending.throttle import TokenBucket


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_bucket_holds_the_rate():
    clock = Clock()
    bucket = TokenBucket(20, clock=clock, sleep=clock.sleep)
    for _ in range(201):
        bucket.acquire()
    assert clock.now == pytest.approx(10.0, rel=0.02)  # 200 intervals of 1/20 s after the first token


class SimulatedSES:
    """On the manual clock: throttles a share of calls at random, and/or beyond a real MaxSendRate
    (a token bucket with half a second of burst, as the fault proxy in front of moto does)."""

    def __init__(self, clock, random_share=0.0, limit=None, seed=5):
        self.clock, self.random_share, self.limit = clock, random_share, limit
        self.rng = random.Random(seed)
        self.burst = max(1.0, (limit or 0) / 2)
        self.tokens, self.last = self.burst, 0.0

    def accepts(self) -> bool:
        if self.rng.random() < self.random_share:
            return False
        if self.limit is None:
            return True
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.limit)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _drive(bucket, clock, ses, seconds, retry_wait=0.02):
    """The sender's loop on the manual clock: a token per message, throttled calls retried after a short
    wait (without a token, as the sender does). Returns [(time, accepted so far, bucket rate)] per message."""
    rng = random.Random(9)
    trace, accepted = [], 0
    while clock.now < seconds:
        bucket.acquire()
        while not ses.accepts():
            bucket.on_throttle()
            clock.sleep(rng.uniform(0, retry_wait))
        bucket.on_success()
        accepted += 1
        trace.append((clock.now, accepted, bucket.rate))
    return trace


def _rate_between(trace, start, end):
    inside = [(t, n) for t, n, _ in trace if start <= t <= end]
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])


def test_sparse_random_throttling_keeps_the_set_rate():
    """10% of calls throttled at random, set to 100 msg/s: the old bucket halved on every throttle and
    sent 8.6 msg/s; a throttle now costs only its retry."""
    clock = Clock()
    bucket = TokenBucket(100, clock=clock, sleep=clock.sleep)
    trace = _drive(bucket, clock, SimulatedSES(clock, random_share=0.10), seconds=300)
    assert _rate_between(trace, 0, 300) >= 90  # the target is 80
    assert bucket.throttled > 2500 and bucket.cuts <= 6  # thousands of throttles, a chance cut or two
    assert min(rate for t, _, rate in trace if t > 5) >= 50


def test_an_isolated_throttle_changes_nothing():
    clock = Clock()
    bucket = TokenBucket(40, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        for _ in range(9):
            bucket.acquire()
            bucket.on_success()
        bucket.on_throttle()
    assert bucket.rate == 40 and bucket.cuts == 0 and bucket.throttled == 10


def test_throttling_from_going_too_fast_converges_to_the_real_limit():
    """Set to 100 msg/s, SES really allows 40: the accepted rate settles at 40 and so does the bucket's
    rate, oscillating around it (it probes upwards additively, and cuts when a quarter of a window is
    throttled to a little under what SES accepted)."""
    clock = Clock()
    bucket = TokenBucket(100, clock=clock, sleep=clock.sleep)
    trace = _drive(bucket, clock, SimulatedSES(clock, limit=40), seconds=120)
    assert _rate_between(trace, 20, 120) == pytest.approx(40, rel=0.03)
    late = [rate for t, _, rate in trace if t > 20]
    assert sum(late) / len(late) == pytest.approx(40, rel=0.1)  # the bucket's rate settles at the limit
    assert 0.8 * 40 <= min(late) and max(late) <= 1.3 * 40
    assert bucket.cuts >= 5


def test_a_cut_goes_to_what_ses_accepted_then_recovers_additively_up_to_the_set_rate():
    clock = Clock()
    bucket = TokenBucket(40, clock=clock, sleep=clock.sleep, recovery_per_second=2, window=40)
    for i in range(40):  # one window at 40 msg/s, a quarter of it throttled: SES accepted 30 per second
        clock.now += 1 / 40
        (bucket.on_success if i % 4 else bucket.on_throttle)()
        assert bucket.cuts == (1 if i == 39 else 0)  # judged on a full window only
    assert bucket.rate == pytest.approx(30 * 40 / 39 * 0.95)  # 30 accepted over 39 intervals, a little under
    for _ in range(39):  # the window starts afresh: no second cut on the same evidence
        bucket.on_throttle()
    assert bucket.cuts == 1
    cut = bucket.rate
    clock.now += 5
    bucket.acquire()
    assert bucket.rate == pytest.approx(cut + 10)  # +2 per second
    clock.now += 100
    bucket.acquire()
    assert bucket.rate == 40  # never above the set rate (preflight capped it at MaxSendRate)
    for _ in range(20):  # throttled without end: never below the floor, at most halved per cut
        for _ in range(40):
            bucket.on_throttle()
    assert bucket.rate == bucket.floor > 0


def test_rate_is_capped_by_the_account(tmp_path, monkeypatch):
    from newsletter_site import build_fixture_site, moto_ses, settings_env
    from test_send import _members, _send  # the same helpers as the other send tests

    from csoa.sending import db

    site = build_fixture_site(tmp_path / "site")
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch, quota="1000:8"):
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 24)
        report, _, _ = _send(site, rate=100)
    assert report.set_rate == 8 and report.sent == 24
    assert report.effective_rate <= 8 * 1.15
    assert report.duration_s >= 23 / 8 * 0.9
