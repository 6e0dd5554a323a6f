"""The dev loop's search index: Pagefind runs in the background after a rebuild, not inside it.

Pagefind has no incremental mode: it re-reads the whole site (about 2 s for 3,400 pages here).
In the dev loop the edited page must be live within a second, so the rebuild carries the previous
bundle over (moved, so search keeps working, one edit behind) and, once the new output is in
place, this indexer writes a fresh bundle beside it and swaps it in with two renames. It is the
search plugin's background job in the dev loop's build session: the dev loop cancels it before a
build (its result would describe an output that is being replaced) and starts it on the live
output after.

Plain Python, no Pelican.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from csoa.engine.atomic import swap_into_place
from csoa.search.pagefind_index import (
    PagefindFailed,
    Stopped,
    marked_pages_glob,
    pagefind_command,
    place_bundle,
    read_result,
    scratch_folder,
)

logger = logging.getLogger(__name__)
BUNDLE = "pagefind"


def carry_bundle_over(live: Path, staging: Path) -> None:
    """Move the live output's search bundle into the staging output that is about to replace it
    (one rename, not 2,000 links), when the staged output is complete. Should the build still
    fail, the live output is indexed again by the job that starts after every build."""
    source, target = Path(live) / BUNDLE, Path(staging) / BUNDLE
    if source.is_dir() and not target.exists():
        os.rename(source, target)


class BackgroundIndexer:
    """Indexes one output directory at a time, off the build's critical path."""

    def __init__(self, language: str = "en"):
        self.language = language
        self._lock = threading.Lock()  # held while a finished bundle is swapped in
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._cancelled = threading.Event()
        self.error: str | None = None  # the last run's failure, for the dev server to show
        self.runs = 0  # bundles swapped in

    def start(self, site: Path) -> None:
        self.cancel()
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._index, args=(Path(site), self._cancelled),
                                        name="search-index", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop the running indexer (if any) and wait for it: the output may change after this."""
        thread = self._thread
        if thread is None:
            return
        self._cancelled.set()
        with self._lock:
            process = self._process
            if process is not None and process.poll() is None:
                process.kill()
        thread.join()
        self._thread = None

    def wait(self) -> None:
        """Wait until the output's bundle is current (benchmarks and tests compare it)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.error:
            raise PagefindFailed(self.error)

    def _index(self, site: Path, cancelled: threading.Event) -> None:
        fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}-{BUNDLE}-", dir=site.parent))
        scratch = scratch_folder(site)  # Pagefind writes here (in memory when there is room)
        try:
            glob = marked_pages_glob(site, should_stop=cancelled.is_set)
            with self._lock:
                if cancelled.is_set():
                    return
                command = pagefind_command(site, self.language, scratch / BUNDLE, glob)
                self._process = subprocess.Popen(command,
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            stdout, stderr = self._process.communicate()
            with self._lock:
                if cancelled.is_set():
                    return
                read_result(site, scratch / BUNDLE, self._process.returncode, stdout, stderr)
                fresh.rmdir()
                place_bundle(scratch / BUNDLE, fresh)  # beside the site: the swap below is two renames
                swap_into_place(fresh, site / BUNDLE)  # as a build's output
                self.error, self.runs = None, self.runs + 1
        except Stopped:
            return
        except PagefindFailed as failure:
            self.error = str(failure)
            logger.error("search index not updated: %s", failure)
        finally:
            self._process = None
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(scratch, ignore_errors=True)
