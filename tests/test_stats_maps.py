"""Static maps and lists a member reads: each map framed on what it shows, across the antimeridian
without bands, dots whose size means the same everywhere; countries in name order; readable port
positions; one headline chart for the statistics page, the home page and the email."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from csoa.model.incident import Incident
from csoa.model.incidents import load_incidents, public_records
from csoa.model.positions import parse_dms, readable_position
from csoa.model.regions import regions_of, site_regions
from csoa.stats import charts, maps
from csoa.stats.countries import by_name, name_of
from csoa.stats.map_frame import WORLD, frame_around, lon_interval, outside
from bs4 import BeautifulSoup

from sites import settings_for, soup

ROOT = Path(__file__).resolve().parents[1]


def _frame_of(svg: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.search(r'data-frame="([^"]+)"', svg).group(1).split())


def _widest_path_degrees(svg: str) -> float:
    """The widest span of longitude of any one path's data (dots are zero-length lines, each its own
    subpath, so a path of dots spans no more than its widest subpath)."""
    per_degree = float(re.search(r'data-units-per-degree="([\d.]+)"', svg).group(1))
    widest = 0.0
    for d in re.findall(r'<path[^>]*\sd="([^"]*)"', svg):
        subpaths = [re.findall(r"(-?[\d.]+)[ ,](-?[\d.]+)", part) for part in re.split(r"(?=M)", d) if part]
        spans = [max(float(x) for x, _ in sub) - min(float(x) for x, _ in sub) for sub in subpaths if sub]
        land = "h0" not in d  # a country: the whole path counts, not only each ring
        xs = [float(x) for sub in subpaths for x, _ in sub]
        widest = max(widest, (max(xs) - min(xs)) if land and xs else max(spans, default=0))
    return widest / per_degree


# ------------------------------------------------------------------ framing


def test_longitudes_across_the_antimeridian_make_a_short_interval():
    assert lon_interval([178.4, -179.2, 179.9]) == pytest.approx((178.4, 180.8))  # Fiji: 2.4°, not 357.6°
    assert lon_interval([-17.5, 13.3, 3.4]) == (-17.5, 13.3)
    west, east = lon_interval([-170, 170, 0])  # spread round the world: the widest gap is left out
    assert east - west == 190


def _sample_public_by_region() -> dict[str, list]:
    regions = site_regions(settings_for(ROOT))
    records = public_records(load_incidents(ROOT / "content" / "data" / "incidents.csv", date(2019, 7, 8), regions))
    grouped = defaultdict(list)
    for r in records:
        grouped[r.region].append(r)
    return grouped


def test_region_maps_are_framed_on_their_incidents():
    """West Africa's map no longer shows the Americas and the Atlantic, nor Asia's a blank band east of its
    incidents; every incident of a region lies inside its frame."""
    for region, records in _sample_public_by_region().items():
        frame = maps.region_frame(records, region)
        points = [(r.lon, r.lat) for r in records]
        assert outside(frame, points) == 0, region
        if region != "other":
            lons = [frame.lon(lon) for lon, _ in points]
            lats = [lat for _, lat in points]
            # centred on the incidents, and no wider than their padded extent, the minimum size or the
            # width a tall region needs to stay no narrower than it is high
            assert abs((frame.west + frame.east) / 2 - (min(lons) + max(lons)) / 2) < 0.05 * frame.width, region
            assert frame.width <= max(1.24 * (max(lons) - min(lons)), 12, 0.75 * 1.24 * (max(lats) - min(lats))) + 1e-6, region
    west_africa = maps.region_frame(_sample_public_by_region()["west_africa"], "west_africa")
    assert west_africa.west > -35 and west_africa.width < 45  # Brazil's easternmost coast is at 35°W
    asia = maps.region_frame(_sample_public_by_region()["asia"], "asia")
    assert asia.east < 160


def test_a_frame_keeps_a_readable_shape_and_size():
    one_port = frame_around([(3.4, 6.4)])
    assert (one_port.width, one_port.height) == (12.0, 8.0)
    along_a_coast = frame_around([(0, 0), (60, 1)])  # a long thin strip would be a sliver on screen
    assert along_a_coast.width / along_a_coast.height <= 2.4 + 1e-9
    assert frame_around([(lon, 0) for lon in range(-180, 180, 30)]) == WORLD  # all round: the whole world


def test_real_regions_frame_all_but_a_few_far_off_incidents(shared_data):
    """On the real ASAM table (8,642 records) each region's frame leaves out at most 1% of its incidents
    (strays in mid-ocean), and West Africa's shows no American coast."""
    with (shared_data / "nga-asam" / "asam_2022-06-21.csv").open(encoding="utf-8", newline="") as fh:
        positions = [parse_dms(row["position"]) for row in csv.DictReader(fh)]
    by_region = defaultdict(list)
    for (lat, lon), region in zip(positions, regions_of([p[0] for p in positions], [p[1] for p in positions])):
        by_region[region].append(Incident(lat=lat, lon=lon))
    for region, records in by_region.items():
        frame = maps.region_frame(records, region)
        assert outside(frame, [(r.lon, r.lat) for r in records]) <= 0.01 * len(records), region
    assert maps.region_frame(by_region["west_africa"], "west_africa").west > -35


# ------------------------------------------------------------------ antimeridian, dots


def test_no_map_path_spans_more_than_half_the_world():
    fiji = [Incident(lat=-18.1, lon=178.4, attack_type="boarded"), Incident(lat=-16.8, lon=-179.9, attack_type="attempted")]
    world = maps.map_svg(fiji, "w", "World", "The world.")
    across = maps.map_svg(fiji, "f", "Fiji", "Fiji.", frame=frame_around([(r.lon, r.lat) for r in fiji]))
    assert _frame_of(across)[2] > 180  # the frame runs on east of 180°
    for svg in (world, across, maps.map_svg([], "c", "Countries", "Shaded.", country_counts={"RUS": 3, "FJI": 1})):
        assert 0 < _widest_path_degrees(svg) <= 180
    # the islands east of 180° are drawn too, on the frame's side of the antimeridian
    west, *_ = _frame_of(across)
    antimeridian = (180 - west) * float(re.search(r'data-units-per-degree="([\d.]+)"', across).group(1))
    xs = [float(x) for d in re.findall(r'<path d="([^"]*)"', across) for x in re.findall(r"(-?[\d.]+),", d)]
    assert max(xs) > antimeridian > min(xs)


def _dot_widths(svg: str) -> dict[int, set[int]]:
    """{dots per path: stroke widths} of one map's dot paths."""
    widths = defaultdict(set)
    for d, width in re.findall(r'<path class="dots" d="([^"]*)"[^>]*stroke-width="(\d+)"', svg):
        widths[int(width)].add(d.count("M"))
    return widths


def test_a_dot_means_the_same_on_every_map_and_keeps_its_screen_size():
    spot = [Incident(lat=6.30, lon=3.30, attack_type="boarded")] * 12 + [Incident(lat=4.0, lon=7.0, attack_type="hijacked")]
    world = maps.map_svg(spot, "w", "World", "All.")
    region = maps.map_svg(spot, "r", "Region", "West Africa.", region="west_africa")
    assert _frame_of(region) != _frame_of(world)
    sizes = dict(maps.DOT_SIZES)
    for svg in (world, region):
        assert re.findall(r'class="dots"[^>]*vector-effect="non-scaling-stroke"', svg)  # screen px, any zoom
        assert set(_dot_widths(svg)) == {sizes[10], sizes[1]}  # 12 at one spot, and a single one
    assert maps.dot_size_legend() == [("1", 6), ("2–9", 9), ("10–99", 13), ("100 or more", 17)]


# ------------------------------------------------------------------ countries by name, port positions


def test_countries_sort_by_name_not_by_code():
    codes = ["ARE", "COG", "COL", "CIV", "IDN", "COD"]
    assert [name_of(c) for c in sorted(codes, key=by_name)] == [
        "Colombia", "Congo", "Congo, The Democratic Republic of the", "Côte d'Ivoire", "Indonesia", "United Arab Emirates"]


def test_positions_read_as_degrees_and_minutes():
    assert readable_position(6.433, 3.367) == "6°26′N 3°22′E"
    assert readable_position(-18.1416, 178.4419) == "18°08′S 178°27′E"
    assert readable_position(1.99999, -0.5) == "2°00′N 0°30′W"


def test_country_lists_read_in_name_order(sample_site):
    page = soup(sample_site / "statistics" / "countries" / "index.html")
    names = [th.get_text(strip=True) for th in page.select("table.stats-table tbody th")]
    codes = [td.get_text(strip=True) for td in page.select("table.stats-table tbody td:nth-of-type(1)")]
    assert len(names) > 20 and codes == sorted(codes, key=by_name) and names[-1] != names[0]
    assert names.index("United Arab Emirates") > names.index("Nigeria")


def test_port_pages_show_a_readable_position_and_a_map(sample_site):
    pages = sorted((sample_site / "statistics" / "ports").glob("*/index.html"))
    assert pages
    for path in pages:
        page = soup(path)
        position = page.select_one(".port-position").get_text()
        assert re.fullmatch(r"\d{1,2}°\d\d′[NS] \d{1,3}°\d\d′[EW]", position), (path, position)
        assert not re.search(r"\(-?\d+\.\d{3}, -?\d+\.\d{3}\)", page.get_text())
        svg = page.select_one("figure.port-map svg.incident-map")
        assert svg.find("title") and svg.find("desc") and svg.select_one(".port-mark") and svg.select_one(".port-radius")
        west, south, east, north = (float(v) for v in svg["data-frame"].split())
        assert east - west < 5 and north - south < 5  # the port's surroundings, not the world


# ------------------------------------------------------------------ one headline chart


def test_one_headline_chart_for_the_page_the_home_box_and_the_email(sample_site, tmp_path):
    """The statistics page, the home page's box and the newsletter's PNG are drawn from one spec;
    the email's text is at least 11 px as shown (the PNG is 2x and shown at the layout's width)."""
    summary = json.loads((sample_site / "statistics" / "summary.json").read_text())
    for page, chart_id in ((sample_site / "statistics" / "index.html", "chart-years"), (sample_site / "index.html", "chart-home")):
        figure = soup(page).find("svg", attrs={"aria-labelledby": re.compile(f"^{chart_id}-wide-")}).find_parent("figure")
        assert figure.select_one(".chart-title").get_text() == charts.headline_chart_spec(summary)["title"]["text"]
        for layout in charts.PAGE_LAYOUTS:
            drawn = str(figure.select_one(f".chart-{layout} svg"))
            expected = charts.to_svg(charts.headline_chart_spec(summary, layout), "t", "d", "x")
            assert re.sub(r"<title.*</desc>|aria-labelledby=\"[^\"]*\"", "", drawn) == \
                   re.sub(r"<title.*</desc>|aria-labelledby=\"[^\"]*\"", "", str(BeautifulSoup(expected, "lxml").svg))
    spec = charts.headline_chart_spec(summary)
    sizes = [spec["config"]["axis"][k] for k in ("labelFontSize", "titleFontSize")] + \
            [spec["config"]["legend"]["labelFontSize"], spec["config"]["title"]["fontSize"]]
    assert min(sizes) >= 11 and spec["width"] == charts.LAYOUTS["email"].width


def test_the_newsletter_sends_the_statistics_headline_chart(tmp_path):
    from newsletter_site import SUMMARY, build_fixture_site
    from PIL import Image

    out = build_fixture_site(tmp_path)
    png = (out / "newsletters" / "july-2019" / "figures.png").read_bytes()
    assert png == charts.headline_chart_png(SUMMARY)  # not a chart of the newsletter's own
    issue = json.loads((out / "newsletters" / "july-2019" / "issue.json").read_text())
    chart = issue["figures"]["chart"]
    assert Image.open(__import__("io").BytesIO(png)).size[0] == 2 * chart["width"] == 2 * charts.LAYOUTS["email"].width
    assert chart["alt"].startswith("Stacked bar chart of in-scope incidents per year, by attack type. Totals: 2016: 310")


@pytest.mark.parametrize("layout", ["narrow", "wide"])
def test_page_charts_follow_the_colour_scheme(layout):
    """No background of their own and text in currentColor: no white slab on a dark page."""
    summary = {"by_year": {"2018": {"total": 3, "boarded": 3, **dict.fromkeys(("hijacked", "fired_upon", "attempted", "suspicious_approach", "unknown"), 0)}}}
    svg = charts.to_svg(charts.headline_chart_spec(summary, layout), "t", "d", "x")
    fills = set(re.findall(r'<text[^>]*fill="([^"]+)"', svg))
    assert fills == {"currentColor"}
    assert not re.search(r'class="background"[^>]*fill="#(?:fff|ffffff|FFFFFF)"', svg) and "background-color" not in svg
