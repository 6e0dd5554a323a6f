"""Every figure has one definition, one window and one label (issue 14), read from built pages as a
member reads them: a port's count on every page that shows it, the sample label on every surface,
partial years, percentages on a meaningful base, whole-number chart ticks, the age of the data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sites import build, soup
from stats_helpers import table_text

from csoa.model.incident import Incident
from csoa.stats import charts, wording

WINDOW = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4}")
SAMPLE_WINDOW = "28 June 2016 to 27 June 2019"  # the sample table's three years, to its newest record


def _moved(path: Path) -> bool:
    """The small pages at former URLs (statistics/regions/gulf_of_aden/) that point to the new one."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def _stats_pages(out: Path) -> list[Path]:
    return sorted(p for p in (out / "statistics").rglob("index.html") if not _moved(p))


def _text(page) -> str:
    return " ".join(page.select_one("main").get_text().split())


# ------------------------------------------------------------------ one port, one number


def _port_tables(page):
    """Tables whose first column is "Port": (window named in the count's header or caption, count column, table)."""
    for table in page.select("table"):
        headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        if not headers or headers[0] != "Port":
            continue
        column = next(i for i, h in enumerate(headers) if "incidents" in h.lower())
        caption = table.caption.get_text(" ", strip=True) if table.caption else ""
        window = WINDOW.search(headers[column]) or WINDOW.search(caption)
        yield (window.group(0) if window else None), column, table


def port_counts(out: Path) -> dict[str, dict[str, tuple[int, str | None]]]:
    """{port name: {page: (count, window)}} from every port table and every port page's own sentence."""
    found: dict[str, dict] = defaultdict(dict)
    for path in _stats_pages(out):
        page, rel = soup(path), str(path.relative_to(out))
        for window, column, table in _port_tables(page):
            for tr in table.tbody.find_all("tr"):
                if tr.th is not None:
                    cells = [tr.th, *tr.find_all("td")]
                    found[tr.th.get_text(strip=True)][rel] = (int(cells[column].get_text()), window)
        if path.parent.parent.name == "ports":
            name = page.h1.get_text().split(": port risk assessment")[0]
            said = re.search(r"(\d+) in-scope incidents? within 20 nautical miles, (" + WINDOW.pattern + ")", _text(page))
            found[name][rel + " (sentence)"] = (int(said.group(1)), said.group(2)) if said else (None, None)
    return found


def test_a_port_shows_the_same_count_over_the_same_stated_window_on_every_page(sample_site):
    counts = port_counts(sample_site)
    for name in ("Singapore", "Batam", "Bonny"):
        assert len(counts[name]) >= 3, (name, counts[name])  # ports page, its own page, a region or country page
    for name, pages in counts.items():  # one number wherever it is shown...
        assert len({n for n, _ in pages.values() if n is not None}) == 1, (name, pages)
    for name, pages in counts.items():  # ...said on the port's own page, over one stated window
        assert {w for _, w in pages.values()} == {SAMPLE_WINDOW}, (name, pages)


def test_the_risk_rule_and_its_window_are_stated_wherever_a_risk_level_is_shown(sample_site):
    pages = [p for p in _stats_pages(sample_site) if "ports" in p.parts]
    assert len(pages) > 5
    for path in pages:
        text = _text(soup(path))
        assert "How the risk level is set: Counting in-scope incidents within 20 nautical miles" in text, path
        assert SAMPLE_WINDOW in text, path
    # on the list, the count beside each risk level covers the window the risk uses
    ports = soup(sample_site / "statistics" / "ports" / "index.html")
    (window, _, _), = list(_port_tables(ports))
    assert window == SAMPLE_WINDOW


# ------------------------------------------------------------------ the sample label, everywhere


def test_every_page_showing_figures_says_sample_data(sample_site):
    for path in _stats_pages(sample_site):
        note = soup(path).select_one("main [role=note]")
        assert note and note.get_text().startswith("Sample data:"), path
    box = soup(sample_site / "index.html").select_one(".headline-figures")
    assert "Sample data:" in box.get_text() and "organised maritime criminals" in box.get_text()
    # every box of figures from the statistics on other pages (a report's regional box) says so too;
    # newsletter issues are composed by the newsletter plugin and checked there
    boxes = 0
    for path in sample_site.rglob("*.html"):
        if "statistics" in path.parts or "newsletters" in path.parts:
            continue
        for box in soup(path).select("main .headline-figures, main .article-region-stats"):
            boxes += 1
            assert "Sample data:" in box.get_text(), path
    assert boxes >= 2


def test_every_download_says_sample_data_and_the_csv_stays_a_plain_table(sample_site):
    stats = sample_site / "statistics"
    summary = json.loads((stats / "summary.json").read_text())
    assert summary["sample_data"] is True and summary["notice"].startswith("Sample data:")
    incidents = json.loads((stats / "incidents.json").read_text())
    assert incidents["sample_data"] is True and incidents["notice"].startswith("Sample data:")
    assert "sample_data" in incidents["fields"] and all(i["sample_data"] is True for i in incidents["incidents"])
    geo = json.loads((stats / "incidents.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["sample_data"] is True
    assert all(f["properties"]["sample_data"] is True for f in geo["features"])
    text = (stats / "incidents.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))  # header on line 1: any CSV reader reads it as it is
    assert text.splitlines()[0].startswith("sample_data,id,")
    assert len(rows) == len(incidents["incidents"]) and {r["sample_data"] for r in rows} == {"true"}
    # the email's chart image is drawn from this spec and says it in its own title
    spec = charts.headline_chart_spec(summary)
    assert "SAMPLE DATA" in spec["title"]["text"]


def test_geojson_features_carry_id_and_position_once_and_every_value_of_the_json_download(sample_site):
    """Issue 16 (keep only what a download needs): a feature's id and point are not repeated in its
    properties, and nothing is lost: each feature is the JSON download's record, value for value."""
    stats = sample_site / "statistics"
    incidents = json.loads((stats / "incidents.json").read_text())["incidents"]
    features = json.loads((stats / "incidents.geojson").read_text())["features"]
    assert len(features) == len(incidents) > 100
    for feature, record in zip(features, incidents):
        assert not {"id", "lat", "lon"} & feature["properties"].keys()
        lon, lat = feature["geometry"]["coordinates"]
        assert {**feature["properties"], "id": feature["id"], "lat": lat, "lon": lon} == record


def test_statistics_writes_no_file_that_nothing_links(sample_site):
    """The headline chart PNG under statistics/ was linked by no page (the newsletter draws its own
    figures.png): it is no longer written, and the newsletter's chart still is."""
    stats = sample_site / "statistics"
    assert not list(stats.glob("*.png"))
    pages = "".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("*.html"))
    for download in (f for f in stats.iterdir() if f.is_file() and f.suffix != ".html"):  # each is linked
        assert f"/statistics/{download.name}" in pages, download.name
    assert list((sample_site / "newsletters").glob("*/figures.png"))


# ------------------------------------------------------------------ partial year, ticks, small bases


def _chart_axes(svg) -> dict[str, list[str]]:
    """{axis title: label texts} of one Vega chart SVG."""
    axes = {}
    for axis in svg.select("g.role-axis"):
        title = axis.select_one("g.role-axis-title text")
        labels = [" ".join(t.stripped_strings) for t in axis.select("g.role-axis-label text")]
        if title is not None:
            axes[title.get_text(strip=True)] = labels
    return axes


def test_the_partial_year_is_marked_in_every_table_and_chart(sample_site):
    summary = json.loads((sample_site / "statistics" / "summary.json").read_text())
    assert summary["partial_year"] == {"year": "2019", "to": "2019-06-27"}
    tables = charts_seen = 0
    for path in _stats_pages(sample_site):
        page = soup(path)
        for table in page.select("table"):
            headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            if headers and headers[0] == "Year":  # one row per year
                for tr in table.tbody.find_all("tr"):
                    if tr.th and tr.th.get_text().startswith("2019"):
                        tables += 1
                        assert "partial: to 27 June" in tr.th.get_text(), path
            for header in headers:  # one column per year
                if header.startswith("2019"):
                    tables += 1
                    assert "partial: to 27 June" in header, path
        for svg in page.select("figure.stats-chart svg"):
            years = _chart_axes(svg).get("Year", [])
            if any(label.startswith("2019") for label in years):
                charts_seen += 1
                assert "2019 (partial: to 27 June)" in years, (path, years)
                assert "2019 is a partial year" in svg.find("desc").get_text()
    assert tables > 20 and charts_seen >= 5


def _record(day: date, lat: float, lon: float, region: str, n: int) -> Incident:
    return Incident(id=f"sample-{n:05d}", source="sample", source_ref=f"{n:05d}", date=day, lat=lat, lon=lon,
                    location_precision="approximate", location_text="test waters", region=region, attack_type="boarded",
                    vessel_status="anchored", vessel_type="tanker", weapons=("not_stated",),
                    narrative="SAMPLE DATA (synthetic).")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """Other waters: 1 incident in the earlier twelve months, 2 in the later; West Africa: 10 then 15.
    Built seven years after its newest record."""
    records, n = [], 0
    for days_back, region, lat, lon in ([(400, "other", -18.1, 178.4)] + [(10 + i, "other", -18.1, 178.4) for i in range(2)]
                                        + [(380 + i, "west_africa", 6.3, 3.3) for i in range(10)]
                                        + [(i, "west_africa", 6.3, 3.3) for i in range(15)]):
        n += 1
        records.append(_record(date(2019, 6, 27) - timedelta(days=days_back), lat, lon, region, n))
    root = tmp_path_factory.mktemp("small-stats")
    return build(root, {"data/incidents.csv": table_text(records)}, now=datetime(2026, 12, 2, tzinfo=timezone.utc))


def _trend(out: Path, region: str) -> str:
    page = soup(out / "statistics" / "regions" / region / "index.html")
    return " ".join(page.find(id="trend-heading").find_next("p").get_text(" ", strip=True).split())


def test_no_percentage_change_on_a_base_too_small_to_mean_anything(small_site):
    other = _trend(small_site, "other")
    assert other.startswith("2 in-scope incidents") and "against 1 in" in other
    assert "%" not in other and "Too few incidents for a percentage change" in other
    west = _trend(small_site, "west-africa")
    assert "against 10 in" in west and "(+50%)" in west  # a base of 10 is enough


def test_counts_get_whole_number_ticks(small_site, sample_site):
    seen = 0
    for out in (small_site, sample_site):
        for path in _stats_pages(out):
            for svg in soup(path).select("figure.stats-chart svg"):
                ticks = _chart_axes(svg)["Incidents"]
                seen += 1
                assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), (path, ticks)
    assert seen > 10


# ------------------------------------------------------------------ how old the data are


def test_pages_say_how_old_the_newest_record_is_in_words(small_site, sample_site):
    for path in _stats_pages(sample_site):
        text = _text(soup(path))
        assert "Newest record: 27 June 2019, 11 days before this page was built (8 July 2019)." in text, path
        assert "Data as of" not in text and "last updated" not in text
    for path in _stats_pages(small_site):
        assert "Newest record: 27 June 2019, 7 years before this page was built (2 December 2026)." in _text(soup(path))
    box = " ".join(soup(sample_site / "index.html").select_one(".headline-figures").get_text().split())
    assert "From 28 June 2016 to 27 June 2019. Newest record: 27 June 2019, 11 days before this page was built." in box


@pytest.mark.parametrize("newest,built,expected", [
    (date(2019, 6, 27), date(2019, 6, 28), "1 day"), (date(2019, 6, 27), date(2019, 8, 25), "59 days"),
    (date(2019, 6, 27), date(2019, 8, 27), "2 months"), (date(2019, 6, 27), date(2021, 6, 26), "23 months"),
    (date(2019, 6, 27), date(2021, 6, 27), "2 years"), (date(2019, 6, 27), date(2026, 12, 2), "7 years"),
])
def test_age_in_words(newest, built, expected):
    assert wording.age(newest, built) == expected
    assert wording.human_date(date(2019, 6, 27)) == "27 June 2019"


# ------------------------------------------------------------------ other figures shown in more than one place


def _first_column_counts(page, first_header: str) -> dict[str, tuple[int, str]]:
    """{row name: (count, caption)} of every table whose first column is ``first_header``."""
    found = {}
    for table in page.select("table"):
        headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        if headers and headers[0] == first_header:
            column = next(i for i, h in enumerate(headers) if "incidents" in h.lower())
            caption = table.caption.get_text(" ", strip=True)
            for tr in table.tbody.find_all("tr"):
                if tr.th is not None:
                    found[tr.th.get_text(strip=True)] = (int([tr.th, *tr.find_all("td")][column].get_text()), caption)
    return found


def test_a_country_shows_one_all_years_count_and_a_region_page_names_its_area(sample_site):
    stats = sample_site / "statistics"
    listed = _first_column_counts(soup(stats / "countries" / "index.html"), "Country")
    mapped = _first_column_counts(soup(stats / "map" / "index.html"), "Country")
    assert {k: n for k, (n, _) in listed.items() if n} == {k: n for k, (n, _) in mapped.items()}
    for path in (stats / "countries").glob("*/index.html"):
        page = soup(path)
        name = page.h1.get_text().split(": maritime crime")[0]
        sentence = next(p.get_text() for p in page.select("main p") if "in the waters of" in p.get_text())
        said = re.match(r"(\d+) in-scope incidents, all years \(to 27 June 2019\), in the waters of", sentence)
        assert said and int(said.group(1)) == listed[name][0], path
    # a country whose waters lie in two regions shows, on each region page, its count in that region, so labelled
    for path in (p for p in (stats / "regions").glob("*/index.html") if not _moved(p)):
        page = soup(path)
        region = page.h1.get_text().split(": regional crime summary")[0]
        for name, (n, caption) in _first_column_counts(page, "Country").items():
            assert n <= listed[name][0] and f"in {region}, all years" in caption, (path, name)


def test_region_totals_agree_on_the_overview_the_region_page_and_a_report_page(sample_site):
    overview = soup(sample_site / "statistics" / "index.html")
    table = overview.find("caption", string="In-scope incidents per region and year").parent
    totals = {tr.th.get_text(strip=True): sum(int(td.get_text()) for td in tr.find_all("td")) for tr in table.tbody.find_all("tr")}
    for path in (p for p in (sample_site / "statistics" / "regions").glob("*/index.html") if not _moved(p)):
        page = soup(path)
        region = page.h1.get_text().split(": regional crime summary")[0]
        years = page.find("caption", string=lambda s: s and "per year by attack type" in s).parent
        assert sum(int(tr.td.get_text()) for tr in years.tbody.find_all("tr")) == totals[region], path
    boxes = [box for p in sample_site.rglob("*.html") if "statistics" not in p.parts
             for box in soup(p).select("main .article-region-stats")]
    assert boxes
    for box in boxes:
        region = box.h2.get_text().split(": crime statistics")[0]
        assert re.search(rf"\b{totals[region]} in-scope incidents recorded in {region} since 2013", box.get_text()), box


def test_the_home_box_and_the_statistics_page_say_the_same_headline(sample_site):
    home = soup(sample_site / "index.html").select_one(".headline-figures")
    stats = soup(sample_site / "statistics" / "index.html").select_one(".headline-sentence").get_text()
    assert stats in home.get_text()
