"""Render pages in two processes: this one and one child forked once the context is complete.

Both processes run the output phase of Pelican's own generators (articles, pages, template pages)
and each renders only the pages whose output name hashes to its shard. The child does nothing
else: plugin generators and static files stay with the parent, and in the child every signal is
silenced but the per-item ones (LIVE_IN_CHILD), so run-level handlers run once, in the parent, and
per-item "about to write" handlers run in the process that renders (they run in both processes). The
parent renders a smaller share (CHILD_SHARE) because it also writes the plugin generators' output
while the child renders. The child sends its warnings and errors (and any exception) back through
a pipe; the parent waits for it at ``finalized`` (fastbuild's handler, the first), replays those
records through its own logging (so an error in the child fails the build like any other) and
raises if the child failed.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
import traceback
import zlib

import blinker
from pelican.generators import ArticlesGenerator, PagesGenerator, TemplatePagesGenerator
from pelican.plugins import signals as pelican_signals

from csoa.engine.fastbuild.log_records import RecordCollector

SHARDED_GENERATORS = (ArticlesGenerator, PagesGenerator, TemplatePagesGenerator)
# Signals the child still sends: the per-item "about to write" hooks (plugins prepare an item for
# rendering there, e.g. theme_support sets neighbours and related items), and the per-file
# notifications of what the child itself wrote. The run-level ones stay with the parent.
LIVE_IN_CHILD = ("article_generator_write_article", "page_generator_write_page", "content_written",
                 "feed_generated", "feed_written")


class RenderWorkerFailed(RuntimeError):
    """The forked render process failed; its traceback is the message."""


# The child's share of the pages: more than half, because the parent also writes the plugin
# generators' output (events, statistics, feeds...) while the child is still rendering.
CHILD_SHARE = 0.6


def shard_of(name: str, child_share: float = CHILD_SHARE) -> int:
    """1 (the child) for about ``child_share`` of the names, else 0; stable for a name."""
    return 1 if zlib.crc32(name.encode("utf-8", "surrogatepass")) % 1000 < child_share * 1000 else 0


def maybe_fork_renderer(writer, session) -> None:
    """Fork when there are two cores and enough items to make the fork pay."""
    if session.workers < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return  # with other threads running, a forked child could inherit a held lock: render here
    sharded = [g for g in session.generators if type(g) in SHARDED_GENERATORS]
    items = sum(len(getattr(g, "articles", ())) + len(getattr(g, "pages", ())) for g in sharded)
    if not sharded or items < session.settings.get("FASTBUILD_MIN_PARALLEL_RENDER", 200):
        return
    ForkedRender(writer, session).start()


class ForkedRender:
    def __init__(self, writer, session):
        self.writer = writer
        self.session = session
        self.pid = None
        self.read_fd = None
        self.child_share = float(session.settings.get("FASTBUILD_CHILD_SHARE", CHILD_SHARE))

    def start(self) -> None:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            self._become_child(write_fd)
            return
        os.close(write_fd)
        self.pid, self.read_fd = pid, read_fd
        self._become_parent()

    # the parent ---------------------------------------------------------------------------------
    def _become_parent(self) -> None:
        self.session.fork = self
        for generator in self.session.generators:  # the plugin generators run here, beside the child
            if type(generator) in SHARDED_GENERATORS:
                generator.generate_output = self._sharded(generator.generate_output, shard=0)
            else:
                generator.generate_output = self._abandon_on_error(generator.generate_output)

    def _sharded(self, original, shard: int):
        def generate_output(writer):
            self.writer.shard_filter = lambda name: shard_of(name, self.child_share) == shard
            try:
                return original(writer)
            except BaseException:
                self.abandon()
                raise
            finally:
                self.writer.shard_filter = None

        return generate_output

    def _abandon_on_error(self, original):
        def generate_output(writer):
            try:
                return original(writer)
            except BaseException:
                self.abandon()
                raise

        return generate_output

    def abandon(self) -> None:
        """The parent failed: stop the child and reap it."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.read_fd)
        self.pid = None

    def join(self) -> None:
        """Wait for the child; replay its log records here; raise if it failed."""
        if self.pid is None:
            return
        chunks = []
        while chunk := os.read(self.read_fd, 1 << 16):
            chunks.append(chunk)
        os.close(self.read_fd)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        self.session.fork = None
        payload = pickle.loads(b"".join(chunks)) if chunks else {"records": [], "error": None}
        self.session.ledger.update(payload.get("ledger", {}))  # the pages the child wrote
        for record in payload["records"]:
            logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
        code = os.waitstatus_to_exitcode(status)
        if payload["error"] or code != 0:
            raise RenderWorkerFailed(payload["error"] or f"the render process exited with status {code}")

    # the child ----------------------------------------------------------------------------------
    def _become_child(self, write_fd: int) -> None:
        forwarder = RecordCollector()
        logging.getLogger().handlers = [forwarder]

        def finish(error: str | None = None, code: int = 0):
            try:
                data = pickle.dumps({"records": forwarder.records, "error": error,
                                     "ledger": self.session.ledger.entries})
                view = memoryview(data)
                while view:
                    view = view[os.write(write_fd, view):]
            finally:
                os._exit(code)

        def silent(*args, **kwargs):
            return []

        live = {id(getattr(pelican_signals, name)) for name in LIVE_IN_CHILD}
        for value in vars(pelican_signals).values():
            if isinstance(value, blinker.Signal) and id(value) not in live:
                value.send = silent
        pelican_signals.finalized.send = lambda *a, **k: finish()

        def sharded(original):
            def generate_output(writer):
                try:
                    return original(writer)
                except BaseException:  # noqa: BLE001 - the parent reports it
                    finish(traceback.format_exc(), 1)

            return generate_output

        self.writer.shard_filter = lambda name: shard_of(name, self.child_share) == 1
        for generator in self.session.generators:
            if type(generator) in SHARDED_GENERATORS:
                generator.generate_output = sharded(generator.generate_output)
            else:
                generator.generate_output = silent
