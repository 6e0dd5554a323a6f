"""Feeds of a real build: rules mirroring the W3C feed validator's checks, feedparser, membership,
enclosures, discovery links and the /feeds/ page."""

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from sites import build, soup
from test_events_support import FILES, PDF_BYTES, PINNED_NOW, PUBLIC

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DAY, MONTH = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)", "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
RFC822 = re.compile(rf"^{DAY}, \d{{2}} {MONTH} \d{{4}} \d{{2}}:\d{{2}}:\d{{2}} [+-]\d{{4}}$")  # numeric offset
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action")
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+$")  # RFC 4151


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("feeds-site"), FILES, now=PINNED_NOW)


def feed_files(site):
    return sorted((site / "feeds").rglob("*.xml"))


def parse(path):
    return etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))  # raises unless well-formed


def rss_items(path):
    return parse(path).find("channel").findall("item")


def atom_entries(path):
    return parse(path).findall(f"{ATOM}entry")


def public_url(site, path):
    return f"{PUBLIC}/{path.relative_to(site).as_posix()}"


def assert_no_relative_urls(html, where):
    for tag in BeautifulSoup(html, "lxml").find_all(True):
        for attribute in URL_ATTRIBUTES:
            if tag.get(attribute):
                assert urlparse(tag[attribute]).scheme in ("https", "http", "mailto"), (
                    where,
                    attribute,
                    tag[attribute],
                )
        for candidate in (tag.get("srcset") or "").split(","):
            if candidate.strip():
                assert urlparse(candidate.split()[0]).scheme == "https", (where, candidate)


def test_every_feed_exists_for_everything_kinds_regions_and_events(site):
    names = {p.relative_to(site / "feeds").as_posix() for p in feed_files(site)}
    for stem in (
        "all",
        "news",
        "workshops",
        "reports",
        "intelligence",
        "events",
        "regions/asia",
        "regions/west-africa",
        "regions/gulf-of-aden",
        "regions/mediterranean",
    ):
        assert {f"{stem}.atom.xml", f"{stem}.rss.xml"} <= names


def test_rss_channel_rules(site):
    for path in (site / "feeds").rglob("*.rss.xml"):
        root = parse(path)
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (path, required)
        assert urlparse(channel.findtext("link")).scheme == "https"
        (self_link,) = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_link.get("href") == public_url(site, path)
        assert self_link.get("type") == "application/rss+xml"
        assert RFC822.match(channel.findtext("lastBuildDate")), path


def test_rss_item_rules(site):
    for path in (site / "feeds").rglob("*.rss.xml"):
        guids = []
        for item in rss_items(path):
            assert item.findtext("title") and item.findtext("description")
            link = item.findtext("link")
            assert link.startswith(f"{PUBLIC}/")
            guid = item.find("guid")
            assert guid.get("isPermaLink") == ("true" if guid.text == link else "false")
            assert guid.text.startswith("tag:www.csoalliance.com,2016:") and TAG_URI.match(guid.text)
            guids.append(guid.text)
            assert RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
            assert len(item.findall("enclosure")) <= 1
            assert item.findall("category")
            assert item.find("author") is None or "@" in item.findtext("author")  # RSS author must be an email
            assert_no_relative_urls(item.findtext(f"{CONTENT}encoded") or "", (path.name, link))
            assert_no_relative_urls(item.findtext("description"), (path.name, link))
        assert len(guids) == len(set(guids)), path


def test_atom_feed_and_entry_rules(site):
    for path in (site / "feeds").rglob("*.atom.xml"):
        root = parse(path)
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}id").startswith("tag:") and root.findtext(f"{ATOM}title")
        assert RFC3339.match(root.findtext(f"{ATOM}updated"))
        assert root.find(f"{ATOM}author/{ATOM}name").text == "CSO Alliance"
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert links["self"] == public_url(site, path) and links["alternate"].startswith(f"{PUBLIC}/")
        ids = []
        for entry in root.findall(f"{ATOM}entry"):
            ids.append(entry.findtext(f"{ATOM}id"))
            assert TAG_URI.match(ids[-1]), ids[-1]
            assert entry.findtext(f"{ATOM}title")
            for element in ("updated", "published"):
                assert RFC3339.match(entry.findtext(f"{ATOM}{element}")), element
            (link,) = entry.findall(f"{ATOM}link")  # no enclosure links in Atom (feedgen would drop their rel)
            assert link.get("rel", "alternate") == "alternate" and link.get("href").startswith(f"{PUBLIC}/")
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html"
            assert_no_relative_urls(content.text, (path.name, link.get("href")))
            assert_no_relative_urls(entry.findtext(f"{ATOM}summary") or "", (path.name, link.get("href")))
        assert len(ids) == len(set(ids)), path


def test_feedparser_reads_every_feed_without_bozo(site):
    for path in feed_files(site):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title
        for entry in parsed.entries:
            assert entry.id and entry.link.startswith(f"{PUBLIC}/") and entry.published_parsed


def test_all_feed_has_articles_and_events_but_nothing_after_now(site):
    titles = [e.title for e in feedparser.parse((site / "feeds" / "all.atom.xml").read_bytes()).entries]
    assert "Piracy report published" in titles and "Shipping Managers' Course" in titles
    assert "Not yet published" not in titles and "Secret Event" not in titles


def test_kind_and_region_feeds_hold_only_their_items(site):
    def titles(name):
        return {e.title for e in feedparser.parse((site / "feeds" / name).read_bytes()).entries}

    assert titles("news.rss.xml") == {"Piracy report published"}
    assert titles("intelligence.atom.xml") == {"Kidnap risk rises off Nigeria"}
    assert titles("regions/west-africa.atom.xml") == {"Kidnap risk rises off Nigeria"}
    assert titles("regions/gulf-of-aden.rss.xml") == {"First response: drone attack"}
    assert titles("regions/asia.atom.xml") == set()
    assert "Threat Webinar" in titles("events.atom.xml") and "Piracy report published" not in titles("events.atom.xml")


def test_updated_and_last_build_date_come_from_the_newest_item(site):
    newest_item = max(
        parsedate_to_datetime(item.findtext("pubDate")) for item in rss_items(site / "feeds" / "all.rss.xml")
    )
    channel = parse(site / "feeds" / "all.rss.xml").find("channel")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == newest_item
    assert datetime.fromisoformat(parse(site / "feeds" / "all.atom.xml").findtext(f"{ATOM}updated")) == newest_item
    assert newest_item < PINNED_NOW
    empty = parse(site / "feeds" / "regions" / "asia.atom.xml")  # no items: the site's newest content
    assert datetime.fromisoformat(empty.findtext(f"{ATOM}updated")) == newest_item


def test_pdf_enclosure_has_real_length_and_type_and_urls_are_absolute(site):
    (item,) = [i for i in rss_items(site / "feeds" / "news.rss.xml")]
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{PUBLIC}/files/report.pdf"
    assert enclosure.get("length") == str(len(PDF_BYTES)) and enclosure.get("type") == "application/pdf"
    html = BeautifulSoup(item.findtext(f"{CONTENT}encoded"), "lxml")
    hrefs = [a["href"] for a in html.find_all("a")]
    link = f"{PUBLIC}/news/piracy-report-published/"
    assert hrefs == [
        f"{PUBLIC}/files/report.pdf",
        f"{link}notes.html",
        f"{PUBLIC}/",
        "mailto:info@csoalliance.com",
        f"{link}#details",
        f"{PUBLIC}/events/shipping-managers-course/",
    ]
    # (the images plugin may swap in resized variants: the URLs stay absolute either way)
    sources = [img["src"] for img in html.find_all("img")]
    assert len(sources) == 2 and all(src.startswith(f"{PUBLIC}/images/chart") for src in sources)
    candidates = [c.split()[0] for img in html.find_all("img", srcset=True) for c in img["srcset"].split(",")]
    assert candidates and all(url.startswith(f"{PUBLIC}/images/chart") for url in candidates)
    video = html.find("video")
    assert (video["poster"], video["src"]) == (f"{PUBLIC}/images/poster.png", f"{link}media/clip.mp4")
    summary = BeautifulSoup(item.findtext("description"), "lxml")
    # a Summary: field is text (issue 12, point 7): its markup is shown, never made a link
    assert summary.find("a") is None
    assert summary.get_text() == 'The quarterly report is out, with <a href="/files/report.pdf">the PDF</a>.'


def test_items_carry_dates_with_offsets_author_and_categories(site):
    parsed = feedparser.parse((site / "feeds" / "news.atom.xml").read_bytes())
    (entry,) = parsed.entries
    assert entry.published == "2019-06-01T10:00:00+01:00"  # Europe/London summer time
    assert entry.author == "CSO Alliance"
    assert {t.term for t in entry.tags} == {"news", "reports", "piracy"}
    assert entry.id == "tag:www.csoalliance.com,2016:news/piracy-report"


def test_event_items_tell_when_and_where(site):
    entries = feedparser.parse((site / "feeds" / "events.atom.xml").read_bytes()).entries
    course = next(e for e in entries if e.title == "Shipping Managers' Course")
    text = BeautifulSoup(course.content[0].value, "lxml").get_text(" ")
    assert "10 July 2019, 09:00 to 17:00 BST (London time)" in text and "HMS President, London" in text
    assert course.id == "tag:www.csoalliance.com,2016:course-2019"
    (item,) = [i for i in rss_items(site / "feeds" / "events.rss.xml") if i.findtext("title") == course.title]
    assert item.find("enclosure").get("length") == str(len(PDF_BYTES))


def test_feed_discovery_links_suit_each_page(site):
    def feeds_of(page):
        links = soup(site / page).find_all("link", rel="alternate")
        for link in links:
            assert (site / link["href"].lstrip("/")).is_file(), link["href"]
        return [(link["type"], link["href"]) for link in links]

    everything = [("application/atom+xml", "/feeds/all.atom.xml"), ("application/rss+xml", "/feeds/all.rss.xml")]
    assert feeds_of("index.html") == everything
    assert feeds_of("intelligence/kidnap-risk-rises-off-nigeria/index.html") == everything + [
        ("application/atom+xml", "/feeds/intelligence.atom.xml"),
        ("application/rss+xml", "/feeds/intelligence.rss.xml"),
        ("application/atom+xml", "/feeds/regions/west-africa.atom.xml"),
        ("application/rss+xml", "/feeds/regions/west-africa.rss.xml"),
    ]
    events = everything + [
        ("application/atom+xml", "/feeds/events.atom.xml"),
        ("application/rss+xml", "/feeds/events.rss.xml"),
    ]
    assert feeds_of("events/index.html") == events
    assert feeds_of("events/cypnaval-conference/index.html") == events
    assert ("application/atom+xml", "/feeds/news.atom.xml") in feeds_of("news/index.html")


def test_feeds_page_lists_every_feed_for_people(site):
    page = soup(site / "feeds" / "index.html")
    assert page.find("h1").get_text() == "Feeds and calendars"
    listed = {a["href"] for a in page.select(".feed-list a")}
    on_disk = {"/" + p.relative_to(site).as_posix() for p in feed_files(site)}
    assert listed == on_disk
    assert page.find("a", href="/events/calendar.ics")
    assert page.find("link", rel="canonical")["href"] == f"{PUBLIC}/feeds/"


def test_region_pages_link_their_region_feed(site):
    page = site / "regions" / "west-africa" / "index.html"
    hrefs = [link["href"] for link in soup(page).find_all("link", rel="alternate")]
    assert "/feeds/regions/west-africa.atom.xml" in hrefs and "/feeds/regions/west-africa.rss.xml" in hrefs
    channel = parse(site / "feeds" / "regions" / "west-africa.rss.xml").find("channel")
    assert channel.findtext("link") == f"{PUBLIC}/regions/west-africa/"


def test_channel_links_point_at_pages_this_build_has(site):
    for path in (site / "feeds").rglob("*.rss.xml"):
        link = parse(path).find("channel").findtext("link")
        assert link.startswith(f"{PUBLIC}/")
        assert (site / link[len(PUBLIC) + 1 :] / "index.html").is_file(), (path.name, link)
    channel = parse(site / "feeds" / "news.rss.xml").find("channel")
    assert channel.findtext("link") == f"{PUBLIC}/news/"
    workshops = parse(site / "feeds" / "workshops.rss.xml").find("channel")
    assert workshops.findtext("link") == f"{PUBLIC}/"  # no workshop reports in the fixture: no /workshops/ page
