"""One incident: a row of `content/data/incidents.csv` with typed values, the one shape the importer,
the table's reader and writer, the statistics and the downloads share.

A typed, immutable record: a ``typing.NamedTuple`` rather than a frozen dataclass, because the
statistics build reads 100,000 of them and a frozen dataclass's ``__init__`` costs about ten times
as much per record (one ``object.__setattr__`` per field); attribute access costs the same. A change
is a new record: ``record._replace(port="Lagos")``. Lists (``also_reported_by``, ``weapons``,
``derived``) are sorted tuples, so a record is hashable and nothing can change it in place.
The defaults are the empty record: every optional field unstated.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple


class Incident(NamedTuple):
    """The table's columns in their order (incidents.FIELDS), then ``row``: the line of the file
    the record was read from (0 for a record made in memory); it is no column of the table."""

    id: str = ""
    source: str = ""
    source_ref: str = ""
    also_reported_by: tuple[str, ...] = ()
    date: datetime.date | None = None
    time_utc: str = ""
    time_local: str = ""
    lat: float | None = None
    lon: float | None = None
    location_precision: str = ""
    location_text: str = ""
    country_iso3: str = ""
    region: str = ""
    port: str = ""
    attack_type: str = ""
    in_scope: bool = True
    vessel_status: str = ""
    vessel_type: str = ""
    vessel_name: str = ""
    vessel_imo: str = ""
    flag_iso2: str = ""
    perpetrators: int | None = None
    weapons: tuple[str, ...] = ()
    crew_onboard: int | None = None
    crew_hostage: int | None = None
    crew_kidnapped: int | None = None
    crew_injured: int | None = None
    crew_killed: int | None = None
    narrative: str = ""
    public: bool = True
    derived: tuple[str, ...] = ()
    row: int = 0

    @property
    def reference(self) -> str:
        """``source:ref`` as a merged duplicate lists this record in another's also_reported_by."""
        return f"{self.source}:{self.source_ref or self.id}"

    @property
    def is_sample(self) -> bool:
        """Synthetic sample data (source ``sample``), never a real report."""
        return self.source == "sample"


COLUMNS = Incident._fields[:-1]  # the table's columns: every field but ``row``
