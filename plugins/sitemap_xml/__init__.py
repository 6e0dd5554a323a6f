"""sitemap.xml and robots.txt, made after the build from the HTML actually written.

Every HTML file with a ``<link rel="canonical">`` and no ``noindex`` is listed once, so pages
written by any plugin are included without this plugin knowing about them. Logic in sitemap.py.
"""

from pelican import signals

from .glue import write_sitemap_and_robots


def register():
    signals.finalized.connect(write_sitemap_and_robots)
