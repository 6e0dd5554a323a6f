"""`invoke check` / `invoke stats-check`: validate the incident table with the project's settings."""

from __future__ import annotations

import sys
from pathlib import Path

from csoa.engine.build import load_settings
from csoa.model.incidents import read_incidents
from csoa.model.regions import site_regions
from csoa.stats.check import incidents_path


def run_incidents_check(settings_file: str | Path, overrides: dict | None = None, out=sys.stdout, err=sys.stderr) -> int:
    """Print every bad row (row number, field, value, expected); return 1 when there are errors."""
    settings = load_settings(settings_file, overrides)
    path = incidents_path(settings)
    if not path.exists():
        print(f"{path}: no incident table (the statistics pages will be empty)", file=out)
        return 0
    records, errors = read_incidents(path, settings["BUILD_NOW"].date(), site_regions(settings))
    for error in errors:
        print(f"error: {error}", file=err)
    if errors:
        print(f"{len(errors)} error(s) in {path}", file=err)
        return 1
    print(f"{path}: {len(records)} incidents, no errors", file=out)
    return 0
