"""Thin Pelican glue for the search plugin.

In a build run by the entry point (csoa.engine.build), Pagefind starts at ``finalized`` and runs in
its own process while the other plugins' handlers run; the build waits for it when its output is
complete (the session's "output complete" hook), so its failure fails the build, and a build that
fails before then stops it ("build ended"). The writer notes which pages carry data-pagefind-body
as it writes them (a page probe), so the glob of marked pages needs to read only the others. In the
dev loop (an incremental session) the index is a background job instead: the rebuilt output
carries the previous bundle over and, once the output is live, the job tells the Pagefind index it
keeps between builds which pages changed and copies the changed bundle files in. In a bare
Pelican run (no session) Pagefind runs within ``finalized``.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from csoa.plugins.search.background import BackgroundIndexer, carry_bundle_over
from csoa.search.pagefind_index import BODY_MARKER, PagefindRun, run_pagefind
from csoa.util.session import BUILD_ENDED, OUTPUT_COMPLETE, current

BODY_MARKER_TEXT = BODY_MARKER.decode()
MARKED = "search: data-pagefind-body"  # the page probe's name

logger = logging.getLogger(__name__)


def add_search_page(pelican) -> None:
    """Render theme/templates/search.html to /search/ as a direct template; have the writer note
    which pages it marks for indexing."""
    settings = pelican.settings
    if "search" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
    settings.setdefault("SEARCH_URL", "search/")
    settings.setdefault("SEARCH_SAVE_AS", "search/index.html")
    session = current()
    if session is not None:
        session.pages.probe(MARKED, _marked)


def _marked(text: str) -> bool:
    return BODY_MARKER_TEXT in text


def index_site(pelican) -> None:
    language = pelican.settings.get("DEFAULT_LANG", "en")
    session = current()
    if session is None:
        _report(run_pagefind(pelican.output_path, language))
    elif session.incremental:  # the dev loop: a background job indexes the live output
        session.job("search", partial(BackgroundIndexer, language))
        if session.live_output is not None:
            session.on(OUTPUT_COMPLETE, "search", partial(carry_bundle_over, session.live_output))
        logger.info("search index deferred to the background indexer")
    else:
        run = PagefindRun(pelican.output_path, language, known=partial(_known, session.pages))
        session.on(OUTPUT_COMPLETE, "search", lambda _output: _report(run.finish()))
        session.on(BUILD_ENDED, "search", lambda _succeeded: run.kill())


def _known(pages, path: str) -> bool | None:
    return pages.fact(path, MARKED)


def _report(result) -> None:
    if not result.body_marked:
        logger.warning("no page has a data-pagefind-body element: Pagefind indexed every page, listings too")
    logger.info("Pagefind indexed %d pages into %s", result.pages, Path(result.bundle))
