"""Theme support: previous/next/related links on articles.

The logic lives in plain modules (neighbours.py; dates.py, paths.py and navigation.py behind the
Jinja filters that pelicanconf.py registers through filters.py); glue.py adapts them to Pelican.
"""

from pelican import signals

from .glue import link_before_writing


def register():
    # At write time the article list is final (after any plugin that hides future items or drafts).
    signals.article_generator_write_article.connect(link_before_writing)
