"""The CSO Alliance publisher: one package, in layers; imports only go down them.

1. ``csoa.util``, ``csoa.model``: generic helpers and the content model (metadata header, field
   types, schema, event vocabularies, regions, the incident record, publication rules).
2. Domain modules that know nothing of Pelican: ``csoa.validation``, ``csoa.stats``, ``csoa.events``,
   ``csoa.feeds``, ``csoa.email``, ``csoa.sending``, ``csoa.publishing``, ``csoa.images``,
   ``csoa.search``, ``csoa.theme``, ``csoa.sitemap``, ``csoa.linkcheck``.
3. ``csoa.engine``: the build engine and its session.
4. ``csoa.plugins`` (thin Pelican glue, one plugin a module) and ``csoa.apps`` (check, publish,
   send, the editor's loop, the daily run). tasks.py only parses arguments and calls ``csoa.apps``.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the checkout: content/, theme/, pelicanconf.py
