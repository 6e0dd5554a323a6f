"""Regions read the same everywhere (issue 14): one label and one URL slug per region on /regions/,
the statistics, the feeds, the newsletter and the SES topics; counts that equal what is listed;
region and statistics pages linked both ways; reports filed under a region whose name fits."""

from __future__ import annotations

import re
from pathlib import Path

import boto3
import pytest
from newsletter_site import moto_ses
from sites import ROOT, build, settings_for, soup, write_content

from csoa.model.regions import region_of, site_regions
from csoa.sending.localaws import provision
from csoa.validation.validate import SiteRules, validate_tree

SLUG_URL = re.compile(r"/(?:statistics/)?regions/([^/]+)/$")


def _regions_index(out: Path) -> dict[str, str]:
    """{label: slug} as /regions/ shows them."""
    cards = soup(out / "regions" / "index.html").select(".region-card h2 a")
    return {a.get_text(strip=True): SLUG_URL.search(a["href"]).group(1) for a in cards}


def _statistics_index(out: Path) -> dict[str, str]:
    """{label: slug} of the regions table on /statistics/."""
    links = soup(out / "statistics" / "index.html").select('main table a[href*="/statistics/regions/"]')
    return {a.get_text(strip=True): SLUG_URL.search(a["href"]).group(1) for a in links}


def _region_feeds(out: Path) -> dict[str, str]:
    """{label: slug} of the region feeds listed on /feeds/ (title "CSO Alliance: <label>")."""
    found = {}
    for a in soup(out / "feeds" / "index.html").select('a[href*="/feeds/regions/"][href$=".atom.xml"]'):
        title = a.find_parent("li").select_one(".feed-title").get_text(strip=True)
        found[title.removeprefix("CSO Alliance: ")] = a["href"].rsplit("/", 1)[1].removesuffix(".atom.xml")
    return found


def test_every_region_has_one_label_and_one_slug_on_every_page(sample_site):
    regions, statistics, feeds = _regions_index(sample_site), _statistics_index(sample_site), _region_feeds(sample_site)
    assert regions, "no region cards on /regions/"
    assert feeds == regions, "the region feeds and /regions/ disagree"
    for label, slug in regions.items():
        assert statistics.get(label) == slug, f"{label}: /regions/{slug}/ but statistics say {statistics.get(label)}"
        assert "_" not in slug, f"{label}: URL slug {slug!r} is not the hyphenated form"
    # the statistics-only regions are counted but have no region page
    assert set(statistics) - set(regions) == {"Americas", "Other waters"}
    # the newsletter's regional sections say the region as /regions/ does
    titles = [h.get_text(" ", strip=True) for h in soup(sample_site / "newsletters" / "july-2019" / "index.html")
              .find_all(["h2", "h3"]) if h.get_text(strip=True).startswith("Regional intelligence: ")]
    assert titles and {t.removeprefix("Regional intelligence: ") for t in titles} <= set(regions)


def test_no_page_links_a_region_by_its_key(sample_site):
    """One slug style in every URL: nothing links /regions/gulf_of_aden/ or /statistics/regions/west_africa/."""
    offenders = []
    for page in sample_site.rglob("*.html"):
        if soup(page).find("meta", attrs={"http-equiv": "refresh"}):
            continue  # the small moved pages at the old URLs
        for a in soup(page).select('a[href*="regions/"]'):
            match = SLUG_URL.search(a["href"])
            if match and "_" in match.group(1):
                offenders.append(f"{page.relative_to(sample_site)} -> {a['href']}")
    assert not offenders, offenders[:10]


@pytest.mark.parametrize("old, new", [
    ("statistics/regions/gulf_of_aden", "/statistics/regions/gulf-of-aden/"),
    ("regions/west_africa", "/regions/west-africa/"),
])
def test_old_key_style_urls_point_to_the_new_page(sample_site, old, new):
    page = soup(sample_site / old / "index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={new}"
    assert page.select_one("main a.moved-to")["href"] == new and (sample_site / new.strip("/") / "index.html").is_file()
    assert f"{old}/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")


def _listed_on_region_page(out: Path, url: str) -> list[str]:
    """Titles listed on a region page and its further pages."""
    titles, page = [], out / url.strip("/") / "index.html"
    while True:
        html = soup(page)
        titles += [a.get_text(strip=True) for a in html.select("main article h2 a, main article h3 a")]
        nxt = html.select_one('a[rel="next"]')
        if not nxt:
            return titles
        page = out / nxt["href"].strip("/") / "index.html"


def _check_counts(out: Path) -> None:
    for card in soup(out / "regions" / "index.html").select(".region-card"):
        name = card.h2.get_text(strip=True)
        count_text = card.select_one(".listing-count").get_text(" ", strip=True)
        said = int(re.match(r"(\d+) items?", count_text).group(1))
        shown = len(card.select("li"))
        on_page = _listed_on_region_page(out, card.h2.a["href"])
        assert said == len(on_page), f"{name}: the card says {said}, its page lists {len(on_page)}"
        if said == shown:
            assert "latest" not in count_text
        else:
            assert f"the latest {shown} below" in count_text, f"{name}: '{count_text}' but {shown} listed"
            assert card.select_one(".region-more a").get_text(strip=True) == f"All {said} items in {name}"
        page_count = soup(out / card.h2.a["href"].strip("/") / "index.html").select_one(".listing-count")
        assert page_count.get_text(strip=True) == f"{said} item{'s' if said != 1 else ''}"


def test_region_counts_equal_the_items_listed_on_the_sample_site(sample_site):
    _check_counts(sample_site)


def _intelligence(n: int) -> str:
    return f"""\
        Title: Asia note {n}
        Date: 2019-0{n}-02 09:00
        Summary: Note {n} about Asia.
        Region: asia

        Text {n}.
        """


def test_region_counts_equal_the_items_listed_when_a_region_has_more_than_the_card_shows(tmp_path):
    out = build(tmp_path, {f"intelligence/2019-0{n}-02-asia-{n}.md": _intelligence(n) for n in range(1, 6)})
    card = next(c for c in soup(out / "regions" / "index.html").select(".region-card") if c.h2.get_text(strip=True) == "Asia")
    assert len(card.select("li")) == 3  # the card shows the latest three of five
    _check_counts(out)


def test_region_pages_link_their_statistics_and_feeds_and_back(sample_site):
    for label, slug in _regions_index(sample_site).items():
        page = soup(sample_site / "regions" / slug / "index.html")
        links = {a["href"] for a in page.select(".region-links a")}
        assert {f"/statistics/regions/{slug}/", f"/feeds/regions/{slug}.atom.xml", f"/feeds/regions/{slug}.rss.xml"} <= links, label
        for href in links:
            target = sample_site / href.strip("/")
            assert (target / "index.html").is_file() or target.is_file(), f"{label}: {href} is not built"
        stats = soup(sample_site / "statistics" / "regions" / slug / "index.html")
        back = stats.select_one(".stats-region-page a")
        assert back is not None and back["href"] == f"/regions/{slug}/", f"{label}: no link back from its statistics"
    for stats_only in ("americas", "other"):
        assert soup(sample_site / "statistics" / "regions" / stats_only / "index.html").select_one(".stats-region-page") is None


# Where things happened, and the words a region's label must contain to fit there.
PLACES = {
    "Gulf of Oman": ((24.6, 58.3), ("Gulf of Oman",)),
    "Strait of Hormuz": ((26.5, 56.4), ("Arabian Gulf", "Gulf of Oman")),
    "Gulf of Aden": ((12.5, 47.0), ("Gulf of Aden",)),
    "Bonny": ((4.3, 7.1), ("West Africa",)),
    "Singapore Strait": ((1.2, 104.0), ("Asia",)),
}


def test_reports_sit_under_a_region_whose_name_fits_where_it_happened(sample_site):
    filed = []  # (title, place, label shown on the report)
    for page in sorted((sample_site / "reports").glob("*/index.html")):
        html = soup(page)
        title = html.h1.get_text(" ", strip=True)
        said = title + " " + html.select_one('meta[name="description"]')["content"]
        label = next(dt.find_next("dd").get_text(strip=True) for dt in html.find_all("dt") if dt.get_text(strip=True) == "Region")
        filed += [(title, place, label) for place in PLACES if place in said]
    assert len(filed) >= 3
    for title, place, label in filed:
        assert any(words in label for words in PLACES[place][1]), f"{title}: filed under {label}, happened in {place}"
    settings = settings_for(ROOT, PATH=str(ROOT / "content"))
    for title, place, label in filed:  # and the statistics' polygons put the place in that region too
        (lat, lon), _ = PLACES[place]
        counted_in = settings["REGION_TABLE"][region_of(lat, lon, settings["REGION_POLYGONS"])]["label"]
        assert counted_in == label, f"{title}: the statistics count {place} in {counted_in}"


def test_content_may_be_filed_only_under_filing_regions(tmp_path):
    content = write_content(tmp_path, {
        f"reports/2019-06-1{i}-r.md": f"""\
            Title: Report {i}
            Date: 2019-06-1{i} 09:00
            Summary: A report.
            Incident_date: 2019-06-1{i}
            Region: {region}

            ## What happened

            Something.

            ## Advice

            Something else.
            """ for i, region in enumerate(("arabian_gulf", "other", "americas"))})
    errors = [str(e) for e in validate_tree(SiteRules.from_settings(settings_for(tmp_path, PATH=str(content)))).errors]
    assert not [e for e in errors if "2019-06-10-r.md" in e], errors
    for name, value in (("2019-06-11-r.md", "other"), ("2019-06-12-r.md", "americas")):
        assert [e for e in errors if name in e and "region" in e.lower() and value in e], (name, errors)


def test_ses_topics_are_the_regions_of_the_site(sample_site, monkeypatch):
    settings = settings_for(ROOT, PATH=str(ROOT / "content"))
    with moto_ses(monkeypatch, regions=()) as url:
        provision(url, "newsletter@csoalliance.com", "site-members", site_regions(settings).filing_regions, None,
                  queue_name=None)
        topics = boto3.client("sesv2").get_contact_list(ContactListName="site-members")["Topics"]
    by_topic = {t["TopicName"]: t["DisplayName"] for t in topics if t["TopicName"].startswith("region-")}
    expected = {f"region-{slug}": f"Regional intelligence: {label}" for label, slug in _regions_index(sample_site).items()}
    assert by_topic == expected
