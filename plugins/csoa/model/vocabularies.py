"""The closed vocabularies of the content model, defined once: the schema's field types, the events
(pages, JSON-LD, calendars) and the newsletter all read these tables, so a value added here is
accepted and shown everywhere at once."""

from __future__ import annotations

from dataclasses import dataclass

PUBLICATION_STATUSES = ["published", "draft", "hidden"]  # Pelican's Status: field, for every kind
NEWSLETTER_CHANNELS = ["both", "web-only", "email-only", "never"]  # where an article appears in an issue


@dataclass(frozen=True)
class EventStatus:
    """An event's own state (Event_status:) and how each surface says it."""

    label: str  # pages, lists, the newsletter
    schema_org: str  # JSON-LD eventStatus
    ical: str  # iCalendar STATUS


@dataclass(frozen=True)
class AttendanceMode:
    schema_org: str  # JSON-LD eventAttendanceMode


EVENT_STATUS_TABLE = {
    "scheduled": EventStatus("Scheduled", "https://schema.org/EventScheduled", "CONFIRMED"),
    "postponed": EventStatus("Postponed", "https://schema.org/EventPostponed", "TENTATIVE"),
    "cancelled": EventStatus("Cancelled", "https://schema.org/EventCancelled", "CANCELLED"),
    "moved_online": EventStatus("Moved online", "https://schema.org/EventMovedOnline", "CONFIRMED"),
}
ATTENDANCE_MODE_TABLE = {
    "offline": AttendanceMode("https://schema.org/OfflineEventAttendanceMode"),
    "online": AttendanceMode("https://schema.org/OnlineEventAttendanceMode"),
    "mixed": AttendanceMode("https://schema.org/MixedEventAttendanceMode"),
}
# The schema's choices are the tables' keys, in table order (dict views: a row added is a choice).
EVENT_STATUSES = EVENT_STATUS_TABLE.keys()
ATTENDANCE_MODES = ATTENDANCE_MODE_TABLE.keys()
