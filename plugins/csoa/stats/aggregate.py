"""summary.json (the design note's keys, plus `sample_data`, `notice` and `partial_year`, so that the
file says what its figures are) and the figures behind the statistics pages.

All counts use every record, public or not: non-public records count in totals but are never listed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from operator import attrgetter

from csoa.model.incident import Incident
from csoa.model.incidents import ATTACK_TYPES, VESSEL_STATUSES
from csoa.stats.wording import SAMPLE_NOTICE, partial_year, percent_change_shown, period

BOARDED_TYPES = ("boarded", "hijacked")
# Typical crew complements by vessel type, used only where a boarded ship's crew is not stated.
# An assumption of the alliance (round figures for merchant ships of each kind), shown on the page.
CREW_ESTIMATE_BY_VESSEL_TYPE = {
    "bulk_carrier": 21, "tanker": 22, "container": 22, "general_cargo": 16, "ro_ro": 20,
    "passenger": 60, "offshore": 12, "tug_barge": 6, "fishing": 10, "yacht": 3, "dhow": 10,
    "other": 15, "unknown": 18,
}


def three_years_before(d: date) -> date:
    """Same day and month three years earlier; 29 February becomes 28 February."""
    day = 28 if (d.month, d.day) == (2, 29) else d.day
    return date(d.year - 3, d.month, day)


def headline(in_scope: list[Incident], as_of: date | None = None) -> tuple[date | None, dict]:
    """The three-year headline. ``as_of`` is a document's own date (a newsletter issue's): only
    incidents on or before it count, and the window ends there. Default: the newest in-scope incident."""
    if as_of is not None:
        in_scope = [r for r in in_scope if r.date <= as_of]
    if not in_scope:
        return None, {"window_start": None, "window_end": None, "countries": 0, "ships_boarded": 0, "criminals": 0,
                      "criminals_known_for": 0, "crew": 0, "crew_estimated_for": 0}
    as_of = as_of or max(r.date for r in in_scope)
    start = three_years_before(as_of)
    window = [r for r in in_scope if start < r.date <= as_of]
    boarded = [r for r in window if r.attack_type in BOARDED_TYPES]
    known_perps = [r.perpetrators for r in boarded if r.perpetrators is not None]
    crew_known = [r.crew_onboard for r in boarded if r.crew_onboard is not None]
    crew_estimated = [CREW_ESTIMATE_BY_VESSEL_TYPE[r.vessel_type] for r in boarded if r.crew_onboard is None]
    return as_of, {
        "window_start": (start + timedelta(days=1)).isoformat(),
        "window_end": as_of.isoformat(),
        "countries": len({r.country_iso3 for r in window if r.country_iso3}),
        "ships_boarded": len(boarded),
        "criminals": sum(known_perps),
        "criminals_known_for": len(known_perps),
        "crew": sum(crew_known) + sum(crew_estimated),
        "crew_estimated_for": len(crew_estimated),
    }


def is_sample(records: list[Incident]) -> bool:
    """Figures are sample figures when any record behind them is synthetic sample data."""
    return any(r.is_sample for r in records)


def summary(records: list[Incident], regions: tuple[str, ...]) -> dict:
    """The summary.json dict of the design note, keys sorted where the note says so; ``regions``: the
    site's region keys (csoa.model.regions.site_regions), each counted even when it has no incident."""
    in_scope = [r for r in records if r.in_scope]
    as_of, head = headline(in_scope)
    years = sorted({str(r.date.year) for r in in_scope})
    by_year = {y: {"total": 0, **{t: 0 for t in ATTACK_TYPES}} for y in years}
    by_region = {region: {y: 0 for y in years} for region in sorted(regions)}
    by_country: Counter = Counter()
    by_status = {s: 0 for s in sorted(VESSEL_STATUSES)}
    for r in in_scope:
        year = str(r.date.year)
        by_year[year]["total"] += 1
        by_year[year][r.attack_type] += 1
        by_region[r.region][year] += 1
        if r.country_iso3:
            by_country[r.country_iso3] += 1
        by_status[r.vessel_status] += 1
    sample = is_sample(records)
    partial = partial_year(as_of)
    return {
        "sample_data": sample,
        "notice": SAMPLE_NOTICE if sample else None,
        "as_of": as_of.isoformat() if as_of else None,
        "headline": head,
        "by_year": by_year,
        "partial_year": {"year": str(partial["year"]), "to": partial["to"]} if partial else None,
        "by_region": by_region,
        "by_country": dict(sorted(by_country.items())),
        "by_vessel_status": by_status,
    }


def summary_as_of(records: list[Incident], day: date, regions: tuple[str, ...]) -> dict:
    """The figures as they stood on ``day`` (a newsletter issue's date): summary() of the records dated
    on or before it, the headline window ending on ``day`` itself; ``sample`` says whether any of those
    records is synthetic (source ``sample``), as the statistics pages' banner does."""
    known = [r for r in records if r.date <= day]
    result = summary(known, regions)
    if result["as_of"] is not None:
        result["headline"] = headline([r for r in known if r.in_scope], as_of=day)[1]
    result["sample"] = result["sample_data"]  # the newsletter's name for the same flag
    return result


# ------------------------------------------------------------------ page figures (not in summary.json)


def counts_by(records: list[Incident], key) -> dict:
    counter: Counter = Counter(key(r) for r in records)
    return dict(sorted(counter.items()))


def trend(records: list[Incident], as_of: date | None) -> dict:
    """In-scope incidents of the last full 12 months up to as_of against the 12 months before."""
    if as_of is None:
        return {"current": 0, "previous": 0, "change": None}
    one = date(as_of.year - 1, as_of.month, 28 if (as_of.month, as_of.day) == (2, 29) else as_of.day)
    two = date(as_of.year - 2, as_of.month, 28 if (as_of.month, as_of.day) == (2, 29) else as_of.day)
    current = sum(1 for r in records if r.in_scope and one < r.date <= as_of)
    previous = sum(1 for r in records if r.in_scope and two < r.date <= one)
    # no percentage on a base too small to mean anything (1 -> 2 is not "+100%")
    change = round(100 * (current - previous) / previous) if percent_change_shown(previous) else None
    return {"current": current, "previous": previous, "change": change,
            "period": period(one + timedelta(days=1), as_of), "previous_period": period(two + timedelta(days=1), one)}


def group_by(records: list[Incident], field: str) -> dict[str, list[Incident]]:
    groups: dict[str, list[Incident]] = defaultdict(list)
    value_of = attrgetter(field)
    for r in records:
        if value := value_of(r):
            groups[value].append(r)
    return dict(groups)


def year_type_table(records: list[Incident]) -> list[Incident]:
    """Rows per year: total and per attack type, in-scope only."""
    table: dict[int, Counter] = defaultdict(Counter)
    for r in records:
        if r.in_scope:
            table[r.date.year][r.attack_type] += 1
    return [{"year": y, "total": sum(c.values()), **{t: c[t] for t in ATTACK_TYPES}} for y, c in sorted(table.items())]
