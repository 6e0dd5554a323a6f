"""The dev loop's search index: kept current in the background after each rebuild.

The rebuild carries the previous bundle over (moved, so search keeps working, one edit behind);
once the new output is live, this job brings Pagefind's index up to date with the pages that
changed (csoa.search.live_index: a Pagefind service keeps the parsed pages between builds) and
copies the bundle files that changed into the live output (csoa.search.bundle_files.publish). It
is the search plugin's background job in the dev loop's build session: the dev loop cancels it
before a build and starts it on the live output after.

Cancelling does not stop a request Pagefind is working on (its index would be lost, and the next
update would parse every page again): that request finishes beside the build, into the job's own
folder, and the job publishes nothing into the output after ``cancel()`` returned. ``close()``
stops everything.

Plain Python, no Pelican.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from csoa.search.bundle_files import BundleUnreadable, publish
from csoa.search.live_index import LiveIndex, OutputChanging, UpdateReport
from csoa.search.pagefind_index import PagefindFailed, Stopped
from csoa.search.pagefind_service import ServiceFailed

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
    """Keeps the search bundle of one live output current, off the build's critical path."""

    def __init__(self, language: str = "en"):
        self.index = LiveIndex(language)
        self._lock = threading.Lock()  # held while the bundle is published into the output
        self._thread: threading.Thread | None = None
        self._cancelled = threading.Event()
        self.error: str | None = None  # the last run's failure, for the dev server to show
        self.runs = 0  # bundles published
        self.last: UpdateReport | None = None  # what the last run did (and its times)

    def start(self, site: Path) -> None:
        self.cancel()
        previous, self._cancelled = self._thread, threading.Event()
        self._thread = threading.Thread(target=self._index, args=(Path(site), self._cancelled, previous),
                                        name="search-index", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """From now on nothing is published into the output (a publication under way finishes
        first); a Pagefind request under way finishes in the background (the next start waits)."""
        self._cancelled.set()
        with self._lock:
            pass

    def close(self) -> None:
        """Stop everything: the Pagefind service, the job's thread, its folder."""
        self._cancelled.set()
        self.index.stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.index.close()

    def wait(self) -> None:
        """Wait until the output's bundle is current (benchmarks and tests compare it)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.error:
            raise PagefindFailed(self.error)

    def _index(self, site: Path, cancelled: threading.Event, previous: threading.Thread | None) -> None:
        if previous is not None:
            previous.join()  # the cancelled run's Pagefind request: one service, one request at a time
        cpu = time.thread_time()
        try:
            bundle, report = self.index.update(site, should_stop=cancelled.is_set)
            with self._lock:
                if cancelled.is_set():
                    return
                started = time.perf_counter()
                publish(bundle, site / BUNDLE)
                report.seconds["publish"] = time.perf_counter() - started
                report.seconds["job_cpu"] = time.thread_time() - cpu  # this thread's share: scan, prune, publish
                self.error, self.runs, self.last = None, self.runs + 1, report
        except Stopped:
            return
        except (ServiceFailed, BundleUnreadable, OutputChanging, PagefindFailed, OSError) as failure:
            if cancelled.is_set():
                return  # stopped by close(), or a run whose output is gone: the next run starts over
            self.index.stop()
            self.error = str(failure)
            logger.error("search index not updated: %s", failure)
