"""Charts drawn by Vega-Lite (vl-convert-python): SVG for pages, PNG for email.

Pages wrap each SVG in a <figure> with a title, a description and the same data as a table
(templates/statistics/_chart.html), so the chart is never the only way to read the numbers.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import vl_convert as vlc
from markupsafe import Markup

from csoa.model.incidents import ATTACK_TYPES
from csoa.stats import wording

ATTACK_LABELS = {
    "hijacked": "Hijacked", "boarded": "Boarded", "fired_upon": "Fired upon", "attempted": "Attempted",
    "suspicious_approach": "Suspicious approach", "unknown": "Unknown",
}
# Colour-blind-safe palette (Okabe-Ito), one colour per attack type, shared with the maps.
ATTACK_COLOURS = {
    "hijacked": "#D55E00", "boarded": "#0072B2", "fired_upon": "#CC79A7", "attempted": "#E69F00",
    "suspicious_approach": "#009E73", "unknown": "#999999",
}
FONT = "DejaVu Sans, Arial, sans-serif"


def _config() -> dict:
    return {"font": FONT, "background": "white", "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12}, "legend": {"labelFontSize": 12}}


# Counts are whole incidents: no 0.2 ... 1.8 ticks on a small scale.
COUNT_AXIS = {"tickMinStep": 1, "format": "d"}


def by_year_spec(by_year: dict, title: str = "In-scope incidents per year, by attack type",
                 partial: dict | None = None, subtitle: str = "") -> dict:
    """Stacked bars per year; a partial year (``partial``: wording.partial_year) is labelled
    "2019 / to 27 June" under its bar, drawn paler and named in the subtitle."""
    values = [
        {"year": year, "type": ATTACK_LABELS[t], "count": counts[t]}
        for year, counts in by_year.items() for t in ATTACK_TYPES
    ]
    order = [ATTACK_LABELS[t] for t in ATTACK_TYPES]
    x_axis = {"labelAngle": 0}
    encoding = {
        "x": {"field": "year", "type": "ordinal", "title": "Year", "axis": x_axis},
        "y": {"field": "count", "type": "quantitative", "title": "Incidents", "stack": "zero", "axis": COUNT_AXIS},
        "color": {"field": "type", "type": "nominal", "title": "Attack type",
                  "scale": {"domain": order, "range": [ATTACK_COLOURS[t] for t in ATTACK_TYPES]}},
    }
    notes = [subtitle] if subtitle else []
    if partial and str(partial["year"]) in by_year:
        year = str(partial["year"])
        x_axis["labelExpr"] = f"datum.value == '{year}' ? ['{year}', '(partial: {partial['label']})'] : datum.value"
        encoding["opacity"] = {"condition": {"test": f"datum.year == '{year}'", "value": 0.55}, "value": 1}
        notes.append(partial["note"])
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, **({"subtitle": " ".join(notes)} if notes else {})},
        "width": 640, "height": 280, "config": _config(),
        "data": {"values": values},
        "mark": "bar",
        "encoding": encoding,
    }


def bars_spec(values: dict[str, int], title: str, x_title: str, colour: str = "#0b4f8a") -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": 640, "height": 240, "config": _config(),
        "data": {"values": [{"label": k, "count": v} for k, v in values.items()]},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "x": {"field": "label", "type": "ordinal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}},
            "y": {"field": "count", "type": "quantitative", "title": "Incidents", "axis": COUNT_AXIS},
        },
    }


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    return vlc.vegalite_to_svg(spec_json)


def to_svg(spec: dict, title: str, description: str, chart_id: str) -> str:
    """Inline SVG with role=img and its own <title>/<desc> (referenced by aria-labelledby)."""
    import json

    svg = _svg(json.dumps(spec, sort_keys=True))
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    # vega's empty, hidden foreground paths draw nothing; an HTML minifier drops their empty d="" and
    # leaves invalid markup, so they go
    svg = re.sub(r'<path\b[^>]*\sd=""[^>]*/>', "", svg)
    # keep the drawing, drop vega's own ARIA tree (the data table beside the chart carries the figures)
    svg = re.sub(r'\s(?:aria-[a-z]+|role)="[^"]*"', "", svg)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"', svg, count=1)
    from html import escape

    head = f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    return Markup(re.sub(r"(<svg\b[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1))  # vl-convert's SVG


def headline_chart_spec(summary: dict) -> dict:
    """The email's headline chart: says in its own title when the figures are sample data."""
    partial = summary.get("partial_year")
    if partial:
        partial = wording.partial_year(date.fromisoformat(partial["to"]))
    title = "Maritime crime incidents per year" + (" (SAMPLE DATA)" if summary.get("sample_data") else "")
    subtitle = "Synthetic sample incidents, not real reports." if summary.get("sample_data") else ""
    return by_year_spec(summary.get("by_year", {}), title, partial, subtitle)


def headline_chart_png(summary: dict, scale: float = 2.0) -> bytes:
    """The headline chart (incidents per year by attack type) as PNG bytes, for the newsletter email."""
    return vlc.vegalite_to_png(headline_chart_spec(summary), scale=scale)
