"""Ports: a real port list supplied by the editor (setting PORTS_FILE), nearest-port lookups and the
documented port risk rule.

The port list is a CSV with a header. Columns are recognised by name: the port name (`name` or
`port_name`), its country (`country`, `country_iso2` or `country_iso3`; ISO alpha-2 or alpha-3)
and its position in decimal degrees (`lat`/`latitude`/`port_latitude`,
`lon`/`longitude`/`port_longitude`). NGA's World Port Index CSV is accepted as it is.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pycountry

from csoa.model.incident import Incident
from csoa.model.positions import distance_nm

PORT_RADIUS_NM = 20.0
NAME_COLUMNS = ("name", "port_name")
COUNTRY_COLUMNS = ("country", "country_iso2", "country_iso3")
LAT_COLUMNS = ("lat", "latitude", "port_latitude")
LON_COLUMNS = ("lon", "longitude", "port_longitude")


class PortsFileError(ValueError):
    pass


@dataclass(frozen=True)
class Port:
    slug: str
    name: str
    country_iso3: str
    lat: float
    lon: float


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _column(header: list[str], names: tuple[str, ...], path) -> str:
    for name in names:
        if name in header:
            return name
    raise PortsFileError(f"{path}: no column for {names[0]} (expected one of {', '.join(names)})")


def _iso3(code: str) -> str:
    code = code.strip().upper()
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    else:
        country = None
    return country.alpha_3 if country else ""


def load_ports(path: str | Path) -> list[Port]:
    """Read a port list; rows without a name or a valid position are reported, not guessed."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        name_c, country_c = _column(header, NAME_COLUMNS, path), _column(header, COUNTRY_COLUMNS, path)
        lat_c, lon_c = _column(header, LAT_COLUMNS, path), _column(header, LON_COLUMNS, path)
        ports, errors, slugs = [], [], set()
        for row in reader:
            line = reader.line_num
            name = (row.get(name_c) or "").strip()
            try:
                lat, lon = float(row[lat_c]), float(row[lon_c])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(f"{path}, row {line}: position {row.get(lat_c)!r}, {row.get(lon_c)!r} is not decimal degrees")
                continue
            if not name:
                errors.append(f"{path}, row {line}: the port has no name")
                continue
            iso3 = _iso3(row.get(country_c) or "")
            slug = slugify(f"{name} {iso3}")
            while slug in slugs:  # two ports of the same name in one country: keep both, distinctly
                slug += "-2"
            slugs.add(slug)
            ports.append(Port(slug, name.title() if name.isupper() else name, iso3, lat, lon))
    if errors:
        raise PortsFileError("\n".join(errors))
    return ports


class PortIndex:
    """Ports bucketed by whole degree so that 100,000 look-ups stay fast."""

    def __init__(self, ports: list[Port]):
        self.ports = ports
        self.by_slug = {p.slug: p for p in ports}
        self._cells: dict[tuple[int, int], list[Port]] = {}
        for port in ports:
            self._cells.setdefault((math.floor(port.lat), math.floor(port.lon)), []).append(port)

    def within(self, lat: float, lon: float, radius_nm: float = PORT_RADIUS_NM) -> list[tuple[float, Port]]:
        """(distance, port) for every port within radius, nearest first (ties by slug)."""
        dlat = math.ceil(radius_nm / 60) + 1
        dlon = min(180, math.ceil(radius_nm / 60 / max(math.cos(math.radians(min(abs(lat), 89))), 0.01)) + 1)
        cy, cx = math.floor(lat), math.floor(lon)
        found = []
        for y in range(cy - dlat, cy + dlat + 1):
            for x in range(cx - dlon, cx + dlon + 1):
                for port in self._cells.get((y, ((x + 180) % 360) - 180), ()):
                    d = distance_nm(lat, lon, port.lat, port.lon)
                    if d <= radius_nm:
                        found.append((d, port))
        found.sort(key=lambda item: (item[0], item[1].slug))
        return found

    def nearest(self, lat: float, lon: float, radius_nm: float = PORT_RADIUS_NM) -> Port | None:
        found = self.within(lat, lon, radius_nm)
        return found[0][1] if found else None


# ------------------------------------------------------------------ risk


RISK_LEVELS = ("low", "moderate", "elevated", "high")
RISK_RULE = (
    "Counting in-scope incidents within 20 nautical miles of the port in the three years up to the "
    "data's as-of date: high = 10 or more, or any hijacking, any vessel fired upon, or any crew "
    "kidnapped or killed; elevated = 3 to 9, or any boarding in the last 12 months; moderate = 1 or 2; "
    "low = none in the three years."
)


def risk_level(incidents: list[Incident], as_of: date | None, window_start: date | None) -> str:
    """The documented rule above, over the incidents near one port."""
    if as_of is None or window_start is None:
        return "low"
    recent = [r for r in incidents if r.in_scope and window_start <= r.date <= as_of]
    last_year = date(as_of.year - 1, as_of.month, 28 if (as_of.month, as_of.day) == (2, 29) else as_of.day)
    severe = any(
        r.attack_type in ("hijacked", "fired_upon") or (r.crew_kidnapped or 0) > 0 or (r.crew_killed or 0) > 0
        for r in recent
    )
    if len(recent) >= 10 or severe:
        return "high"
    if len(recent) >= 3 or any(r.attack_type == "boarded" and r.date > last_year for r in recent):
        return "elevated"
    if recent:
        return "moderate"
    return "low"


def ports_path(settings: dict) -> Path:
    """The port list of a site: the setting PORTS_FILE, else ``data/ports.csv`` in the content folder
    (the caller checks that it exists: a site may have no port list)."""
    value = settings.get("PORTS_FILE")
    return Path(value) if value else Path(settings["PATH"]) / "data" / "ports.csv"
