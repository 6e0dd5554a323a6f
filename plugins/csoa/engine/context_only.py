"""Pelican's context phase alone: every generator reads the content, nothing is written. For tools
that need what the build knows (articles, events, figures) without building, such as `invoke check`'s
sent-newsletter comparison."""

from __future__ import annotations

from csoa.engine.pelican_internals import generate_contexts, start_run


def generators_with_context(settings: dict, scratch: str) -> list:
    """The build's generators after their context phase, with ``scratch`` as output and cache folder."""
    from pelican import Pelican

    pel = Pelican({**settings, "OUTPUT_PATH": scratch, "CACHE_PATH": scratch})
    _context, generators = start_run(pel)
    generate_contexts(generators)
    return generators
