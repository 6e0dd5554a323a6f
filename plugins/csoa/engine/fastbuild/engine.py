"""FastPelican: Pelican's build with the same output, faster. Its ``run()`` names the phases.

1. prefetch and parse: the markdown sources are parsed in a pool of worker processes (reading.py),
   started when the engine is made, while Pelican loads the plugins and validates content;
2. context: Pelican's generators read (taking the parsed files) and build the shared context;
3. fork: a child process is forked to render a share of the pages (sharding.py);
4. sharded output: this process renders its share of Pelican's own pages and runs the plugin
   generators; in the dev loop unchanged pages are kept instead of rendered (render_skip.py);
5. join: the child's log records and page notes are taken, kept pages linked into the output;
6. finalized: the plugins' ``finalized`` handlers run, with Pelican exactly as installed.

Phases 1-5 run with the replacements of pelican_internals applied (memoised slugs and URLs,
ISO dates parsed directly, taxonomy lists with set lookups, templates compiled once); they are
undone before phase 6. What outlives the run (parsed sources, compiled templates, page
fingerprints) lives in the build session (csoa.util.session), which the dev loop keeps.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from pelican import Pelican, signals

import csoa.engine.pelican_internals as internals
from csoa.engine.fastbuild import sharding
from csoa.engine.fastbuild.membership import MembershipList
from csoa.engine.fastbuild.reading import MarkdownReading, SourceTable
from csoa.engine.fastbuild.render_skip import OutputRecord, RenderGate
from csoa.engine.fastbuild.template_cache import share_compiled_templates
from csoa.util.session import OUTPUT_SWAPPED_IN, BuildSession


@dataclass
class EngineMemory:
    """What the engine keeps in the session from one build to the next."""

    sources: SourceTable = field(default_factory=SourceTable)
    templates: dict = field(default_factory=dict)  # environment options -> SharedBytecodeCache
    pure: dict = field(default_factory=dict)  # slugs and relative source paths (pelican_internals)
    pages: dict[str, OutputRecord] = field(default_factory=dict)  # the live output's page fingerprints


@dataclass
class RunReport:
    parsed: int = 0  # source files parsed by this run
    rendered: list[str] = field(default_factory=list)  # output names rendered
    kept: list[str] = field(default_factory=list)  # output names linked unchanged from the live output
    pages: list[str] = field(default_factory=list)  # every page of the new output the dev loop fingerprints
    finalize_seconds: float = 0.0  # spent in the plugins' ``finalized`` handlers


def workers(settings: dict) -> int:
    configured = settings.get("FASTBUILD_WORKERS")
    if configured is not None:
        return int(configured)
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class FastPelican(Pelican):
    def __init__(self, settings: dict, session: BuildSession):
        self.session = session
        self.memory = session.keep("engine", EngineMemory)
        self.reading = MarkdownReading(self.memory.sources, workers(settings), share_values=session.incremental)
        self.report = RunReport()
        if not session.incremental:  # a cold table: the pool parses while Pelican loads the plugins (~0.4 s)
            self.reading.prefetch(settings)
        try:
            super().__init__(settings)
        except BaseException:
            self.reading.cancel()
            raise

    def run(self):
        started, parsed_before = time.time(), self.memory.sources.parsed_count
        self.report = RunReport()
        try:
            with contextlib.ExitStack() as this_run:  # what pelican_internals replaces, for phases 1-5
                this_run.enter_context(self.replacements())
                self.reading.prefetch(self.settings)  # 1. prefetch and parse (an early job is kept)
                context, generators = self.context_phase(this_run)  # 2. context
                writer = self.writer_for(context, this_run)
                fork = self.fork(writer, generators)  # 3. fork (the child renders its share, then exits)
                self.sharded_output(writer, generators, fork)  # 4. sharded output
                self.join(writer, fork)  # 5. join
            self.report.parsed = self.memory.sources.parsed_count - parsed_before
            self.finalized(generators, started)  # 6. finalized
        finally:
            self.reading.cancel()
            if self.session.incremental:
                internals.clear_content_memos()  # do not keep this build's content objects alive

    @contextlib.contextmanager
    def replacements(self) -> Iterator[None]:
        """The reading replacements and the engine's signal handlers (templates compiled once per
        session, set-backed taxonomy lists)."""
        if self.session.incremental:
            internals.clear_content_memos()
        with internals.patched(internals.reading_patches(self.reading.lookup, self.memory.pure)), \
                _connected(signals.generator_init, partial(share_compiled_templates, caches=self.memory.templates)), \
                _connected(signals.article_generator_pretaxonomy,
                           partial(internals.use_membership_lists, list_type=MembershipList)):
            yield

    def context_phase(self, this_run: contextlib.ExitStack) -> tuple[dict, list]:
        """Pelican's generators read (taking the parsed files) and build the context; once every
        all_generators_finalized handler ran, content URLs are fixed (computed once each)."""
        context, generators = internals.start_run(self)
        internals.generate_contexts(generators)
        self.reading.end()  # reading is over: no pool threads when the renderer forks
        this_run.enter_context(internals.patched(internals.fixed_urls()))
        internals.refresh_links(generators)
        return context, generators

    def writer_for(self, context: dict, this_run: contextlib.ExitStack) -> internals.FastWriter:
        """The writer; in the dev loop with a gate that keeps unchanged pages (body reads tracked)."""
        gate = None
        if self.session.incremental:
            gate = RenderGate(self.memory.pages, context, self.session.live_output, self.output_path)
            this_run.enter_context(internals.patched(internals.body_tracking(gate.recorder)))
            self.session.on(OUTPUT_SWAPPED_IN, "engine", partial(self._output_live, gate))
        return internals.FastWriter(self.output_path, self.settings, self.session.pages, gate)

    def fork(self, writer, generators: list) -> sharding.RenderFork | None:
        if writer.gate is not None or not sharding.fork_pays(generators, self.settings, workers(self.settings)):
            return None
        fork = sharding.RenderFork(float(self.settings.get("FASTBUILD_CHILD_SHARE", sharding.CHILD_SHARE)))
        fork.start()
        if fork.in_child:
            fork.render_and_exit(writer, generators, self.session.pages)  # never returns
        return fork

    def sharded_output(self, writer, generators: list, fork: sharding.RenderFork | None) -> None:
        """This process's share of Pelican's own pages, and every other generator's output."""
        try:
            for generator in generators:
                if hasattr(generator, "generate_output"):
                    writer.shard = fork.shard if fork is not None and sharding.is_sharded(generator) else None
                    generator.generate_output(writer)
        except BaseException:
            if fork is not None:
                fork.abandon()
            raise
        finally:
            writer.shard = None

    def join(self, writer, fork: sharding.RenderFork | None) -> None:
        if fork is not None:
            fork.join(self.session.pages)
        if writer.gate is not None:
            writer.gate.link_kept()
            gate = writer.gate
            self.report.rendered, self.report.kept, self.report.pages = list(gate.rendered), list(gate.kept), list(gate.pending)

    def finalized(self, generators: list, started: float) -> None:
        began = time.perf_counter()
        signals.finalized.send(self)
        self.report.finalize_seconds = time.perf_counter() - began
        internals.print_summary(generators, started)

    def _output_live(self, gate: RenderGate, _live) -> None:
        """Output swapped in: its page fingerprints are the ones the next build compares with."""
        self.memory.pages = dict(gate.pending)


@contextlib.contextmanager
def _connected(signal, receiver: Callable) -> Iterator[None]:
    signal.connect(receiver, weak=False)
    try:
        yield
    finally:
        signal.disconnect(receiver)
