"""Dates in metadata may arrive as text ("2016-06-28") or as date/datetime objects (when a schema
plugin has converted them): these helpers accept both, so templates never need to care."""

from __future__ import annotations

from datetime import date, datetime

from csoa.model import dates


def as_date(value) -> date | datetime | None:
    """Return ``value`` as a date or datetime; ``None`` for empty values. Raises ValueError on junk."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text)


def human_date(value) -> str:
    """'28 June 2016' (csoa.model.dates: the site's one format) for a date, datetime or ISO text."""
    day = as_date(value)
    return "" if day is None else dates.human_date(day)


def iso_date(value) -> str:
    """ISO 8601 for a <time datetime> attribute: a date stays a date, a datetime keeps its offset."""
    day = as_date(value)
    return "" if day is None else day.isoformat()
