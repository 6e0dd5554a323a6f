"""When is a dated item published? Plain Python, no Pelican."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime


def is_published(date: datetime | None, now: datetime) -> bool:
    """An item is published once its date has come (undated items are always published)."""
    return date is None or date <= now


def published_only(items: Iterable, now: datetime) -> list:
    """The items (anything with a ``date``) whose date is not after ``now``, in their order."""
    return [item for item in items if is_published(getattr(item, "date", None), now)]
