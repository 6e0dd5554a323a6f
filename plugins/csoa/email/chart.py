"""The small headline chart for the email: incidents per year as a PNG (Vega-Lite via vl-convert).

Kept small and replaceable: when the statistics plugin exposes its own headline-chart function,
``headline_chart_png`` can simply call it.
"""

from __future__ import annotations

import vl_convert

WIDTH, HEIGHT = 552, 220


def headline_chart_png(summary: dict, width: int = WIDTH, height: int = HEIGHT) -> bytes | None:
    """PNG bytes (2x for sharp screens, to be shown at width x height), or None without data."""
    by_year = (summary or {}).get("by_year") or {}
    values = [{"year": str(year), "incidents": int(row.get("total", 0))} for year, row in sorted(by_year.items())]
    if not values:
        return None
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width, "height": height, "background": "#ffffff",
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#0b3d5c"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "incidents", "type": "quantitative", "title": "Incidents"},
        },
        "config": {"view": {"stroke": None}},
    }
    return vl_convert.vegalite_to_png(spec, scale=2)


def chart_alt(summary: dict) -> str:
    by_year = sorted((summary.get("by_year") or {}).items())
    if not by_year:
        return ""
    parts = ", ".join(f"{year}: {int(row.get('total', 0)):,}" for year, row in by_year)
    return f"Bar chart of reported incidents per year. {parts}."
