"""Statistics a member can read on a phone, in either colour scheme: every statistics template and the
home page's box, in headless Chromium at 390 and 1280 px, light and dark.

Measured as rendered: the text of charts and maps (SVG text scaled by its screen CTM, and the HTML
captions and legends) is at least 11 CSS px; no map path spans more than 180° of longitude; a map's box
has its drawing's aspect ratio (no letterbox bars); in dark mode a chart's or map's own background,
sampled from a screenshot, is dark (no light slab); each chart keeps its text alternative (role=img,
title and description) and a data table beside it; axe finds no WCAG 2.1 A/AA violation at either width.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from test_browser import WCAG_TAGS, base_url, browser, open_page  # noqa: F401 (the house's served site and Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "/",  # the home page's box: the headline chart
    "/statistics/", "/statistics/incidents/", "/statistics/map/", "/statistics/countries/",
    "/statistics/countries/nga/", "/statistics/ports/", "/statistics/ports/lagos-apapa-nga/",
    "/statistics/regions/west-africa/", "/statistics/regions/other/",
]
VIEWS = [(width, scheme) for width in (390, 1280) for scheme in ("light", "dark")]
MIN_TEXT_PX = 11

# Runs in the page: what a reader sees of each chart and map, measured.
MEASURE = """() => {
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const svgText = svg => [...svg.querySelectorAll('text')].filter(shown).map(t => {
    const m = t.getScreenCTM();
    const scale = Math.min(Math.hypot(m.a, m.b), Math.hypot(m.c, m.d));
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale};
  });
  const htmlText = root => [...root.querySelectorAll('*')].filter(e => !(e instanceof SVGElement) && shown(e)
      && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => ({text: e.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(e).fontSize)}));
  const label = svg => (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => (document.getElementById(id) || {}).textContent || '');
  const charts = [...document.querySelectorAll('figure.stats-chart')].map(figure => {
    const visible = [...figure.querySelectorAll('svg')].filter(shown);
    const box = figure.closest('section, .headline-figures') || figure.parentElement;
    return {
      visible: visible.length, overflow: visible.some(s => s.getBoundingClientRect().right > figure.getBoundingClientRect().right + 0.5),
      role: visible.map(s => s.getAttribute('role')), label: visible.map(label),
      tables: box.querySelectorAll('table').length,
      text: visible.flatMap(svgText).concat(htmlText(figure)),
    };
  });
  const maps = [...document.querySelectorAll('svg.incident-map')].filter(shown).map(svg => {
    const perDegree = parseFloat(svg.dataset.unitsPerDegree);
    const r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    const widest = Math.max(0, ...[...svg.querySelectorAll('path')].map(p => {
      if (!p.classList.contains('dots')) return p.getBBox().width / perDegree;  // a country, as drawn
      // a path of dots: each subpath is one spot, a zero-length line
      return Math.max(0, ...p.getAttribute('d').split('M').filter(Boolean).map(sub => {
        const xs = [...sub.matchAll(/(-?[\\d.]+)[ ,]-?[\\d.]+/g)].map(x => parseFloat(x[1]));
        return (Math.max(...xs) - Math.min(...xs)) / perDegree;
      }));
    }));
    return {widest, aspect: r.width / r.height, drawn: vb.width / vb.height, paths: svg.querySelectorAll('path').length,
            label: label(svg), text: svgText(svg).concat(htmlText(svg.closest('figure') || svg.parentElement))};
  });
  return {charts, maps};
}"""


def _dominant_colour(png: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB").reduce(4)
    return max(image.getcolors(image.width * image.height))[1]  # (count, colour): the most common


def _luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _check_text(items, where):
    small = [(t["text"], round(t["px"], 1)) for t in items if t["px"] < MIN_TEXT_PX - 0.05]
    assert not small, f"{where}: text under {MIN_TEXT_PX} CSS px: {small[:5]}"


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_statistics_charts_and_maps_are_legible(base_url, open_page, width, scheme):  # noqa: F811
    seen_charts = seen_maps = 0
    for url in PAGES:
        page = open_page(width=width, scheme=scheme)
        page.goto(base_url + url)
        found = page.evaluate(MEASURE)
        where = f"{url} at {width}px, {scheme}"
        for chart in found["charts"]:
            assert chart["visible"] == 1 and not chart["overflow"], f"{where}: one drawing shown, inside its figure"
            assert chart["role"] == ["img"] and all(chart["label"][0]), f"{where}: the chart's text alternative"
            assert len(chart["label"][0]) == 2 and chart["tables"] >= 1, f"{where}: a title, a description, a data table"
            assert sum(1 for t in chart["text"] if t["px"]) > 10, f"{where}: the chart's text is measured"
            _check_text(chart["text"], f"{where} chart")
        for drawn in found["maps"]:
            assert drawn["paths"] > 2 and all(drawn["label"]), f"{where}: a map with its text alternative"
            assert 0 < drawn["widest"] <= 180, f"{where}: a map path spans {drawn['widest']:.0f}° of longitude"
            assert abs(drawn["aspect"] / drawn["drawn"] - 1) < 0.02, f"{where}: the map's box is not its drawing's shape"
            _check_text(drawn["text"], f"{where} map")
        if scheme == "dark":
            _no_light_slab(page, where)
        _no_axe_violations(page, where)
        seen_charts += len(found["charts"])
        seen_maps += len(found["maps"])
        page.context.close()
    # the home box and /statistics/ (3) and two region pages have charts; the home, region and port pages maps
    # (/statistics/map/ hides its static map for the interactive one, whose paths test_stats_explore.py checks)
    assert seen_charts == 6 and seen_maps == 5


def _no_light_slab(page, where):
    """A chart's or map's most common colour, where its background shows, is as dark as the page."""
    for selector in ("figure.stats-chart svg", "svg.incident-map"):
        elements = page.locator(selector)
        for i in range(elements.count()):
            element = elements.nth(i)
            if not element.is_visible():
                continue
            element.scroll_into_view_if_needed()
            colour = _dominant_colour(element.screenshot())
            assert _luminance(colour) < 0.05, f"{where}: {selector} #{i} shows a light background {colour}"


def _no_axe_violations(page, where):
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found.response["violations"]]
    assert not violations, f"{where}: {violations}"
