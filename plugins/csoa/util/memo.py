"""Results kept from one build to the next in a long-lived process (the dev loop). Plain Python.

Only results of pure functions are kept, under a key made of the function's complete inputs, so a
kept result can never be stale: an edit changes the key. Nothing that refers to Pelican content
objects is kept (the dev loop lets each build's objects go). The memo holds what the latest build
used and nothing older: entries a build did not ask for are dropped when it ends. The build
session (csoa.util.session) starts and ends the memos it hands out with each build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()


class LastBuildMemo:
    def __init__(self) -> None:
        self._previous: dict = {}  # what the last build used, while a build runs
        self._current: dict = {}  # what this build used so far
        self.hits = self.misses = 0  # of the current build (for benchmarks and tests)

    def start_build(self) -> None:
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0

    def end_build(self) -> None:
        """Call when the build is done, also when it failed (try/finally)."""
        self._previous = {}

    def get(self, key: Hashable, compute: Callable[[], T], valid: Callable[[T], bool] | None = None) -> T:
        """The value kept under ``key`` (if ``valid`` accepts it), else ``compute()``, kept."""
        value = self._current.get(key, _MISSING)
        if value is _MISSING:
            value = self._previous.get(key, _MISSING)
            if value is _MISSING or (valid is not None and not valid(value)):
                value = compute()
                self.misses += 1
            else:
                self.hits += 1
            self._current[key] = value
        return value

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)
