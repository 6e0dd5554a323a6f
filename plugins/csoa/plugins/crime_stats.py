"""Pelican glue: read and validate the incident table, publish summary.json into the context, write
the statistics pages and downloads. The work itself is done by the plain modules beside it."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
from datetime import date
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from csoa.model.incident import Incident
from csoa.model.incidents import ATTACK_TYPES, load_incidents
from csoa.model.regions import site_regions
from csoa.stats import aggregate, charts, client_data, downloads, pages, wording
from csoa.stats.check import incidents_path
from csoa.stats.ports import PortIndex, load_ports, ports_path


@contextlib.contextmanager
def _no_cyclic_gc():
    """100,000 records are a million small objects and no cycles: the cyclic collector would rescan
    them over and over while they are built, so it waits until they are."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dated_words(summary: dict, today) -> dict:
    """The home page's crime box says its window and the age of the newest record in words."""
    head, as_of = summary["headline"], summary["as_of"]
    if not as_of:
        return {"statistics_window": None, "statistics_newest": None}
    first, last = date.fromisoformat(head["window_start"]), date.fromisoformat(as_of)
    return {"statistics_window": {"first": wording.human_date(first), "last": wording.human_date(last)},
            "statistics_newest": wording.newest_record(last, today)}


def _home_chart(records: list[Incident], summary: dict) -> dict:
    """The home page's box: the headline chart and its figures as a table."""
    as_of = summary["as_of"]
    rows = pages.year_rows(records, wording.partial_year(date.fromisoformat(as_of)) if as_of else None)
    return {"statistics_headline_chart": charts.headline_page_chart(summary, "chart-home"),
            "statistics_headline_table": {"rows": rows, "attack_types": ATTACK_TYPES, "attack_labels": charts.ATTACK_LABELS}}


class StatisticsGenerator(Generator):
    """Statistics pages from `content/data/incidents.csv` (setting INCIDENTS_FILE) and a port list
    (setting PORTS_FILE, default `content/data/ports.csv` when present)."""

    def generate_context(self):
        self.incidents_file = incidents_path(self.settings)
        self.regions = site_regions(self.settings)
        self.regions.check_polygons()  # the build fails when the table and the polygons disagree
        self.ports_file = ports_path(self.settings)
        today = self.settings["BUILD_NOW"].date()
        with _no_cyclic_gc():
            self.records = load_incidents(self.incidents_file, today, self.regions) if self.incidents_file.exists() else []
        self.ports = PortIndex(load_ports(self.ports_file)) if self.ports_file.exists() else None
        self.summary = aggregate.summary(self.records, self.regions.keys)
        # the one headline chart, for other plugins (the newsletter's email) without importing this one
        self.context["statistics_headline_chart_png"] = charts.headline_chart_png
        self.context["statistics_headline_chart_alt"] = charts.headline_chart_description
        if self.incidents_file.exists():  # without data there are no figures for other plugins to show
            self.context["statistics_summary"] = self.summary
            self.context["statistics_headline"] = pages.headline_sentence(self.summary["headline"])
            self.context.update(_home_chart(self.records, self.summary))
            self.context["statistics_as_of"] = SummaryAsOf(self.records, self.regions.keys, self.incidents_file, today)
            self.context.update(_dated_words(self.summary, today))
        # the raw table holds non-public records and confidential fields: never copy it as a static file
        readme = self.incidents_file.with_name("README.md")  # notes for editors, not for the web
        for path in (self.incidents_file, self.ports_file, readme):
            try:
                rel = Path(os.path.relpath(path, self.path)).as_posix()
            except ValueError:
                continue
            if not rel.startswith(".."):
                self.context["generated_content"][rel] = None

    def _articles_by_region(self) -> dict[str, list]:
        wanted = ("intelligence", "reports")
        result: dict[str, list] = {}
        for article in self.context.get("articles", []):
            region = getattr(article, "region", "") or article.metadata.get("region", "")
            if getattr(article, "category", None) and article.category.slug in wanted and region:
                result.setdefault(str(region).strip().lower(), []).append(article)
        return {k: sorted(v, key=lambda a: a.date, reverse=True)[:5] for k, v in result.items()}

    def generate_output(self, writer):
        if not self.incidents_file.exists():  # a site without incident data has no statistics section
            return
        build_now = self.settings["BUILD_NOW"].date()
        with _no_cyclic_gc():
            all_pages = pages.build_pages(self.records, self.summary, self.ports, build_now, self.regions,
                                          self._articles_by_region(), self.settings.get("SITEURL", ""))
        for page in all_pages:
            context = {**self.context, **page.context, "page_url": page.url}
            writer.write_file(page.save_as, self.get_template(page.template.removesuffix(".html")), context,
                              relative_urls=self.settings["RELATIVE_URLS"])
        for old, new in pages.moved_region_pages(self.regions).items():  # key-style URLs of before
            writer.write_file(f"{old}index.html", self.get_template("moved"), self.context, moved_to=new)
        out = Path(self.output_path) / "statistics"
        out.mkdir(parents=True, exist_ok=True)
        with _no_cyclic_gc():
            self._write_downloads(out)

    def _write_downloads(self, out: Path) -> None:
        (out / "summary.json").write_text(downloads.summary_text(self.summary), encoding="utf-8")
        (out / "incidents.csv").write_text(downloads.csv_text(self.records), encoding="utf-8")
        items = downloads.typed_public(self.records)
        (out / "incidents.json").write_text(downloads.json_text(self.records, items), encoding="utf-8")
        (out / "incidents.geojson").write_text(downloads.geojson_text(self.records, items), encoding="utf-8")
        # No statistics/headline-chart.png: no page linked it (the newsletter draws its own figures.png
        # through the context), so it cost a chart rendering per build for a file no reader fetched.
        self._write_client_data(out / "data")

    def _write_client_data(self, data: Path) -> None:
        """What the incident list and the interactive map load (client_data.py), beside the downloads."""
        rows = client_data.newest_first(self.records)
        sample = aggregate.is_sample(self.records)
        index = client_data.index_document(rows, self.regions, sample, wording.SAMPLE_NOTICE if sample else None)
        (data / "narratives").mkdir(parents=True, exist_ok=True)
        (data / "incidents-index.json").write_text(client_data.to_json(index), encoding="utf-8")
        for number, block in enumerate(client_data.narrative_blocks(rows)):
            (data / "narratives" / client_data.block_name(number)).write_text(client_data.to_json(block), encoding="utf-8")
        for resolution in ("110m", "50m"):
            (data / f"countries-{resolution}.json").write_text(client_data.countries_text(resolution), encoding="utf-8")


class SummaryAsOf:
    """``statistics_as_of(day)`` for other plugins: the figures as they stood on ``day``.

    Its repr names the table's content, not a memory address: the dev loop fingerprints the whole
    template context, and a value whose repr changes from build to build (a functools.partial's
    does) made it re-render every page of a site with incident data after any edit."""

    def __init__(self, records: list, regions, table: Path, today: date):
        self._summary_as_of = functools.partial(aggregate.summary_as_of, records, regions=regions)
        digest = hashlib.blake2b(table.read_bytes(), digest_size=16).hexdigest()
        self._name = f"statistics_as_of(table {digest}, today {today}, regions {','.join(regions)})"

    def __call__(self, day: date) -> dict:
        return self._summary_as_of(day)

    def __repr__(self) -> str:
        return self._name


def get_generators(pelican):
    return StatisticsGenerator


def register():
    signals.get_generators.connect(get_generators)
