"""One figure per port, computed once: in-scope incidents within PORT_RADIUS_NM of the port over the
headline's three-year window (the window the risk level uses). Every page that shows a port's count
takes it from here; pages only choose which ports to list (all, a region's, a country's)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csoa.model.incident import Incident
from csoa.model.positions import distance_nm
from csoa.model.regions import REGIONS_FILE, region_of
from csoa.stats.ports import PORT_RADIUS_NM, PortIndex, risk_level


@dataclass(frozen=True)
class PortFigure:
    slug: str
    name: str
    country_iso3: str
    lat: float
    lon: float
    region: str  # the site region the port itself lies in
    count: int  # in-scope incidents within the radius, in the window
    risk: str


def incidents_near_ports(records: list[Incident], ports: PortIndex, radius_nm: float = PORT_RADIUS_NM) -> dict[str, list[Incident]]:
    """{port slug: incidents within radius, any year}: records bucketed by whole degree, searched per port."""
    cells: dict[tuple[int, int], list[Incident]] = {}
    for r in records:
        cells.setdefault((math.floor(r.lat), math.floor(r.lon)), []).append(r)
    near: dict[str, list[Incident]] = {}
    dlat = math.ceil(radius_nm / 60) + 1
    for port in ports.ports:
        dlon = min(180, math.ceil(radius_nm / 60 / max(math.cos(math.radians(min(abs(port.lat), 89))), 0.01)) + 1)
        cy, cx = math.floor(port.lat), math.floor(port.lon)
        found = [
            r
            for y in range(cy - dlat, cy + dlat + 1)
            for x in range(cx - dlon, cx + dlon + 1)
            for r in cells.get((y, ((x + 180) % 360) - 180), ())
            if distance_nm(port.lat, port.lon, r.lat, r.lon) <= radius_nm
        ]
        if found:
            near[port.slug] = found
    return near


def port_figures(near: dict[str, list[Incident]], ports: PortIndex, as_of: date | None,
                 window_start: date | None, polygons: str | Path = REGIONS_FILE) -> dict[str, PortFigure]:
    """{slug: PortFigure} for every port with any incident nearby (its page exists), by slug."""
    figures = {}
    for slug, here in sorted(near.items()):
        port = ports.by_slug[slug]
        in_window = 0 if as_of is None or window_start is None else sum(
            1 for r in here if r.in_scope and window_start <= r.date <= as_of)
        figures[slug] = PortFigure(slug, port.name, port.country_iso3, port.lat, port.lon, region_of(port.lat, port.lon, polygons), in_window,
                                   risk_level(here, as_of, window_start))
    return figures


def port_page_of(near: dict[str, list[Incident]], ports: PortIndex, figures: dict[str, PortFigure]) -> dict[int, str]:
    """{id(record): slug of its port's page}: a record names its port (the nearest listed one); the
    port is found among the ports with a page that have the record nearby, so a name two countries
    share still finds the right one."""
    found: dict[int, str] = {}
    for slug in figures:
        name = ports.by_slug[slug].name
        for r in near.get(slug, ()):
            if r.port == name:
                found.setdefault(id(r), slug)
    return found


def ranked(figures, top: int | None = None) -> list[PortFigure]:
    """Ports with at least one incident in the window, most first (ties by name)."""
    listed = sorted((f for f in figures if f.count), key=lambda f: (-f.count, f.name, f.slug))
    return listed[:top] if top else listed
