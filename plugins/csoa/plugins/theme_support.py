"""Pelican glue for theme_support: annotates articles with their neighbours and related items, and
puts /favicon.ico at the site's root."""

from __future__ import annotations

import logging

from pelican import signals

from csoa.engine.html_values import summary_field_as_html
from csoa.theme.favicon import place_icon
from csoa.theme.neighbours import neighbours_by_kind, related_by_item
from csoa.util.session import current

RELATED_LIMIT = 3
logger = logging.getLogger(__name__)


def _inputs(articles, limit: int):
    """Everything the links depend on; None when items cannot be told apart by source path."""
    paths = [getattr(a, "source_path", None) for a in articles]
    if None in paths or len(set(paths)) != len(paths):
        return None
    return limit, tuple((path, a.date, a.slug, str(a.category), tuple(sorted(str(t) for t in getattr(a, "tags", None) or [])))
                        for path, a in zip(paths, articles))


def link_articles(articles, limit: int = RELATED_LIMIT, memo=None) -> None:
    """Set ``older_in_kind``, ``newer_in_kind`` and ``related`` on every article of ``articles``.

    The dev loop builds again and again with the same dates, slugs and tags (a body edit): then the
    links the previous build computed (kept by source path in ``memo``, the build session's) are
    applied to this build's objects instead of computed again."""
    inputs = _inputs(articles, limit) if memo is not None else None
    computed = []

    def compute() -> dict:
        links = neighbours_by_kind(articles)
        related = related_by_item(articles, limit)
        for article in articles:
            article.older_in_kind, article.newer_in_kind = links[id(article)]
            article.related = related[id(article)]
        computed.append(True)
        return {a.source_path: (getattr(a.older_in_kind, "source_path", None), getattr(a.newer_in_kind, "source_path", None),
                                [r.source_path for r in a.related]) for a in articles} if inputs is not None else {}

    by_source = memo.get(inputs, compute) if inputs is not None else compute()
    if computed:
        return
    by_path = {a.source_path: a for a in articles}
    for article in articles:
        older, newer, related = by_source[article.source_path]
        article.older_in_kind = by_path[older] if older else None
        article.newer_in_kind = by_path[newer] if newer else None
        article.related = [by_path[path] for path in related]


def link_before_writing(generator, content) -> None:
    """Before the first article is written, link the generator's final list of published articles."""
    key = (id(generator.articles), len(generator.articles))
    if getattr(generator, "_theme_links_key", None) != key:
        session = current()
        link_articles(list(generator.articles), generator.settings.get("RELATED_ITEMS_LIMIT", RELATED_LIMIT),
                      session.memo("theme_support.links") if session else None)
        generator._theme_links_key = key
    if not hasattr(content, "related"):  # a translation: no neighbours of its own
        content.older_in_kind = content.newer_in_kind = None
        content.related = []


def copy_favicon(pelican) -> None:
    """After the build: /favicon.ico, which browsers ask for whatever the pages link."""
    if place_icon(pelican.settings["THEME"], pelican.output_path) is None:
        logger.warning("the theme %s has no static/img/favicon.ico: /favicon.ico is not written", pelican.settings["THEME"])


def register():
    signals.content_object_init.connect(summary_field_as_html)  # a Summary: field is text (csoa/engine/html_values.py)
    # At write time the article list is final (after any plugin that hides future items or drafts).
    signals.article_generator_write_article.connect(link_before_writing)
    signals.finalized.connect(copy_favicon)
