"""The member newsletter: compose from the site, render with MJML, send through Amazon SES.

The plain modules (compose, render, members, ledger, sender, ses, feedback...) know nothing of
Pelican; pelican_glue.py is the thin generator that writes the issue pages and email files.
"""


def get_generators(pelican_object):
    from .pelican_glue import NewsletterGenerator

    return NewsletterGenerator


def register():
    from pelican import signals

    signals.get_generators.connect(get_generators)
