"""Events as the site shows them: an EventData made from the content model's typed values of an
event file (csoa.model.parse checks them, once, with the schema's events kind), and the
upcoming/past rule.

Plain module: knows nothing of Pelican. Editors write wall-clock times in the event's own time
zone (``Start: 2019-07-10 09:00``, ``Timezone: Europe/London``) or dates only for all-day events
(``Start: 2026-03-10``, ``End: 2026-03-12`` is the inclusive last day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from csoa.model.fields import Invalid, Moment, Timezone
from csoa.model.parse import Parsed, Problem, Site, parse_mapping
from csoa.model.schema import KINDS
from csoa.model.vocabularies import EVENT_STATUS_TABLE

EVENTS = KINDS["events"]


class EventMetadataError(ValueError):
    """All the problems found in one event's metadata (never only the first)."""

    def __init__(self, errors: list[Problem]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class EventData:
    """One event, normalised. ``start``/``end`` are aware datetimes for timed events and dates for
    all-day events (``end`` is then the inclusive last day). A timed event may have no end (None)."""

    title: str
    uid: str
    start: datetime | date
    end: datetime | date | None
    all_day: bool
    timezone: str
    venue: str | None = None
    city: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    organiser: str | None = None
    registration_url: str | None = None
    cost: str | None = None
    status: str = "scheduled"
    attendance_mode: str = "offline"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def starts_at(self) -> datetime:
        """The first instant of the event (midnight local time for all-day events)."""
        if self.all_day:
            return datetime.combine(self.start, time(0), tzinfo=self.zone)
        return self.start

    @property
    def ends_at(self) -> datetime:
        """The instant the event is over (the midnight after the last day for all-day events; the
        start for a timed event without an end, as RFC 5545 reads a DTSTART alone)."""
        if self.all_day:
            return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=self.zone)
        return self.end or self.start

    @property
    def multi_day(self) -> bool:
        if self.all_day:
            return self.end != self.start
        return self.end is not None and self.end.date() != self.start.date()

    @property
    def status_label(self) -> str:
        return EVENT_STATUS_TABLE[self.status].label

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def has_place(self) -> bool:
        return self.attendance_mode in ("offline", "mixed") and bool(self.venue or self.city or self.country_name)

    @property
    def location_text(self) -> str:
        """One line for humans and for iCalendar LOCATION."""
        parts = []
        if self.has_place:  # "Singapore, Singapore" reads as a typo: name a city-state once
            parts = [p for p in (self.venue, self.city) if p]
            if self.country_name and self.country_name != self.city:
                parts.append(self.country_name)
        if self.attendance_mode == "online":
            return "Online"
        if self.attendance_mode == "mixed":
            return ", ".join([*parts, "and online"]) if parts else "Online"
        return ", ".join(parts)


def is_valid_timezone(name: str) -> bool:
    """Does the schema's Timezone type accept ``name``? (Pelican would crash on one it does not.)"""
    try:
        Timezone().parse(name, None)
    except Invalid:
        return False
    return True


def event_data(parsed: Parsed, *, default_uid: str, default_timezone: str,
               default_organiser: str | None = None) -> EventData:
    """The event of a file the content model parsed (csoa.model.parse with KINDS["events"]): its typed
    values, normalised into an EventData. Raises EventMetadataError with every problem found."""
    problems, values = list(parsed.problems), parsed.values
    uid = values.get("uid") or default_uid
    if "uid" not in parsed.lines:  # the default from the file's name must fit where a written one must
        try:
            EVENTS.fields["uid"].type.parse(uid, None)
        except Invalid as bad:
            problems.append(Problem(parsed.line_of("title"), "uid", f"{bad} (made from the file's name: add a "
                                                                    "Uid: line)"))
    if problems:
        raise EventMetadataError(problems)
    zone = values.get("timezone") or ZoneInfo(default_timezone)
    start, end = (_moment(values.get(name), zone) for name in ("start", "end"))
    all_day = not values["start"].has_time
    status = values.get("event_status", "scheduled")
    country = values.get("country")
    return EventData(
        title=values["title"],
        uid=uid,
        start=start,
        end=start if all_day and end is None else end,  # a one-day event (a timed one may leave its end open)
        all_day=all_day,
        timezone=zone.key,
        venue=values.get("venue"),
        city=values.get("city"),
        country_code=country.alpha_2 if country else None,
        country_name=getattr(country, "common_name", country.name) if country else None,
        lat=values.get("lat"),
        lon=values.get("lon"),
        organiser=values.get("organiser") or default_organiser,
        registration_url=values.get("registration_url"),
        cost=values.get("cost"),
        status=status,
        attendance_mode=values.get("attendance_mode") or ("online" if status == "moved_online" else "offline"),
    )


def _moment(moment: Moment | None, zone: ZoneInfo) -> datetime | date | None:
    """A timed value as an aware time in the event's zone (one written with an offset is shown there
    too), a date-only value as its day."""
    if moment is None:
        return None
    return moment.at.astimezone(zone) if moment.has_time else moment.day


def parse_event(meta: dict, *, default_uid: str, default_timezone: str, default_organiser: str | None = None,
                content_root: Path | None = None) -> EventData:
    """An event from ``{field: text}`` metadata (no file at hand: problems are on line 0), checked by
    the content model like any event file. Without ``content_root`` image paths are not looked up."""
    site = Site(ZoneInfo(default_timezone), {}, content_root or Path("."),
                Path.is_file if content_root else (lambda path: True))
    parsed = parse_mapping(meta, EVENTS, site)
    return event_data(parsed, default_uid=default_uid, default_timezone=default_timezone,
                      default_organiser=default_organiser)


def is_upcoming(event: EventData, now: datetime) -> bool:
    """Upcoming until it is over: an event in progress still counts as upcoming."""
    return event.ends_at > now


def split_upcoming_past(events, now: datetime, key=lambda e: e):
    """(upcoming soonest first, [(year, past events newest first), ...] newest year first).

    ``key`` maps an item to its EventData, so Pelican objects can be split without copying.
    """
    upcoming = sorted((e for e in events if is_upcoming(key(e), now)), key=lambda e: (key(e).starts_at, key(e).uid))
    past = sorted(
        (e for e in events if not is_upcoming(key(e), now)), key=lambda e: (key(e).starts_at, key(e).uid), reverse=True
    )
    by_year: list[tuple[int, list]] = []
    for item in past:
        year = key(item).starts_at.year
        if not by_year or by_year[-1][0] != year:
            by_year.append((year, []))
        by_year[-1][1].append(item)
    return upcoming, by_year
