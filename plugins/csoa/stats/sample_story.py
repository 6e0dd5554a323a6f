"""The project's own SAMPLE incident table (content/data/incidents.csv): synthetic, deterministic from
a seed, and shaped so that the real aggregation tells the alliance's story. As of 8 July 2016 its
three-year headline reads as the alliance's newsletter of that day did: 63 countries, 5,140
criminals, 856 ships boarded, about 16,000 crew. The table runs from 1 January 2013 to 27 June 2019.

Records are random (positions jittered around busy waters, types, vessels, statuses); only the
window's totals are steered: exactly 856 boardings and hijackings in scope, one in-scope incident in
each of 63 countries, and the known criminals and stated crews nudged to the newsletter's sums.
`build_story_table` checks the outcome with `aggregate.headline` and fails loudly if it drifts.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from csoa.model.incident import Incident
from csoa.model.incidents import VESSEL_TYPES
from csoa.model.regions import REGIONS_FILE, SiteRegions
from csoa.stats.sample_data import CREW_TYPICAL, sample_crew, sample_weapons

STORY_AS_OF = date(2016, 7, 8)  # the alliance's newsletter of 8 July 2016
STORY = {"countries": 63, "criminals": 5140, "ships_boarded": 856, "crew": 16000}
FIRST_DAY, LAST_DAY = date(2013, 1, 1), date(2019, 6, 27)
WINDOW_FIRST = date(2013, 7, 9)  # the day after three_years_before(STORY_AS_OF)
OTHER_IN_WINDOW = 430  # incidents other than boardings in the window (attempts, approaches...)
BEFORE_WINDOW, AFTER_WINDOW = 170, 780  # incidents before and after the window
LATER = "later"  # a hotspot first active after the window

# (lat, lon, location text, spread in degrees, weight, ISO3 the position lies in, [LATER])
HOTSPOTS = [
    (6.35, 3.35, "Lagos anchorage", 0.3, 40, "NGA"), (4.3, 7.0, "Bonny River approaches", 0.3, 25, "NGA"),
    (4.85, -1.75, "Takoradi anchorage", 0.2, 10, "GHA"), (6.08, 1.32, "Lome anchorage", 0.06, 10, "TGO"),
    (6.3, 2.45, "Cotonou anchorage", 0.15, 8, "BEN"), (3.85, 9.55, "Douala anchorage", 0.15, 8, "CMR"),
    (5.2, -4.0, "Abidjan anchorage", 0.15, 6, "CIV"), (-4.8, 11.8, "Pointe-Noire anchorage", 0.15, 6, "COG"),
    (9.45, -13.75, "Conakry anchorage", 0.15, 5, "GIN"), (8.5, -13.3, "Freetown anchorage", 0.12, 4, "SLE"),
    (6.35, -10.85, "Monrovia anchorage", 0.12, 3, "LBR"), (14.65, -17.45, "Dakar anchorage", 0.1, 3, "SEN"),
    (3.75, 8.75, "Malabo anchorage", 0.1, 3, "GNQ"), (0.3, 9.45, "Owendo anchorage", 0.1, 3, "GAB"),
    (-8.75, 13.2, "Luanda anchorage", 0.12, 3, "AGO"), (-5.82, 13.1, "Boma, Congo River", 0.03, 2, "COD"),
    (11.8, -15.7, "Bissau approaches", 0.1, 2, "GNB"), (33.65, -7.6, "Casablanca anchorage", 0.05, 1, "MAR"),
    (12.75, 46.0, "Gulf of Aden, off Yemen", 0.3, 8, "YEM"), (2.0, 45.6, "off Mogadishu", 0.3, 8, "SOM"),
    (11.7, 43.2, "Djibouti anchorage", 0.1, 3, "DJI"), (15.6, 39.5, "off Massawa", 0.15, 3, "ERI"),
    (19.6, 37.3, "Port Sudan anchorage", 0.1, 2, "SDN"), (21.45, 39.1, "Jeddah anchorage", 0.1, 2, "SAU"),
    (29.85, 32.55, "Suez anchorage", 0.05, 3, "EGY"), (-6.8, 39.4, "Dar es Salaam anchorage", 0.12, 6, "TZA"),
    (-4.05, 39.75, "Mombasa anchorage", 0.1, 4, "KEN"), (-14.5, 40.75, "Nacala anchorage", 0.1, 3, "MOZ"),
    (25.2, 56.45, "off Fujairah", 0.12, 3, "ARE"), (24.3, 57.0, "off Sohar", 0.12, 2, "OMN"),
    (27.05, 56.2, "Bandar Abbas anchorage", 0.1, 2, "IRN"), (24.8, 66.9, "Karachi anchorage", 0.1, 3, "PAK"),
    (22.2, 91.75, "Chittagong anchorage", 0.15, 20, "BGD"), (22.9, 70.15, "Kandla anchorage", 0.1, 6, "IND"),
    (16.95, 82.35, "Kakinada anchorage", 0.1, 6, "IND"), (6.95, 79.8, "Colombo anchorage", 0.1, 3, "LKA"),
    (16.55, 96.3, "Yangon River", 0.05, 2, "MMR"), (1.24, 103.85, "Singapore Strait, off Singapore", 0.06, 20, "SGP"),
    (1.15, 104.05, "Singapore Strait, off Batam", 0.08, 25, "IDN"), (-6.0, 106.9, "Tanjung Priok anchorage", 0.12, 15, "IDN"),
    (1.7, 101.45, "Dumai anchorage", 0.1, 10, "IDN"), (3.0, 101.3, "Port Klang anchorage", 0.08, 8, "MYS"),
    (5.85, 118.1, "Sandakan anchorage", 0.12, 6, "MYS"), (14.5, 120.9, "Manila anchorage", 0.12, 10, "PHL"),
    (13.7, 121.0, "Batangas anchorage", 0.1, 5, "PHL"), (10.35, 107.05, "Vung Tau anchorage", 0.1, 10, "VNM"),
    (13.05, 100.85, "Laem Chabang anchorage", 0.1, 4, "THA"), (10.6, 103.5, "Sihanoukville anchorage", 0.08, 2, "KHM"),
    (22.5, 114.55, "Daya Bay", 0.06, 2, "CHN"), (-9.5, 147.15, "Port Moresby", 0.1, 3, "PNG"),
    (-18.15, 178.4, "Suva", 0.06, 1, "FJI"),
    (10.7, -71.6, "Maracaibo", 0.1, 6, "VEN"), (10.25, -64.6, "Puerto La Cruz", 0.06, 4, "VEN"),
    (-12.0, -77.2, "Callao anchorage", 0.1, 8, "PER"), (18.55, -72.4, "Port-au-Prince anchorage", 0.08, 4, "HTI"),
    (10.4, -75.6, "Cartagena anchorage", 0.08, 4, "COL"), (-2.3, -80.0, "Guayaquil river", 0.08, 5, "ECU"),
    (-23.98, -46.3, "Santos anchorage", 0.05, 3, "BRA"), (0.0, -51.05, "Macapa, Amazon", 0.06, 3, "BRA"),
    (19.2, -92.2, "Bay of Campeche", 0.2, 4, "MEX"), (6.85, -58.2, "Georgetown", 0.06, 3, "GUY"),
    (5.9, -55.15, "Paramaribo", 0.05, 2, "SUR"), (10.6, -61.55, "Port of Spain", 0.05, 2, "TTO"),
    (18.45, -69.9, "Santo Domingo", 0.05, 2, "DOM"), (10.0, -83.0, "Puerto Limon", 0.05, 2, "CRI"),
    (9.4, -79.9, "Colon anchorage", 0.05, 2, "PAN"),
    (40.9, 28.9, "Sea of Marmara", 0.1, 2, "TUR"), (33.9, 35.45, "off Beirut", 0.05, 1, "LBN"),
    (37.9, 23.6, "Piraeus anchorage", 0.05, 1, "GRC"), (32.95, 13.2, "off Tripoli", 0.08, 2, "LBY"),
    (31.25, 29.85, "Alexandria anchorage", 0.05, 1, "EGY"), (51.95, 4.05, "Maas approaches", 0.05, 1, "NLD"),
    (35.05, 129.05, "Busan anchorage", 0.05, 1, "KOR", LATER), (42.15, 41.6, "Poti", 0.04, 1, "GEO", LATER),
    (-9.4, 159.95, "Honiara", 0.06, 1, "SLB", LATER), (14.0, -61.0, "off Saint Lucia", 0.04, 1, "LCA", LATER),
    (34.62, 33.05, "Limassol anchorage", 0.04, 1, "CYP", LATER),
]
BOARDING_WEIGHTS = {"boarded": 30, "hijacked": 1}
OTHER_WEIGHTS = {"fired_upon": 8, "attempted": 15, "suspicious_approach": 18, "unknown": 6}
PERPETRATORS = (1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 8, 8, 10, 12)


def _record(rng: random.Random, day: date, spot: tuple, attack: str, in_scope: bool) -> Incident:
    lat0, lon0, place, spread = spot[:4]
    # drawn in this order, so that the seed's table stays the same
    vessel = rng.choice(VESSEL_TYPES[:-1])
    time_utc = f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
    lat, lon = round(lat0 + rng.uniform(-spread, spread), 4), round(lon0 + rng.uniform(-spread, spread), 4)
    precision = rng.choice(["exact", "approximate", "approximate", "estimated"])
    status = rng.choice(["anchored", "anchored", "underway", "berthed", "unknown"])
    weapons = sample_weapons(rng)
    perpetrators = rng.choice(PERPETRATORS) if attack in ("boarded", "hijacked") and rng.random() < 0.88 else None
    return Incident(
        source="sample", date=day, time_utc=time_utc, lat=lat, lon=lon, location_precision=precision,
        location_text=place, attack_type=attack, in_scope=in_scope, vessel_status=status, vessel_type=vessel,
        perpetrators=perpetrators, weapons=weapons,
        narrative=f"SAMPLE DATA (synthetic): {attack.replace('_', ' ')} reported near {place}.",
        **sample_crew(rng, attack, vessel),
    )


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _window_records(rng: random.Random) -> list[Incident]:
    """The three years to STORY_AS_OF: exactly the story's boardings, one incident per country first."""
    attacks = [_pick(rng, BOARDING_WEIGHTS) for _ in range(STORY["ships_boarded"])]
    attacks += [_pick(rng, OTHER_WEIGHTS) for _ in range(OTHER_IN_WINDOW)]
    rng.shuffle(attacks)
    spots = [s for s in HOTSPOTS if LATER not in s]
    first_of_country = list({s[5]: s for s in reversed(spots)}.values())[::-1]
    records = []
    for i, attack in enumerate(attacks):
        spot = first_of_country[i] if i < len(first_of_country) else rng.choices(spots, [s[4] for s in spots])[0]
        boarding = attack in BOARDING_WEIGHTS
        records.append(_record(rng, _day(rng, WINDOW_FIRST, STORY_AS_OF), spot, attack,
                               boarding or i < len(first_of_country) or rng.random() > 0.03))
    return records


def _nudge(records: list[Incident], field: str, target: int, low, high, rng: random.Random) -> list[Incident]:
    """The records with stated values of ``field`` stepped by one, in a seeded order, until they add
    up to ``target`` (each within its bounds ``low(record)`` to ``high(record)``)."""
    stated = [i for i, r in enumerate(records) if getattr(r, field) is not None]
    value = {i: getattr(records[i], field) for i in stated}
    total = sum(value.values())
    order = rng.sample(stated, len(stated))
    while total != target:
        step = 1 if total < target else -1
        moved = False
        for i in order:
            if total == target:
                break
            if low(records[i]) <= value[i] + step <= high(records[i]):
                value[i] += step
                total += step
                moved = True
        if not moved:
            raise ValueError(f"cannot bring {field} to {target}: stated values are at their bounds")
    return [r._replace(**{field: value[i]}) if i in value else r for i, r in enumerate(records)]


def _steer_window(window: list[Incident], rng: random.Random) -> list[Incident]:
    """The window's records with the known criminals and stated crews of its in-scope boardings
    brought to the story's sums."""
    from csoa.stats.aggregate import CREW_ESTIMATE_BY_VESSEL_TYPE

    boarded = [r for r in window if r.attack_type in BOARDING_WEIGHTS and r.in_scope]
    steered = _nudge(boarded, "perpetrators", STORY["criminals"], lambda r: 1, lambda r: 15, rng)
    estimated = sum(CREW_ESTIMATE_BY_VESSEL_TYPE[r.vessel_type] for r in steered if r.crew_onboard is None)
    steered = _nudge(steered, "crew_onboard", STORY["crew"] - estimated,
                     lambda r: max(2, CREW_TYPICAL[r.vessel_type] - 8, (r.crew_kidnapped or 0) + (r.crew_injured or 0)),
                     lambda r: CREW_TYPICAL[r.vessel_type] + 8, rng)
    now = {id(old): new for old, new in zip(boarded, steered)}
    return [now.get(id(r), r) for r in window]


def _outside_records(rng: random.Random) -> list[Incident]:
    before = [s for s in HOTSPOTS if LATER not in s]
    weights = {**BOARDING_WEIGHTS, **OTHER_WEIGHTS, "boarded": 40}
    records = []
    for n, first, last, spots in ((BEFORE_WINDOW, FIRST_DAY, WINDOW_FIRST - timedelta(days=1), before),
                                  (AFTER_WINDOW, STORY_AS_OF + timedelta(days=1), LAST_DAY, HOTSPOTS)):
        for _ in range(n):
            spot = rng.choices(spots, [s[4] for s in spots])[0]
            records.append(_record(rng, _day(rng, first, last), spot, _pick(rng, weights), rng.random() > 0.03))
    records[-1] = records[-1]._replace(date=LAST_DAY, in_scope=True)  # the table ends on its last day
    return records


def _number(records: list[Incident], rng: random.Random) -> list[Incident]:
    """Ids in date order; about one in twelve is a member report (not public, vessel details kept)."""
    member_numbers: dict[int, int] = {}
    numbered: dict[int, Incident] = {}
    for i, r in enumerate(sorted(records, key=lambda r: (r.date, r.time_utc, r.lat)), start=1):
        if rng.random() < 0.08:
            member_numbers[r.date.year] = member_numbers.get(r.date.year, 0) + 1
            numbered[id(r)] = r._replace(
                id=f"CSO-{r.date.year}-{member_numbers[r.date.year]:04d}", source="member_report", source_ref="",
                public=False, vessel_name=f"SAMPLE VESSEL {i}", flag_iso2=rng.choice(["LR", "PA", "MH", "SG"]))
        else:
            numbered[id(r)] = r._replace(id=f"sample-{i:05d}", source_ref=f"{i:05d}")
    return [numbered[id(r)] for r in records]


def build_story_table(regions: SiteRegions, seed: int = 2016, ports=None) -> list[Incident]:
    """The sample table, enriched with the polygons of ``regions`` (the site's); raises if its
    headline as of STORY_AS_OF is not the story's."""
    from csoa.stats.aggregate import headline
    from csoa.stats.importer import enrich

    rng = random.Random(seed)
    window = _steer_window(_window_records(rng), rng)
    records = _number(window + _outside_records(rng), rng)
    records = enrich(records, ports, regions)
    _, head = headline([r for r in records if r.in_scope], STORY_AS_OF)
    got = {k: head[k] for k in STORY}
    if got != STORY:
        raise AssertionError(f"the sample table's headline as of {STORY_AS_OF} is {got}, not {STORY}")
    return records


def write_sample(path: str | Path, regions: SiteRegions, ports_file: str | Path | None = None,
                 seed: int = 2016) -> list[Incident]:
    """Write the project's sample table (the July 2016 newsletter's story) to ``path``."""
    from csoa.model.incident_table import write_incidents
    from csoa.stats.ports import PortIndex, load_ports

    records = build_story_table(regions, seed, PortIndex(load_ports(ports_file)) if ports_file else None)
    write_incidents(path, records)
    return records


if __name__ == "__main__":
    target = Path(sys.argv[1])
    # the project's polygons (pelicanconf.py's REGION_POLYGONS): all enrich reads of the regions
    write_sample(target, SiteRegions((), REGIONS_FILE),
                 target.with_name("ports.csv") if target.with_name("ports.csv").exists() else None)
