"""The incident list and the interactive map at real scale, in Chromium (figures, not pass/fail):
writes bench/results/stats_browser.json.

Builds the sample site with the real NGA ASAM export imported (../shared/data, about 8,600 public
incidents) in a temporary folder (bench/real_site.py), serves it on 127.0.0.1 and measures:

* first load of each statistics page (and /), empty cache: bytes transferred, each response
  gzip-compressed as a web server would send it, against the 1 MB budget; and the time until the
  page is usable (the list's rows or the map's dots drawn from the data);
* interactions, each from the event until the next frame is painted: the list's filter change,
  page change and sort; the map's filter change and a zoom to 1:50m detail (which fetches it).

Each interaction is the median of REPEATS runs. Wall-clock figures depend on the shared machine
(its load average is recorded with them).

Run: .venv/bin/python bench/bench_stats_browser.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT / "tests"), str(BENCH)]  # static_server (tests/), real_site and report (bench/)

import real_site  # noqa: E402
from report import write_area_results  # noqa: E402

RESULTS = BENCH / "results" / "stats_browser.json"
PAGES = ["/", "/statistics/", "/statistics/incidents/", "/statistics/map/", "/statistics/regions/west-africa/",
         "/statistics/countries/", "/statistics/ports/"]
READY = real_site.READY
# Runs an action in the page and resolves after the next painted frame: its time in milliseconds.
TIMED = """async (action) => {
  const start = performance.now();
  await (new Function(action))();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - start;
}"""
CHANGE = "const s = document.querySelector('{sel}'); s.value = '{value}'; s.dispatchEvent(new Event('change', {{bubbles: true}}));"
LIST_ACTIONS = {
    "filter_region": [CHANGE.format(sel="#incident-filters-region", value="west_africa"),
                      CHANGE.format(sel="#incident-filters-region", value="")],
    "next_page": ["document.querySelector('#incident-pager a[data-page]:not([data-page=\"1\"])').click()",
                  "document.querySelector('#incident-pager a[data-page=\"1\"]').click()"],
    # until the rows' narratives (fetched a block at a time) are in: what a reader waits for
    "next_page_with_summaries": ["document.querySelector('#incident-pager a[data-page]:not([data-page=\"1\"])').click();"
                                 " return (async () => { while ([...document.querySelectorAll('.narrative-text')]"
                                 ".some(s => s.textContent.startsWith('Loading'))) { await new Promise(r => setTimeout(r, 5)); } })()",
                                 "document.querySelector('#incident-pager a[data-page=\"1\"]').click()"],
    "sort_country": ["document.querySelector('th[data-sort=country] button').click()",
                     "document.querySelector('th[data-sort=date] button').click()"],
}
MAP_ACTIONS = {
    "filter_type": [CHANGE.format(sel="#map-filters-type", value="boarded"), CHANGE.format(sel="#map-filters-type", value="")],
    "filter_year": [CHANGE.format(sel="#map-filters-from", value="2015"), CHANGE.format(sel="#map-filters-from", value="")],
}
ZOOM_TO_DETAIL = """async () => {
  const el = document.getElementById('interactive-map');
  location.hash = '#5/5.00/3.00';
  while (el.dataset.detail !== '50m') { await new Promise(r => setTimeout(r, 5)); }
}"""


def first_loads(browser, base: str) -> dict:
    out = {}
    for url in PAGES:
        context = browser.new_context()
        page = context.new_page()
        load = real_site.first_load(page, base + url, READY.get(url))
        timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            const ready = performance.getEntriesByName('csoa-ready')[0];
            return {dom_ms: n.domContentLoadedEventEnd, load_ms: n.loadEventEnd,
                    usable_ms: ready ? ready.startTime : n.loadEventEnd}; }""")
        biggest = sorted(load["resources"], key=lambda r: -r["compressed"])[:3]
        out[url] = {"transferred_kb": round(load["compressed"] / 1000, 1), "uncompressed_kb": round(load["bytes"] / 1000, 1),
                    "requests": len(load["resources"]), "within_1mb": load["compressed"] <= real_site.BUDGET_BYTES,
                    **{k: round(v) for k, v in timing.items()},
                    "largest": [{"url": r["url"].removeprefix(base), "kb": round(r["compressed"] / 1000, 1)} for r in biggest]}
        context.close()
    return out


def interactions(browser, base: str, url: str, ready: str, actions: dict, repeats: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + url)
    page.wait_for_selector(ready, state="attached")
    out = {}
    for name, (do, undo) in actions.items():
        runs = []
        for _ in range(repeats):
            runs.append(page.evaluate(TIMED, do))
            page.evaluate(TIMED, undo)
        out[name + "_ms"] = round(statistics.median(runs), 1)
    context.close()
    return out


def zoom_to_detail(browser, base: str) -> float:
    context = browser.new_context()  # empty cache: the 1:50m file is fetched
    page = context.new_page()
    page.goto(base + "/statistics/map/")
    page.wait_for_selector(READY["/statistics/map/"], state="attached")
    ms = page.evaluate(TIMED, f"return ({ZOOM_TO_DETAIL})()")
    context.close()
    return round(ms, 1)


def main(repeats: int) -> dict:
    if not real_site.real_data_present():
        results = {"skipped": f"{real_site.ASAM} is absent"}
    else:
        from playwright.sync_api import sync_playwright

        from static_server import serve_directory

        with tempfile.TemporaryDirectory() as tmp:
            output = real_site.build_real_site(Path(tmp))
            index = json.loads((output / "statistics" / "data" / "incidents-index.json").read_text(encoding="utf-8"))
            with serve_directory(output) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=real_site.CHROMIUM, args=real_site.CHROMIUM_ARGS)
                results = {
                    "public_incidents": index["count"],
                    "first_load": first_loads(browser, base),
                    "incident_list": interactions(browser, base, "/statistics/incidents/", READY["/statistics/incidents/"],
                                                  LIST_ACTIONS, repeats),
                    "map": {**interactions(browser, base, "/statistics/map/", READY["/statistics/map/"], MAP_ACTIONS, repeats),
                            "zoom_to_50m_detail_ms": zoom_to_detail(browser, base)},
                }
                browser.close()
    return write_area_results(RESULTS, results)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    main(parser.parse_args().repeats)
