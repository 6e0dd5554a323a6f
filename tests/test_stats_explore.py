"""The incident list and the interactive map of a real Pelican build: the data files they load
(statistics/data/), the countries drawn on a flat map, and, in Chromium, paging, sorting,
filtering and the filters' round trip through the URL."""

from __future__ import annotations

import json
import shutil
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from shapely.geometry import Point, Polygon

from csoa.stats.client_data import BLOCK, PAGE_SIZE
from csoa.stats.countries import name_of
from sites import ROOT, build, soup
from stats_helpers import sample_records, table_text

EVIL = '<img src=x onerror="alert(1)"><b>bold</b> & more'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("explore-site")
    records = sample_records(130, seed=5)
    records[2:5] = [r._replace(public=True, in_scope=False) for r in records[2:5]]
    records[6] = records[6]._replace(public=True, narrative=EVIL)
    records[7] = records[7]._replace(public=False, source="member_report", id="CSO-2018-0007", source_ref="",
                                     vessel_name="SECRET VESSEL NAME", narrative="CONFIDENTIAL NARRATIVE")
    shutil.copy(ROOT / "content" / "data" / "ports.csv", root / "ports.csv")
    out = build(root, {"data/incidents.csv": table_text(records)}, PORTS_FILE=str(root / "ports.csv"))
    public = sorted((r for r in records if r.public), key=lambda r: (r.date, r.id), reverse=True)
    return out, public


def _data(out, name):
    return json.loads((out / "statistics" / "data" / name).read_text(encoding="utf-8"))


def test_the_index_holds_every_public_record_newest_first_without_narratives(site):
    out, public = site
    index = _data(out, "incidents-index.json")
    columns, codes = index["columns"], index["codes"]
    assert index["count"] == len(public) and index["sample_data"] is True and index["notice"]
    assert columns["date"] == [r.date.isoformat() for r in public]
    assert [codes["region"][i] for i in columns["region"]] == [r.region for r in public]
    assert [codes["attack_type"][i] for i in columns["attack_type"]] == [r.attack_type for r in public]
    assert [codes["country"][i] for i in columns["country"]] == [r.country_iso3 for r in public]
    assert columns["in_scope"] == [int(r.in_scope) for r in public]
    assert all(abs(lat - r.lat) < 0.00051 for lat, r in zip(columns["lat"], public))  # 3 decimals
    assert "narrative" not in columns
    blocks = sorted((out / "statistics" / "data" / "narratives").glob("*.json"))
    assert len(blocks) == -(-len(public) // BLOCK)
    narratives = [text for block in blocks for text in json.loads(block.read_text(encoding="utf-8"))]
    assert narratives == [r.narrative for r in public]
    every_file = "".join(p.read_text(encoding="utf-8") for p in (out / "statistics" / "data").rglob("*.json"))
    assert "SECRET VESSEL NAME" not in every_file and "CONFIDENTIAL NARRATIVE" not in every_file


def test_the_list_page_carries_only_its_first_page(site):
    out, public = site
    page = soup(out / "statistics" / "incidents" / "index.html")
    rows = page.select("#incident-table tbody tr")
    assert len(rows) == PAGE_SIZE < len(public)
    assert [tr.time["datetime"] for tr in rows] == [r.date.isoformat() for r in public[:PAGE_SIZE]]
    assert page.select_one("#incident-filters").has_attr("hidden")  # shown when the script runs
    assert f"the newest {PAGE_SIZE} incidents" in page.find("noscript").get_text()
    assert page.select_one("#out-of-scope").get_text().startswith("Out of scope marks")
    downloads = {a.get_text(): a["href"] for a in page.select("main p a")}
    assert downloads["CSV"].endswith("/statistics/incidents.csv")


def _decode(ring, scale):
    x = y = 0
    points = []
    for dx, dy in zip(ring[::2], ring[1::2]):
        x, y = x + dx, y + dy
        points.append((x * scale, y * scale))
    return points


@pytest.mark.parametrize("resolution", ["110m", "50m"])
def test_no_country_polygon_spans_more_than_half_the_world(site, resolution):
    """Fiji, Chukotka and Antarctica cross the antimeridian: a flat map drew them as bands across
    the world (at 17°S and near the top). Each polygon now stays within ±180° and 180° wide."""
    out, _ = site
    document = _data(out, f"countries-{resolution}.json")
    shapes = {}
    for name, polygons, _cut in document["countries"]:
        for polygon in polygons:
            rings = [_decode(ring, document["scale"]) for ring in polygon]
            lons = [x for x, _ in rings[0]]
            assert -180 <= min(lons) and max(lons) <= 180 and max(lons) - min(lons) <= 180, name
            shapes.setdefault(name, []).append(Polygon(rings[0], rings[1:]))
    fiji = [s.bounds for s in shapes["Fiji"]]
    assert any(b[0] >= 170 for b in fiji) and any(b[2] <= -170 for b in fiji)  # both sides of the line
    assert any(b[2] <= -170 for b in (s.bounds for s in shapes["Russia"]))  # Chukotka, east of 180°
    assert min(s.bounds[1] for s in shapes["Antarctica"]) == -90  # closed over the pole
    for ocean in [(-150, -16.5), (0, -16.5), (-100, -16.5)]:  # where the band was
        assert not any(s.contains(Point(ocean)) for parts in shapes.values() for s in parts), ocean
    assert any(s.contains(Point(100, 70)) for s in shapes["Russia"])


# --- in Chromium -----------------------------------------------------------------------------

def _shown(page):
    return page.eval_on_selector_all("#incident-table tbody tr time", "ts => ts.map(t => t.dateTime)")


def _name_key(name):  # the browser's localeCompare("en") for the sample's names: accents do not count first
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@pytest.mark.browser
def test_the_list_pages_sorts_and_filters_like_the_data(site):
    from static_server import chromium_page, serve_directory

    out, public = site
    with serve_directory(out) as base, chromium_page() as page:
        page.goto(base + "/statistics/incidents/")
        page.wait_for_selector("#incident-list[data-ready]")
        assert page.is_visible("#incident-filters")
        assert _shown(page) == [r.date.isoformat() for r in public[:PAGE_SIZE]]
        page.click("#incident-pager >> text=Next")
        assert _shown(page) == [r.date.isoformat() for r in public[PAGE_SIZE:2 * PAGE_SIZE]]
        assert parse_qs(urlsplit(page.url).query) == {"page": ["2"]}
        page.click("#incident-pager >> text=Last")
        last = (len(public) - 1) // PAGE_SIZE * PAGE_SIZE
        assert _shown(page) == [r.date.isoformat() for r in public[last:]]

        page.select_option("#incident-filters-region", "west_africa")
        wanted = [r for r in public if r.region == "west_africa"]
        assert page.inner_text("#incident-filters-count") == f"{len(wanted)} of {len(public)} incidents match"
        assert _shown(page) == [r.date.isoformat() for r in wanted[:PAGE_SIZE]]  # a new filter starts at page 1

        page.select_option("#incident-filters-sort", "country")
        by_country = sorted(enumerate(wanted), key=lambda p: (_name_key(name_of(p[1].country_iso3)), p[0]))
        names = page.eval_on_selector_all("#incident-table tbody .country", "as => as.map(a => a.textContent)")
        assert names == [name_of(r.country_iso3) for _, r in by_country[:PAGE_SIZE]]

        page.select_option("#incident-filters-region", "")
        page.select_option("#incident-filters-sort", "")
        page.click("#incident-table thead th[data-sort=date] button")  # oldest first
        assert page.get_attribute("#incident-table thead th[data-sort=date]", "aria-sort") == "ascending"
        oldest = sorted(public, key=lambda r: (r.date, r.id))
        assert _shown(page) == [r.date.isoformat() for r in oldest[:PAGE_SIZE]]

        page.select_option("#incident-filters-scope", "out")
        flagged = page.eval_on_selector_all("#incident-table tbody tr", "trs => trs.map(tr => !!tr.querySelector('.scope-flag'))")
        assert flagged == [True] * sum(1 for r in public if not r.in_scope)
        page.click("#incident-table .scope-flag >> nth=0")
        assert page.evaluate("location.hash") == "#out-of-scope"


@pytest.mark.browser
def test_third_party_text_stays_text_in_rows_the_script_writes(site):
    from static_server import chromium_page, serve_directory

    out, public = site
    position = next(i for i, r in enumerate(public) if r.narrative == EVIL)
    with serve_directory(out) as base, chromium_page() as page:
        page.goto(f"{base}/statistics/incidents/?page={position // PAGE_SIZE + 1}")
        page.wait_for_function("[...document.querySelectorAll('.narrative-text')].some(s => s.textContent.includes('onerror'))")
        assert page.locator("#incident-table tbody img").count() == 0
        assert page.locator("#incident-table tbody b").count() == 0


@pytest.mark.browser
def test_filters_round_trip_through_the_url_on_the_list_and_the_map(site):
    from static_server import chromium_page, serve_directory

    out, public = site
    year = public[0].date.year - 1
    wanted = [r for r in public if r.date.year == year and r.attack_type == "boarded"]
    query = f"?from={year}&to={year}&type=boarded"
    with serve_directory(out) as base, chromium_page() as page:
        page.goto(base + "/statistics/incidents/" + query + "&region=atlantis&page=1")  # an unknown value means all
        page.wait_for_selector("#incident-list[data-ready]")
        assert page.input_value("#incident-filters-from") == str(year)
        assert page.input_value("#incident-filters-type") == "boarded"
        assert page.input_value("#incident-filters-region") == ""
        assert page.get_attribute("#incident-list", "data-shown") == str(len(wanted))
        # the list hands its filters to the map, and the map keeps them in its address
        page.click("#incident-map-link")
        page.wait_for_selector("#interactive-map[data-loaded]", state="attached")  # (the list page may still be showing)
        assert page.get_attribute("#interactive-map", "data-loaded") == str(len(wanted))
        assert page.input_value("#map-filters-to") == str(year)
        page.select_option("#map-filters-region", "west_africa")
        in_region = sum(1 for r in wanted if r.region == "west_africa")
        assert page.get_attribute("#interactive-map", "data-loaded") == str(in_region)
        assert parse_qs(urlsplit(page.url).query)["region"] == ["west_africa"]
        page.go_back()  # back: the filters of before, restored
        page.wait_for_function(f"document.getElementById('interactive-map').dataset.loaded === '{len(wanted)}'")
        assert page.input_value("#map-filters-region") == ""
        page.go_forward()
        page.wait_for_function(f"document.getElementById('interactive-map').dataset.loaded === '{in_region}'")
        # the map's view is in the hash: a shared link opens at the same place
        page.goto(base + "/statistics/map/" + query + "#5/6.40/3.40")
        page.wait_for_function("document.getElementById('interactive-map').dataset.loaded")
        assert page.evaluate("location.hash") == "#5/6.40/3.40"
        assert page.get_attribute("#map-list-link", "href").endswith(f"/statistics/incidents/{query}")


WORLD_PATHS = """zoom => {
  const world = 256 * Math.pow(2, zoom);
  return [...document.querySelectorAll('#interactive-map .leaflet-land-pane path')]
    .map(p => p.getBBox().width / world * 360);
}"""


@pytest.mark.browser
def test_no_drawn_country_path_spans_more_than_180_degrees(site):
    from static_server import chromium_page, serve_directory

    out, _ = site
    with serve_directory(out) as base, chromium_page() as page:
        for zoom, detail in [(2, "110m"), (5, "50m")]:
            page.goto(f"{base}/statistics/map/#{zoom}/10.00/170.00")
            page.wait_for_function(f"document.getElementById('interactive-map').dataset.detail === '{detail}'")
            spans = page.evaluate(WORLD_PATHS, zoom)
            assert len(spans) > 100
            assert max(spans) <= 180.5, sorted(spans)[-3:]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_list_and_map_fit_a_phone_and_pass_axe(site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    from static_server import chromium_page, serve_directory

    out, _ = site
    with serve_directory(out) as base, chromium_page() as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.emulate_media(color_scheme=scheme)
        for path, ready in [("/statistics/incidents/", "#incident-list[data-ready]"),
                            ("/statistics/map/", "#interactive-map[data-loaded]")]:
            page.goto(base + path)
            page.wait_for_selector(ready, state="attached")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            assert results.violations_count == 0, (path, results.generate_report())
