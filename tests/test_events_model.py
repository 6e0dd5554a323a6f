"""Event metadata rules (plain module, no Pelican): validation, normalisation, upcoming/past split."""

from datetime import date, datetime, timedelta, timezone

import pytest

from csoa.events.display import describe_when, event_display
from csoa.model.events import EventMetadataError, is_upcoming, parse_event, split_upcoming_past

BASE = {
    "title": "Course",
    "date": "2019-06-01 10:00",
    "summary": "A course.",
    "start": "2019-07-10 09:00",
    "end": "2019-07-10 17:00",
    "timezone": "Europe/London",
    "city": "London",
    "country": "United Kingdom",
}


def parse(**changes):
    meta = {**BASE, **changes}
    meta = {k: v for k, v in meta.items() if v is not None}
    return parse_event(
        meta, default_uid="events/course", default_timezone="Europe/London", default_organiser="CSO Alliance"
    )


def errors_of(**changes) -> dict[str, str]:
    with pytest.raises(EventMetadataError) as failure:
        parse(**changes)
    return {e.field: str(e) for e in failure.value.errors}


def test_timed_event_is_aware_in_its_own_zone():
    event = parse()
    assert event.start == datetime(2019, 7, 10, 8, 0, tzinfo=timezone.utc)
    assert event.start.utcoffset() == timedelta(hours=1)  # BST
    assert (event.start.hour, event.end.hour) == (9, 17)
    assert not event.all_day and event.uid == "events/course" and event.organiser == "CSO Alliance"
    assert event.country_code == "GB" and event.status == "scheduled" and event.attendance_mode == "offline"


def test_all_day_event_defaults_to_one_day_and_ends_at_next_midnight():
    event = parse(start="2019-10-02", end=None, timezone="Asia/Nicosia")
    assert event.all_day and event.start == event.end == date(2019, 10, 2)
    assert event.ends_at == datetime(2019, 10, 3, tzinfo=event.zone)
    assert describe_when(event) == "2 October 2019 (all day)"  # no clock time, no zone


def test_multi_day_all_day_event():
    event = parse(start="2019-03-05", end="2019-03-07")
    assert event.multi_day
    assert describe_when(event) == "5 March 2019 to 7 March 2019 (all day)"


def test_event_across_dst_change_keeps_wall_clock_times():
    event = parse(start="2019-10-25 09:00", end="2019-10-28 17:00")
    assert event.start.utcoffset() == timedelta(hours=1) and event.end.utcoffset() == timedelta(0)
    assert describe_when(event) == "25 October 2019, 09:00 BST to 28 October 2019, 17:00 GMT (London time)"


def test_end_before_start_is_an_error():
    assert "expected an end not before the start 2019-07-10 09:00 +01:00" in errors_of(end="2019-07-10 08:00")["end"]
    assert "expected an end not before the start 2019-07-10, got '2019-07-09'" in errors_of(
        start="2019-07-10", end="2019-07-09")["end"]


def test_unknown_timezone_is_an_error():
    message = errors_of(timezone="Europe/Londn")["timezone"]
    assert "expected an IANA time zone like Europe/London" in message and "'Europe/Londn'" in message


def test_bad_status_and_attendance_mode_are_errors():
    errors = errors_of(event_status="maybe", attendance_mode="hybrid")
    assert "expected one of scheduled, postponed, cancelled, moved_online" in errors["event_status"]
    assert "expected one of offline, online, mixed" in errors["attendance_mode"]


def test_status_is_one_of_the_vocabulary_as_written_and_moved_online_means_online():
    assert "expected one of scheduled, postponed" in errors_of(event_status="Moved Online")["event_status"]
    assert parse(event_status="moved_online", city=None, country=None).attendance_mode == "online"


def test_status_keeps_its_pelican_meaning():
    message = errors_of(status="cancelled")["status"]
    assert "expected one of published, draft, hidden" in message
    assert parse(status="published").status == "scheduled"


def test_every_error_is_reported_at_once():
    errors = errors_of(
        date=None,
        start="10/07/2019",
        timezone="Mars/Olympus",
        country="Atlantis",
        lat="95",
        lon="0",
        registration_url="example.org",
        uid="bad uid!",
    )
    assert set(errors) == {"date", "start", "timezone", "country", "lat", "registration_url", "uid"}


def test_mixed_date_forms_are_an_error_and_a_timed_event_may_leave_its_end_open():
    assert "expected an end of the same form as the start" in errors_of(end="2019-07-11")["end"]
    open_ended = parse(end=None)
    assert open_ended.end is None and open_ended.ends_at == open_ended.start
    assert describe_when(open_ended) == "10 July 2019, 09:00 BST (London time)"


def test_nonexistent_wall_clock_time_in_a_dst_gap_is_an_error():
    assert "a time that exists in Europe/London" in errors_of(start="2019-03-31 01:30", end="2019-03-31 03:00")["start"]


def test_location_text_follows_what_is_known():
    assert parse(venue="HMS President").location_text == "HMS President, London, United Kingdom"
    assert parse(city="Singapore", country="SG").location_text == "Singapore"  # a city-state named once
    assert parse(city=None, country=None).location_text == ""  # place not announced yet
    assert parse(city=None, country=None, attendance_mode="online").location_text == "Online"
    assert parse(attendance_mode="mixed").location_text == "London, United Kingdom, and online"
    assert parse(city=None, country=None, attendance_mode="mixed").location_text == "Online"


def test_coordinates_come_in_pairs_and_ranges():
    assert "expected lon together with lat" in errors_of(lat="51.5")["lon"]
    assert parse(lat="51.5", lon="-0.07").lon == -0.07


def test_explicit_uid_wins_over_the_default():
    assert parse(uid="course-2019").uid == "course-2019"


NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)


def test_upcoming_past_split_against_pinned_now():
    events = [
        parse(title="past-2018", start="2018-05-01", end=None),
        parse(title="past-2019a", start="2019-01-01", end=None),
        parse(title="past-2019b", start="2019-06-01", end=None),
        parse(title="ongoing", start="2019-07-07", end="2019-07-09"),
        parse(title="later", start="2019-12-01", end=None),
        parse(title="sooner", start="2019-07-10 09:00", end="2019-07-10 17:00"),
    ]
    upcoming, past = split_upcoming_past(events, NOW)
    assert [e.title for e in upcoming] == ["ongoing", "sooner", "later"]
    assert [(year, [e.title for e in items]) for year, items in past] == [
        (2019, ["past-2019b", "past-2019a"]),
        (2018, ["past-2018"]),
    ]


def test_event_is_upcoming_until_its_last_moment():
    event = parse(start="2019-07-07", end="2019-07-07", timezone="Europe/London")
    assert is_upcoming(event, datetime(2019, 7, 7, 22, 59, tzinfo=timezone.utc))  # 23:59 BST
    assert not is_upcoming(event, datetime(2019, 7, 7, 23, 0, tzinfo=timezone.utc))  # midnight BST


def test_event_uids_are_frozen_with_todays_default(tmp_path):
    from csoa.apps.event_uids import add_uid_line, missing_uids

    events = tmp_path / "events"
    events.mkdir()
    (events / "with.md").write_text("Title: A\nUid: fixed\nStart: 2019-07-10\n\nUid: in the body\n", encoding="utf-8")
    (events / "without.md").write_text("Title: B\nStart: 2019-07-10\n\nBody mentions Uid: here\n", encoding="utf-8")
    assert missing_uids(tmp_path) == [(events / "without.md", "events/without")]
    add_uid_line(events / "without.md", "events/without")
    assert (events / "without.md").read_text(encoding="utf-8").splitlines()[:3] == [
        "Title: B",
        "Uid: events/without",
        "Start: 2019-07-10",
    ]
    assert missing_uids(tmp_path) == []


@pytest.mark.parametrize(
    "cost, price",
    [
        ("Free", ("0", None)),
        ("GBP 250", ("250", "GBP")),
        ("€40", ("40", "EUR")),
        ("£99.50", ("99.50", "GBP")),
        ("Members £50, others £80", None),
        (None, None),
    ],
)
def test_cost_becomes_a_schema_org_price_only_when_it_is_one(cost, price):
    from csoa.events.jsonld import price_of

    assert price_of(cost) == price


def test_timed_event_names_its_zone_and_utc_needs_no_city():
    assert describe_when(parse()) == "10 July 2019, 09:00 to 17:00 BST (London time)"
    assert describe_when(parse(timezone="UTC")) == "10 July 2019, 09:00 to 17:00 UTC"
    dubai = parse(timezone="Asia/Dubai", start="2026-12-03 14:00", end="2026-12-03 15:00")
    assert describe_when(dubai) == "3 December 2026, 14:00 to 15:00 UTC+04 (Dubai time)"  # a zone without a name


@pytest.mark.parametrize(
    "changes, now, register, calendar",
    [
        ({}, datetime(2019, 7, 1, tzinfo=timezone.utc), "https://example.org/r", True),
        ({}, datetime(2019, 7, 11, tzinfo=timezone.utc), None, False),  # past
        ({"event_status": "cancelled"}, datetime(2019, 7, 1, tzinfo=timezone.utc), None, False),
        ({"event_status": "postponed"}, datetime(2019, 7, 1, tzinfo=timezone.utc), "https://example.org/r", True),
        ({"registration_url": None}, datetime(2019, 7, 1, tzinfo=timezone.utc), None, True),  # no page, no button
        ({}, datetime(2019, 7, 10, 12, tzinfo=timezone.utc), "https://example.org/r", True),  # in progress
    ],
)
def test_register_and_add_to_calendar_only_while_they_make_sense(changes, now, register, calendar):
    shown = event_display(parse(**{"registration_url": "https://example.org/r", **changes}), now)
    assert (shown.register_url, shown.offers_calendar) == (register, calendar)


def test_status_is_named_unless_scheduled():
    now = datetime(2019, 7, 1, tzinfo=timezone.utc)
    assert event_display(parse(), now).status is None
    assert event_display(parse(event_status="postponed"), now).lines()[-1] == ("Status", "Postponed")
    assert event_display(parse(event_status="moved_online"), now).status == "Moved online"
