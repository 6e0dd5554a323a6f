"""What each statistics page shows: plain data for the templates, computed without Pelican.

Every string that comes from the data is escaped here (markupsafe), so third-party text can never
become markup, whatever the template engine's autoescape setting.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from markupsafe import Markup, escape

from csoa.model.incident import Incident
from csoa.model.incident_table import sort_key
from csoa.model.incidents import ATTACK_TYPES, public_records
from csoa.model.positions import readable_position
from csoa.model.regions import SiteRegions
from csoa.stats import aggregate, charts, client_data, map_frame, maps, port_figures
from csoa.stats.aggregate import CREW_ESTIMATE_BY_VESSEL_TYPE
from csoa.stats.charts import ATTACK_LABELS
from csoa.stats.countries import by_name, name_of
from csoa.stats.ports import PORT_RADIUS_NM, RISK_RULE, PortIndex
from csoa.stats.wording import human_date, newest_record, partial_year, period

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


def incident_row(r: Incident, regions: SiteRegions, site_url: str = "", port_slug: str = "") -> dict:
    """Public fields of one public record, escaped, for the list and tables; ``html`` is the <tr>
    (built here once per record, because the list of 100,000 incidents must render quickly).
    ``port_slug``: the page of the record's port, which its location links to."""
    row = {
        "id": escape(r.id),
        "date": r.date.isoformat(),
        "year": r.date.year,
        "region": r.region,
        "region_label": regions.labels[r.region],
        "region_slug": regions.slugs[r.region],
        "country": r.country_iso3,
        "country_name": escape(name_of(r.country_iso3)) if r.country_iso3 else "",
        "location": escape(r.location_text or r.port),
        "attack_type": r.attack_type,
        "attack_label": ATTACK_LABELS[r.attack_type],
        "status": STATUS_LABELS[r.vessel_status],
        "vessel_type": r.vessel_type.replace("_", " "),
        "in_scope": r.in_scope,
        "source": escape(r.source),
        "narrative": escape(r.narrative),
    }
    country = (f'<a href="{site_url}/statistics/countries/{row["country"].lower()}/">{row["country_name"]}</a>'
               if row["country"] else "")
    scope = "" if row["in_scope"] else " (out of scope)"
    location = (f'<a href="{site_url}/statistics/ports/{port_slug}/">{row["location"]}</a>'
                if port_slug and row["location"] else row["location"])
    row["html"] = Markup(
        f'<tr data-year="{row["year"]}" data-region="{row["region"]}" data-type="{row["attack_type"]}">'
        f'<td><time datetime="{row["date"]}">{human_date(r.date)}</time></td><td><a href="{site_url}/statistics/regions/{row["region_slug"]}/">{row["region_label"]}</a></td>'
        f'<td>{country}</td><td>{location}</td><td>{row["attack_label"]}{scope}</td><td>{row["status"]}</td>'
        f'<td>{row["vessel_type"]}</td><td>{row["source"]}</td><td class="narrative">{row["narrative"]}</td></tr>'
    )
    return row


def _table_by(records, field, labels=None, name=None) -> list[tuple[str, int]]:
    """[(label, count)], most first; ties in the order of ``name`` (a sort key), else of the values."""
    value_of = attrgetter(field)
    counts = Counter(value for r in records if r.in_scope and (value := value_of(r)))
    tie = name or (lambda k: k)
    return [((labels or {}).get(k, k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], tie(kv[0])))]


def year_rows(records: list[Incident], partial: dict | None) -> list[Incident]:
    """The per-year table rows, the partial year marked (``partial``: "to 27 June", else "")."""
    rows = aggregate.year_type_table(records)
    for row in rows:
        row["partial"] = partial["label"] if partial and row["year"] == partial["year"] else ""
    return rows


def _year_type_chart(rows: list[Incident], chart_id: str, title: str, partial: dict | None) -> charts.PageChart | None:
    by_year = {str(row["year"]): row for row in rows}
    if not by_year:
        return None
    description = "Stacked bars of in-scope incidents per year by attack type; the same figures are in the table below."
    if partial and str(partial["year"]) in by_year:
        description += " " + partial["note"]
    return charts.page_chart(lambda layout: charts.by_year_spec(by_year, title, partial, layout=layout),
                             description, chart_id)


def _bars_chart(values: dict[str, int], title: str, axis_title: str, what: str, chart_id: str,
                colour: str = charts.BAR_BLUE) -> charts.PageChart | None:
    if not values:
        return None
    return charts.page_chart(lambda layout: charts.bars_spec(values, title, axis_title, colour, layout),
                             f"Bars of in-scope incidents {what}; the figures are in the table below.", chart_id)


@dataclass
class _Shared:
    """What every page builder needs: the records, their rows, the window, the port figures."""
    records: list[Incident]
    public: list[Incident]
    row_of: dict
    as_of: date | None
    window_start: date | None
    partial: dict | None
    ports: dict[str, port_figures.PortFigure]
    near: dict[str, list[Incident]]
    articles_by_region: dict[str, list]
    regions: SiteRegions

    def recent(self, records: list[Incident]) -> list[Incident]:
        return [self.row_of[id(r)] for r in records[:TOP_N]]


def _port_rows(figures) -> list[tuple]:
    return [(f.slug, escape(f.name), f.count) for f in port_figures.ranked(figures, TOP_N)]


def build_pages(records: list[Incident], summary: dict, ports: PortIndex | None, build_now: date, regions: SiteRegions,
                articles_by_region: dict[str, list] | None = None, site_url: str = "") -> list[Page]:
    """Every statistics page: (save_as, url, template, context)."""
    as_of = date.fromisoformat(summary["as_of"]) if summary["as_of"] else None
    head = summary["headline"]
    window_start = date.fromisoformat(head["window_start"]) if head["window_start"] else None
    public = sorted(public_records(records), key=sort_key, reverse=True)
    near = port_figures.incidents_near_ports(records, ports) if ports is not None else {}
    figures = port_figures.port_figures(near, ports, as_of, window_start, regions.polygons) if ports else {}
    port_of = port_figures.port_page_of(near, ports, figures) if ports else {}
    shared = _Shared(records, public, {id(r): incident_row(r, regions, site_url, port_of.get(id(r), "")) for r in public},
                     as_of, window_start, partial_year(as_of), figures, near, articles_by_region or {}, regions)
    common = {
        "stats_summary": summary,
        "stats_as_of": summary["as_of"],
        "stats_newest": newest_record(as_of, build_now),
        "stats_window": period(window_start, as_of) if as_of and window_start else "",
        "stats_window_first": human_date(window_start) if window_start else "",
        "stats_window_last": human_date(as_of) if as_of else "",
        "stats_partial": shared.partial,
        "stats_sample": aggregate.is_sample(records),
        "region_labels": regions.labels,
        "region_slugs": regions.slugs,
        "attack_labels": ATTACK_LABELS,
        "status_labels": STATUS_LABELS,
        "attack_types": ATTACK_TYPES,
        "legend": maps.legend_items(),
        "dot_sizes": maps.dot_size_legend(),
        "total_records": len(records),
        "public_count": len(public),
        "in_scope_count": sum(1 for r in records if r.in_scope),
        "port_radius": int(PORT_RADIUS_NM),
    }
    pages: list[Page] = []

    def add(path: str, template: str, **context):
        pages.append(Page(f"{path}index.html", path, template, {**common, **context}))

    _overview_pages(add, shared, summary)
    _region_pages(add, shared)
    _country_pages(add, shared)
    _port_pages(add, shared, has_port_list=ports is not None)
    return pages


def _overview_pages(add, shared: _Shared, summary: dict) -> None:
    head, public, partial = summary["headline"], shared.public, shared.partial
    rows = year_rows(shared.records, partial)
    region_totals = {shared.regions.labels[k]: sum(v.values()) for k, v in summary["by_region"].items()}
    status_counts = {STATUS_LABELS[k]: v for k, v in summary["by_vessel_status"].items()}
    to = f" (to {human_date(shared.as_of)})" if shared.as_of else ""
    add(
        "statistics/", "statistics/index.html",
        headline=headline_sentence(head), head=head,
        crew_estimates=CREW_ESTIMATE_BY_VESSEL_TYPE,
        year_rows=rows,
        years=[(y, partial["label"] if partial and int(y) == partial["year"] else "") for y in summary["by_year"]],
        by_region_rows=[(shared.regions.slugs[region], shared.regions.labels[region], summary["by_region"][region])
                        for region in sorted(shared.regions.keys)],
        status_rows=list(status_counts.items()),
        year_chart=charts.headline_page_chart(summary, "chart-years"),
        region_chart=_bars_chart(region_totals, f"In-scope incidents by region, all years{to}", "Region", "per region",
                                 "chart-regions") if shared.records else None,
        status_chart=_bars_chart(status_counts, f"Vessel status when attacked, all years{to}", "Vessel status",
                                 "by vessel status", "chart-status", charts.BAR_GREY) if shared.records else None,
        world_map=maps.map_svg(public, "map-home", "Public incidents on a world map",
                               "Each dot is one or more public incidents, coloured by attack type."),
    )
    filters = {"years": sorted({r.date.year for r in public}), "regions": list(shared.regions.labels.items()),
               "out_of_scope": sum(1 for r in public if not r.in_scope)}
    add("statistics/incidents/", "statistics/incidents.html", **filters,
        rows=[client_data.list_row(r, shared.regions) for r in public[:client_data.PAGE_SIZE]],
        page_size=client_data.PAGE_SIZE, page_count=max(1, -(-len(public) // client_data.PAGE_SIZE)))
    country_counts = summary["by_country"]
    add("statistics/map/", "statistics/map.html", **filters,
        points_map=maps.map_svg(public, "map-points", "Map of public incidents by attack type",
                                "Each dot is one or more public incidents; colour shows the attack type. The list of incidents has the same records as a table."),
        choropleth=maps.map_svg([], "map-countries", "Map of in-scope incidents by country",
                                "Countries shaded by their number of in-scope incidents, all years; the table lists the figures.",
                                country_counts=country_counts),
        choropleth_legend=maps.choropleth_legend(country_counts),
        attack_colours_json=json.dumps(charts.ATTACK_COLOURS, sort_keys=True),
        attack_labels_json=json.dumps(ATTACK_LABELS, sort_keys=True),
        country_rows=[(code, escape(name_of(code)), n)
                      for code, n in sorted(country_counts.items(), key=lambda kv: (-kv[1], by_name(kv[0])))])


def _region_pages(add, shared: _Shared) -> None:
    public_by_region = aggregate.group_by(shared.public, "region")
    summaries = []  # the index of the regional crime summaries, one line per region
    for region, label in shared.regions.labels.items():
        here = [r for r in shared.records if r.region == region]
        rows = year_rows(here, shared.partial)
        slug = shared.regions.slugs[region]
        trend = aggregate.trend(here, shared.as_of)
        summaries.append({"key": region, "label": label, "slug": slug, "total": sum(row["total"] for row in rows),
                          "trend": trend})
        add(f"statistics/regions/{slug}/", "statistics/region.html",
            region=region, region_label=label, region_slug=slug,
            region_filing=region in shared.regions.filing,  # has a /regions/ page to link back to
            trend=trend,
            year_rows=rows,
            year_chart=_year_type_chart(rows, f"chart-{region}", f"{label}: in-scope incidents per year", shared.partial),
            top_countries=[(code, escape(name_of(code)), n) for code, n in _table_by(here, "country_iso3", name=by_name)[:TOP_N]],
            top_ports=_port_rows(f for f in shared.ports.values() if f.region == region),
            **_region_map(public_by_region.get(region, []), region, label, shared.regions.polygons),
            articles=shared.articles_by_region.get(region, []),
            recent=shared.recent(public_by_region.get(region, [])))
    add("statistics/regions/", "statistics/regions.html", region_summaries=summaries)


def moved_region_pages(regions: SiteRegions) -> dict[str, str]:
    """{old path: new path} for the statistics region pages' former URLs (gulf_of_aden)."""
    return {f"statistics/regions/{old}/": f"statistics/regions/{regions.slugs[key]}/"
            for key, olds in regions.former_slugs.items() for old in olds}


def _country_pages(add, shared: _Shared) -> None:
    public_by_country = aggregate.group_by(shared.public, "country_iso3")
    country_list = []
    for code, here in sorted(aggregate.group_by(shared.records, "country_iso3").items(), key=lambda kv: by_name(kv[0])):
        name = escape(name_of(code))
        in_scope_here = sum(1 for r in here if r.in_scope)
        country_list.append((code, name, in_scope_here))
        add(f"statistics/countries/{code.lower()}/", "statistics/country.html",
            code=code, name=name, count=in_scope_here,
            regions=sorted({r.region for r in here}),
            trend=aggregate.trend(here, shared.as_of),
            year_rows=year_rows(here, shared.partial),
            top_ports=_port_rows(f for f in shared.ports.values() if f.country_iso3 == code),
            status_rows=_table_by(here, "vessel_status", STATUS_LABELS),
            recent=shared.recent(public_by_country.get(code, [])))
    add("statistics/countries/", "statistics/countries.html", countries=country_list)


def _port_pages(add, shared: _Shared, has_port_list: bool) -> None:
    """Every port of the list with at least one incident within the radius, any year, has a page."""
    port_list = []
    for slug, figure in shared.ports.items():
        here = shared.near[slug]
        name = escape(figure.name)
        port_list.append((slug, name, figure.country_iso3, figure.count, figure.risk))
        newest_public = sorted((r for r in here if r.public), key=sort_key, reverse=True)
        add(f"statistics/ports/{slug}/", "statistics/port.html",
            port=figure, name=name, count=figure.count, position=readable_position(figure.lat, figure.lon),
            port_map=_port_map(figure, name, newest_public),
            country_name=escape(name_of(figure.country_iso3)) if figure.country_iso3 else "",
            risk=figure.risk, risk_rule=RISK_RULE,
            year_rows=year_rows(here, shared.partial),
            status_rows=_table_by(here, "vessel_status", STATUS_LABELS),
            recent=shared.recent(newest_public))
    add("statistics/ports/", "statistics/ports.html", ports=port_list, risk_rule=RISK_RULE,
        has_port_list=has_port_list)


def _port_map(figure, name: str, public_near: list[Incident]):
    frame = maps.port_frame(figure.lat, figure.lon, public_near, PORT_RADIUS_NM)
    return maps.map_svg(public_near, f"map-port-{figure.slug}", f"Map of {name} and the public incidents near it",
                        f"The port (a square), the circle of {int(PORT_RADIUS_NM)} nautical miles its incidents are "
                        "counted in (dashed) and each public incident in it as a dot coloured by attack type, all years.",
                        frame=frame, port=(figure.lat, figure.lon), radius_nm=PORT_RADIUS_NM)


def _region_map(public_here: list[Incident], region: str, label: str, polygons) -> dict:
    """The region's map, framed on its incidents, and how many far-off ones that frame leaves out."""
    frame = maps.region_frame(public_here, region, polygons)
    left_out = map_frame.outside(frame, [(r.lon, r.lat) for r in public_here])
    note = f" {left_out} incidents far from the rest lie outside this map; the world map shows them." if left_out else ""
    svg = maps.map_svg(public_here, f"map-{region}", f"Map of public incidents in {label}",
                       "Each dot is one or more public incidents, coloured by attack type." + note, frame=frame)
    return {"region_map": svg, "region_map_left_out": left_out}
