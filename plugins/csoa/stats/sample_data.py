"""Synthetic SAMPLE incidents (never real reports): deterministic from a seed, for the tests and the
benchmarks (`generate`, `write_generated`); the sample site's own table is sample_story.py's.
Every record has source `sample` (or is a sample member report) and says so in its narrative.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from csoa.model.incident import Incident
from csoa.model.incidents import VESSEL_TYPES
from csoa.model.regions import SiteRegions

# (lat, lon, location text, spread in degrees, weight): busy waters, positions jittered around them.
HOTSPOTS = [
    (6.35, 3.35, "Lagos anchorage", 0.4, 8), (4.3, 7.0, "Bonny River approaches", 0.5, 6),
    (4.85, -1.75, "Takoradi anchorage", 0.3, 4), (6.1, 1.25, "Lome anchorage", 0.3, 4),
    (-4.8, 11.8, "Pointe-Noire anchorage", 0.3, 2), (9.4, -13.8, "Conakry anchorage", 0.3, 2),
    (1.2, 104.0, "Singapore Strait", 0.3, 9), (-6.0, 106.9, "Tanjung Priok anchorage", 0.3, 4),
    (22.2, 91.7, "Chittagong anchorage", 0.3, 4), (14.5, 120.9, "Manila anchorage", 0.3, 3),
    (10.3, 107.1, "Vung Tau anchorage", 0.3, 3), (5.8, 118.1, "Sandakan anchorage", 0.4, 2),
    (12.6, 47.5, "Gulf of Aden", 1.2, 5), (2.0, 46.0, "off the Somali coast", 2.5, 3),
    (13.2, 42.9, "southern Red Sea", 0.8, 3), (-6.8, 39.4, "Dar es Salaam anchorage", 0.3, 2),
    (25.3, 56.4, "off Fujairah", 0.4, 2),
    (10.7, -71.6, "Maracaibo", 0.3, 2), (-12.0, -77.2, "Callao anchorage", 0.3, 3),
    (18.5, -72.4, "Port-au-Prince anchorage", 0.3, 2), (10.4, -75.6, "Cartagena anchorage", 0.3, 2),
    (-2.3, -80.0, "Guayaquil river", 0.3, 2),
    (40.9, 28.9, "Sea of Marmara", 0.4, 1), (33.9, 35.4, "off Beirut", 0.3, 1), (37.9, 23.6, "Piraeus anchorage", 0.2, 1),
    (-9.5, 147.2, "Port Moresby", 0.3, 1), (51.9, 4.0, "Maas approaches", 0.3, 1), (-18.1, 178.4, "Suva", 0.2, 1),
]
ATTACK_WEIGHTS = {"hijacked": 3, "boarded": 50, "fired_upon": 8, "attempted": 15, "suspicious_approach": 18, "unknown": 6}
CREW_TYPICAL = {"bulk_carrier": 21, "tanker": 22, "container": 22, "general_cargo": 16, "ro_ro": 20, "passenger": 60,
                "offshore": 12, "tug_barge": 6, "fishing": 10, "yacht": 3, "dhow": 10, "other": 15, "unknown": 18}
START, END = date(2013, 1, 1), date(2019, 6, 30)


def generate(n: int = 420, seed: int = 2016, start: date = START, end: date = END) -> list[Incident]:
    rng = random.Random(seed)
    span = (end - start).days
    weights = [h[4] for h in HOTSPOTS]
    records = []
    member_numbers: dict[int, int] = {}
    for i in range(n):
        lat0, lon0, place, spread, _ = rng.choices(HOTSPOTS, weights)[0]
        day = start + timedelta(days=rng.randrange(span + 1))
        attack = rng.choices(list(ATTACK_WEIGHTS), list(ATTACK_WEIGHTS.values()))[0]
        vessel = rng.choice(VESSEL_TYPES[:-1])
        member = rng.random() < 0.08  # a few member reports: not public, confidential vessel details
        if member:
            member_numbers[day.year] = member_numbers.get(day.year, 0) + 1
        # drawn in this order, so that a seed's table stays the same
        time_utc = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
        lat = round(max(-89.0, min(89.0, lat0 + rng.uniform(-spread, spread))), 4)
        lon = round(max(-179.0, min(179.0, lon0 + rng.uniform(-spread, spread))), 4)
        precision = rng.choice(["exact", "approximate", "approximate", "estimated"])
        in_scope = rng.random() > 0.03
        status = rng.choice(["anchored", "anchored", "underway", "berthed", "unknown"])
        perpetrators = rng.choice([None, 1, 2, 3, 4, 5, 6, 8]) if attack in ("boarded", "hijacked") else None
        weapons = sample_weapons(rng)
        flag = rng.choice(["LR", "PA", "MH", "SG"]) if member else ""  # member reports keep the vessel's details
        records.append(Incident(
            id=f"CSO-{day.year}-{member_numbers.get(day.year, 0):04d}" if member else f"sample-{i + 1:05d}",
            source="member_report" if member else "sample", source_ref="" if member else f"{i + 1:05d}",
            date=day, time_utc=time_utc, lat=lat, lon=lon, location_precision=precision, location_text=place,
            attack_type=attack, in_scope=in_scope, vessel_status=status, vessel_type=vessel,
            vessel_name=f"SAMPLE VESSEL {i + 1}" if member else "", flag_iso2=flag, perpetrators=perpetrators,
            weapons=weapons, public=not member,
            narrative=f"SAMPLE DATA (synthetic): {attack.replace('_', ' ')} reported near {place}.",
            **sample_crew(rng, attack, vessel),
        ))
    return records


def sample_weapons(rng: random.Random) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(["guns", "knives"], rng.randrange(1, 3)))) if rng.random() < 0.6 else ("not_stated",)


def sample_crew(rng: random.Random, attack: str, vessel: str) -> dict[str, int]:
    """Crew on board for 60% of records, some kidnapped or injured (both sample tables draw them alike):
    the crew fields to give a record."""
    crew = {}
    if rng.random() < 0.6:
        onboard = crew["crew_onboard"] = max(2, CREW_TYPICAL[vessel] + rng.randrange(-3, 4))
        if attack == "hijacked" and rng.random() < 0.5:
            crew["crew_kidnapped"] = rng.randrange(0, min(onboard, 6) + 1)
        if attack in ("boarded", "fired_upon", "hijacked") and rng.random() < 0.2:
            crew["crew_injured"] = rng.randrange(0, min(onboard, 3) + 1)
    return crew


def write_generated(path: str | Path, n: int, seed: int, regions: SiteRegions,
                    ports_file: str | Path | None = None) -> list[Incident]:
    """A random sample table of ``n`` records in a site with ``regions`` (test fixtures and
    benchmarks; not the project's table)."""
    from csoa.model.incident_table import write_incidents
    from csoa.stats.importer import enrich
    from csoa.stats.ports import PortIndex, load_ports

    records = enrich(generate(n, seed), PortIndex(load_ports(ports_file)) if ports_file else None, regions)
    write_incidents(path, records)
    return records
