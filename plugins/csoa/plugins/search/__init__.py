"""Pagefind search: adds the /search/ page and indexes the built site after each build."""

from pelican import signals

from csoa.plugins.search.glue import add_search_page, index_site


def register():
    signals.initialized.connect(add_search_page)
    signals.finalized.connect(index_site)
