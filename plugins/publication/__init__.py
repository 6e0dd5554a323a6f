"""publication: what is published depends on the pinned BUILD_NOW, never on the clock.

WITH_FUTURE_DATES stays True so that Pelican does not compare dates with the clock; this plugin
removes the articles dated after BUILD_NOW instead. Drafts are already kept out of Pelican's
listings (they live in ``generator.drafts``).
"""


def register():
    from pelican import signals

    from .glue import hide_scheduled_articles

    signals.article_generator_pretaxonomy.connect(hide_scheduled_articles)
