"""The command behind `invoke stats-import`: settings in, a report and an exit code out.

The table, the port list and "today" are the build's: INCIDENTS_FILE, PORTS_FILE and the pinned
BUILD_NOW of the settings, so an import and the build that follows read the same files as of the same day.
"""

from __future__ import annotations

import sys
from pathlib import Path

from csoa.engine.build import load_settings
from csoa.model.regions import site_regions
from csoa.stats.check import incidents_path
from csoa.stats.importer import import_incidents
from csoa.stats.ports import ports_path


def run_stats_import(settings_file: str | Path, source: str, input_path: str | Path, mapping: str | Path | None = None,
                     table: str | Path | None = None, ports: str | Path | None = None,
                     report_dir: str | Path = "var/stats-import", overrides: dict | None = None,
                     out=sys.stdout, err=sys.stderr) -> int:
    """0 when the import went through, 1 when the input, mapping or table was bad (nothing was written)."""
    settings = load_settings(settings_file, overrides)
    ports_file = Path(ports) if ports else ports_path(settings)
    try:
        report = import_incidents(source, input_path, Path(table) if table else incidents_path(settings),
                                  settings["BUILD_NOW"].date(), regions=site_regions(settings), mapping_path=mapping,
                                  ports_file=ports_file if ports_file.exists() else None,
                                  report_dir=Path(report_dir), progress=err.isatty())
    except (ValueError, OSError) as failure:  # bad input, bad mapping, invalid table: nothing was written
        print(f"Import failed, nothing changed: {failure}", file=err)
        return 1
    print(report.to_text(), file=out)
    print(f"Report and rejected rows written to {report_dir}/", file=out)
    return 0
