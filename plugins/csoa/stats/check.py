"""Where a site's incident table is, and its summary without a Pelican run (`invoke stats-check`
itself is csoa.apps.check_incidents)."""

from __future__ import annotations

from pathlib import Path

from csoa.model.regions import site_regions


def incidents_path(settings: dict) -> Path:
    value = settings.get("INCIDENTS_FILE")
    return Path(value) if value else Path(settings["PATH"]) / "data" / "incidents.csv"


def summary_for_settings(settings: dict) -> dict:
    """The summary.json dict for a site's settings, without a Pelican run (for other plugins' tools,
    e.g. a newsletter preview). Raises IncidentDataError on a bad table."""
    from csoa.model.incidents import load_incidents
    from csoa.stats.aggregate import summary

    path, regions = incidents_path(settings), site_regions(settings)
    records = load_incidents(path, settings["BUILD_NOW"].date(), regions) if path.exists() else []
    return summary(records, regions.keys)
