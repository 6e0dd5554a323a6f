"""Render pages in two processes: this one and one child forked once the context is complete.

FastPelican.run forks after the context phase. The child runs the output phase of Pelican's own
generators (articles, pages, template pages) for the pages whose output name hashes to its shard,
sends back its warnings and errors, its page notes and any failure through a pipe, and exits. The
parent renders the other shard of those generators and runs the plugin generators meanwhile, then
joins: it replays the child's records through its own logging (so an error in the child fails the
build like any other) and raises if the child failed. The parent renders the smaller share
(CHILD_SHARE) because it also writes the plugin generators' output while the child renders.

In the child, Pelican's per-item signals (``article_generator_write_article``, ``content_written``...)
are sent as usual, for the pages it writes. ``article_writer_finalized`` and ``page_writer_finalized``
say that a generator's whole output is written: the child, with only a share of it, mutes them
(blinker's ``Signal.muted``), so their handlers run once, in the parent.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
import zlib

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, TemplatePagesGenerator

from csoa.engine.fastbuild.log_records import RecordCollector

SHARDED_GENERATORS = (ArticlesGenerator, PagesGenerator, TemplatePagesGenerator)
WHOLE_OUTPUT_SIGNALS = (signals.article_writer_finalized, signals.page_writer_finalized)

# The child's share of the pages: more than half, because the parent also writes the plugin
# generators' output (events, statistics, feeds...) while the child is still rendering.
CHILD_SHARE = 0.6


class RenderWorkerFailed(RuntimeError):
    """The forked render process failed; its traceback is the message."""


def shard_of(name: str, child_share: float = CHILD_SHARE) -> int:
    """1 (the child) for about ``child_share`` of the names, else 0; stable for a name."""
    return 1 if zlib.crc32(name.encode("utf-8", "surrogatepass")) % 1000 < child_share * 1000 else 0


def is_sharded(generator) -> bool:
    return type(generator) in SHARDED_GENERATORS


def fork_pays(generators: list, settings: dict, workers: int) -> bool:
    """Two cores, no other thread (a forked child could inherit a lock another thread holds), and
    enough items in Pelican's own generators to make the fork pay."""
    if workers < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    items = sum(len(getattr(g, "articles", ())) + len(getattr(g, "pages", ())) for g in generators if is_sharded(g))
    return any(is_sharded(g) for g in generators) and items >= settings.get("FASTBUILD_MIN_PARALLEL_RENDER", 200)


class RenderFork:
    def __init__(self, child_share: float = CHILD_SHARE):
        self.child_share = child_share
        self.pid: int | None = None
        self.read_fd: int | None = None
        self.write_fd: int | None = None
        self.in_child = False

    def start(self) -> None:
        """Fork; afterwards ``in_child`` says which process this is."""
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            self.in_child, self.write_fd = True, write_fd
        else:
            os.close(write_fd)
            self.pid, self.read_fd = pid, read_fd

    def shard(self, name: str) -> bool:
        """Does this process render the page ``name``?"""
        return shard_of(name, self.child_share) == (1 if self.in_child else 0)

    # the child ----------------------------------------------------------------------------------
    def render_and_exit(self, writer, generators: list, pages) -> None:
        """The child's whole life after the fork: its share of Pelican's own generators, then exit."""
        forwarder = RecordCollector()
        logging.getLogger().handlers = [forwarder]
        error, code = None, 0
        try:
            writer.shard = self.shard
            with contextlib.ExitStack() as muted:
                for whole_output in WHOLE_OUTPUT_SIGNALS:
                    muted.enter_context(whole_output.muted())
                for generator in generators:
                    if is_sharded(generator):
                        generator.generate_output(writer)
        except BaseException:  # noqa: BLE001 - the parent reports it
            error, code = traceback.format_exc(), 1
        try:
            data = pickle.dumps({"records": forwarder.records, "error": error, "pages": pages.entries})
            view = memoryview(data)
            while view:
                view = view[os.write(self.write_fd, view):]
        finally:
            os._exit(code)

    # the parent ---------------------------------------------------------------------------------
    def abandon(self) -> None:
        """The parent failed: stop the child and reap it."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.read_fd)
        self.pid = None

    def join(self, pages) -> None:
        """Wait for the child; take its page notes; replay its log records here; raise if it failed."""
        if self.pid is None:
            return
        chunks = []
        while chunk := os.read(self.read_fd, 1 << 16):
            chunks.append(chunk)
        os.close(self.read_fd)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        payload = pickle.loads(b"".join(chunks)) if chunks else {"records": [], "error": None, "pages": {}}
        pages.update(payload["pages"])
        for record in payload["records"]:
            logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
        code = os.waitstatus_to_exitcode(status)
        if payload["error"] or code != 0:
            raise RenderWorkerFailed(payload["error"] or f"the render process exited with status {code}")
