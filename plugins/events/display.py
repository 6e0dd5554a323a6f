"""Human-readable dates and times of events, always in the event's own time zone."""

from __future__ import annotations

from datetime import date, datetime

from .model import EventData


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _zone_abbreviation(moment: datetime) -> str:
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name  # zones without an abbreviation print "+04"


def describe_when(event: EventData) -> str:
    """E.g. "Wednesday 10 July 2019, 09:00 to 17:00 BST" or "Friday 2 October 2026 (all day)"."""
    if event.all_day:
        if not event.multi_day:
            return f"{_day(event.start)} (all day)"
        return f"{_day(event.start)} to {_day(event.end)}"
    start, end = event.start, event.end
    if end is None:
        return f"{_day(start.date())}, {start:%H:%M} {_zone_abbreviation(start)}"
    if not event.multi_day:
        start_zone, end_zone = _zone_abbreviation(start), _zone_abbreviation(end)
        if start_zone == end_zone:
            return f"{_day(start.date())}, {start:%H:%M} to {end:%H:%M} {end_zone}"
    return (
        f"{_day(start.date())}, {start:%H:%M} {_zone_abbreviation(start)} to "
        f"{_day(end.date())}, {end:%H:%M} {_zone_abbreviation(end)}"
    )


def short_date(event: EventData) -> str:
    """E.g. "10 July 2019" or "10 to 12 March 2026": for lists."""
    first = event.start if event.all_day else event.start.date()
    last = event.end if event.all_day else (event.end or event.start).date()
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def iso(moment: datetime | date) -> str:
    """ISO 8601 as used in <time datetime> and schema.org: offsets for date-times, plain dates."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="minutes") if moment.second == 0 else moment.isoformat()
    return moment.isoformat()
