"""The build session: what builds remember, and where plugins hook into a build. Plain Python.

One object owns everything a build keeps beyond its own run. The build entry point
(csoa.engine.build) makes one for a single build; the dev loop (csoa.engine.devloop) keeps one for
its whole life, ``incremental``: each build then re-renders only what changed, and slow follow-up
work runs in background jobs once the output is live. It provides

* ``stamp``/``same_file``: the one file stamp, with the racy-tick guard (csoa.util.stamps);
* ``memo(owner)``: a per-plugin LastBuildMemo, started and ended with every build;
  ``keep(owner, factory)``: any other object kept for the session's life (parsed sources...);
* hooks, for one build: ``pages`` (what the writer noted of each page written: csoa.util.page_notes),
  "output complete" (the staged output is whole, before the swap; a failure fails the build),
  "output swapped in" (the new output is live) and "build ended" (success or not: release what
  the build started);
* background jobs (``job``), which the dev loop pauses while it builds and resumes on the live output.

Plugins find the session of the running build with ``current()``; None in a bare Pelican run
(``pelican`` on the command line), where they keep nothing and run everything in the build.
Domain code never sees the session: the plugin glue passes it a memo, or a stamp.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from csoa.util.memo import LastBuildMemo
from csoa.util.page_notes import PageNotes
from csoa.util.stamps import FileStamp, same_file

T = TypeVar("T")

OUTPUT_COMPLETE = "output complete"  # callback(staged output folder)
OUTPUT_SWAPPED_IN = "output swapped in"  # callback(live output folder)
BUILD_ENDED = "build ended"  # callback(succeeded: bool)
HOOKS = (OUTPUT_COMPLETE, OUTPUT_SWAPPED_IN, BUILD_ENDED)


class BackgroundJob(Protocol):
    def start(self, output: Path) -> None: ...  # work on this live output (restart if running)
    def cancel(self) -> None: ...  # stop now: a build starts, or the session closes
    def wait(self) -> None: ...  # until the live output's work is done (raises its failure)
    def close(self) -> None: ...  # the session ends: stop all work, remove what the job keeps


class BuildSession:
    def __init__(self, incremental: bool = False):
        self.incremental = incremental
        self.live_output: Path | None = None  # incremental: the output being served, which a build replaces
        self.builds = 0  # builds begun
        self.pages = PageNotes()
        self._kept: dict[str, object] = {}
        self._memos: dict[str, LastBuildMemo] = {}
        self._hooks: dict[str, dict[str, Callable]] = {name: {} for name in HOOKS}
        self._jobs: dict[str, BackgroundJob] = {}

    # files ------------------------------------------------------------------------------------
    stamp = staticmethod(FileStamp.of)
    same_file = staticmethod(same_file)

    # what builds remember ---------------------------------------------------------------------
    def memo(self, owner: str) -> LastBuildMemo:
        """``owner``'s memo (e.g. "feeds.documents"): what the latest build computed, by key."""
        if owner not in self._memos:
            self._memos[owner] = LastBuildMemo()
        return self._memos[owner]

    def keep(self, owner: str, factory: Callable[[], T]) -> T:
        """``owner``'s object, made by ``factory`` the first time, kept for the session's life."""
        if owner not in self._kept:
            self._kept[owner] = factory()
        return self._kept[owner]

    # one build ----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def build(self) -> Iterator[BuildSession]:
        """One build: the session is ``current()``, memos start, pages are new; at the end (also on
        failure) "build ended" runs, memos drop what the build did not use, and hooks are dropped."""
        global _current
        if _current is not None:
            raise RuntimeError("a build is already running in this process")
        self.builds += 1
        self.pages = PageNotes()
        for memo in self._memos.values():
            memo.start_build()
        _current, succeeded = self, False
        try:
            yield self
            succeeded = True
        finally:
            _current = None
            try:
                self.emit(BUILD_ENDED, succeeded)
            finally:
                for memo in self._memos.values():
                    memo.end_build()
                for hooks in self._hooks.values():
                    hooks.clear()

    def on(self, hook: str, owner: str, callback: Callable) -> None:
        """Run ``callback`` at ``hook`` of this build (one callback per owner and hook)."""
        self._hooks.setdefault(hook, {})[owner] = callback

    def off(self, hook: str, owner: str) -> None:
        self._hooks.get(hook, {}).pop(owner, None)

    def emit(self, hook: str, *args) -> None:
        hooks = self._hooks.get(hook)
        if hooks:
            for callback in list(hooks.values()):
                callback(*args)

    # background work ----------------------------------------------------------------------------
    def job(self, owner: str, factory: Callable[[], BackgroundJob]) -> BackgroundJob:
        """``owner``'s background job, made the first time; the dev loop drives it."""
        if owner not in self._jobs:
            self._jobs[owner] = factory()
        return self._jobs[owner]

    def cancel_jobs(self) -> None:
        for job in self._jobs.values():
            job.cancel()

    def close_jobs(self) -> None:
        """The session ends: each job stops everything it runs and removes what it keeps."""
        for job in self._jobs.values():
            job.close()

    def start_jobs(self, output: Path) -> None:
        for job in self._jobs.values():
            job.start(output)

    def wait_for_jobs(self) -> None:
        for job in self._jobs.values():
            job.wait()


_current: BuildSession | None = None  # the session of the build running in this process


def current() -> BuildSession | None:
    """The session of the running build; None outside one (a bare Pelican run)."""
    return _current


def memo_for(owner: str) -> LastBuildMemo:
    """``owner``'s memo in the running build's session, or a fresh one (kept for nothing) without one."""
    session = _current
    if session is None:
        return LastBuildMemo()
    return session.memo(owner)
