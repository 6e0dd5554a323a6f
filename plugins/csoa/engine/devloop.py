"""The dev loop: a builder that stays in memory between builds, for live preview.

    builder = DevBuilder("pelicanconf.py", {"OUTPUT_PATH": "output"})
    builder.build()                      # a full build (parses everything, renders everything)
    report = builder.rebuild(["content/news/a.md"])   # after an edit: only what changed
    report.rendered, report.kept, report.parsed, report.seconds

It keeps the fastbuild session -- parsed sources and a fingerprint of every page -- so a rebuild
parses only the changed files and re-renders only the pages whose inputs changed; the others are
hard-linked from the previous output. Every build is atomic like build_site(): it writes a fresh
staging directory that replaces the output only on success; a failed build raises BuildFailed and
leaves the output and the builder's memory as they were after the last good build.

Three things keep a rebuild short at 2,000 pages. The output replaced by a build is not deleted but
kept, trimmed down to its page files in the background, and reused as the next build's staging
directory, so a rebuild creates no folders and links only the pages that changed since then. The
search index (Pagefind has no incremental mode) is written in the background after the swap: the
rebuilt output carries the previous bundle until the fresh one replaces it; ``wait_for_search()``
waits for it. Python's cyclic collector is paused while a build runs (see _collect_garbage).
``close()`` stops the background work.

``changed_paths`` is advisory: files are re-parsed when their stamp (mtime, size, inode) changed,
whatever the caller says. Template and settings changes are picked up too (they are in every
page's fingerprint); a change to Python code (plugins, settings modules) needs a new DevBuilder.
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
from csoa.engine.build import BuildFailed, load_settings, run_pelican
from csoa.util.settings import plugin_names

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
        from csoa.engine.fastbuild import render_skip
        from csoa.engine.fastbuild.session import BuildSession

        self.settings = load_settings(settings_file, overrides)
        plugins = plugin_names(self.settings)
        if "fastbuild" not in plugins:
            raise ValueError("the dev loop needs the fastbuild plugin in PLUGINS")
        self.indexer = None
        if "search" in plugins:
            from csoa.plugins.search.background import BackgroundIndexer

            self.settings["SEARCH_INDEX_DEFERRED"] = True
            self.indexer = BackgroundIndexer(self.settings.get("DEFAULT_LANG", "en"))
        self.output = Path(self.settings["OUTPUT_PATH"]).resolve()
        self.content = Path(self.settings["PATH"]).resolve()
        self.session = BuildSession(persistent=True)
        self.builds = 0
        self._spare: Path | None = None  # the output replaced by the last build, to stage into
        self._trimming: threading.Thread | None = None
        self._collecting: threading.Timer | None = None
        render_skip.install_body_tracking()

    def build(self) -> BuildReport:
        """A full build: forget every page fingerprint (parsed sources are still reused if fresh)."""
        self.session.outputs = {}
        return self._run(keep_from=None)

    def close(self) -> None:
        """Stop the background work (search indexer, pending collection, spare preparation) and
        remove the spare staging directory; the output stays."""
        if self.indexer is not None:
            self.indexer.cancel()
        if self._collecting is not None:
            self._collecting.cancel()
        spare = self._take_spare()
        if spare is not None:
            shutil.rmtree(spare, ignore_errors=True)

    def wait_for_search(self) -> None:
        """Block until the output's search bundle describes it (raises PagefindFailed on failure)."""
        if self.indexer is not None:
            self.indexer.wait()

    def rebuild(self, changed_paths=()) -> BuildReport:
        """Rebuild after edits; raises BuildFailed (keeping the last good output) on errors."""
        from csoa.engine.fastbuild.render_skip import KeptFileMissing

        del changed_paths  # stamps decide (see the module docstring)
        if not self.output.is_dir():
            return self.build()
        try:
            return self._run(keep_from=self.output)
        except BuildFailed as failure:
            if isinstance(failure.__cause__, KeptFileMissing):  # someone deleted files in the output
                return self.build()
            raise

    def _run(self, keep_from: Path | None) -> BuildReport:
        from csoa.engine.fastbuild import render_skip
        from csoa.engine.fastbuild.session import pinned

        started = time.perf_counter()
        if self._collecting is not None:  # not started yet: cancelled; running: waited for
            self._collecting.cancel()
            self._collecting.join()
        if self.indexer is not None:
            self.indexer.cancel()  # it would index an output this build replaces
        reuse = self._take_spare() if keep_from is not None else None
        parsed_before = self.session.sources.parsed_count
        render_skip.clear_pelican_memos()
        self.session.previous_output = keep_from
        gc.disable()  # see _collect_garbage; the finally below enables it again
        try:
            with pinned(self.session), staged_directory(self.output, remove_old=self._keep_spare,
                                                        reuse=reuse) as staging:
                run_pelican({**self.settings, "OUTPUT_PATH": str(staging)})
                finished = time.perf_counter()
                gate = self.session.gate
                finalize = finished - (self.session.finalize_started or finished)
                self.session.outputs = dict(gate.pending) if gate is not None else {}
                if self.indexer is not None:  # last, right before the swap: nothing can fail between
                    from csoa.plugins.search.background import move_bundle

                    move_bundle(self.output, staging)
        finally:
            render_skip.clear_pelican_memos()  # do not keep this build's content objects alive
            self.session.generators = []
            self.session.gate = None
            if self.indexer is not None and self.output.is_dir():
                self.indexer.start(self.output)  # the new output, or the old one after a failure
            self._collect_garbage()
        self.builds += 1
        self._prepare_first_spare()
        return BuildReport(
            seconds=time.perf_counter() - started,
            parsed=self.session.sources.parsed_count - parsed_before,
            rendered=list(gate.rendered) if gate else [],
            kept=list(gate.kept) if gate else [],
            finalize_seconds=finalize,
            reused_output=reuse is not None,
        )

    def _collect_garbage(self) -> None:
        """Python's cyclic collector, run by allocation counts, makes full passes over the dev loop's
        large heap in the middle of a rebuild (0.1-0.2 s of a 1 s rebuild at 2,000 items). So it is
        paused while a build runs, and one full collection frees the build's cycles shortly after
        the build returned (a collection holds the interpreter: started at once, it would delay the
        return), while the editor looks at the page. A build that comes first cancels or waits for it."""
        gc.enable()
        self._collecting = threading.Timer(GC_DELAY_SECONDS, gc.collect)
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
        if self._spare is not None or self._trimming is not None or not self.session.outputs:
            return
        spare = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-spare-", dir=self.output.parent))
        self._spare = spare
        self._trimming = threading.Thread(target=link_pages, args=(self.output, spare, sorted(self.session.outputs)),
                                          daemon=True)
        self._trimming.start()

    def _keep_spare(self, old: Path) -> None:
        """The replaced output becomes the next staging directory, trimmed to the pages the new
        output also has (the next build relinks or replaces them) in a background thread."""
        previous = self._take_spare()
        if previous is not None:  # a full build did not reuse it
            _remove_in_background(previous)
        self._spare = old
        self._trimming = threading.Thread(target=trim_tree, args=(old, set(self.session.outputs)), daemon=True)
        self._trimming.start()


def _remove_in_background(old: Path) -> None:
    """The replaced output is deleted off the critical path (a thread; unlinks release the GIL)."""
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()
