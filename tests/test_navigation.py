"""Finding things: the navigation built from data (alliance pages first, then the resources members
come back for) in the header, the footer and /sections/; the index of the regional crime summaries;
cross-links between the pages a reader expects to be linked. Real builds, parsed with a real parser."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sites import build, soup
from csoa.theme.navigation import navigation

# What a member must reach from any page (issue 15): statistics as a list or a map, the regional crime
# summary and port risk; events, regions, newsletters and feeds.
MEMBER_TARGETS = ["/statistics/", "/statistics/incidents/", "/statistics/map/", "/statistics/regions/",
                  "/statistics/ports/", "/regions/", "/events/", "/newsletters/", "/feeds/"]
ALLIANCE = ["/why-cso-alliance/", "/connecting-csos/", "/communicating-challenging/", "/confirming-crime/",
            "/collaborating-globally/", "/news-workshops/", "/contact-us/", "/join-now/"]


def hrefs(node, within=None):
    """The link targets inside ``node`` (or inside its elements matching the selector ``within``)."""
    containers = node.select(within) if within else [node]
    return [a["href"].split("#")[0] for c in containers for a in c.select("a[href]")]


def pages_of(site):
    """One HTML page per folder shape of the site (and the 404 page), as the browser test samples them."""
    seen, chosen = set(), [site / "404.html"]
    for path in sorted(site.rglob("index.html")):
        parts = path.relative_to(site).parts[:-1]
        shape = (parts[:1], len(parts))
        if shape not in seen and not (parts and parts[0] in {"pagefind", "theme"}):
            seen.add(shape)
            chosen.append(path)
    return chosen


def test_every_page_s_main_navigation_lists_the_alliance_pages_first_then_what_members_need(sample_site):
    pages = pages_of(sample_site)
    assert len(pages) > 25
    for path in pages:
        page = soup(path)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a moved page's stub, which sends the browser on at once
        nav = page.find("nav", attrs={"aria-label": "Main"})
        links = hrefs(nav)
        assert links[: len(ALLIANCE)] == ALLIANCE, path  # what a visitor reads first
        assert links[len(ALLIANCE):] == MEMBER_TARGETS, path
        for href in links:  # every one is a page of this build
            assert (sample_site / href.strip("/") / "index.html").is_file(), (path, href)


def test_the_footer_and_the_sections_page_list_every_resource(sample_site):
    home = soup(sample_site / "index.html")
    footer = hrefs(home.find("footer"))
    assert set(ALLIANCE + MEMBER_TARGETS) <= set(footer)
    assert {"/tags/", "/archives/", "/sections/", "/search/", "/newsletters/unsubscribe/"} <= set(footer)
    sections = soup(sample_site / "sections" / "index.html")
    cards = hrefs(sections, ".section-list > li > h2")
    assert cards == ["/news/", "/workshops/", "/reports/", "/intelligence/",
                     "/statistics/", "/regions/", "/events/", "/newsletters/", "/feeds/"]
    assert set(MEMBER_TARGETS) <= set(hrefs(sections, ".section-list"))


def test_the_current_page_is_marked_and_a_page_below_a_resource_marks_it(sample_site):
    def marked(path):
        nav = soup(sample_site / path).find("nav", attrs={"aria-label": "Main"})
        return [(a["href"], a["aria-current"]) for a in nav.select("a[aria-current]")]

    assert marked("statistics/incidents/index.html") == [("/statistics/incidents/", "page")]
    assert marked("statistics/countries/nga/index.html") == [("/statistics/", "true")]
    assert marked("regions/asia/index.html") == [("/regions/", "true")]
    assert marked("join-now/index.html") == [("/join-now/", "page")]
    assert marked("tags/index.html") == []


def test_resources_come_from_the_settings_and_only_where_their_plugin_wrote_the_page(tmp_path):
    files = {"pages/a.md": "Title: About us\nNav_order: 1\n\nA.\n"}
    resources = [{"title": "Calendar", "url": "events/", "requires": "events_calendar_url"},
                 {"title": "Figures", "url": "statistics/", "requires": "statistics_summary"}]  # no data: no page
    out = build(tmp_path, files, NAV_RESOURCES=resources, NAV_RESOURCES_TITLE="For members")
    nav = soup(out / "about-us" / "index.html").find("nav", attrs={"aria-label": "Main"})
    assert [(a["href"], a.get_text()) for a in nav.select("a")] == [("/about-us/", "About us"), ("/events/", "Calendar")]
    assert [p.get_text() for p in nav.select(".nav-group-title")] == ["The Alliance", "For members"]


def test_navigation_groups_without_templates():
    pages = [SimpleNamespace(title="B", url="b/", nav_order="2"), SimpleNamespace(title="A", url="a/", nav_order="1"),
             SimpleNamespace(title="Hidden", url="h/", nav_order=None)]
    settings = {"NAV_RESOURCES": [
        {"title": "Stats", "url": "statistics/", "requires": "x", "links": [{"title": "List", "url": "statistics/list/"}]},
        {"title": "Gone", "url": "gone/", "requires": "y"}]}
    groups = navigation(pages, settings, present=lambda name: name in {None, "x"}, here="statistics/list/page/2/")
    assert [(g.key, [link.title for link in g.flat()]) for g in groups] == [
        ("alliance", ["A", "B"]), ("resources", ["Stats", "List"])]
    assert [(link.title, link.current) for g in groups for link in g.flat() if link.current] == [("List", "true")]


def test_the_regional_crime_summaries_have_an_index_linking_each_region_both_ways(sample_site):
    index = soup(sample_site / "statistics" / "regions" / "index.html")
    summaries = hrefs(index, ".region-summaries h2")
    assert "/statistics/regions/west-africa/" in summaries and len(summaries) == 7
    for href in summaries:
        assert (sample_site / href.strip("/") / "index.html").is_file()
    assert "/regions/west-africa/" in hrefs(index, ".region-summaries")  # the region's intelligence
    regions = soup(sample_site / "regions" / "index.html")
    for card in regions.select(".region-card"):
        region = card.h2.a["href"]  # /regions/<slug>/
        assert "/statistics" + region in hrefs(card), region  # its crime summary
        summary = soup(sample_site / "statistics" / region.strip("/") / "index.html")
        assert region in hrefs(summary, "main")  # and back


def test_confirming_crime_and_the_statistics_news_link_the_list_the_map_and_port_risk(sample_site):
    confirming = hrefs(soup(sample_site / "confirming-crime" / "index.html"), ".entry-body")
    assert {"/statistics/incidents/", "/statistics/map/", "/statistics/ports/"} <= set(confirming)
    for slug, wanted in [("daily-statistics-reporting-updated", {"/statistics/incidents/", "/statistics/map/",
                                                                 "/statistics/regions/", "/statistics/ports/"}),
                         ("port-risk-maps-now-cover-five-years-of-incidents", {"/statistics/map/",
                                                                               "/statistics/ports/"})]:
        assert wanted <= set(hrefs(soup(sample_site / "news" / slug / "index.html"), ".entry-body")), slug


@pytest.mark.parametrize("page", ["statistics/countries/nga/index.html", "statistics/regions/west-africa/index.html"])
def test_country_and_region_statistics_link_the_ports_of_their_incidents(sample_site, page):
    rows = soup(sample_site / page).select("table.incidents tbody tr")
    ports = [cell.a["href"] for row in rows for cell in row.select("td:nth-of-type(4)") if cell.a]
    assert ports and all(href.startswith("/statistics/ports/") for href in ports)
    for href in ports:
        assert (sample_site / href.strip("/") / "index.html").is_file()
