"""A token bucket that holds the send rate, halves it on throttling and recovers it additively (AIMD)."""

from __future__ import annotations

import threading
import time


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None, floor: float = 0.5,
                 recovery_per_second: float | None = None, clock=time.monotonic, sleep=time.sleep):
        self.max_rate = float(rate)
        self.rate = float(rate)
        self.floor = min(floor, self.max_rate)
        self.burst = burst if burst is not None else max(1.0, min(self.max_rate, 50.0) / 10)
        self.recovery = recovery_per_second if recovery_per_second is not None else max(0.05 * self.max_rate, 0.1)
        self._clock, self._sleep = clock, sleep
        self._tokens = 1.0
        self._last = clock()
        self._lock = threading.Lock()
        self.throttled = 0

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

    def on_throttle(self) -> None:
        with self._lock:
            self.throttled += 1
            self.rate = max(self.floor, self.rate / 2)
            self._tokens = min(self._tokens, 0.0)
