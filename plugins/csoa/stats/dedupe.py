"""Duplicates across sources: within 1 day and 10 nautical miles, with a compatible vessel.

The fuller record is kept (more fields stated); the other is listed in its `also_reported_by`
as `source:ref`. Records of the same source are never merged here: an update of an earlier entry
shares its `source_ref` and simply replaces it (importer.py).
"""

from __future__ import annotations

from csoa.model.incident import Incident
from csoa.model.incidents import FIELDS
from csoa.model.positions import distance_nm

MAX_DAYS = 1
MAX_NM = 10.0
_VAGUE_TYPES = ("unknown", "other")


_SAYS_NOTHING = (None, "", (), "unknown", ("not_stated",))


def fullness(record: Incident) -> int:
    """How many fields say something (empty, None, 'unknown' and 'not_stated' say nothing)."""
    return sum(1 for key, value in zip(FIELDS, record)
               if key not in ("also_reported_by", "derived") and value not in _SAYS_NOTHING)


def compatible_vessels(a: Incident, b: Incident) -> bool:
    if a.vessel_type not in _VAGUE_TYPES and b.vessel_type not in _VAGUE_TYPES and a.vessel_type != b.vessel_type:
        return False
    if a.vessel_name and b.vessel_name and a.vessel_name.strip().lower() != b.vessel_name.strip().lower():
        return False
    return True


def reference(record: Incident) -> str:
    return record.reference


def is_duplicate(a: Incident, b: Incident) -> bool:
    return (
        a.source != b.source
        and abs((a.date - b.date).days) <= MAX_DAYS
        and distance_nm(a.lat, a.lon, b.lat, b.lon) <= MAX_NM
        and compatible_vessels(a, b)
    )


class DuplicateFinder:
    """Records bucketed by day, so a look-up only compares the three days around a date."""

    def __init__(self, records: list[Incident]):
        self._by_day: dict[int, list[Incident]] = {}
        for record in records:
            self.add(record)

    def add(self, record: Incident) -> None:
        self._by_day.setdefault(record.date.toordinal(), []).append(record)

    def remove(self, record: Incident) -> None:
        bucket = self._by_day.get(record.date.toordinal(), [])
        self._by_day[record.date.toordinal()] = [r for r in bucket if r is not record]

    def find(self, record: Incident) -> Incident | None:
        """The nearest duplicate of ``record`` (ties: lowest id), or None."""
        day = record.date.toordinal()
        candidates = [
            other
            for d in range(day - MAX_DAYS, day + MAX_DAYS + 1)
            for other in self._by_day.get(d, ())
            if is_duplicate(record, other)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda o: (distance_nm(record.lat, record.lon, o.lat, o.lon), o.id))


def merge_pair(kept: Incident, other: Incident) -> Incident:
    """``kept`` with ``other`` (and whatever ``other`` already listed) in also_reported_by."""
    return kept._replace(also_reported_by=tuple(sorted(set(kept.also_reported_by) | set(other.also_reported_by)
                                                       | {other.reference})))


def choose_kept(existing: Incident, incoming: Incident) -> tuple[Incident, Incident]:
    """(kept, dropped): the fuller record wins; on a tie the one already in the table stays."""
    if fullness(incoming) > fullness(existing):
        return incoming, existing
    return existing, incoming
