"""The dev loop: a builder that stays in memory between builds, for live preview.

    builder = DevBuilder("pelicanconf.py", {"OUTPUT_PATH": "output"})
    builder.build()                      # a full build (parses everything, renders everything)
    report = builder.rebuild(["content/news/a.md"])   # after an edit: only what changed
    report.rendered, report.kept, report.parsed, report.seconds

It keeps one incremental build session (csoa.util.session) for its life: the engine's parsed
sources and a fingerprint of every page, and what the plugins registered (memos, background jobs).
A rebuild parses only the changed files and re-renders only the pages whose inputs changed; the
others are hard-linked from the previous output. Every build is atomic like build_site(): it writes
a staging directory that replaces the output only on success; a failed build raises BuildFailed and
leaves the output as it was after the last good build.

Three things keep a rebuild short at 2,000 pages. The output replaced by a build is not deleted but
kept, trimmed down to its page files in the background, and reused as the next build's staging
directory, so a rebuild creates no folders and links only the pages that changed since then. Slow
follow-up work that plugins register as background jobs (the search index) is paused while a
build runs and resumed on the live output after it;
``wait_for_background()`` waits for it. Python's cyclic collector is paused while a build runs
(see _collect_garbage). ``close()`` stops the background work.

``changed_paths`` is advisory: files are re-parsed when their stamp changed, whatever the caller
says. Template and settings changes are picked up too (they are in every page's fingerprint); a
change to Python code (plugins, settings modules) needs a new DevBuilder. Without the fast engine
(FASTBUILD = False, or another Pelican version) every build is a full plain build.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from csoa.engine.atomic import link_pages, staged_directory, trim_tree
from csoa.engine.build import BuildFailed, load_settings, run_build
from csoa.util.session import OUTPUT_SWAPPED_IN, BuildSession

GC_DELAY_SECONDS = 0.3


@dataclass
class BuildReport:
    seconds: float
    parsed: int  # source files parsed by this build
    rendered: list[str] = field(default_factory=list)  # output names rendered
    kept: list[str] = field(default_factory=list)  # output names linked unchanged from the last build
    finalize_seconds: float = 0.0  # spent in the other plugins' ``finalized`` handlers
    reused_output: bool = False  # staged into the output replaced by the build before


class DevBuilder:
    def __init__(self, settings_file, overrides: dict | None = None):
        self.settings = load_settings(settings_file, overrides)
        self.output = Path(self.settings["OUTPUT_PATH"]).resolve()
        self.content = Path(self.settings["PATH"]).resolve()
        self.session = BuildSession(incremental=True)
        self.builds = 0
        self._pages: list[str] = []  # the live output's page names (what a spare staging folder holds)
        self._spare: Path | None = None  # the output replaced by the last build, to stage into
        self._trimming: threading.Thread | None = None
        self._collecting: threading.Timer | None = None

    def build(self) -> BuildReport:
        """A full build: every page fingerprint forgotten, so nothing is kept from the live output
        (parsed sources are still reused if fresh)."""
        from csoa.engine.fastbuild.engine import EngineMemory

        self.session.keep("engine", EngineMemory).pages = {}
        return self._run(reuse_output=False)

    def close(self) -> None:
        """Stop the background work (the jobs, a pending collection, the spare's preparation) and
        remove the spare staging directory; the output stays."""
        self.session.close_jobs()
        if self._collecting is not None:
            self._collecting.cancel()
            self._collecting.join()
        gc.enable()
        spare = self._take_spare()
        if spare is not None:
            shutil.rmtree(spare, ignore_errors=True)

    def wait_for_background(self) -> None:
        """Block until the background jobs are done with the live output (raises their failure)."""
        self.session.wait_for_jobs()

    def rebuild(self, changed_paths=()) -> BuildReport:
        """Rebuild after edits; raises BuildFailed (keeping the last good output) on errors."""
        from csoa.engine.fastbuild.render_skip import KeptFileMissing

        del changed_paths  # stamps decide (see the module docstring)
        if not self.output.is_dir():
            return self.build()
        try:
            return self._run(reuse_output=True)
        except BuildFailed as failure:
            if isinstance(failure.__cause__, KeptFileMissing):  # someone deleted files in the output
                return self.build()
            raise

    def _run(self, reuse_output: bool) -> BuildReport:
        started = time.perf_counter()
        if self._collecting is not None:  # not started yet: cancelled; running: waited for
            self._collecting.cancel()
            self._collecting.join()
        self.session.cancel_jobs()  # their work would describe an output this build replaces
        self.session.live_output = self.output if self.output.is_dir() else None
        reuse = self._take_spare() if reuse_output else None
        gc.disable()  # see _collect_garbage: re-enabled in the background shortly after the build
        try:
            with self.session.build():
                with staged_directory(self.output, remove_old=self._keep_spare, reuse=reuse) as staging:
                    pelican = run_build({**self.settings, "OUTPUT_PATH": str(staging)}, self.session)
                    report = getattr(pelican, "report", None)  # FastPelican's; None from plain Pelican
                    self._pages = sorted(report.pages) if report else []
                self.session.emit(OUTPUT_SWAPPED_IN, self.output)
        finally:
            if self.output.is_dir():
                self.session.start_jobs(self.output)  # the new output, or the old one after a failure
            self._collect_garbage()
        self.builds += 1
        self._prepare_first_spare()
        return BuildReport(
            seconds=time.perf_counter() - started,
            parsed=report.parsed if report else 0,
            rendered=report.rendered if report else [],
            kept=report.kept if report else [],
            finalize_seconds=report.finalize_seconds if report else 0.0,
            reused_output=reuse is not None,
        )

    def _collect_garbage(self) -> None:
        """Python's cyclic collector, run by allocation counts, makes full passes over the dev loop's
        large heap in the middle of a rebuild (0.1-0.2 s of a 1 s rebuild at 2,000 items). So it is
        paused while a build runs, and resumed, after one full collection that frees the build's
        cycles, shortly after the build returned, while the editor looks at the page. Not at once: a
        collection holds the interpreter, and merely re-enabling the collector starts one at the next
        allocation, over a youngest generation that then holds every object the build made (0.1-0.2 s
        at 2,000 items before the editor's loop heard that the page is live). A build that comes
        first cancels or waits for it; ``close()`` re-enables the collector."""
        self._collecting = threading.Timer(GC_DELAY_SECONDS, _collect_then_resume_collector)
        self._collecting.daemon = True
        self._collecting.start()

    def _take_spare(self) -> Path | None:
        if self._trimming is not None:
            self._trimming.join()
            self._trimming = None
        spare, self._spare = self._spare, None
        return spare if spare is not None and spare.is_dir() else None

    def _prepare_first_spare(self) -> None:
        """After a build that replaced nothing, make the next staging directory in the background:
        the new output's folders and hard links of its pages (what trimming leaves otherwise)."""
        if self._spare is not None or self._trimming is not None or not self._pages:
            return
        spare = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-spare-", dir=self.output.parent))
        self._spare = spare
        self._trimming = threading.Thread(target=link_pages, args=(self.output, spare, self._pages), daemon=True)
        self._trimming.start()

    def _keep_spare(self, old: Path) -> None:
        """The replaced output becomes the next staging directory, trimmed to the pages the new
        output also has (the next build relinks or replaces them) in a background thread."""
        previous = self._take_spare()
        if previous is not None:  # a full build did not reuse it
            _remove_in_background(previous)
        self._spare = old
        self._trimming = threading.Thread(target=trim_tree, args=(old, set(self._pages)), daemon=True)
        self._trimming.start()


def _collect_then_resume_collector() -> None:
    gc.collect()  # an explicit collection runs while the collector is paused, and runs once
    gc.enable()


def _remove_in_background(old: Path) -> None:
    """The replaced output is deleted off the critical path (a thread; unlinks release the GIL)."""
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()
