"""Pagefind search: adds the /search/ page and indexes the built site after each build."""

from pelican import signals

from csoa.plugins.search.glue import add_search_page, finish_index, finish_index_last, start_index, watch_written_pages


def register():
    watch_written_pages()  # the writer notes which pages carry data-pagefind-body (csoa.engine.fastbuild.page_probes)
    signals.initialized.connect(add_search_page)
    signals.all_generators_finalized.connect(finish_index_last)
    signals.finalized.connect(start_index)
    signals.finalized.connect(finish_index)
