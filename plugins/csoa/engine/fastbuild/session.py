"""The state fastbuild keeps for one build, or for a series of builds in the dev loop.

A plain build gets a fresh session when Pelican initialises. The dev loop pins one session for the
life of its builder, so parsed sources and output fingerprints survive from one build to the next.
"""

from __future__ import annotations

import contextlib
import os

from csoa.engine.fastbuild.page_probes import PageLedger


class BuildSession:
    def __init__(self, persistent: bool = False):
        from csoa.engine.fastbuild.reading import SourceTable  # reading looks the session up: import it late

        self.persistent = persistent
        self.sources = SourceTable()
        self.outputs = {} if persistent else None  # output name -> OutputRecord (render_skip)
        self.settings: dict = {}
        self.generators: list = []
        self.sources_checked = False
        self.gate = None  # the RenderGate of the running dev build
        self.previous_output = None  # the live output a dev build may keep files from
        self.fork = None  # the ForkedRender of the running build
        self.finalize_started = None  # perf_counter when the other plugins' finalized handlers began
        self.ledger = PageLedger()  # pages written by this run (page_probes)

    def begin_run(self, settings: dict) -> None:
        self.settings = settings
        self.generators = []
        self.sources_checked = False
        self.gate = None
        self.fork = None
        self.finalize_started = None
        self.ledger = PageLedger()

    @property
    def workers(self) -> int:
        configured = self.settings.get("FASTBUILD_WORKERS")
        if configured is not None:
            return int(configured)
        return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


_pinned: BuildSession | None = None
_current: BuildSession | None = None
_early: BuildSession | None = None  # started by start_early, taken by the next run


def start_early(settings: dict) -> None:
    """Start parsing the markdown sources before Pelican exists: loading the plugins and building
    the Pelican object take ~0.4 s on one core, during which the pool parses on the other. The
    next run takes this session (its prefetch keeps the job when the sources and markdown settings
    are the same). Not in the dev loop: its pinned session is already warm."""
    global _early
    if _pinned is not None:
        return
    discard_early()
    from csoa.engine.fastbuild.reading import prefetch

    session = BuildSession()
    session.settings = settings
    prefetch(settings, session)
    _early = session


def discard_early() -> None:
    """Stop an early start that no run took (the build failed before it began)."""
    global _early
    if _early is not None:
        _early.sources.cancel_prefetch()
        _early = None


def start_run(pelican) -> None:
    """``get_generators`` handler (the first signal of every run, autoreload runs included): every
    run gets a fresh session (or the one start_early began), or the pinned one in the dev loop.
    Returns no generator."""
    global _current, _early
    from csoa.engine.fastbuild import url_memo

    url_memo.stop()  # a build that failed half way may have left it on
    if _current is not None and _current is not _early:
        _current.sources.cancel_prefetch()  # a run that failed before reading
    _current = _pinned or _early or BuildSession()
    _early = None
    _current.begin_run(pelican.settings)
    from csoa.engine.fastbuild.reading import prefetch

    prefetch(pelican.settings, _current)
    return None


def current() -> BuildSession:
    global _current
    if _current is None:
        _current = _pinned or BuildSession()
    return _current


@contextlib.contextmanager
def pinned(session: BuildSession):
    """Use ``session`` for every Pelican run inside the block."""
    global _pinned, _current
    previous = _pinned
    _pinned = _current = session
    try:
        yield session
    finally:
        _pinned = previous
        _current = None
