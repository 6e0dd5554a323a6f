"""The commands behind `invoke check` and `invoke linkcheck`: a settings file in, a report and an exit code out."""

from __future__ import annotations

from pathlib import Path

from csoa.apps.check_content import run_check
from csoa.apps.check_incidents import run_incidents_check
from csoa.apps.check_newsletter import run_sent_check
from csoa.engine.build import load_settings
from csoa.linkcheck import run_linkcheck


def run_all_checks(settings_file: str | Path) -> int:
    """The content, the incident table and the sent issues, each reporting every problem: 1 on any error."""
    return max(run_check(settings_file), run_incidents_check(settings_file), run_sent_check(settings_file))


def run_site_linkcheck(settings_file: str | Path, output: str | Path | None = None) -> int:
    """Every internal link of the built site (default: the settings' OUTPUT_PATH) resolves: 1 if not."""
    settings = load_settings(settings_file)
    root = Path(output) if output else Path(settings_file).resolve().parent / settings["OUTPUT_PATH"]
    return run_linkcheck(root, [settings.get("SITEURL", ""), settings["PUBLIC_SITEURL"]])

