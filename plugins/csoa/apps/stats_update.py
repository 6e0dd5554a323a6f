"""The command behind `invoke stats-update`: settings in, a report and an exit code out."""

from __future__ import annotations

import sys
from pathlib import Path

from csoa.model.incidents import IncidentDataError
from csoa.model.regions import site_regions
from csoa.stats.check import incidents_path
from csoa.stats.nga_msi import FetchError
from csoa.stats.ports import ports_path
from csoa.stats.update import base_url, describe, stats_update


def run_stats_update(settings_file: str | Path, table: str | Path | None = None, overlap_days: int = 30,
                     report_dir: str | Path = "var/stats-import", overrides: dict | None = None,
                     out=sys.stdout, err=sys.stderr) -> int:
    """0 when the update went through (new records or none), 1 when nothing could be fetched or imported."""
    from csoa.engine.build import load_settings

    settings = load_settings(settings_file, overrides)
    table_path = Path(table) if table else incidents_path(settings)
    ports = ports_path(settings)
    try:
        result = stats_update(table_path, settings["BUILD_NOW"].date(), base_url(settings), report_dir,
                              site_regions(settings),
                              ports_file=ports if ports.exists() else None, overlap_days=overlap_days,
                              log=lambda line: print(line, file=err))
    except (FetchError, IncidentDataError, ValueError, OSError) as failure:
        print(f"stats-update failed, the table was left unchanged: {failure}", file=err)
        return 1
    print(describe(result), file=out)
    return 0
