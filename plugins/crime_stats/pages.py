"""What each statistics page shows: plain data for the templates, computed without Pelican.

Every string that comes from the data is escaped here (markupsafe), so third-party text can never
become markup, whatever the template engine's autoescape setting.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from . import aggregate, charts, maps
from .aggregate import CREW_ESTIMATE_BY_VESSEL_TYPE
from .charts import ATTACK_LABELS
from .countries import name_of
from .incidents import ATTACK_TYPES, SITE_REGIONS, public_records
from .ports import PORT_RADIUS_NM, RISK_RULE, PortIndex, risk_level
from .regions import REGION_LABELS

STATUS_LABELS = {"berthed": "Berthed", "anchored": "Anchored", "underway": "Underway", "unknown": "Unknown"}
TOP_N = 10


@dataclass
class Page:
    save_as: str
    url: str
    template: str
    context: dict


def headline_sentence(head: dict) -> str:
    return (f"In the last three years organised maritime criminals were active in {head['countries']:,} countries. "
            f"{head['criminals']:,} criminals have been identified successfully boarding {head['ships_boarded']:,} ships, "
            f"impacting an estimated {head['crew']:,} crew.")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _human_day(day: date) -> str:
    """'8 July 2019', the site's one human date format (theme_support.dates.human_date; plugins do not
    import each other, and tests/test_dates_sitewide.py holds every page to it)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def incident_row(r: dict, site_url: str = "") -> dict:
    """Public fields of one public record, escaped, for the list and tables; ``html`` is the <tr>
    (built here once per record, because the list of 100,000 incidents must render quickly)."""
    row = {
        "id": escape(r["id"]),
        "date": r["date"].isoformat(),
        "year": r["date"].year,
        "region": r["region"],
        "region_label": REGION_LABELS[r["region"]],
        "country": r["country_iso3"],
        "country_name": escape(name_of(r["country_iso3"])) if r["country_iso3"] else "",
        "location": escape(r["location_text"] or r["port"]),
        "attack_type": r["attack_type"],
        "attack_label": ATTACK_LABELS[r["attack_type"]],
        "status": STATUS_LABELS[r["vessel_status"]],
        "vessel_type": r["vessel_type"].replace("_", " "),
        "in_scope": r["in_scope"],
        "source": escape(r["source"]),
        "narrative": escape(r["narrative"]),
    }
    country = (f'<a href="{site_url}/statistics/countries/{row["country"].lower()}/">{row["country_name"]}</a>'
               if row["country"] else "")
    scope = "" if row["in_scope"] else " (out of scope)"
    row["html"] = Markup(
        f'<tr data-year="{row["year"]}" data-region="{row["region"]}" data-type="{row["attack_type"]}">'
        f'<td><time datetime="{row["date"]}">{_human_day(r["date"])}</time></td><td><a href="{site_url}/statistics/regions/{row["region"]}/">{row["region_label"]}</a></td>'
        f'<td>{country}</td><td>{row["location"]}</td><td>{row["attack_label"]}{scope}</td><td>{row["status"]}</td>'
        f'<td>{row["vessel_type"]}</td><td>{row["source"]}</td><td class="narrative">{row["narrative"]}</td></tr>'
    )
    return row


def _table_by(records, field, labels=None) -> list[tuple[str, int]]:
    counts = Counter(r[field] for r in records if r["in_scope"] and r[field])
    return [((labels or {}).get(k, k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _year_type_chart(rows: list[dict], chart_id: str, title: str) -> str:
    by_year = {str(row["year"]): row for row in rows}
    if not by_year:
        return ""
    description = "Stacked bars of in-scope incidents per year by attack type; the same figures are in the table below."
    return charts.to_svg(charts.by_year_spec(by_year, title), title, description, chart_id)


def incidents_near_ports(records: list[dict], ports: PortIndex, radius_nm: float = PORT_RADIUS_NM) -> dict[str, list[dict]]:
    """{port slug: incidents within radius}: records bucketed by whole degree, searched per port."""
    import math

    from .positions import distance_nm

    cells: dict[tuple[int, int], list[dict]] = {}
    for r in records:
        cells.setdefault((math.floor(r["lat"]), math.floor(r["lon"])), []).append(r)
    near: dict[str, list[dict]] = {}
    dlat = math.ceil(radius_nm / 60) + 1
    for port in ports.ports:
        dlon = min(180, math.ceil(radius_nm / 60 / max(math.cos(math.radians(min(abs(port.lat), 89))), 0.01)) + 1)
        cy, cx = math.floor(port.lat), math.floor(port.lon)
        found = [
            r
            for y in range(cy - dlat, cy + dlat + 1)
            for x in range(cx - dlon, cx + dlon + 1)
            for r in cells.get((y, ((x + 180) % 360) - 180), ())
            if distance_nm(port.lat, port.lon, r["lat"], r["lon"]) <= radius_nm
        ]
        if found:
            near[port.slug] = found
    return near


def build_pages(records: list[dict], summary: dict, ports: PortIndex | None, build_now: date,
                articles_by_region: dict[str, list] | None = None, site_url: str = "") -> list[Page]:
    """Every statistics page: (save_as, url, template, context)."""
    articles_by_region = articles_by_region or {}
    as_of = date.fromisoformat(summary["as_of"]) if summary["as_of"] else None
    head = summary["headline"]
    window_start = date.fromisoformat(head["window_start"]) if head["window_start"] else None
    public = sorted(public_records(records), key=lambda r: (r["date"], r["id"]), reverse=True)
    # each public record's table row is built once and shared by every page that lists it
    row_of = {id(r): incident_row(r, site_url) for r in public}
    public_by_region = aggregate.group_by(public, "region")
    public_by_country = aggregate.group_by(public, "country_iso3")
    in_scope = [r for r in records if r["in_scope"]]
    sample = any(r["source"] == "sample" for r in records)
    common = {
        "stats_summary": summary,
        "stats_as_of": summary["as_of"],
        "stats_updated": build_now.isoformat(),
        "stats_sample": sample,
        "region_labels": REGION_LABELS,
        "attack_labels": ATTACK_LABELS,
        "status_labels": STATUS_LABELS,
        "attack_types": ATTACK_TYPES,
        "legend": maps.legend_items(),
        "total_records": len(records),
        "public_count": len(public),
        "in_scope_count": len(in_scope),
    }
    pages: list[Page] = []

    def add(path: str, template: str, **context):
        pages.append(Page(f"{path}index.html", path, template, {**common, **context}))

    year_rows = aggregate.year_type_table(records)
    by_region_rows = [(region, REGION_LABELS[region], summary["by_region"][region]) for region in sorted(SITE_REGIONS)]
    region_totals = {REGION_LABELS[k]: sum(v.values()) for k, v in summary["by_region"].items()}
    status_counts = {STATUS_LABELS[k]: v for k, v in summary["by_vessel_status"].items()}
    add(
        "statistics/", "statistics/index.html",
        headline=headline_sentence(head), head=head,
        crew_estimates=CREW_ESTIMATE_BY_VESSEL_TYPE,
        year_rows=year_rows,
        years=list(summary["by_year"]),
        by_region_rows=by_region_rows,
        status_rows=list(status_counts.items()),
        year_chart=_year_type_chart(year_rows, "chart-years", "In-scope incidents per year, by attack type"),
        region_chart=charts.to_svg(charts.bars_spec(region_totals, "In-scope incidents by region, all years", "Region"),
                                   "In-scope incidents by region, all years",
                                   "Bars of in-scope incidents per region; the figures are in the table below.", "chart-regions") if records else "",
        status_chart=charts.to_svg(charts.bars_spec(status_counts, "Vessel status when attacked", "Vessel status", "#5b6b7b"),
                                   "Vessel status when attacked",
                                   "Bars of in-scope incidents by vessel status; the figures are in the table below.", "chart-status") if records else "",
        world_map=maps.map_svg(public, "map-home", "Public incidents on a world map",
                               "Each dot is one or more public incidents, coloured by attack type."),
    )

    add("statistics/incidents/", "statistics/incidents.html",
        rows=[row_of[id(r)] for r in public],
        years=sorted({r["date"].year for r in public}, reverse=True),
        regions=[(r, REGION_LABELS[r]) for r in SITE_REGIONS])

    country_counts = summary["by_country"]
    add("statistics/map/", "statistics/map.html",
        points_map=maps.map_svg(public, "map-points", "Map of public incidents by attack type",
                                "Each dot is one or more public incidents; colour shows the attack type. The list of incidents has the same records as a table."),
        choropleth=maps.map_svg([], "map-countries", "Map of in-scope incidents by country",
                                "Countries shaded by their number of in-scope incidents, all years; the table lists the figures.",
                                country_counts=country_counts),
        choropleth_legend=maps.choropleth_legend(country_counts),
        attack_colours_json=json.dumps(charts.ATTACK_COLOURS, sort_keys=True),
        attack_labels_json=json.dumps(ATTACK_LABELS, sort_keys=True),
        country_rows=[(code, escape(name_of(code)), n) for code, n in sorted(country_counts.items(), key=lambda kv: (-kv[1], kv[0]))])

    # regions
    for region in SITE_REGIONS:
        here = [r for r in records if r["region"] == region]
        rows = aggregate.year_type_table(here)
        add(f"statistics/regions/{region}/", "statistics/region.html",
            region=region, region_label=REGION_LABELS[region],
            trend=aggregate.trend(here, as_of),
            year_rows=rows,
            year_chart=_year_type_chart(rows, f"chart-{region}", f"{REGION_LABELS[region]}: in-scope incidents per year"),
            top_countries=[(code, escape(name_of(code)), n) for code, n in _table_by(here, "country_iso3")[:TOP_N]],
            top_ports=[(escape(name), n) for name, n in _table_by(here, "port")[:TOP_N]],
            region_map=maps.map_svg(public_by_region.get(region, []), f"map-{region}",
                                    f"Map of public incidents in {REGION_LABELS[region]}",
                                    "Each dot is one or more public incidents, coloured by attack type.", region=region),
            articles=articles_by_region.get(region, []),
            recent=[row_of[id(r)] for r in public_by_region.get(region, [])[:TOP_N]])

    # countries
    by_country = aggregate.group_by(records, "country_iso3")
    country_list = []
    for code, here in sorted(by_country.items()):
        name = escape(name_of(code))
        in_scope_here = sum(1 for r in here if r["in_scope"])
        country_list.append((code, name, in_scope_here))
        add(f"statistics/countries/{code.lower()}/", "statistics/country.html",
            code=code, name=name, count=in_scope_here,
            regions=sorted({r["region"] for r in here}),
            trend=aggregate.trend(here, as_of),
            year_rows=aggregate.year_type_table(here),
            top_ports=[(escape(n), c) for n, c in _table_by(here, "port")[:TOP_N]],
            status_rows=_table_by(here, "vessel_status", STATUS_LABELS),
            recent=[row_of[id(r)] for r in public_by_country.get(code, [])[:TOP_N]])
    add("statistics/countries/", "statistics/countries.html", countries=country_list)

    # ports: every port of the list with at least one incident within 20 nm
    port_list = []
    if ports is not None:
        near = incidents_near_ports(records, ports)
        for slug, here in sorted(near.items()):
            port = ports.by_slug[slug]
            level = risk_level(here, as_of, window_start)
            name = escape(port.name)
            port_list.append((slug, name, port.country_iso3, sum(1 for r in here if r["in_scope"]), level))
            add(f"statistics/ports/{slug}/", "statistics/port.html",
                port=port, name=name, country_name=escape(name_of(port.country_iso3)) if port.country_iso3 else "",
                risk=level, risk_rule=RISK_RULE, radius=PORT_RADIUS_NM,
                year_rows=aggregate.year_type_table(here),
                status_rows=_table_by(here, "vessel_status", STATUS_LABELS),
                recent=[row_of[id(r)] for r in sorted((r for r in here if r["public"]), key=lambda r: (r["date"], r["id"]), reverse=True)[:TOP_N]])
    add("statistics/ports/", "statistics/ports.html", ports=port_list, risk_rule=RISK_RULE, radius=PORT_RADIUS_NM,
        has_port_list=ports is not None)
    return pages
