"""The site's one human date format, "8 July 2019": no weekday, no leading zero, English month
names whatever the locale (ISO 8601 stays in machine formats). Pages, email, feeds and the
statistics all say dates through here; tests/test_human_dates.py holds every page to it."""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def human_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def day_month(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"
