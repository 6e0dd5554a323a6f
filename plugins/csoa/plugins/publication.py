"""Pelican glue: drop articles dated after BUILD_NOW before tags, categories and archives are built."""

from __future__ import annotations

import logging

from pelican import signals

from csoa.model.publication import published_only

logger = logging.getLogger(__name__)


def hide_scheduled_articles(generator) -> None:
    now = generator.settings["BUILD_NOW"]
    for attribute in ("articles", "translations", "hidden_articles", "hidden_translations"):
        items = getattr(generator, attribute)
        kept = published_only(items, now)
        kept_ids = {id(item) for item in kept}
        for item in items:
            if id(item) not in kept_ids:
                logger.info("%s is scheduled: it publishes on %s", item.source_path, item.date.isoformat())
        setattr(generator, attribute, kept)
    for article in generator.articles + generator.hidden_articles:
        article.translations = published_only(article.translations, now)


def register():


    signals.article_generator_pretaxonomy.connect(hide_scheduled_articles)
