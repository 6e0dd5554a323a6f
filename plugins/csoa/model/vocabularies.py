"""The closed vocabularies of the content model, defined once: the schema's field types, the events
and the newsletter all read these lists, so a value added here is accepted everywhere at once."""

from __future__ import annotations

PUBLICATION_STATUSES = ["published", "draft", "hidden"]  # Pelican's Status: field, for every kind
EVENT_STATUSES = ["scheduled", "postponed", "cancelled", "moved_online"]  # an event's own state
STATUS_LABELS = {  # how pages, calendars and emails name an event status
    "scheduled": "Scheduled",
    "postponed": "Postponed",
    "cancelled": "Cancelled",
    "moved_online": "Moved online",
}
ATTENDANCE_MODES = ["offline", "online", "mixed"]
NEWSLETTER_CHANNELS = ["both", "web-only", "email-only", "never"]  # where an article appears in an issue
