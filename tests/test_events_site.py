"""Events in a real Pelican build of the fixture site: /events/, event pages, JSON-LD, home page."""

import json
import logging
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest
from sites import ROOT, build, soup, write_content
from test_events_support import COURSE_ATTACHMENTS, FILES, PINNED_NOW, PUBLIC, PUBLISHED_EVENT_UIDS

from csoa.engine.build import BuildFailed

# The events plugin types its metadata with the content model even without the content_schema plugin
# (which reports the same problems earlier, at check time). Plugins stay connected to Pelican's signals for the
# life of a process, so these builds run alone in a fresh one.
OWN_PLUGINS = ["csoa.plugins.events", "csoa.plugins.feeds"]


def errors_of_own_build(root, files) -> list[str]:
    write_content(root, files)
    code = textwrap.dedent(
        f"""
        import json, sys
        from datetime import datetime, timezone
        from pathlib import Path
        sys.path[:0] = [{str(ROOT / "tests")!r}]
        from csoa.engine.build import BuildFailed, build_site
        from sites import site_settings
        now = datetime(2019, 7, 8, tzinfo=timezone.utc)
        settings = site_settings(Path({str(root)!r}), now=now, PLUGINS={OWN_PLUGINS!r})
        try:
            build_site({str(ROOT / "pelicanconf.py")!r}, settings)
        except BuildFailed as failure:
            print(json.dumps(failure.errors))
        else:
            print("[]")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("events-site"), FILES, now=PINNED_NOW)


def titles(elements):
    return [e.get_text(strip=True) for e in elements]


def test_events_page_lists_upcoming_soonest_first_then_past_by_year(site):
    page = soup(site / "events" / "index.html")
    upcoming = page.find("section", attrs={"aria-labelledby": "events-upcoming"})
    assert titles(upcoming.select(".event-item-title")) == [
        "Summer School",  # in progress at the pinned now
        "Shipping Managers' Course",
        "Threat Webinar",
        "CYPnaval Conference",
        "Autumn Forum",
        "Event Without Uid",
    ]
    past = page.find("section", attrs={"aria-labelledby": "events-past"})
    assert titles(past.find_all("h3")) == ["2019"]
    assert titles(past.select(".event-item-title")) == ["Gulf of Aden Briefing", "Spring Workshop"]
    cancelled = past.select_one(".event-item-cancelled")
    assert "Cancelled" in cancelled.get_text()
    assert "Secret Event" not in page.get_text()  # announced after the pinned now


def test_event_page_has_json_ld_event_with_required_properties(site):
    page = soup(site / "events" / "shipping-managers-course" / "index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Shipping Managers' Course"
    assert data["startDate"] == "2019-07-10T09:00+01:00"
    assert data["endDate"] == "2019-07-10T17:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "London",
        "addressCountry": "GB",
    }
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 51.5061, "longitude": -0.0714}
    assert data["organizer"] == {"@type": "Organization", "name": "Royal Navy"}
    assert data["url"] == f"{PUBLIC}/events/shipping-managers-course/"
    assert data["offers"] == {"@type": "Offer", "url": "https://example.org/register", "price": "0"}
    assert data["description"] == "A one-day course for shipping managers."
    assert data["image"] == [f"{PUBLIC}/images/chart.png"]


@pytest.mark.parametrize(
    "slug, status, mode, location_types",
    [
        ("gulf-of-aden-briefing", "EventCancelled", "OfflineEventAttendanceMode", ["Place"]),
        ("threat-webinar", "EventScheduled", "OnlineEventAttendanceMode", ["VirtualLocation"]),
        ("autumn-forum", "EventPostponed", "MixedEventAttendanceMode", ["Place", "VirtualLocation"]),
    ],
)
def test_json_ld_status_mode_and_location_follow_the_metadata(site, slug, status, mode, location_types):
    data = json.loads(soup(site / "events" / slug / "index.html").find("script", type="application/ld+json").string)
    assert data["eventStatus"] == f"https://schema.org/{status}"
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}"
    location = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [loc["@type"] for loc in location] == location_types
    datetime.fromisoformat(data["startDate"])  # parses, with an offset for timed events


def test_all_day_event_json_ld_uses_dates(site):
    data = json.loads(
        soup(site / "events" / "cypnaval-conference" / "index.html").find("script", type="application/ld+json").string
    )
    assert (data["startDate"], data["endDate"]) == ("2019-10-02", "2019-10-02")
    assert data["organizer"] == {"@type": "Organization", "name": "CSO Alliance", "url": f"{PUBLIC}/"}


def test_event_page_open_graph_canonical_and_add_to_calendar(site):
    page = soup(site / "events" / "shipping-managers-course" / "index.html")
    url = f"{PUBLIC}/events/shipping-managers-course/"
    assert page.find("link", rel="canonical")["href"] == url
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:url"] == url and og["og:title"] == "Shipping Managers' Course"
    assert og["article:published_time"] == "2019-06-20T10:00:00+01:00"  # the announcement (sitemap lastmod)
    assert og["og:description"] == "A one-day course for shipping managers."
    assert og["og:image"] == f"{PUBLIC}/images/chart.png" and og["og:image:alt"] == "Chart of the course programme"
    figure = page.find("figure", class_="event-image").find("img")
    assert (figure["src"], figure["alt"]) == ("/images/chart.png", "Chart of the course programme")
    add = page.find("a", string="Add to calendar")
    assert add["href"] == "/events/shipping-managers-course/shipping-managers-course.ics"
    assert (site / add["href"].lstrip("/")).is_file()
    assert page.find(attrs={"data-pagefind-body": True}).find("h1").get_text() == "Shipping Managers' Course"
    when = page.find("time")
    assert when["datetime"] == "2019-07-10T09:00+01:00"
    assert when.get_text() == "10 July 2019, 09:00 to 17:00 BST (London time)"


def test_home_page_shows_next_upcoming_events_without_cancelled_ones(site):
    section = soup(site / "index.html").find("section", class_="upcoming-events")
    assert titles(section.select("li > a")) == ["Summer School", "Shipping Managers' Course", "Threat Webinar"]


def test_events_stay_out_of_the_news_listings(site):
    home_list = soup(site / "index.html").find("ol", class_="item-list")
    assert "Shipping Managers' Course" not in home_list.get_text()
    assert "Piracy report published" in home_list.get_text()
    assert (
        not (site / "archives" / "index.html").exists()
        or "Course" not in soup(site / "archives" / "index.html").get_text()
    )


def test_events_are_cross_linkable_and_all_published_ones_have_pages(site):
    news = soup(site / "news" / "piracy-report-published" / "index.html")
    assert news.find("a", string="the course")["href"] == "/events/shipping-managers-course/"
    pages = sorted(p.parent.name for p in (site / "events").glob("*/index.html"))
    assert len(pages) == len(PUBLISHED_EVENT_UIDS)
    assert "secret-event" not in pages


def test_event_without_uid_warns_with_the_suggested_line(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        build(tmp_path, {"events/no-uid.md": FILES["events/no-uid.md"]}, now=PINNED_NOW)
    assert any("no Uid: field" in r.getMessage() and "Uid: events/no-uid" in r.getMessage() for r in caplog.records)


BAD_EVENT = """\
    Title: Broken event
    Date: 2019-06-01 10:00
    Start: 2019-07-10 17:00
    End: 2019-07-10 09:00
    Timezone: Europe/Lundon
    City: London
    Country: GB
    Event_status: maybe
    Summary: Three problems at once.

    Body.
    """


def test_bad_event_fails_the_build_naming_file_line_field_and_expectation(tmp_path):
    """The events plugin types the header with the content model: the same messages as `invoke check`."""
    messages = "\n".join(errors_of_own_build(tmp_path, {"events/broken.md": BAD_EVENT}))
    assert "events/broken.md:5: timezone: expected an IANA time zone like Europe/London" in messages
    assert (
        "events/broken.md:8: event_status: expected one of scheduled, postponed, cancelled, moved_online, got 'maybe'"
        in messages
    )
    fixed = BAD_EVENT.replace("Europe/Lundon", "Europe/London").replace("maybe", "scheduled")
    errors = errors_of_own_build(tmp_path, {"events/broken.md": fixed})
    assert any("events/broken.md:4: end: expected an end not before the start 2019-07-10 17:00 +01:00, got "
               "'2019-07-10 09:00 +01:00'" in e for e in errors)


def test_duplicate_event_uid_fails_the_build(tmp_path):
    files = {
        "events/a.md": FILES["events/course.md"],
        "events/b.md": FILES["events/course.md"].replace("Shipping", "Other"),
        **COURSE_ATTACHMENTS,
    }
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, files, now=PINNED_NOW)
    assert "content/events/b.md:2: uid: expected a uid of its own, got 'course-2019', already used by " \
           "content/events/a.md:2" in failure.value.errors


def test_draft_event_is_not_published_anywhere(tmp_path):
    draft = FILES["events/course.md"].replace("Uid: course-2019", "Uid: course-2019\n    Status: draft")
    files = {"events/course.md": draft, "events/webinar.md": FILES["events/webinar.md"], **COURSE_ATTACHMENTS}
    out = build(tmp_path, files, now=PINNED_NOW)
    assert not (out / "events" / "shipping-managers-course").exists()
    assert "Shipping Managers" not in (out / "events" / "calendar.ics").read_text(encoding="utf-8")
    assert "Shipping Managers" not in (out / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert (out / "events" / "threat-webinar" / "index.html").is_file()


def test_listing_pages_say_when_their_content_last_changed(site):
    def modified(page):
        return datetime.fromisoformat(soup(site / page).find("meta", property="article:modified_time")["content"])

    utc = timezone.utc
    assert modified("events/index.html") == datetime(2019, 6, 20, 9, 0, tzinfo=utc)  # the newest announcement
    assert modified("feeds/index.html") == datetime(2019, 6, 20, 18, 0, tzinfo=utc)  # the newest feed item
