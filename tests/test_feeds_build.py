"""The plain feed builder (reused by the newsletter area) and the URL absolutiser, without Pelican."""

import time
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from lxml import etree

from csoa.feeds.absolute import absolutize_html
from csoa.feeds.build import Category, Enclosure, FeedChannel, FeedItem, build_atom, build_rss
from csoa.feeds.catalogue import FeedCatalogue, feed_specs, region_keys
from csoa.model.regions import Region
from csoa.model.stable_ids import default_uid, item_uid, tag_uri

SITE = "https://www.csoalliance.com"
BST = timezone(timedelta(hours=1))
CHANNEL = FeedChannel(
    title="CSO Alliance: newsletter",
    description="Issues of the member newsletter",
    site_link=f"{SITE}/newsletters/",
    atom_url=f"{SITE}/feeds/newsletters.atom.xml",
    rss_url=f"{SITE}/feeds/newsletters.rss.xml",
    id=tag_uri("feeds/newsletters", SITE),
    author="CSO Alliance",
    author_uri=f"{SITE}/",
    fallback_updated=datetime(2016, 7, 1, tzinfo=timezone.utc),
)


def item(n, **changes):
    fields = dict(
        title=f"Issue {n}",
        link=f"{SITE}/newsletters/{n}/",
        id=tag_uri(f"newsletters/{n}", SITE),
        published=datetime(2016, 7, n, 9, tzinfo=BST),
        updated=datetime(2016, 7, n, 9, tzinfo=BST),
        authors=("CSO Alliance",),
        categories=(Category("newsletters", "Newsletter"),),
        summary_html="<p>Summary</p>",
        content_html=f'<p><a href="{SITE}/files/issue-{n}.pdf">PDF</a></p>',
        enclosures=(Enclosure(f"{SITE}/files/issue-{n}.pdf", 1000 + n),),
    )
    fields.update(changes)
    return FeedItem(**fields)


def test_plain_items_make_valid_feeds_newest_first():
    items = [item(1), item(8), item(4)]
    for data in (build_atom(CHANNEL, items), build_rss(CHANNEL, items)):
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0
        assert [e.title for e in parsed.entries] == ["Issue 8", "Issue 4", "Issue 1"]


def test_no_clock_in_the_output():
    first = build_rss(CHANNEL, [item(1)]), build_atom(CHANNEL, [item(1)])
    time.sleep(1.1)
    assert (build_rss(CHANNEL, [item(1)]), build_atom(CHANNEL, [item(1)])) == first
    assert b"2016-07-01T09:00:00+01:00" in first[1] and b"Fri, 01 Jul 2016 09:00:00 +0100" in first[0]


def test_empty_feed_uses_the_fallback_date_and_needs_one():
    assert b"<updated>2016-07-01T00:00:00+00:00</updated>" in build_atom(CHANNEL, [])
    with pytest.raises(ValueError, match="no items and no fallback_updated"):
        build_atom(FeedChannel(**{**CHANNEL.__dict__, "fallback_updated": None}), [])


def test_rss_enclosure_only_in_rss_and_permalink_guid_only_for_https_url_ids():
    rss = etree.fromstring(build_rss(CHANNEL, [item(2), item(3, id=f"{SITE}/newsletters/3/")]))
    items = {i.findtext("title"): i for i in rss.iter("item")}
    assert items["Issue 2"].find("guid").get("isPermaLink") == "false"
    assert items["Issue 3"].find("guid").get("isPermaLink") == "true"
    enclosure = items["Issue 2"].find("enclosure")
    assert (enclosure.get("length"), enclosure.get("type")) == ("1002", "application/pdf")
    assert b"enclosure" not in build_atom(CHANNEL, [item(2)])


def test_limit_keeps_the_newest_items():
    parsed = feedparser.parse(build_atom(CHANNEL, [item(n) for n in range(1, 10)], limit=3))
    assert [e.title for e in parsed.entries] == ["Issue 9", "Issue 8", "Issue 7"]


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<a href="/x/">x</a>', f'<a href="{SITE}/x/">x</a>'),
        ('<a href="report.pdf">r</a>', f'<a href="{SITE}/news/a/report.pdf">r</a>'),
        ('<a href="../b/">b</a>', f'<a href="{SITE}/news/b/">b</a>'),
        ('<img src="//cdn.example.org/i.png" alt="">', '<img alt="" src="https://cdn.example.org/i.png"/>'),
        ('<a href="https://other.org/">o</a>', '<a href="https://other.org/">o</a>'),
        ('<a href="mailto:a@b.org">m</a>', '<a href="mailto:a@b.org">m</a>'),
        ('<img srcset="a.png 1x,/b.png 2x" alt="">', f'<img alt="" srcset="{SITE}/news/a/a.png 1x, {SITE}/b.png 2x"/>'),
        ('<video poster="p.png"></video>', f'<video poster="{SITE}/news/a/p.png"></video>'),
        ('<blockquote cite="/src">q</blockquote>', f'<blockquote cite="{SITE}/src">q</blockquote>'),
    ],
)
def test_absolutize_html(html, expected):
    result = absolutize_html(html, f"{SITE}/news/a/")
    from bs4 import BeautifulSoup

    assert BeautifulSoup(result, "html.parser") == BeautifulSoup(expected, "html.parser")


def test_stable_uid_is_explicit_or_the_source_path():
    assert item_uid({"uid": " course-2019 "}, "events/course.md") == "course-2019"
    assert item_uid({}, "news/2016-07-08-membership.md") == default_uid("news/2016-07-08-membership.md")
    assert default_uid("news\\a.md") == "news/a"
    assert default_uid("news/Café report 2.md") == "news/Caf%C3%A9%20report%202"
    assert tag_uri("news/a", SITE) == "tag:www.csoalliance.com,2016:news/a"


def test_catalogue_relevance_and_region_names():
    rows = [Region("west_africa", "West Africa", "west-africa", True), Region("gulf_of_aden", "Gulf of Aden",
                                                                              "gulf-of-aden", True)]
    catalogue = FeedCatalogue(feed_specs("CSO Alliance", {"news": "News"}, rows), rows)
    assert [s.key for s in catalogue.relevant()] == ["all"]
    assert [s.key for s in catalogue.relevant("news", "West Africa")] == ["all", "news", "region-west_africa"]
    assert region_keys("west-africa, Gulf of Aden, Mars", rows) == ("west_africa", "gulf_of_aden")
    # a slug that is not the key spelt with hyphens names its region too (the slug is the record's)
    assert region_keys("nordsee", rows + [Region("north_sea", "North Sea", "nordsee", True)]) == ("north_sea",)


def test_region_feeds_follow_the_region_pages_when_there_are_some():
    regions = [Region("west_africa", "West Africa", "west-africa", True)]
    without = {s.key: s for s in feed_specs("CSO Alliance", {}, regions)}
    with_pages = {s.key: s for s in feed_specs("CSO Alliance", {}, regions, region_url="regions/{slug}/")}
    assert without["region-west_africa"].page == "" and with_pages["region-west_africa"].page == "regions/west-africa/"
    assert with_pages["region-west_africa"].atom_path == "feeds/regions/west-africa.atom.xml"
