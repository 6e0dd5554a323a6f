"""Pelican glue for theme_support: annotates articles with their neighbours and related items."""

from __future__ import annotations

from .neighbours import neighbours_by_kind, related_by_item

RELATED_LIMIT = 3


def link_articles(articles, limit: int = RELATED_LIMIT) -> None:
    """Set ``older_in_kind``, ``newer_in_kind`` and ``related`` on every article of ``articles``."""
    links = neighbours_by_kind(articles)
    related = related_by_item(articles, limit)
    for article in articles:
        article.older_in_kind, article.newer_in_kind = links[id(article)]
        article.related = related[id(article)]


def link_before_writing(generator, content) -> None:
    """Before the first article is written, link the generator's final list of published articles."""
    key = (id(generator.articles), len(generator.articles))
    if getattr(generator, "_theme_links_key", None) != key:
        link_articles(list(generator.articles), generator.settings.get("RELATED_ITEMS_LIMIT", RELATED_LIMIT))
        generator._theme_links_key = key
    if not hasattr(content, "related"):  # a translation: no neighbours of its own
        content.older_in_kind = content.newer_in_kind = None
        content.related = []
