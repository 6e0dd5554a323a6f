"""Theme support: Jinja filters for dates, and previous/next/related links on articles.

The logic lives in plain modules (dates.py, neighbours.py); glue.py adapts them to Pelican.
"""

from pelican import signals

from .glue import add_filters, link_before_writing


def register():
    signals.generator_init.connect(add_filters)
    # At write time the article list is final (after any plugin that hides future items or drafts).
    signals.article_generator_write_article.connect(link_before_writing)
