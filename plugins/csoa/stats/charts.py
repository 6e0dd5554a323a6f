"""Charts drawn by Vega-Lite (vl-convert-python): inline SVG for pages, PNG for email.

Every chart spec is drawn in one of three layouts (LAYOUTS): "narrow" for a phone, "wide" for a wider
column, "email" for the newsletter's PNG. A page gets both the narrow and the wide SVG and its stylesheet
shows the one that fits (statistics.css), so neither is ever scaled down below its text size; their text
and rules are drawn in currentColor and they have no background, so they follow the page's colour scheme.
Pages wrap the pair in a <figure> with the title as its caption and keep the figures in a data table
(templates/statistics/_macros.html chart), so the chart is never the only way to read the numbers.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

import vl_convert as vlc
from markupsafe import Markup
from PIL import Image

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
# Single-series bars: mid-tones with at least 3:1 contrast on both the light and the dark page.
BAR_BLUE, BAR_GREY = "#3d7fc1", "#7d8b99"
FONT = "DejaVu Sans, Arial, sans-serif"
TEXT_PX = 13  # axis and legend text, in CSS px as displayed: the layouts are never shown scaled down


@dataclass(frozen=True)
class Layout:
    width: int  # the whole chart's width in px, axes and legend included
    horizontal_years: bool  # years as rows (a phone) or as columns
    legend: str  # where the attack-type legend goes
    ink: str  # the colour of text and rules
    label_chars: int  # category labels wrap at about this many characters


LAYOUTS = {
    "narrow": Layout(320, True, "bottom", "currentColor", 16),
    "wide": Layout(720, False, "right", "currentColor", 32),
    # the newsletter shows its PNG at this width: 2x pixels for sharp screens, text at TEXT_PX as displayed
    "email": Layout(552, False, "right", "#1b1f24", 24),
}
PAGE_LAYOUTS = ("narrow", "wide")


def _config(layout: Layout) -> dict:
    ink = layout.ink
    text = {"labelFontSize": TEXT_PX, "titleFontSize": TEXT_PX, "labelColor": ink, "titleColor": ink}
    return {
        "font": FONT, "view": {"stroke": None},
        "axis": {**text, "domainColor": ink, "tickColor": ink, "gridColor": ink, "gridOpacity": 0.18},
        "legend": {**text, "symbolSize": 120},
        "title": {"fontSize": TEXT_PX + 2, "subtitleFontSize": TEXT_PX, "color": ink, "subtitleColor": ink,
                  "anchor": "start"},
    }


def _frame(layout: Layout, title: str, subtitle: str, height: int) -> dict:
    # a drawn title never wraps by itself: the subtitle is cut into lines that fit the email's width
    lines = textwrap.wrap(subtitle, int(layout.width / (TEXT_PX * 0.6)))
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, **({"subtitle": lines} if lines else {})},
        "width": layout.width, "height": height, "config": _config(layout),
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    # the email's PNG is a white card; on a page the chart shows the page's own background, light or dark
    spec["background"] = "transparent" if layout.ink == "currentColor" else "#ffffff"
    return spec


# Counts are whole incidents: no 0.2 ... 1.8 ticks on a small scale.
COUNT_AXIS = {"tickMinStep": 1, "format": "d"}


def _year_labels(partial: dict | None, years) -> dict:
    """Axis labels: a partial year reads "2019 / (partial: / to 27 June)" in three short lines."""
    axis = {"labelAngle": 0}
    if partial and str(partial["year"]) in years:
        year, words = str(partial["year"]), partial["label"]
        axis["labelExpr"] = f"datum.value == '{year}' ? ['{year}', '(partial:', '{words})'] : datum.value"
    return axis


def by_year_spec(by_year: dict, title: str = "In-scope incidents per year, by attack type",
                 partial: dict | None = None, subtitle: str = "", layout: str = "wide") -> dict:
    """Stacked bars per year; a partial year (``partial``: wording.partial_year) is labelled under its bar,
    drawn paler and named in the subtitle. A phone's layout lays the years out as rows."""
    shape = LAYOUTS[layout]
    values = [{"year": year, "type": ATTACK_LABELS[t], "count": counts[t]}
              for year, counts in by_year.items() for t in ATTACK_TYPES]
    order = [ATTACK_LABELS[t] for t in ATTACK_TYPES]
    years = {"field": "year", "type": "ordinal", "title": "Year", "axis": _year_labels(partial, by_year)}
    counts = {"field": "count", "type": "quantitative", "title": "Incidents", "stack": "zero", "axis": COUNT_AXIS}
    legend = {"orient": shape.legend, **({"columns": 1} if shape.legend == "bottom" else {})}
    encoding = {
        "x": counts if shape.horizontal_years else years,
        "y": years if shape.horizontal_years else counts,
        "color": {"field": "type", "type": "nominal", "title": "Attack type", "legend": legend,
                  "scale": {"domain": order, "range": [ATTACK_COLOURS[t] for t in ATTACK_TYPES]}},
    }
    notes = [subtitle] if subtitle else []
    if partial and str(partial["year"]) in by_year:
        encoding["opacity"] = {"condition": {"test": f"datum.year == '{partial['year']}'", "value": 0.55}, "value": 1}
        notes.append(partial["note"])
    height = 34 * len(by_year) + 20 if shape.horizontal_years else 260
    return {**_frame(shape, title, " ".join(notes), height), "data": {"values": values}, "mark": "bar",
            "encoding": encoding}


def bars_spec(values: dict[str, int], title: str, x_title: str, colour: str = BAR_BLUE, layout: str = "wide") -> dict:
    """One bar per category, as rows: long names (regions) wrap instead of overlapping."""
    shape = LAYOUTS[layout]
    rows = [{"label": "\n".join(textwrap.wrap(k, shape.label_chars)) or k, "count": v} for k, v in values.items()]
    lines = max((row["label"].count("\n") + 1 for row in rows), default=1)
    return {
        **_frame(shape, title, "", (12 + 16 * lines) * max(len(rows), 1)),
        "data": {"values": rows},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "y": {"field": "label", "type": "ordinal", "title": x_title, "sort": None,
                  "axis": {"labelExpr": "split(datum.value, '\\n')", "labelLimit": 0}},
            "x": {"field": "count", "type": "quantitative", "title": "Incidents", "axis": COUNT_AXIS},
        },
    }


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    return vlc.vegalite_to_svg(spec_json)


def to_svg(spec: dict, title: str, description: str, chart_id: str) -> str:
    """Inline SVG with role=img and its own <title>/<desc> (referenced by aria-labelledby). The spec's
    own title is left out: the page shows it as the figure's caption, where it wraps."""
    spec = {k: v for k, v in spec.items() if k != "title"}
    svg = _svg(json.dumps(spec, sort_keys=True))
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    # vega's empty, hidden foreground paths draw nothing; an HTML minifier drops their empty d="" and
    # leaves invalid markup, so they go
    svg = re.sub(r'<path\b[^>]*\sd=""[^>]*/>', "", svg)
    # keep the drawing, drop vega's own ARIA tree (the data table beside the chart carries the figures)
    svg = re.sub(r'\s(?:aria-[a-z]+|role)="[^"]*"', "", svg)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"', svg, count=1)
    head = f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    return Markup(re.sub(r"(<svg\b[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1))  # vl-convert's SVG


@dataclass(frozen=True)
class PageChart:
    """One chart of a page: its caption, and an SVG per page layout (the stylesheet shows one)."""
    title: str
    subtitle: str
    narrow: Markup
    wide: Markup


def page_chart(spec_for, description: str, chart_id: str) -> PageChart:
    """``spec_for(layout)`` -> spec: the same chart drawn for a phone and for a wider column."""
    specs = {layout: spec_for(layout) for layout in PAGE_LAYOUTS}
    title = specs["wide"]["title"]
    svgs = {layout: to_svg(spec, title["text"], description, f"{chart_id}-{layout}") for layout, spec in specs.items()}
    return PageChart(title["text"], " ".join(title.get("subtitle", [])), svgs["narrow"], svgs["wide"])


# ------------------------------------------------------------------ the one headline chart


def headline_chart_spec(summary: dict, layout: str = "email") -> dict:
    """The headline chart of the statistics page, the home page's box and the email: in-scope incidents per
    year by attack type, saying in its own title when the figures are sample data."""
    partial = summary.get("partial_year")
    if partial:
        partial = wording.partial_year(date.fromisoformat(partial["to"]))
    sample = summary.get("sample_data")
    title = "In-scope incidents per year, by attack type" + (" (SAMPLE DATA)" if sample else "")
    subtitle = "Synthetic sample incidents, not real reports." if sample else ""
    return by_year_spec(summary.get("by_year", {}), title, partial, subtitle, layout)


def headline_chart_description(summary: dict) -> str:
    """The chart's text alternative: what it draws and every year's total."""
    years = ", ".join(f"{year}: {row.get('total', 0):,}" for year, row in sorted(summary.get("by_year", {}).items()))
    partial = summary.get("partial_year")
    note = " " + wording.partial_year(date.fromisoformat(partial["to"]))["note"] if partial else ""
    sample = " Sample data: synthetic incidents, not real reports." if summary.get("sample_data") else ""
    return f"Stacked bar chart of in-scope incidents per year, by attack type. Totals: {years}.{note}{sample}"


def headline_page_chart(summary: dict, chart_id: str = "chart-headline") -> PageChart | None:
    if not summary.get("by_year"):
        return None
    return page_chart(lambda layout: headline_chart_spec(summary, layout), headline_chart_description(summary), chart_id)


def headline_chart_png(summary: dict, scale: float = 2.0) -> bytes | None:
    """The headline chart as PNG bytes for the newsletter email (``scale`` x pixels, shown at
    LAYOUTS["email"].width), or None without figures. Other plugins reach it through the Pelican
    context (``statistics_headline_chart``), not by importing this module."""
    if not (summary or {}).get("by_year"):
        return None
    return _small_png(vlc.vegalite_to_png(headline_chart_spec(summary), scale=scale))


def _small_png(png: bytes, colours: int = 64) -> bytes:
    """A flat chart needs few colours: a palette PNG is about a tenth of the size (members read the email
    over satellite links). Median cut without dithering: the same input gives the same bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()
