"""Thin Pelican glue for the search plugin."""

from __future__ import annotations

import atexit
import logging

from pelican import signals

from csoa.search.pagefind_index import BODY_MARKER, PagefindRun

BODY_MARKER_TEXT = BODY_MARKER.decode()

logger = logging.getLogger(__name__)


def add_search_page(pelican) -> None:
    """Render theme/templates/search.html to /search/ as a direct template."""
    settings = pelican.settings
    if "search" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
    settings.setdefault("SEARCH_URL", "search/")
    settings.setdefault("SEARCH_SAVE_AS", "search/index.html")


_running: dict[str, PagefindRun] = {}  # output path -> the index being built for it


@atexit.register
def _stop_leftover_runs() -> None:
    """A build that failed after start_index never waits for its Pagefind: stop it and remove its
    scratch folder when the process ends (the next build of this process would do it otherwise)."""
    for run in _running.values():
        run.kill()
    _running.clear()


def start_index(pelican) -> None:
    """First in ``finalized`` (all HTML is written): Pagefind indexes in its own process while the
    other plugins' finalized handlers run (the sitemap reads the same pages)."""
    if pelican.settings.get("SEARCH_INDEX_DEFERRED"):  # the dev loop indexes in the background
        logger.info("search index deferred to the background indexer")
        return
    for leftover in _running.values():  # a build that failed before finish_index
        leftover.kill()
    _running.clear()
    _running[str(pelican.output_path)] = PagefindRun(pelican.output_path, pelican.settings.get("DEFAULT_LANG", "en"),
                                                     known=written_pages_lookup())


def written_pages_lookup():
    """fastbuild's ledger of the pages this build wrote, as ``known`` for marked_pages_glob (None
    without fastbuild: every page is read)."""
    try:
        from csoa.engine.fastbuild.page_probes import holds
    except ImportError:
        return None
    return lambda path: holds(path, BODY_MARKER_TEXT)


def watch_written_pages() -> None:
    try:
        from csoa.engine.fastbuild.page_probes import watch
    except ImportError:
        return
    watch(BODY_MARKER_TEXT)


def finish_index(pelican) -> None:
    """Last in ``finalized``: wait for Pagefind; its failure fails the build."""
    run = _running.pop(str(pelican.output_path), None)
    if run is None:
        return
    result = run.finish()
    if not result.body_marked:
        logger.warning("no page has a data-pagefind-body element: Pagefind indexed every page, listings too")
    logger.info("Pagefind indexed %d pages into %s", result.pages, result.bundle)


def finish_index_last(*_args) -> None:
    """Move finish_index after every other plugin's ``finalized`` handler (receivers run in the
    order they connected; plugins that registered after this one come later)."""
    signals.finalized.disconnect(finish_index)
    signals.finalized.connect(finish_index)
