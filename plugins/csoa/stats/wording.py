"""How the statistics say dates, windows, ages and labels to a reader: one wording for every page,
download and chart (ISO dates stay in datetime attributes and machine formats only)."""

from __future__ import annotations

from datetime import date

from csoa.model.dates import day_month, human_date  # noqa: F401 (the statistics say dates through these)

SAMPLE_NOTICE = ("Sample data: these figures are computed from synthetic sample incidents made for this site's "
                 "demonstration, not from real reports.")
# Below this many incidents in the earlier period a percentage change says more about chance than crime.
MIN_BASE_FOR_PERCENT = 10


def period(first: date, last: date) -> str:
    return f"{human_date(first)} to {human_date(last)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def age(newest: date, built: date) -> str:
    """How long before the build the newest record is: '11 days', '5 months', '7 years'."""
    days = (built - newest).days
    if days <= 0:
        return "0 days"
    if days < 60:
        return _plural(days, "day")
    months = (built.year - newest.year) * 12 + built.month - newest.month - (built.day < newest.day)
    if months < 24:
        return _plural(months, "month")
    return _plural(months // 12, "year")


def newest_record(newest: date | None, built: date) -> dict | None:
    """The pieces of "Newest record: 27 June 2019, 7 years before this page was built (2 December 2026)"."""
    if newest is None:
        return None
    return {"iso": newest.isoformat(), "date": human_date(newest), "age": age(newest, built),
            "built_iso": built.isoformat(), "built": human_date(built)}


def newest_record_line(newest: date | None, built: date) -> str:
    words = newest_record(newest, built)
    if words is None:
        return "No in-scope incidents yet."
    return f"Newest record: {words['date']}, {words['age']} before this page was built ({words['built']})."


def partial_year(as_of: date | None) -> dict | None:
    """The newest year is partial unless the data reach 31 December: {"year", "to", "label", "note"}."""
    if as_of is None or (as_of.month, as_of.day) == (12, 31):
        return None
    return {"year": as_of.year, "to": as_of.isoformat(), "label": f"to {day_month(as_of)}",
            "note": f"{as_of.year} is a partial year: records to {human_date(as_of)}."}


def percent_change_shown(previous: int) -> bool:
    return previous >= MIN_BASE_FOR_PERCENT
