"""Listing and site-level pages of fixture sites: pagination URLs, tags, sections, regions, yearly
archives, navigation, sitemap.xml, robots.txt and the 404 page. Plus the real sample content."""


import pytest
from lxml import etree
from sites import build, soup

SITE = "https://www.csoalliance.com"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def item(title, date, tags, extra="", body="Body."):
    return f"Title: {title}\nDate: {date}\nSummary: About {title}.\nTags: {tags}\n{extra}\n{body}\n"


REPORT_BODY = "## What happened\n\nSomething.\n\n## Advice\n\nReport it."


def fixture_files():
    files = {}
    for n in range(7):  # 7 items tagged topic-1: two pages of 5
        files[f"news/t1-{n}.md"] = item(f"Topic one {n}", f"2016-0{n + 1}-10 09:00 +00:00", "topic-1")
    for n in range(2):
        files[f"news/t12-{n}.md"] = item(f"Topic twelve {n}", f"2017-0{n + 1}-10 09:00 +00:00", "topic-12")
    for n in range(6):  # 6 Asia items (4 intelligence + 2 reports): two region pages
        if n < 4:
            files[f"intelligence/asia-{n}.md"] = item(f"Asia {n}", f"2018-0{n + 1}-10 08:00 +00:00", "asia", "Region: asia\n")
        else:
            files[f"reports/asia-{n}.md"] = item(
                f"Asia {n}", f"2018-0{n + 1}-10 08:00 +00:00", "asia",
                f"Region: asia\nIncident_date: 2018-0{n + 1}-09\n", REPORT_BODY,
            )
    files["intelligence/med.md"] = item("Med one", "2019-03-01 08:00 +00:00", "med", "Region: mediterranean\n")
    files["news/featured.md"] = item("Old but featured", "2015-05-05 09:00 +00:00", "alliance", "Featured: yes\n")
    files["news/draft.md"] = item("Secret draft", "2019-03-02 08:00 +00:00", "topic-1", "Status: draft\n")
    files["pages/b.md"] = "Title: Second page\nNav_order: 2\n\nB.\n"
    files["pages/a.md"] = "Title: First page\nNav_order: 1\nModified: 2018-05-05 10:00 +00:00\n\nA.\n"
    files["pages/hidden.md"] = "Title: Not in nav\n\nNo nav order.\n"
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("pages"), fixture_files(), DEFAULT_PAGINATION=5)


def listed(page):
    return [a["href"] for a in page.select(".item-list .item-title a")]


def canonical(page):
    links = page.find_all("link", rel="canonical")
    return links[0]["href"] if links else None


def test_tag_pagination_uses_directory_urls_that_cannot_collide(site):
    first = soup(site / "tags" / "topic-1" / "index.html")
    second = soup(site / "tags" / "topic-1" / "page" / "2" / "index.html")
    twelve = soup(site / "tags" / "topic-12" / "index.html")
    assert len(listed(first)) == 5 and len(listed(second)) == 2
    assert set(listed(first)).isdisjoint(listed(second))
    assert all("topic-one" in href for href in listed(first) + listed(second))
    assert sorted(listed(twelve)) == ["/news/topic-twelve-0/", "/news/topic-twelve-1/"]
    assert first.select_one(".pagination a[rel=next]")["href"] == "/tags/topic-1/page/2/"
    assert second.select_one(".pagination a[rel=prev]")["href"] == "/tags/topic-1/"
    assert canonical(second) == f"{SITE}/tags/topic-1/page/2/"
    assert canonical(twelve) == f"{SITE}/tags/topic-12/"
    assert not (site / "tags" / "topic-12" / "page").exists()
    assert [a.get_text() for a in second.select(".pagination a[aria-label^=Page]")] == ["1", "2"]
    assert second.select_one(".pagination a[aria-current=page]").get_text() == "2"


def test_home_is_paginated_newest_first(site):
    home = soup(site / "index.html")
    assert listed(home)[0] == "/intelligence/med-one/"
    assert canonical(home) == f"{SITE}/"
    page2 = soup(site / "page" / "2" / "index.html")
    assert canonical(page2) == f"{SITE}/page/2/"
    assert set(listed(home)).isdisjoint(listed(page2))
    assert home.select_one(".featured .item-title a")["href"] == "/news/old-but-featured/"
    assert "/news/old-but-featured/" not in listed(home)  # shown once, as the featured item
    assert "/news/secret-draft/" not in listed(home)


def test_home_describes_the_organisation_in_json_ld(site):
    import json

    home = soup(site / "index.html")
    data = [json.loads(tag.string) for tag in home.find_all("script", type="application/ld+json")]
    assert [d["@type"] for d in data] == ["Organization"]
    assert data[0]["url"] == f"{SITE}/" and data[0]["name"] == "CSO Alliance"
    assert soup(site / "page" / "2" / "index.html").find("script", type="application/ld+json") is None


def test_category_pages_are_the_content_kinds(site):
    news = soup(site / "news" / "index.html")
    assert news.find("h1").get_text(strip=True) == "News"
    assert (site / "news" / "page" / "2" / "index.html").is_file()
    sections = soup(site / "sections" / "index.html")
    # the content kinds with items, then the navigation's resources whose plugin ran (no incident
    # table, no newsletter here: no statistics, no newsletters)
    assert [a["href"] for a in sections.select(".section-list h2 a")] == [
        "/news/", "/reports/", "/intelligence/", "/regions/", "/events/", "/feeds/"
    ]


def test_region_pages_list_items_of_that_region_paginated(site):
    asia = soup(site / "regions" / "asia" / "index.html")
    asia2 = soup(site / "regions" / "asia" / "page" / "2" / "index.html")
    assert asia.find("h1").get_text(strip=True) == "Asia"
    assert listed(asia) == [f"/{'reports' if n >= 4 else 'intelligence'}/asia-{n}/" for n in (5, 4, 3, 2, 1)]
    assert listed(asia2) == ["/intelligence/asia-0/"]
    assert canonical(asia2) == f"{SITE}/regions/asia/page/2/"
    med = soup(site / "regions" / "mediterranean" / "index.html")
    assert listed(med) == ["/intelligence/med-one/"]
    empty = soup(site / "regions" / "west-africa" / "index.html")
    assert listed(empty) == [] and empty.select_one(".empty") is not None
    index = soup(site / "regions" / "index.html")
    assert [a["href"] for a in index.select(".region-card h2 a")] == [
        "/regions/asia/", "/regions/west-africa/", "/regions/gulf-of-aden/", "/regions/arabian-gulf/", "/regions/mediterranean/"
    ]


def test_yearly_archives(site):
    archives = soup(site / "archives" / "index.html")
    years = [a["href"].split("/")[2] for a in archives.select(".year-index a")]
    assert years == ["2019", "2018", "2017", "2016", "2015"]
    y2016 = soup(site / "archives" / "2016" / "index.html")
    y2016_2 = soup(site / "archives" / "2016" / "page" / "2" / "index.html")
    assert len(listed(y2016)) + len(listed(y2016_2)) == 7
    assert soup(site / "page" / "2" / "index.html").select_one(".featured") is None
    assert canonical(y2016) == f"{SITE}/archives/2016/"
    assert all("/news/topic-one" in h for h in listed(y2016))


def test_navigation_lists_pages_by_nav_order_and_marks_the_current_one(site):
    page = soup(site / "second-page" / "index.html")
    links = page.select("nav[aria-label=Main] .nav-group-alliance a")
    assert [(a["href"], a.get_text()) for a in links] == [("/first-page/", "First page"), ("/second-page/", "Second page")]
    assert [a.get("aria-current") for a in links] == [None, "page"]
    assert page.select_one("nav[aria-label=Main] details > summary") is not None


def sitemap_rows(site):
    xml = etree.parse(str(site / "sitemap.xml"))
    return [(u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS)) for u in xml.findall("s:url", NS)]


def html_canonicals(site):
    """Every canonical URL declared by an indexable HTML page of the output."""
    found = set()
    for path in site.rglob("*.html"):
        page = soup(path)
        robots = page.find("meta", attrs={"name": "robots"})
        if canonical(page) and not (robots and "noindex" in robots["content"]):
            found.add(canonical(page))
    return found


def test_sitemap_lists_every_canonical_page_once_with_lastmod(site):
    rows = sitemap_rows(site)
    locs = [loc for loc, _ in rows]
    assert len(locs) == len(set(locs))
    assert set(locs) == html_canonicals(site)
    assert all(lastmod for _, lastmod in rows)
    lastmods = dict(rows)
    assert lastmods[f"{SITE}/news/topic-one-0/"] == "2016-01-10T09:00:00Z"
    assert lastmods[f"{SITE}/tags/topic-12/"] == "2017-02-10T09:00:00Z"
    assert lastmods[f"{SITE}/first-page/"] == "2018-05-05T10:00:00Z"  # the page's own Modified date
    assert lastmods[f"{SITE}/second-page/"] == "2019-03-01T08:00:00Z"  # undated: the newest date of the site
    for expected in ["/", "/page/2/", "/tags/topic-1/page/2/", "/regions/asia/page/2/", "/archives/2016/", "/first-page/"]:
        assert SITE + expected in lastmods


def test_sitemap_leaves_out_noindex_pages_404_and_drafts(site):
    locs = {loc for loc, _ in sitemap_rows(site)}
    draft = soup(site / "drafts" / "secret-draft" / "index.html")
    assert draft.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not any("secret-draft" in loc or "404" in loc for loc in locs)


def test_robots_txt_points_at_the_sitemap(site):
    lines = (site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /drafts/" in lines


def test_404_page_is_noindex_without_canonical_and_links_home(site):
    page = soup(site / "404.html")
    assert page.find("h1").get_text(strip=True) == "Page not found"
    assert canonical(page) is None
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    hrefs = [a["href"] for a in page.select("main a")]
    assert "/" in hrefs and "/archives/" in hrefs
    # root-relative links and styles, so the page works at whatever URL the server shows it
    assert all(link["href"].startswith("/") for link in page.find_all("link", rel="stylesheet"))


# --- the real sample content -------------------------------------------------------------


def test_sample_site_has_enough_content_across_kinds_and_years(sample_site):
    articles = [p for kind in ("news", "workshops", "reports", "intelligence") for p in (sample_site / kind).glob("*/index.html")]
    assert len(articles) >= 20
    years = {p.name for p in (sample_site / "archives").iterdir() if p.name.isdigit()}
    assert len(years) >= 3
    assert (sample_site / "page" / "2" / "index.html").is_file()


def test_sample_site_navigation_pages_in_order(sample_site):
    home = soup(sample_site / "index.html")
    titles = [a.get_text() for a in home.select("nav[aria-label=Main] .nav-group-alliance a")]
    assert titles == [
        "Why CSO Alliance", "Connecting CSOs", "Communicating & Challenging", "Confirming Crime",
        "Collaborating Globally", "News & Workshops", "Contact us", "Join now",
    ]
    for a in home.select("nav[aria-label=Main] a"):
        assert (sample_site / a["href"].strip("/") / "index.html").is_file()


def test_sample_site_group_collections(sample_site):
    for slug in ["cso-groups", "latest-regional-intelligence", "military-and-industry-groups"]:
        assert (sample_site / slug / "index.html").is_file()
    intel = soup(sample_site / "latest-regional-intelligence" / "index.html")
    regions = [h.get_text(strip=True) for h in intel.select(".region-card h2")]
    assert regions == ["Asia", "West Africa", "Gulf of Aden", "Arabian Gulf and Gulf of Oman", "Mediterranean"]
    for card in intel.select(".region-card"):
        if card.h2.get_text(strip=True) != "Arabian Gulf and Gulf of Oman":  # first response reports only, so far
            assert card.select(".item-title a"), "every region has intelligence in the sample"


def test_sample_site_key_items(sample_site):
    workshop = soup(next((sample_site / "workshops").glob("bimco-*/index.html")))
    facts = {d.dt.get_text(): d.dd.get_text(" ", strip=True) for d in workshop.select("dl.facts > div")}
    assert facts["Workshop date"] == "28 June 2016" and facts["Place"].startswith("Athens")
    assert len(workshop.select(".entry-body h2")) == 3
    report = soup(sample_site / "reports" / "csoa-first-response-report-iran-drone-attack" / "index.html")
    assert [h.get_text() for h in report.select(".entry-body h2")] == ["What happened", "Advice"]
    titles = {soup(p).find("h1").get_text() for p in (sample_site / "news").glob("*/index.html")}
    assert any("425" in t for t in titles) and any("MARAD" in t for t in titles)


def test_sample_site_links_resolve(sample_site):
    """Every root-relative link of every page points at a file of the output."""
    missing = set()
    for path in sample_site.rglob("*.html"):
        for a in soup(path).select("a[href^='/']"):
            target = sample_site / a["href"].split("#")[0].strip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.add((str(path.relative_to(sample_site)), a["href"]))
    assert not missing


def test_sitemap_picks_up_pages_written_by_other_generators(tmp_path):
    """A page the theme knows nothing about (here a template page) is listed through its canonical."""
    files = {
        "news/a.md": item("Only news", "2016-07-08 09:00 +01:00", "alliance"),
        "extra.html": (
            '{% extends "base.html" %}{% block title %}Extra{% endblock %}'
            '{% block content %}<h1>Extra</h1><p><time datetime="2017-03-03">3 March 2017</time></p>{% endblock %}'
        ),
    }
    out = build(tmp_path, files, TEMPLATE_PAGES={"extra.html": "extra/index.html"})
    page = soup(out / "extra" / "index.html")
    assert canonical(page) == f"{SITE}/extra/"
    assert dict(sitemap_rows(out))[f"{SITE}/extra/"] == "2017-03-03T00:00:00Z"


def test_long_listings_show_a_window_of_page_links_with_gaps(tmp_path):
    """15 pages: page 7 links 1, 5-9 and 15 (gaps between), page 1 links 1-3 and 15."""
    files = {f"news/n-{n:02d}.md": item(f"Item {n}", f"2016-01-{n + 1:02d} 09:00 +00:00", "many") for n in range(15)}
    out = build(tmp_path, files, DEFAULT_PAGINATION=1)

    def numbers(page):
        return [li.get_text(strip=True) for li in page.select(".pagination li")
                if li.get_text(strip=True) and "pagination-prev" not in li.get("class", [])
                and "pagination-next" not in li.get("class", [])]

    middle = soup(out / "tags" / "many" / "page" / "7" / "index.html")
    assert numbers(middle) == ["1", "…", "5", "6", "7", "8", "9", "…", "15"]
    assert middle.select_one(".pagination a[aria-current=page]")["href"] == "/tags/many/page/7/"
    assert middle.select_one(".pagination a[aria-label='Page 15']")["href"] == "/tags/many/page/15/"
    assert all(li.get("aria-hidden") == "true" for li in middle.select(".pagination-gap"))
    assert numbers(soup(out / "tags" / "many" / "index.html")) == ["1", "2", "3", "…", "15"]
    assert numbers(soup(out / "tags" / "many" / "page" / "4" / "index.html")) == ["1", "2", "3", "4", "5", "6", "…", "15"]
