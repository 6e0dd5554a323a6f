"""What an event says to people, in one place: its dates and time zone, its place, its status, and
whether it still offers "Register" and "Add to calendar". The event page, /events/, the home page,
the newsletter (web, email.html, email.txt), the feeds and the calendars all take their text from
``event_display``, so they cannot drift apart.

Dates read "8 July 2019" everywhere people read them (the site's one human format, the same as the
theme's ``human_date`` filter); ISO 8601 (``iso``) only goes into machine formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from csoa.model.dates import human_date
from csoa.model.events import EventData, is_upcoming


def _abbreviation(moment: datetime) -> str:
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name  # zones without an abbreviation print "+04"


def _place_of_zone(zone: str) -> str | None:
    """'Europe/London' -> 'London'; None for UTC and its aliases (no city to name)."""
    if zone in ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Zulu", "GMT", "Etc/GMT", "Etc/Universal"):
        return None
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _zone_text(event: EventData) -> str | None:
    """'London time' (the event's own zone, named so that an abbreviation such as IST is not ambiguous)."""
    if event.all_day:
        return None
    place = _place_of_zone(event.timezone)
    return f"{place} time" if place else None


def describe_when(event: EventData) -> str:
    """E.g. "10 July 2019, 09:00 to 17:00 BST (London time)", "9 March 2027 (all day)" or
    "23 October 2026, 09:00 EEST to 26 October 2026, 13:00 EET (Athens time)"."""
    if event.all_day:
        if not event.multi_day:
            return f"{human_date(event.start)} (all day)"
        return f"{human_date(event.start)} to {human_date(event.end)} (all day)"
    start, end = event.start, event.end
    if end is None:
        text = f"{human_date(start.date())}, {start:%H:%M} {_abbreviation(start)}"
    elif not event.multi_day and _abbreviation(start) == _abbreviation(end):
        text = f"{human_date(start.date())}, {start:%H:%M} to {end:%H:%M} {_abbreviation(end)}"
    else:
        text = (f"{human_date(start.date())}, {start:%H:%M} {_abbreviation(start)} to "
                f"{human_date(end.date())}, {end:%H:%M} {_abbreviation(end)}")
    zone = _zone_text(event)
    return f"{text} ({zone})" if zone else text


def iso(moment: datetime | date) -> str:
    """ISO 8601 as used in <time datetime> and schema.org: offsets for date-times, plain dates."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="minutes") if moment.second == 0 else moment.isoformat()
    return moment.isoformat()


@dataclass(frozen=True)
class EventDisplay:
    """Everything a surface prints about an event (plain text; templates escape it)."""

    when: str  # dates, times and zone, as one line
    place: str
    status: str | None  # "Postponed", "Cancelled", "Moved online"; None while scheduled
    start_iso: str  # for <time datetime>
    is_past: bool
    register_url: str | None  # the event's own registration page, offered only while it can be used
    offers_calendar: bool  # "Add to calendar": not for past or cancelled events

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) rows for text surfaces (email.txt, feeds, calendar descriptions)."""
        rows = [("When", self.when), ("Where", self.place)]
        return rows + ([("Status", self.status)] if self.status else [])

    def text(self) -> dict:
        """What the newsletter prints (when, place, status): nothing that depends on the build's "now",
        so an issue's data stays what it was when it was composed."""
        return {"when": self.when, "place": self.place, "status": self.status}


def event_display(event: EventData, now: datetime) -> EventDisplay:
    """The one description of ``event`` as of ``now`` (the build's pinned instant)."""
    past = not is_upcoming(event, now)
    open_for_people = not past and not event.is_cancelled
    return EventDisplay(
        when=describe_when(event),
        place=event.location_text or "Place to be announced",
        status=None if event.status == "scheduled" else event.status_label,
        start_iso=iso(event.start),
        is_past=past,
        register_url=event.registration_url if open_for_people else None,
        offers_calendar=open_for_people,
    )
