"""Theme support: previous/next/related links on articles, what the templates may print
unescaped (html_values.py: JINJA_ENVIRONMENT's extension and the Summary: field made HTML), and
/favicon.ico (favicon.py).

The logic lives in plain modules (neighbours.py; dates.py, paths.py and navigation.py behind the
Jinja filters that pelicanconf.py registers through filters.py); glue.py adapts them to Pelican.
"""

from pelican import signals

from .favicon import copy_favicon
from .glue import link_before_writing
from .html_values import summary_field_as_html


def register():
    signals.content_object_init.connect(summary_field_as_html)  # a Summary: field is text (html_values.py)
    # At write time the article list is final (after any plugin that hides future items or drafts).
    signals.article_generator_write_article.connect(link_before_writing)
    signals.finalized.connect(copy_favicon)  # /favicon.ico, which browsers ask for unprompted
