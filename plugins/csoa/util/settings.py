"""Reading the build's settings the same way everywhere."""

from __future__ import annotations

from collections.abc import Mapping


def plugin_names(settings: Mapping) -> set[str]:
    """Short names of the plugins a build loads: ``csoa.plugins.events`` -> ``events``."""
    return {str(getattr(p, "__name__", p)).rsplit(".", 1)[-1] for p in settings.get("PLUGINS", ())}
