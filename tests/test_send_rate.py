"""The token bucket (with a manual clock) and the rate cap min(--rate, MaxSendRate) against moto."""

from __future__ import annotations

import pytest

from newsletter.throttle import TokenBucket


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


def test_throttling_halves_then_recovers_additively():
    clock = Clock()
    bucket = TokenBucket(40, clock=clock, sleep=clock.sleep, recovery_per_second=2)
    bucket.on_throttle()
    assert bucket.rate == 20
    bucket.on_throttle()
    assert bucket.rate == 10 and bucket.throttled == 2
    clock.now += 5
    bucket.acquire()
    assert bucket.rate == pytest.approx(20)  # +2 per second
    clock.now += 100
    bucket.acquire()
    assert bucket.rate == 40  # never above the set rate
    for _ in range(20):
        bucket.on_throttle()
    assert bucket.rate == bucket.floor > 0


def test_rate_is_capped_by_the_account(tmp_path, monkeypatch):
    from test_send import _members, _send  # the same helpers as the other send tests
    from newsletter import db
    from newsletter_site import build_fixture_site, moto_ses, settings_env

    site = build_fixture_site(tmp_path / "site")
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch, quota="1000:8"):
        conn = db.connect(tmp_path / "var" / "newsletter.sqlite3")
        _members(conn, 24)
        report, _, _ = _send(site, rate=100)
    assert report.set_rate == 8 and report.sent == 24
    assert report.effective_rate <= 8 * 1.15
    assert report.duration_s >= 23 / 8 * 0.9
