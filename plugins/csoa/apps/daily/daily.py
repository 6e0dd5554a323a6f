"""`invoke daily`: stats-update, a production build, linkcheck, publish; one report; stop at the first failure.

Why it is safe to run twice and to kill at any point:
* stats-update replaces the incident table atomically, and a run with nothing new changes nothing;
* the build is staged and swapped in only when it succeeded (csoa.engine.build);
* the bucket's lock is taken before the build and held to the end of the sync (csoa.publishing.bucket_lock),
  so the daily run and an editor's publish never overlap; a killed run's lock lapses with its lease;
* the sync uploads only what differs, assets before pages, deletions last: a rerun finishes the work.
Nothing is uploaded before the build and the link check passed, so a failure leaves the live site as it was.
The state kept between runs (``var/daily/state.json``: the last successful run's "now") only tells which
events moved from upcoming to past since then.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from csoa.apps.daily.report import DailyReport
from csoa.apps.daily.upcoming import events_ended_between

STATE_FILE = "state.json"
REPORT_FILE = "daily-report.txt"


def _previous_now(state_dir: Path, now: datetime) -> datetime:
    try:
        return datetime.fromisoformat(json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))["now"])
    except (OSError, ValueError, KeyError):
        return now - timedelta(days=1)  # the first run: what ended in the last day


def _save_state(state_dir: Path, now: datetime) -> None:
    scratch = state_dir / f".{STATE_FILE}.tmp"
    scratch.write_text(json.dumps({"now": now.isoformat()}) + "\n", encoding="utf-8")
    os.replace(scratch, state_dir / STATE_FILE)


def _stats_update(settings: dict, report: DailyReport, report_dir: Path) -> bool:
    from csoa.model.incidents import IncidentDataError
    from csoa.model.regions import site_regions
    from csoa.stats.check import incidents_path
    from csoa.stats.nga_msi import FetchError
    from csoa.stats.ports import ports_path
    from csoa.stats.update import base_url, stats_update

    ports = ports_path(settings)
    try:
        result = stats_update(incidents_path(settings), settings["BUILD_NOW"].date(), base_url(settings),
                              report_dir, site_regions(settings), ports_file=ports if ports.exists() else None)
    except (FetchError, IncidentDataError, ValueError, OSError) as failure:
        report.fail("stats-update", str(failure))
        return False
    report.new_incidents, report.updated_incidents = result.report.new, result.report.updated
    report.ok("stats-update", f"{result.fetched} record(s) fetched, {result.report.new} new, "
                              f"{result.report.updated} updated, {len(result.report.rejected)} rejected")
    return True


def _build_check_publish(settings_file: Path, overrides: dict, settings: dict, report: DailyReport, console) -> None:
    from csoa.apps.publish import Target, aws_clients, sync_output
    from csoa.engine.build import BuildFailed, build_site
    from csoa.linkcheck import check_site, format_report
    from csoa.publishing.bucket_lock import BucketLock, BucketLocked
    from csoa.publishing.minify import minify_tree
    from csoa.publishing.s3sync import PublishError

    target = Target.from_settings(settings)
    s3, cloudfront = aws_clients()
    try:
        lock = BucketLock(s3, target.bucket, target.prefix).acquire()
    except BucketLocked as failure:
        report.fail("publish", f"nothing built or uploaded: {failure}")
        return
    try:
        try:
            output = build_site(settings_file, overrides)
        except BuildFailed as failure:
            report.fail("build", str(failure))
            return
        report.ok("build", f"{output}")
        broken = check_site(output, [settings.get("SITEURL", ""), settings["PUBLIC_SITEURL"]])
        if broken:
            report.fail("linkcheck", format_report(broken))
            return
        report.ok("linkcheck", "no broken internal links")
        minify_tree(output)
        try:
            synced = sync_output(output, target, s3=s3, cloudfront=cloudfront, console=console,
                                 max_delete_share=float(settings.get("PUBLISH_MAX_DELETE_SHARE", 0.2)))
        except (PublishError, ValueError) as failure:
            report.fail("publish", str(failure))
            return
        report.uploaded, report.deleted = list(synced.uploaded), list(synced.deleted)
        report.invalidated, report.invalidation_id = list(synced.invalidated), synced.invalidation_id
        report.ok("publish", f"{len(synced.uploaded)} uploaded, {len(synced.deleted)} deleted")
    finally:
        lock.release()


def run_daily(settings_file: str | Path, overrides: dict | None = None, state_dir: str | Path = "var/daily",
              console=None) -> DailyReport:
    """One daily run; the report is also written to ``<state_dir>/daily-report.txt``."""
    from rich.console import Console

    from csoa.engine.build import load_settings

    settings_file, state_dir = Path(settings_file), Path(state_dir)
    overrides = dict(overrides or {})
    console = console or Console(stderr=True)
    settings = load_settings(settings_file, overrides)
    now = settings["BUILD_NOW"]
    since = _previous_now(state_dir, now)
    report = DailyReport(now=now.isoformat(), since=since.isoformat())
    state_dir.mkdir(parents=True, exist_ok=True)
    if _stats_update(settings, report, state_dir / "stats-update"):
        _build_check_publish(settings_file, overrides, settings, report, console)
    if not report.failed:
        report.events_now_past = events_ended_between(settings, since, now)
        _save_state(state_dir, now)
    (state_dir / REPORT_FILE).write_text(report.to_text(), encoding="utf-8")
    return report
