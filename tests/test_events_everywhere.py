"""One event reads the same on every surface a member meets it: its page, /events/, the home page,
the newsletter (web page, email.html, email.txt), the events feed and the calendar. Built pages are
parsed as a member reads them (text, not markup); the expected wording is written out here."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import feedparser
import icalendar
import pytest
from sites import build, soup

NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)
PUBLIC = "https://www.csoalliance.com"


def event(title, start, end=None, zone="Europe/London", extra=""):
    lines = [f"Title: {title}", "Date: 2019-06-01 10:00", f"Start: {start}", *([f"End: {end}"] if end else []),
             f"Timezone: {zone}", "City: Somewhere", f"Summary: About {title}."]
    return "\n".join(lines) + "\n" + extra + "\nBody.\n"


# slug: (metadata file, the "when" line people read, status label or None, iCalendar STATUS, upcoming)
EVENTS = {
    "course": (event("Course", "2019-07-10 09:00", "2019-07-10 17:00", extra="Registration_url: https://example.org/course\n"),
               "10 July 2019, 09:00 to 17:00 BST (London time)", None, "CONFIRMED", True),
    "nordic-workshop": (event("Nordic workshop", "2019-09-04 10:00", "2019-09-04 16:00", "Europe/Oslo",
                              "Event_status: postponed\nRegistration_url: https://example.org/nordic\n"),
                        "4 September 2019, 10:00 to 16:00 CEST (Oslo time)", "Postponed", "TENTATIVE", True),
    "briefing": (event("Briefing", "2019-10-01 09:30", "2019-10-01 16:00", "Africa/Djibouti",
                       "Event_status: cancelled\nRegistration_url: https://example.org/briefing\n"),
                 "1 October 2019, 09:30 to 16:00 EAT (Djibouti time)", "Cancelled", "CANCELLED", True),
    "security-day": (event("Security day", "2019-10-13 10:00", "2019-10-13 15:00", "Africa/Lagos",
                           "Event_status: moved_online\n"),
                     "13 October 2019, 10:00 to 15:00 WAT (Lagos time)", "Moved online", "CONFIRMED", True),
    "asia-workshop": (event("Asia workshop", "2019-11-09", zone="Asia/Singapore"),
                      "9 November 2019 (all day)", None, "CONFIRMED", True),
    "summit": (event("Summit", "2019-11-20", "2019-11-22", "Europe/Athens"),
               "20 November 2019 to 22 November 2019 (all day)", None, "CONFIRMED", True),
    "webinar": (event("Webinar", "2019-12-03 14:00", "2019-12-03 15:00", "Asia/Dubai", "Attendance_mode: online\n"),
                "3 December 2019, 14:00 to 15:00 UTC+04 (Dubai time)", None, "CONFIRMED", True),
    "forum": (event("Forum", "2019-10-25 09:00", "2019-10-28 13:00", "Europe/Athens"),
              "25 October 2019, 09:00 EEST to 28 October 2019, 13:00 EET (Athens time)", None, "CONFIRMED", True),
    "spring-meeting": (event("Spring meeting", "2019-03-05 09:00", "2019-03-05 12:00",
                             extra="Registration_url: https://example.org/spring\n"),
                       "5 March 2019, 09:00 to 12:00 GMT (London time)", None, "CONFIRMED", False),
}
STATUS_WORDS = ("Postponed", "Cancelled", "Moved online")
ISSUE = """\
    Title: July 2019
    Slug: july
    Date: 2019-07-05 08:00 +01:00
    Subject: July 2019
    Preheader: The events issue.

    Dear members, the **events** issue.
    """


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {f"events/{slug}.md": body.replace("Title: ", f"Slug: {slug}\nTitle: ", 1)
             for slug, (body, *_rest) in EVENTS.items()}
    files["newsletters/2019-07-05-july.md"] = ISSUE
    return build(tmp_path_factory.mktemp("events-everywhere"), files, now=NOW, UPCOMING_EVENTS_ON_HOME=20)


def page_surface(site, slug):
    page = soup(site / "events" / slug / "index.html")
    facts = page.find("dl", class_="event-facts")
    status = page.find(class_="event-status")
    return flat(facts.find("time").get_text()), status and flat(status.get_text())


def list_item(container, title):
    (item,) = [li for li in container.find_all("li") if li.find("a", string=title)]
    return item


def listing_surface(path, title, site):
    item = list_item(soup(site / path).find("main") or soup(site / path), title)
    strong = item.find("strong")
    return flat(item.find("time").get_text()), strong and flat(strong.get_text())


def email_html_surface(site, title):
    page = soup(site / "newsletters" / "july" / "email.html")
    (link,) = [s for s in page.find_all("strong") if s.get_text() == title]
    block = flat(link.find_parent("div").get_text(" "))
    return block


def email_text_blocks(site) -> dict[str, dict[str, str]]:
    """{title: {"When": ..., "Where": ..., "Status": ...}} from the UPCOMING EVENTS part of email.txt."""
    text = (site / "newsletters" / "july" / "email.txt").read_text(encoding="utf-8")
    part = text.split("UPCOMING EVENTS\n", 1)[1].split("=" * 72, 1)[0]
    blocks = {}
    for chunk in part.strip().split("\n\n"):
        lines = chunk.split("\n")
        facts, label = {}, None
        for line in lines[1:-1]:  # title first, URL last
            if line.startswith("  ") and label:
                facts[label] += " " + line.strip()
            else:
                label, _, value = line.partition(": ")
                facts[label] = value
        blocks[lines[0]] = facts
    return blocks


def feed_texts(site) -> dict[str, str]:
    feed = feedparser.parse((site / "feeds" / "events.atom.xml").read_bytes())
    from bs4 import BeautifulSoup

    return {e.title: flat(BeautifulSoup(e.content[0].value, "lxml").get_text(" ")) for e in feed.entries}


def calendar_events(site) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical((site / "events" / "calendar.ics").read_bytes())
    return {str(e["URL"]).rstrip("/").rsplit("/", 1)[-1]: e for e in cal.walk("VEVENT")}


@pytest.mark.parametrize("slug", EVENTS)
def test_an_event_reads_the_same_on_every_surface(site, slug):
    body, when, status, ical_status, upcoming = EVENTS[slug]
    title = re.search(r"Title: (.*)", body).group(1)
    assert page_surface(site, slug) == (when, status)
    assert listing_surface("events/index.html", title, site) == (when, status)
    if upcoming and status != "Cancelled":  # the home page leaves cancelled events out
        home = soup(site / "index.html").find("section", class_="upcoming-events")
        item = list_item(home, title)
        assert (flat(item.find("time").get_text()), item.find("strong") and item.find("strong").get_text()) == (when, status)
    feed = feed_texts(site)[title]
    assert f"When: {when}" in feed
    assert (f"Status: {status}" in feed) if status else not any(w in feed for w in STATUS_WORDS)
    vevent = calendar_events(site)[slug]
    assert str(vevent["STATUS"]) == ical_status
    description = flat(str(vevent["DESCRIPTION"]))
    assert f"When: {when}" in description
    assert (f"Status: {status}" in description) if status else "Status:" not in description
    assert str(vevent["SUMMARY"]) == (f"{title} ({status})" if status else title)
    # the machine side agrees with the words: the page's <time datetime> is the calendar's start
    start = soup(site / "events" / slug / "index.html").find("dl", class_="event-facts").find("time")["datetime"]
    assert datetime.fromisoformat(start) == datetime.fromisoformat(vevent.decoded("DTSTART").isoformat())


@pytest.mark.parametrize("slug", [s for s, v in EVENTS.items() if v[4]])
def test_an_upcoming_event_reads_the_same_in_the_newsletter(site, slug):
    body, when, status, _ical, _upcoming = EVENTS[slug]
    title = re.search(r"Title: (.*)", body).group(1)
    html_block = email_html_surface(site, title)
    assert when in html_block
    assert [w for w in STATUS_WORDS if w in html_block] == ([status] if status else [])
    text = email_text_blocks(site)[title]
    assert text["When"] == when and text.get("Status") == status
    web = soup(site / "newsletters" / "july" / "index.html")
    (item,) = [li for li in web.find_all("li") if li.find("a", string=title)]
    assert when in flat(item.get_text(" ")) and (status or "") in flat(item.get_text(" "))


def test_the_newsletter_lists_the_upcoming_events_and_no_past_one(site):
    assert set(email_text_blocks(site)) == {re.search(r"Title: (.*)", v[0]).group(1) for v in EVENTS.values() if v[4]}


@pytest.mark.parametrize("slug", EVENTS)
def test_register_and_add_to_calendar_only_for_events_people_can_still_attend(site, slug):
    body, _when, status, _ical, upcoming = EVENTS[slug]
    page = soup(site / "events" / slug / "index.html")
    links = {flat(a.get_text()): a["href"] for a in page.find("article").find_all("a")}
    registration = re.search(r"Registration_url: (\S+)", body)
    open_for_people = upcoming and status != "Cancelled"
    register = [href for text, href in links.items() if text.startswith("Register")]
    assert register == ([registration.group(1)] if registration and open_for_people else [])
    assert ("Add to calendar" in links) == open_for_people
    assert not any("join-now" in href for href in links.values())
