"""The send rate: a token bucket whose rate an AIMD controller adjusts from the outcomes of the calls.

The bucket paces messages (one token per row handed to SES): SES's MaxSendRate counts the messages it
accepts. One throttled call says little: SES (or the network in front of it) throttles now and then at
any rate, and that call is simply retried after a short jittered backoff, without a new token (so
sparse throttling costs its retries, not the rate). Throttling that is *sustained* (a quarter or more of the last
``window`` outcomes) means we are going faster than the account allows: the rate is then cut to what
SES actually accepted over that window (a little under it), never below half the current rate
in one step, and the window starts afresh so the next decision is judged at the new rate. Between
cuts the rate climbs back additively, never above the set rate (which preflight already capped at the
account's MaxSendRate). So throttling from going too fast converges to the rate SES really accepts.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None, floor: float = 0.5,
                 recovery_per_second: float | None = None, window: int | None = None, sustained: float = 0.25,
                 clock=time.monotonic, sleep=time.sleep):
        self.max_rate = float(rate)
        self.rate = float(rate)
        self.floor = min(floor, self.max_rate)
        self.burst = burst if burst is not None else max(1.0, min(self.max_rate, 50.0) / 10)
        self.recovery = recovery_per_second if recovery_per_second is not None else max(0.05 * self.max_rate, 0.1)
        # half a second of calls at the set rate, at least 40 so that chance throttling rarely looks sustained
        self.window = window if window is not None else max(40, min(200, round(self.max_rate / 2)))
        self.sustained = sustained
        self._clock, self._sleep = clock, sleep
        self._tokens = 1.0
        self._last = clock()
        self._lock = threading.Lock()
        self._outcomes: deque[tuple[float, bool]] = deque(maxlen=self.window)  # (when, throttled)
        self._throttled_in_window = 0
        self.throttled = 0
        self.cuts = 0

    def _refill(self, now: float) -> None:
        elapsed = now - self._last
        self._last = now
        if self.rate < self.max_rate:  # additive recovery
            self.rate = min(self.max_rate, self.rate + self.recovery * elapsed)
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)

    def acquire(self) -> None:
        """Block until one token is available, then take it."""
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                if self._tokens >= 1.0 - 1e-9:  # tolerance: float sums of refills land just below 1
                    self._tokens -= 1.0
                    return
                wait = max((1.0 - self._tokens) / self.rate, 1e-6)
            self._sleep(wait)

    def on_success(self) -> None:
        self._observe(False)

    def on_throttle(self) -> None:
        self._observe(True)

    def _observe(self, throttled: bool) -> None:
        with self._lock:
            now = self._clock()
            self.throttled += throttled
            if len(self._outcomes) == self.window:
                self._throttled_in_window -= self._outcomes[0][1]
            self._outcomes.append((now, throttled))
            self._throttled_in_window += throttled
            if len(self._outcomes) == self.window and self._throttled_in_window >= self.sustained * self.window:
                self._cut(now)

    def _cut(self, now: float) -> None:
        """Sustained throttling: go to a little under the rate SES accepted over the window."""
        self._refill(now)
        span = now - self._outcomes[0][0]
        successes = self.window - self._throttled_in_window
        accepted = successes / span if span > 0 else (self.rate if successes else 0.0)
        self.rate = max(self.floor, self.rate / 2, min(self.rate * 0.9, accepted * 0.95))
        self._tokens = min(self._tokens, 0.0)
        self._outcomes.clear()
        self._throttled_in_window = 0
        self.cuts += 1
