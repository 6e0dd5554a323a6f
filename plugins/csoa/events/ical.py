"""RFC 5545 calendars of events, built with the icalendar library.

Timed events keep their own zone (DTSTART;TZID=Europe/London plus a VTIMEZONE that covers the
event's years, so a DST change inside an event keeps the wall-clock times); all-day events are
DATE values with an exclusive DTEND. DTSTAMP is in UTC and comes from the content (the last edit
or announcement date), never from the clock, so two builds give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar, Event, Timezone

from csoa.model.events import EventData
from csoa.model.vocabularies import EVENT_STATUS_TABLE
from csoa.util.memo import LastBuildMemo


@dataclass(frozen=True)
class CalendarEntry:
    event: EventData
    url: str  # absolute public URL of the event page
    description: str  # plain text
    stamp: datetime  # aware: when this version of the event was published or last edited
    facts: tuple[tuple[str, str], ...] = ()  # (label, text) from display.EventDisplay.lines(): what the site says
    register_url: str | None = None  # only while registering makes sense (display.EventDisplay.register_url)


def ical_uid(uid: str, domain: str) -> str:
    """A globally unique UID from the event's stable uid (RFC 5545 3.8.4.7 suggests @domain)."""
    return f"{uid}@{domain}"


def build_calendar(
    entries: list[CalendarEntry], *, name: str, prodid: str, domain: str, refresh_hours: int | None = None,
    zone_when_empty: tuple[str, int] | None = None, memo: LastBuildMemo | None = None,
) -> bytes:
    """One VCALENDAR; ``refresh_hours`` tells subscribing clients how often to fetch it again.

    RFC 5545 wants at least one component in a calendar: with no events, ``zone_when_empty``
    (zone name, year) adds that zone's VTIMEZONE, so a subscribed, still empty calendar stays valid.

    With a ``memo`` (the build session's: the dev loop builds the same calendars again and again),
    remembered by the ``repr`` of every input (not ``==``: two datetimes at the same instant in
    different zones are equal but are written differently)."""
    def build() -> bytes:
        return _build_calendar(entries, name=name, prodid=prodid, domain=domain, refresh_hours=refresh_hours,
                               zone_when_empty=zone_when_empty)

    if memo is None:
        return build()
    return memo.get(repr((entries, name, prodid, domain, refresh_hours, zone_when_empty)), build)


def _build_calendar(
    entries: list[CalendarEntry], *, name: str, prodid: str, domain: str, refresh_hours: int | None = None,
    zone_when_empty: tuple[str, int] | None = None,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if refresh_hours:
        cal.add("refresh-interval", timedelta(hours=refresh_hours), parameters={"VALUE": "DURATION"})  # RFC 7986
        cal.add("x-published-ttl", f"PT{refresh_hours}H")  # the same for Outlook
    for entry in sorted(entries, key=lambda e: (e.event.starts_at, e.event.uid)):
        cal.add_component(_vevent(entry, domain))
    if entries:
        first = min(e.event.starts_at for e in entries).year
        last = max(e.event.ends_at for e in entries).year
        _add_timezones(cal, sorted(cal.get_missing_tzids()), first, last)
    elif zone_when_empty:
        zone, year = zone_when_empty
        _add_timezones(cal, [zone], year, year)
    return cal.to_ical()


def _add_timezones(cal: Calendar, zones: list[str], first_year: int, last_year: int) -> None:
    """A VTIMEZONE per zone, in the given order, before the events. Not add_missing_timezones:
    it walks a set of TZIDs, so the order changed with the process's hash seed."""
    components = [Timezone.from_tzid(zone, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))
                  for zone in zones]
    cal.subcomponents[:0] = components


def _vevent(entry: CalendarEntry, domain: str) -> Event:
    ev = entry.event
    vevent = Event()
    vevent.add("uid", ical_uid(ev.uid, domain))
    vevent.add("dtstamp", entry.stamp.astimezone(timezone.utc))
    vevent.add("last-modified", entry.stamp.astimezone(timezone.utc))
    # calendar apps that ignore STATUS (many do for subscribed calendars) still show the state
    vevent.add("summary", ev.title if ev.status == "scheduled" else f"{ev.title} ({ev.status_label})")
    if ev.all_day:
        vevent.add("dtstart", ev.start)
        vevent.add("dtend", ev.end + timedelta(days=1))  # DTEND of a DATE event is exclusive
        vevent.add("transp", "TRANSPARENT")
    else:
        vevent.add("dtstart", ev.start)
        if ev.end is not None:  # without DTEND the event ends when it starts (RFC 5545 3.6.1)
            vevent.add("dtend", ev.end)
    vevent.add("status", EVENT_STATUS_TABLE[ev.status].ical)
    vevent.add("url", entry.url)
    if ev.location_text:
        vevent.add("location", ev.location_text)
    if ev.lat is not None:
        vevent.add("geo", (ev.lat, ev.lon))
    facts = "\n".join(f"{label}: {text}" for label, text in entry.facts)
    description = f"{facts}\n\n{entry.description}".strip()
    if ev.organiser:
        description = f"{description}\n\nOrganised by {ev.organiser}."
    if entry.register_url:
        description = f"{description}\nRegistration: {entry.register_url}"
    vevent.add("description", f"{description}\n\n{entry.url}".strip())
    vevent.add("class", "PUBLIC")
    return vevent
