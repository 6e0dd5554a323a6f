"""Event metadata: parse and validate what editors write, normalise it into an EventData.

Plain module: knows nothing of Pelican. Editors write wall-clock times in the event's own time
zone (``Start: 2019-07-10 09:00``, ``Timezone: Europe/London``) or dates only for all-day events
(``Start: 2026-03-10``, ``End: 2026-03-12`` is the inclusive last day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry

EVENT_STATUSES = ("scheduled", "postponed", "cancelled", "moved_online")
PUBLICATION_STATUSES = ("published", "draft", "hidden")  # Pelican's Status: field
ATTENDANCE_MODES = ("offline", "online", "mixed")
STATUS_LABELS = {
    "scheduled": "Scheduled",
    "postponed": "Postponed",
    "cancelled": "Cancelled",
    "moved_online": "Moved online",
}
UID_PATTERN = re.compile(r"^[A-Za-z0-9%][A-Za-z0-9._/%~-]{0,200}$")  # fits a tag: URI and an iCalendar UID
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$")
_ZONES = None


@dataclass(frozen=True)
class FieldError:
    """One problem with one metadata field: what was wrong and what was expected."""

    field: str
    expected: str
    got: str | None = None

    def describe(self) -> str:
        got = "missing" if self.got is None else f"got {self.got!r}"
        return f"{self.field}: expected {self.expected}, {got}"


class EventMetadataError(ValueError):
    """All the problems found in one event's metadata (never only the first)."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.describe() for e in errors))


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
        return STATUS_LABELS[self.status]

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
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    if name not in _ZONES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _parse_moment(text: str, field: str, errors: list[FieldError]) -> datetime | date | None:
    """A naive wall-clock datetime or a date, as the editor wrote it; None (and an error) if bad."""
    text = text.strip()
    expected = "a date YYYY-MM-DD or a local date-time YYYY-MM-DD HH:MM (no offset: set Timezone)"
    try:
        if m := _DATETIME.match(text):
            y, mo, d, h, mi, s = (int(g or 0) for g in m.groups())
            return datetime(y, mo, d, h, mi, s)
        if m := _DATE.match(text):
            return date(*(int(g) for g in m.groups()))
    except ValueError:  # e.g. 2019-02-30 or 25:00
        pass
    errors.append(FieldError(field, expected, text))
    return None


def _normalise_choice(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def _lookup_country(value: str):
    try:
        return pycountry.countries.lookup(value.strip())
    except LookupError:
        return None


def _parse_coordinate(value, field, low, high, errors):
    try:
        number = float(str(value).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors.append(FieldError(field, f"a decimal number between {low} and {high}", str(value)))
        return None
    return number


def _text(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_event(
    meta: dict, *, default_uid: str, default_timezone: str, default_organiser: str | None = None
) -> EventData:
    """Validate and normalise one event's metadata (keys lower-case, values as written).

    Raises EventMetadataError listing every problem. ``default_uid`` is used when there is no
    ``uid`` field (see csoa.model.stable_ids).
    """
    errors: list[FieldError] = []
    title = _text(meta, "title")
    if not title:
        errors.append(FieldError("Title", "the event's name", None))

    if meta.get("date") in (None, ""):  # without it the event could only be dated by the clock
        errors.append(FieldError("Date", "the date the event is announced (published), e.g. 2019-06-20 10:00", None))

    tzname = _text(meta, "timezone") or default_timezone
    if not is_valid_timezone(tzname):
        errors.append(FieldError("Timezone", "an IANA time zone name such as Europe/London or Asia/Nicosia", tzname))
        tzname = None

    start_raw, end_raw = _text(meta, "start"), _text(meta, "end")
    start = end = None
    if start_raw is None:
        errors.append(FieldError("Start", "a date YYYY-MM-DD or a local date-time YYYY-MM-DD HH:MM", None))
    else:
        start = _parse_moment(start_raw, "Start", errors)
    if end_raw is not None:
        end = _parse_moment(end_raw, "End", errors)
    all_day = isinstance(start, date) and not isinstance(start, datetime)
    if all_day and end is None and end_raw is None:
        end = start  # a one-day event (a timed event may leave its end open)
    if start is not None and end is not None:
        if isinstance(end, datetime) != isinstance(start, datetime):
            errors.append(FieldError("End", "the same form as Start (both dates, or both date-times)", end_raw))
        elif all_day and end < start:
            errors.append(FieldError("End", f"a last day on or after Start ({start_raw})", end_raw))
        elif not all_day and tzname and _aware(end, tzname) <= _aware(start, tzname):
            errors.append(FieldError("End", f"a date-time after Start ({start_raw})", end_raw))
    if not all_day and tzname:
        for field, value, raw in (("Start", start, start_raw), ("End", end, end_raw)):
            if isinstance(value, datetime) and not _exists(value, tzname):
                errors.append(
                    FieldError(field, f"a wall-clock time that exists in {tzname} (it falls in a DST gap)", raw)
                )

    publication = _text(meta, "status")
    if publication is not None and publication.lower() not in PUBLICATION_STATUSES:
        expected = "published, draft or hidden (the event's own state goes in Event_status)"
        errors.append(FieldError("Status", expected, publication))
    status = _normalise_choice(_text(meta, "event_status") or "scheduled")
    if status not in EVENT_STATUSES:
        errors.append(FieldError("Event_status", "one of " + ", ".join(EVENT_STATUSES), meta.get("event_status")))
    mode_raw = _text(meta, "attendance_mode")
    mode = _normalise_choice(mode_raw) if mode_raw else ("online" if status == "moved_online" else "offline")
    if mode not in ATTENDANCE_MODES:
        errors.append(FieldError("Attendance_mode", "one of " + ", ".join(ATTENDANCE_MODES), mode_raw))

    venue, city = _text(meta, "venue"), _text(meta, "city")
    country_code = country_name = None
    if (country_raw := _text(meta, "country")) is not None:
        country = _lookup_country(country_raw)
        if country is None:
            errors.append(
                FieldError("Country", "a country name or ISO 3166 code (e.g. United Kingdom, GB, CY)", country_raw)
            )
        else:
            country_code, country_name = country.alpha_2, getattr(country, "common_name", country.name)
    lat_raw, lon_raw = meta.get("lat"), meta.get("lon")
    lat = lon = None
    if (lat_raw is None) != (lon_raw is None):
        errors.append(FieldError("Lat" if lat_raw is None else "Lon", "both Lat and Lon, or neither", None))
    elif lat_raw is not None:
        lat = _parse_coordinate(lat_raw, "Lat", -90, 90, errors)
        lon = _parse_coordinate(lon_raw, "Lon", -180, 180, errors)

    registration_url = _text(meta, "registration_url")
    if registration_url is not None:
        parsed = urlparse(registration_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors.append(FieldError("Registration_url", "an absolute http(s) URL", registration_url))

    uid = _text(meta, "uid") or default_uid
    if not UID_PATTERN.match(uid):
        errors.append(FieldError("Uid", "letters, digits and . _ / - (starting with a letter or digit)", uid))

    if errors:
        raise EventMetadataError(errors)
    if not all_day:
        start, end = _aware(start, tzname), (_aware(end, tzname) if end is not None else None)
    return EventData(
        title=title,
        uid=uid,
        start=start,
        end=end,
        all_day=all_day,
        timezone=tzname,
        venue=venue,
        city=city,
        country_code=country_code,
        country_name=country_name,
        lat=lat,
        lon=lon,
        organiser=_text(meta, "organiser") or default_organiser,
        registration_url=registration_url,
        cost=_text(meta, "cost"),
        status=status,
        attendance_mode=mode,
    )


def _aware(moment: datetime, tzname: str) -> datetime:
    return moment.replace(tzinfo=ZoneInfo(tzname))


def _exists(moment: datetime, tzname: str) -> bool:
    """False for wall-clock times skipped by a spring-forward change (they do not round-trip)."""
    aware = _aware(moment, tzname)
    return aware.astimezone(timezone.utc).astimezone(ZoneInfo(tzname)).replace(tzinfo=None) == moment


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
