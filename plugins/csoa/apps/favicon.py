"""invoke favicon: draw the theme's favicon.svg into the favicon.ico committed beside it."""

from __future__ import annotations

from pathlib import Path

from csoa.theme.favicon import ICON, SOURCE, make_ico


def draw_theme_icon(theme: Path) -> Path:
    """Write ``theme``/static/img/favicon.ico from favicon.svg (needs Chromium); return its path."""
    static = Path(theme) / "static"
    make_ico(static / SOURCE, static / ICON)
    return static / ICON
