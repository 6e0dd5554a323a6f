"""Thin Pelican glue for the search plugin."""

from __future__ import annotations

import logging

from .pagefind_index import run_pagefind

logger = logging.getLogger(__name__)


def add_search_page(pelican) -> None:
    """Render theme/templates/search.html to /search/ as a direct template."""
    settings = pelican.settings
    if "search" not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "search"]
    settings.setdefault("SEARCH_URL", "search/")
    settings.setdefault("SEARCH_SAVE_AS", "search/index.html")


def index_built_site(pelican) -> None:
    if pelican.settings.get("SEARCH_INDEX_DEFERRED"):  # the dev loop indexes in the background
        logger.info("search index deferred to the background indexer")
        return
    result = run_pagefind(pelican.output_path, pelican.settings.get("DEFAULT_LANG", "en"))
    if not result.body_marked:
        logger.warning("no page has a data-pagefind-body element: Pagefind indexed every page, listings too")
    logger.info("Pagefind indexed %d pages into %s", result.pages, result.bundle)
