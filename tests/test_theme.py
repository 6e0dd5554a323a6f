"""Article pages of small fixture sites: canonical, Open Graph, Twitter, JSON-LD, kind metadata,
previous/next within a kind and related items. Assertions on parsed HTML."""

import json
from pathlib import Path

import pytest
from sites import build, soup

SITE = "https://www.csoalliance.com"
PNG = bytes.fromhex(  # a 1x1 white PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8ffff3f0005fe02fea7"
    "d6a4b50000000049454e44ae426082"
)


def news(title, date, tags="alliance", extra="", body="Body text."):
    return f"Title: {title}\nDate: {date}\nSummary: Summary of {title}.\nTags: {tags}\n{extra}\n{body}\n"


FILES = {
    "news/one.md": news("First news", "2016-07-01 09:00 +01:00", "membership, alliance"),
    "news/two.md": news("Second news", "2016-07-08 09:00 +01:00", "membership"),
    "news/three.md": news("Third news", "2017-01-16 09:00 +00:00", "cruise"),
    "workshops/athens.md": news(
        "Athens workshop",
        "2016-06-30 12:00 +01:00",
        "membership, bimco",
        "Workshop_date: 2016-06-28\nPlace: Athens, Greece\nOrganisers: BIMCO, LSS-SAPU\n"
        "Image: {static}/images/panel.svg\nImage_alt: Three panel tables facing an audience\n",
    ),
    "reports/drone.md": (
        "Title: Drone \"attack\" & Tom's <em>risk</em>\n"
        "Date: 2019-06-20 18:00 +01:00\n"
        "Summary: Watch for `</script>` in code.\n"
        "Tags: drones\n"
        "Incident_date: 2019-06-20\n"
        "Region: arabian_gulf\n"
        "Location: Strait of Hormuz\n\n"
        "## What happened\n\nA drone.\n\n## Advice\n\nReport to UKMTO.\n"
    ),
    "intelligence/asia.md": news("Asia item", "2016-07-04 08:00 +01:00", "kidnap", "Region: asia\n"),
    "news/photo.md": news("With a photo", "2015-01-01 09:00 +00:00", "photos", "Image: images/photo.png\nImage_alt: A tanker at anchor\n"),
    "images/photo.png": PNG,
    "images/panel.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>',
}


DRONE = Path("reports/drone-attack-toms-risk/index.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("theme"), FILES)


def meta(page, **attrs):
    tag = page.find("meta", attrs=attrs)
    assert tag is not None, f"no <meta {attrs}>"
    return tag["content"]


def test_article_has_absolute_canonical_open_graph_and_twitter_meta(site):
    page = soup(site / "news" / "second-news" / "index.html")
    url = f"{SITE}/news/second-news/"
    assert [link["href"] for link in page.find_all("link", rel="canonical")] == [url]
    assert meta(page, property="og:url") == url
    assert meta(page, property="og:type") == "article"
    assert meta(page, property="og:title") == "Second news"
    assert meta(page, property="og:description") == "Summary of Second news."
    assert meta(page, property="og:image").startswith(SITE + "/")
    assert meta(page, property="article:published_time") == "2016-07-08T09:00:00+01:00"
    assert meta(page, name="twitter:card") == "summary"
    assert meta(page, name="twitter:title") == "Second news"
    assert meta(page, name="twitter:image").startswith(SITE + "/")
    assert meta(page, name="description") == "Summary of Second news."


def test_article_image_is_shown_with_alt_and_used_for_cards(site):
    page = soup(site / "workshops" / "athens-workshop" / "index.html")
    img = page.select_one(".entry-image img")
    assert img["alt"] == "Three panel tables facing an audience"
    assert img["src"] == "/images/panel.svg"  # written as {static}/images/panel.svg
    assert (site / "images" / "panel.svg").is_file()
    # social cards can't show SVG: they get the site's default PNG card instead
    assert meta(page, property="og:image") == f"{SITE}/theme/img/og-default.png"
    assert meta(page, name="twitter:card") == "summary"
    assert json.loads(page.find("script", type="application/ld+json").string)["image"] == [f"{SITE}/images/panel.svg"]


def test_raster_lead_image_makes_a_large_social_card(site):
    page = soup(site / "news" / "with-a-photo" / "index.html")
    assert meta(page, property="og:image") == f"{SITE}/images/photo.png"
    assert meta(page, property="og:image:alt") == "A tanker at anchor"
    assert meta(page, name="twitter:card") == "summary_large_image"
    assert meta(page, name="twitter:image") == f"{SITE}/images/photo.png"


def test_json_ld_is_valid_news_article_even_with_markup_in_the_title(site):
    page = soup(site / DRONE)
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    raw = scripts[0].string
    assert "</script" not in raw.lower()  # the closing tag can't end the script early
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    # title and summary are text (issue 12, point 7): the markup in them is shown, not applied
    assert data["headline"] == page.find("h1").get_text() == "Drone \"attack\" & Tom's <em>risk</em>"
    assert data["description"] == "Watch for `</script>` in code."
    assert meta(page, property="og:title") == data["headline"]
    assert meta(page, property="og:description") == data["description"]
    assert data["datePublished"] == "2019-06-20T18:00:00+01:00"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == f"{SITE}/{DRONE.parent}/"
    assert data["publisher"]["name"] == "CSO Alliance"
    assert all(url.startswith(SITE) for url in data["image"])
    assert data["keywords"] == ["drones"]


def facts(page):
    return {
        div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in page.select("dl.facts > div")
    }


def test_kind_specific_metadata_is_shown(site):
    workshop = soup(site / "workshops" / "athens-workshop" / "index.html")
    assert facts(workshop) == {
        "Workshop date": "28 June 2016",
        "Place": "Athens, Greece",
        "Organisers": "BIMCO, LSS-SAPU",
    }
    assert workshop.select_one("dl.facts time")["datetime"] == "2016-06-28"
    report = soup(site / DRONE)
    assert facts(report) == {"Incident date": "20 June 2019", "Location": "Strait of Hormuz", "Region": "Arabian Gulf and Gulf of Oman"}
    assert report.select_one("dl.facts a")["href"] == "/regions/arabian-gulf/"
    assert [h.get_text() for h in report.select(".entry-body h2")] == ["What happened", "Advice"]
    intel = soup(site / "intelligence" / "asia-item" / "index.html")
    assert facts(intel) == {"Region": "Asia"}
    plain = soup(site / "news" / "first-news" / "index.html")
    assert plain.select_one("dl.facts") is None


def prev_next(page):
    nav = page.select_one("nav.prev-next")
    if nav is None:
        return None, None
    prev = nav.find("a", rel="prev")
    nxt = nav.find("a", rel="next")
    return (prev["href"] if prev else None), (nxt["href"] if nxt else None)


def test_previous_and_next_link_within_the_same_kind_only(site):
    assert prev_next(soup(site / "news" / "with-a-photo" / "index.html")) == (None, "/news/first-news/")
    assert prev_next(soup(site / "news" / "first-news" / "index.html")) == ("/news/with-a-photo/", "/news/second-news/")
    assert prev_next(soup(site / "news" / "second-news" / "index.html")) == ("/news/first-news/", "/news/third-news/")
    assert prev_next(soup(site / "news" / "third-news" / "index.html")) == ("/news/second-news/", None)
    # the only workshop has no neighbours, although news items surround it in time
    assert prev_next(soup(site / "workshops" / "athens-workshop" / "index.html")) == (None, None)


def test_related_items_share_a_tag_most_shared_first(site):
    page = soup(site / "news" / "first-news" / "index.html")
    related = [a["href"] for a in page.select("section.related .item-title a")]
    # "Second news" shares membership; the workshop shares membership too but is older
    assert related == ["/news/second-news/", "/workshops/athens-workshop/"]
    lonely = soup(site / "news" / "third-news" / "index.html")
    assert lonely.select_one("section.related") is None


def test_tags_link_to_directory_style_tag_pages(site):
    page = soup(site / "news" / "first-news" / "index.html")
    hrefs = [a["href"] for a in page.select(".tag-list a")]
    assert hrefs == ["/tags/membership/", "/tags/alliance/"]
    for href in hrefs:
        assert (site / href.strip("/") / "index.html").is_file()


def test_detail_pages_mark_their_content_for_the_search_index(site):
    page = soup(site / "news" / "first-news" / "index.html")
    body = page.find(attrs={"data-pagefind-body": True})
    assert body is not None and body.find("h1").get_text() == "First news"
    listing = soup(site / "index.html")
    assert listing.find(attrs={"data-pagefind-body": True}) is None


def test_every_page_has_landmarks_skip_link_and_one_h1(site):
    for path in ["index.html", "news/first-news/index.html", "tags/index.html", "archives/index.html", "404.html"]:
        page = soup(site / path)
        skip = page.body.find("a")
        assert skip["href"] == "#main" and "skip" in skip["class"][0]
        assert page.find("main", id="main") is not None
        assert page.find("header", class_="site-header") and page.find("footer", class_="site-footer")
        assert page.find("nav", attrs={"aria-label": "Main"}) is not None
        assert len(page.find_all("h1")) == 1, path
        assert page.html["lang"] == "en"


def test_theme_renders_in_a_build_without_the_theme_plugins(tmp_path):
    """Other areas build with only their own plugins: the theme's filters come from the settings."""
    files = {
        "workshops/athens.md": FILES["workshops/athens.md"],
        "images/panel.svg": FILES["images/panel.svg"],
        "pages/b.md": "Title: B\nNav_order: 10\n\nB.\n",
        "pages/a.md": "Title: A\nNav_order: 9\n\nA.\n",
    }
    out = build(tmp_path, files, PLUGINS=[])
    page = soup(out / "workshops" / "athens-workshop" / "index.html")
    assert facts(page)["Workshop date"] == "28 June 2016"
    assert [a.get_text() for a in page.select("nav[aria-label=Main] .nav-group-alliance a")] == ["A", "B"]
