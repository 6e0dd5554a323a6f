"""fastbuild: a faster Pelican build with the same output.

* reading: every markdown source is parsed once, in a pool of forked workers started at the
  beginning of the run, while content is validated (reading.py, parse_pool.py);
* rendering: pages are split between this process and one forked child; the plugin generators
  write here meanwhile (sharding.py);
* tag, category and author lists: ``in`` by identity set (membership.py);
* slugs and relative source paths: memoised (pelican_memos.py); ISO dates parsed directly (fast_dates.py);
* content URLs: computed once per item while pages are written (url_memo.py);
* templates: compiled once per process, not once per generator (template_cache.py);
* the dev loop (csoa.engine.devloop) re-renders only the pages whose inputs changed (render_skip.py).

List it FIRST in PLUGINS: its ``finalized`` handler must run before the other plugins' handlers
(they may read output/). Settings: FASTBUILD (False turns it all off), FASTBUILD_WORKERS,
FASTBUILD_READ, FASTBUILD_READ_PATHS, FASTBUILD_MIN_PARALLEL_READ, FASTBUILD_MIN_PARALLEL_RENDER,
FASTBUILD_CHILD_SHARE.
"""

from pelican import signals

from csoa.engine.fastbuild import fast_dates, pelican_memos, reading, session, url_memo
from csoa.engine.fastbuild.membership import use_membership_lists
from csoa.engine.fastbuild.template_cache import share_compiled_templates


def remember_generators(generators):
    session.current().generators = list(generators)
    session.current().sources.end_arrivals()  # reading is over: no pool threads when the renderer forks
    if generators and generators[0].settings.get("FASTBUILD", True):
        url_memo.start()


def choose_writer(pelican):
    if not pelican.settings.get("FASTBUILD", True):
        return None
    from csoa.engine.fastbuild.writer import FastWriter

    return FastWriter


def finish_output(pelican):
    """Before any other finalized handler: the forked renderer is done and kept files are in place."""
    import time

    url_memo.stop()
    current = session.current()
    if current.fork is not None:
        current.fork.join()
    if current.gate is not None:
        current.gate.link_kept()
    current.finalize_started = time.perf_counter()  # the other plugins' finalized handlers start now


def install_reading(readers):
    pelican_memos.use(readers.settings.get("FASTBUILD", True))
    fast_dates.use(readers.settings.get("FASTBUILD", True))
    if readers.settings.get("FASTBUILD", True):
        reading.install(readers)


def register():
    signals.get_generators.connect(session.start_run)  # sent at the start of every run (pelican -r too)
    signals.readers_init.connect(install_reading)
    signals.all_generators_finalized.connect(remember_generators)
    signals.get_writer.connect(choose_writer)
    signals.generator_init.connect(share_compiled_templates)
    signals.generator_init.connect(reading.read_in_order)
    signals.article_generator_pretaxonomy.connect(use_membership_lists)
    signals.finalized.connect(finish_output)
