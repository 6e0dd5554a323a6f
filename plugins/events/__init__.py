"""Events: their own content type read from content/events/, with /events/, a page and an .ics per
event, /events/calendar.ics and the home page's upcoming events. The rules live in plain modules:
model.py (metadata), display.py (dates for people), jsonld.py (schema.org), ical.py (RFC 5545)."""

from pelican import signals

from .generator import EventsGenerator


def get_generators(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(get_generators)
