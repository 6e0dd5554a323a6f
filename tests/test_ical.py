"""The calendars of a real build, read back with icalendar and with the independent `ics` parser."""

from datetime import date, datetime, timedelta, timezone

import icalendar
import ics
import pytest
from sites import build
from test_events_support import FILES, PINNED_NOW, PUBLIC, PUBLISHED_EVENT_UIDS

DOMAIN = "www.csoalliance.com"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("ical-site"), FILES, now=PINNED_NOW)


def read_calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def vevents(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_site_calendar_has_every_published_event_with_unique_uids(site):
    cal = read_calendar(site / "events" / "calendar.ics")
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert set(uids) == {f"{uid}@{DOMAIN}" for uid in PUBLISHED_EVENT_UIDS}  # past ones included
    assert str(cal["VERSION"]) == "2.0"
    assert "CSO Alliance" in str(cal["PRODID"]) and str(cal["PRODID"]).startswith("-//")
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION" and cal.decoded("REFRESH-INTERVAL") == timedelta(
        hours=12
    )


def test_required_properties_and_utc_dtstamp(site):
    for event in read_calendar(site / "events" / "calendar.ics").walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "STATUS", "URL"):
            assert prop in event, (event["UID"], prop)
        stamp = event.decoded("DTSTAMP")
        assert stamp.utcoffset() == timedelta(0)
        assert event.to_ical().decode().count("DTSTAMP:") == 1
        assert "DTSTAMP:" in event.to_ical().decode() and event["DTSTAMP"].to_ical().endswith(b"Z")
        assert str(event["URL"]).startswith(f"{PUBLIC}/events/")


def test_dtstamp_comes_from_the_content_not_the_clock(site):
    course = vevents(read_calendar(site / "events" / "calendar.ics"))[f"course-2019@{DOMAIN}"]
    assert course.decoded("DTSTAMP") == datetime(2019, 6, 20, 9, 0, tzinfo=timezone.utc)  # Date: 10:00 BST


def test_timed_event_has_tzid_vtimezone_status_location_and_geo(site):
    cal = read_calendar(site / "events" / "calendar.ics")
    course = vevents(cal)[f"course-2019@{DOMAIN}"]
    assert course["DTSTART"].params["TZID"] == "Europe/London"
    assert course.decoded("DTSTART") == datetime(2019, 7, 10, 8, 0, tzinfo=timezone.utc)
    assert course.decoded("DTEND") == datetime(2019, 7, 10, 16, 0, tzinfo=timezone.utc)
    assert str(course["STATUS"]) == "CONFIRMED"
    assert str(course["LOCATION"]) == "HMS President, London, United Kingdom"
    geo = course["GEO"]
    assert (geo.latitude, geo.longitude) == (51.5061, -0.0714)
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Europe/London", "Africa/Djibouti"}  # all-day and UTC events need none
    assert str(vevents(cal)[f"briefing-2019@{DOMAIN}"]["STATUS"]) == "CANCELLED"
    assert str(vevents(cal)[f"autumn-forum-2019@{DOMAIN}"]["STATUS"]) == "TENTATIVE"


def test_all_day_events_are_dates_with_exclusive_end(site):
    events = vevents(read_calendar(site / "events" / "calendar.ics"))
    conference = events[f"cypnaval-2019@{DOMAIN}"]
    assert conference.decoded("DTSTART") == date(2019, 10, 2)
    assert conference.decoded("DTEND") == date(2019, 10, 3)
    workshop = events[f"spring-workshop-2019@{DOMAIN}"]
    assert (workshop.decoded("DTSTART"), workshop.decoded("DTEND")) == (date(2019, 3, 5), date(2019, 3, 8))


def test_event_across_dst_change_keeps_its_wall_clock_time_in_both_parsers(site):
    path = site / "events" / "autumn-forum" / "autumn-forum.ics"
    forum = read_calendar(path).walk("VEVENT")[0]
    start, end = forum.decoded("DTSTART"), forum.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 17, 0)
    assert start.utcoffset() == timedelta(hours=1) and end.utcoffset() == timedelta(0)
    # the second parser only has the file's VTIMEZONE to go by
    (other,) = ics.Calendar(path.read_text(encoding="utf-8")).events
    assert other.begin.to("UTC").datetime == datetime(2019, 10, 25, 8, 0, tzinfo=timezone.utc)
    assert other.end.to("UTC").datetime == datetime(2019, 10, 28, 17, 0, tzinfo=timezone.utc)
    vtimezone = read_calendar(path).walk("VTIMEZONE")[0]
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_independent_ics_parser_reads_every_calendar(site):
    paths = [site / "events" / "calendar.ics", *sorted((site / "events").glob("*/*.ics"))]
    assert len(paths) == 1 + len(PUBLISHED_EVENT_UIDS)
    seen = set()
    for path in paths:
        calendar = ics.Calendar(path.read_text(encoding="utf-8"))
        for event in calendar.events:
            assert event.uid.endswith(f"@{DOMAIN}")
            assert event.begin < event.end
            seen.add(event.uid)
    assert seen == {f"{uid}@{DOMAIN}" for uid in PUBLISHED_EVENT_UIDS}


def test_per_event_calendar_has_one_event_and_its_timezone(site):
    cal = read_calendar(site / "events" / "shipping-managers-course" / "shipping-managers-course.ics")
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [f"course-2019@{DOMAIN}"]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_lines_are_crlf_and_folded_at_75_octets(site):
    data = (site / "events" / "calendar.ics").read_bytes()
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75


def test_uids_survive_edits_of_title_slug_and_date(tmp_path):
    before = build(tmp_path / "a", FILES, now=PINNED_NOW)
    edited = dict(FILES)
    edited["events/course.md"] = (
        FILES["events/course.md"]
        .replace("Title: Shipping Managers' Course", "Title: Shipping Managers' Day\n    Slug: managers-day")
        .replace("Start: 2019-07-10 09:00", "Start: 2019-07-11 09:00")
        .replace("End: 2019-07-10 17:00", "End: 2019-07-11 17:00")
        .replace("Date: 2019-06-20 10:00", "Date: 2019-06-21 10:00")
    )
    edited["events/no-uid.md"] = FILES["events/no-uid.md"].replace("Title: Event Without Uid", "Title: Renamed Event")
    after = build(tmp_path / "b", edited, now=PINNED_NOW)
    old = vevents(read_calendar(before / "events" / "calendar.ics"))
    new = vevents(read_calendar(after / "events" / "calendar.ics"))
    assert set(old) == set(new)
    uid = f"course-2019@{DOMAIN}"
    assert str(new[uid]["SUMMARY"]) == "Shipping Managers' Day" and str(new[uid]["URL"]).endswith(
        "/events/managers-day/"
    )
    assert new[uid].decoded("DTSTART").day == 11 and old[uid].decoded("DTSTART").day == 10
    assert str(new[f"events/no-uid@{DOMAIN}"]["SUMMARY"]) == "Renamed Event"


def test_open_ended_and_placeless_events_stay_valid_in_both_parsers():
    from csoa.events.ical import CalendarEntry, build_calendar
    from csoa.events.jsonld import event_jsonld
    from csoa.model.events import parse_event

    event = parse_event(
        {"title": "Briefing", "date": "2019-06-01 10:00", "summary": "s", "start": "2019-07-10 09:00"},
        default_uid="events/briefing",
        default_timezone="Europe/London",
    )
    stamp = datetime(2019, 6, 1, 9, tzinfo=timezone.utc)
    data = build_calendar(
        [CalendarEntry(event, f"{PUBLIC}/events/briefing/", "A briefing.", stamp)],
        name="t",
        prodid="-//CSO Alliance//t//EN",
        domain=DOMAIN,
    )
    (vevent,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert "DTEND" not in vevent and "LOCATION" not in vevent
    (other,) = ics.Calendar(data.decode()).events
    assert other.begin.to("UTC").datetime == datetime(2019, 7, 10, 8, tzinfo=timezone.utc)
    jsonld = event_jsonld(event, url=f"{PUBLIC}/events/briefing/", description="A briefing.")
    assert "endDate" not in jsonld and "location" not in jsonld and jsonld["startDate"] == "2019-07-10T09:00+01:00"


def test_remembered_calendars_follow_every_input_even_an_equal_instant_in_another_zone():
    """build_calendar remembers its results; an input change must give a new calendar, including
    a stamp at the same instant written in another zone (equal datetimes, different text)."""
    from csoa.events.ical import CalendarEntry, build_calendar
    from csoa.model.events import parse_event
    from csoa.util.memo import LastBuildMemo

    memo = LastBuildMemo()  # the build session's, in a build
    event = parse_event({"title": "Briefing", "date": "2019-06-01 10:00", "summary": "s", "start": "2019-07-10 09:00"},
                        default_uid="events/briefing", default_timezone="Europe/London")
    moved = parse_event({"title": "Briefing", "date": "2019-06-01 10:00", "summary": "s", "start": "2019-07-11 09:00"},
                        default_uid="events/briefing", default_timezone="Europe/London")
    utc = datetime(2019, 6, 1, 9, tzinfo=timezone.utc)
    plus_one = utc.astimezone(timezone(timedelta(hours=1)))
    assert utc == plus_one

    def calendar(ev, stamp, name="t"):
        return build_calendar([CalendarEntry(ev, f"{PUBLIC}/events/briefing/", "A briefing.", stamp)],
                              name=name, prodid="-//CSO Alliance//t//EN", domain=DOMAIN, memo=memo)

    first = calendar(event, utc)
    assert calendar(event, utc) is first  # remembered
    assert b"DTSTART;TZID=Europe/London:20190711T090000" in calendar(moved, utc)
    assert calendar(event, utc, name="other") != first
    other_zone = calendar(event, plus_one)
    assert other_zone is not first
    assert icalendar.Calendar.from_ical(other_zone).walk("VEVENT")[0]["DTSTAMP"].dt == utc


def test_a_site_without_events_still_publishes_a_valid_calendar(tmp_path):
    """RFC 5545: a VCALENDAR holds at least one component. With no events the subscribed calendar
    carries the site's VTIMEZONE (for the pinned build year), and both parsers read it."""
    out = build(tmp_path, {"news/a.md": "Title: A\nDate: 2019-07-01 09:00\nSummary: A.\n\nBody.\n"}, now=PINNED_NOW)
    data = (out / "events" / "calendar.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    assert not cal.walk("VEVENT")
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert f"from {PINNED_NOW.year}-01-01".encode() in data
    assert ics.Calendar(data.decode()).events == set()


def test_vtimezones_come_in_one_order_whatever_the_hash_seed():
    """add_missing_timezones walks a set of TZIDs (its order changed with PYTHONHASHSEED): the
    calendar lists its VTIMEZONEs sorted by name. test_hashseed_build.py checks whole builds."""
    from csoa.events.ical import CalendarEntry, build_calendar
    from csoa.model.events import parse_event

    zones = ["Europe/Oslo", "Asia/Dubai", "Africa/Lagos", "Europe/Athens", "Asia/Singapore", "America/Panama"]
    entries = []
    for n, zone in enumerate(zones):
        data = parse_event({"title": f"E{n}", "date": "2019-06-01", "summary": "s", "start": f"2019-09-0{n + 1} 10:00", "timezone": zone},
                           default_uid=f"e{n}", default_timezone="UTC")
        entries.append(CalendarEntry(event=data, url=f"{PUBLIC}/events/e{n}/", description="",
                                     stamp=datetime(2019, 6, 1, tzinfo=timezone.utc)))
    cal = icalendar.Calendar.from_ical(build_calendar(entries, name="x", prodid="-//x//EN", domain=DOMAIN))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == sorted(zones)
