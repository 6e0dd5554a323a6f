"""The site with the real NGA ASAM export (about 8,600 public incidents, ../shared/data, imported
into a temporary copy of the site, never into the project), in Chromium: no page transfers more
than 1 MB compressed on first load, the downloads stay complete, and the incident list and the
map stay usable at that scale. The build takes about half a minute, once per session."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from sites import ROOT
from static_server import chromium_browser

sys.path.insert(0, str(ROOT / "bench"))
import real_site  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def real_output(tmp_path_factory):
    if not real_site.real_data_present():
        pytest.skip(f"the licensed ASAM export {real_site.ASAM} is absent (../shared/data beside the checkout)")
    return real_site.build_real_site(tmp_path_factory.mktemp("real-stats-site"))


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


def statistics_pages(output: Path) -> list[str]:
    """/ (its crime box) and one statistics page of each shape: the pages the incident data weighs on
    (the others' weight does not depend on it, and the site-wide browser tests open them)."""
    seen, urls = set(), ["/"]
    for path in sorted((output / "statistics").rglob("index.html")):
        parts = path.relative_to(output).parts[:-1]  # ("statistics", "countries", "nga")
        shape = (parts[1:2], len(parts))
        if shape in seen or 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        seen.add(shape)
        urls.append("/" + "".join(f"{part}/" for part in parts))
    return urls


def test_no_page_transfers_more_than_1_mb_compressed_on_first_load(real_output, browser):
    from static_server import serve_directory

    urls = statistics_pages(real_output)
    assert len(urls) >= 8, urls
    too_heavy, weights = {}, {}
    with serve_directory(real_output) as base:
        for url in urls:
            context = browser.new_context()  # an empty cache: a first visit
            load = real_site.first_load(context.new_page(), base + url, real_site.READY.get(url))
            context.close()
            weights[url] = load["compressed"]
            if load["compressed"] > real_site.BUDGET_BYTES:
                biggest = sorted(load["resources"], key=lambda r: -r["compressed"])[:3]
                too_heavy[url] = (load["compressed"], [(r["url"], r["compressed"]) for r in biggest])
    assert too_heavy == {}
    # the list and the map did load their data (the budget is not met by loading nothing)
    index = real_site.compressed_size((real_output / "statistics" / "data" / "incidents-index.json").read_bytes())
    assert weights["/statistics/incidents/"] > index and weights["/statistics/map/"] > index


def test_the_downloads_stay_complete(real_output):
    index = json.loads((real_output / "statistics" / "data" / "incidents-index.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((real_output / "statistics" / "incidents.csv").read_text(encoding="utf-8"))))
    geojson = json.loads((real_output / "statistics" / "incidents.geojson").read_text(encoding="utf-8"))
    assert index["count"] == len(rows) == len(geojson["features"]) > 8000
    assert all(row["narrative"] for row in rows[:50]) and "narrative" in geojson["features"][0]["properties"]


def test_the_list_and_the_map_stay_usable_at_real_scale(real_output, browser):
    from static_server import serve_directory

    rows = list(csv.DictReader(io.StringIO((real_output / "statistics" / "incidents.csv").read_text(encoding="utf-8"))))
    wanted = [r for r in rows if r["region"] == "west_africa" and r["date"] >= "2020"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve_directory(real_output) as base:
        page.goto(base + "/statistics/incidents/?region=west_africa&from=2020")
        page.wait_for_selector("#incident-list[data-ready]")
        assert page.get_attribute("#incident-list", "data-shown") == str(len(wanted))
        assert page.locator("#incident-table tbody tr").count() == min(25, len(wanted))
        page.wait_for_function("![...document.querySelectorAll('.narrative-text')].some(s => s.textContent.startsWith('Loading'))")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("#incident-pager >> text=Last")
        assert page.locator("#incident-table tbody tr").count() == (len(wanted) - 1) % 25 + 1
        page.goto(base + "/statistics/map/#5/5.00/3.00")
        page.wait_for_function("document.getElementById('interactive-map').dataset.loaded")
        assert page.get_attribute("#interactive-map", "data-loaded") == str(len(rows))
        page.wait_for_function("document.getElementById('interactive-map').dataset.detail === '50m'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_no_html_page_alone_comes_near_the_budget(real_output):
    """Every page of the site, not only those opened above: its HTML compressed stays far below it."""
    heavy = {str(p.relative_to(real_output)): size for p in real_output.rglob("*.html")
             if (size := real_site.compressed_size(p.read_bytes())) > real_site.BUDGET_BYTES // 4}
    assert heavy == {}
