"""The repository's own sample events and feeds, built from content/ with a pinned "now"."""

from datetime import datetime, timedelta, timezone

import feedparser
import icalendar
import ics
import pytest
from sites import ROOT, soup

from csoa.engine.build import build_site

pytestmark = pytest.mark.slow
NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    return build_site(
        ROOT / "pelicanconf.py",
        {"OUTPUT_PATH": str(root / "output"), "CACHE_PATH": str(root / "cache"), "BUILD_NOW": NOW},
    )


def test_sample_events_have_pages_and_calendars_both_parsers_read(site):
    sources = sorted((ROOT / "content" / "events").glob("*.md"))
    assert len(sources) >= 10
    pages = sorted((site / "events").glob("*/index.html"))
    assert len(pages) == len(sources)
    text = (site / "events" / "calendar.ics").read_text(encoding="utf-8")
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == len(sources)
    assert {e.uid for e in ics.Calendar(text).events} == set(uids)


def test_newsletter_events_and_dst_sample(site):
    cal = icalendar.Calendar.from_ical((site / "events" / "calendar.ics").read_bytes())
    by_uid = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    course = by_uid["2019-royal-navy-shipping-managers-course"]
    assert course["DTSTART"].params["TZID"] == "Europe/London"
    assert str(course["SUMMARY"]) == "Royal Navy's 1 Day Shipping Managers' Course"
    cyp = by_uid["2019-cypnaval-conference"]
    assert cyp["DTSTART"].params["TZID"] == "Asia/Nicosia" and cyp.decoded("DTSTART").day == 2
    forum = by_uid["2026-mediterranean-cso-forum"]
    start, end = forum.decoded("DTSTART"), forum.decoded("DTEND")
    assert (start.hour, end.hour) == (9, 13) and start.utcoffset() - end.utcoffset() == timedelta(hours=1)
    statuses = {str(e["STATUS"]) for e in cal.walk("VEVENT")}
    assert {"CANCELLED", "TENTATIVE", "CONFIRMED"} <= statuses


def test_live_site_has_upcoming_events_on_the_home_page(site):
    section = soup(site / "index.html").find("section", class_="upcoming-events")
    assert len(section.select("li")) == 3
    upcoming = soup(site / "events" / "index.html").find("section", attrs={"aria-labelledby": "events-upcoming"})
    assert len(upcoming.select(".event-item")) >= 3


def test_sample_feeds_parse_cleanly(site):
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert len(feeds) >= 20
    for path in feeds:
        assert feedparser.parse(path.read_bytes()).bozo == 0, path
