"""Invoke tasks. Each task only parses its arguments and calls a function that does the work."""

import shlex
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent

DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


@task(help={"output": "output directory (default: OUTPUT_PATH of the settings)"})
def build(c, output=None):
    """Build the site with the development settings (pelicanconf.py)."""
    from csoa.apps.build import run_build_command

    sys.exit(run_build_command(DEV_SETTINGS, output))


@task
def rebuild(c):
    """Clean build: remove the content cache, then build."""
    from csoa.apps.build import run_build_command

    sys.exit(run_build_command(DEV_SETTINGS, clean_cache=True))


@task
def preview(c):
    """Build with the production settings (publishconf.py)."""
    from csoa.apps.build import run_build_command

    sys.exit(run_build_command(PUBLISH_SETTINGS))


@task(help={"port": "port to serve on (default 8000)"})
def serve(c, port=8000):
    """Serve output/ on http://127.0.0.1:PORT/."""
    c.run(f"{shlex.quote(sys.executable)} -m http.server {int(port)} --bind 127.0.0.1 --directory output", pty=False)


@task(help={"port": "port to serve on (default 8000)"})
def reserve(c, port=8000):
    """Build, then serve."""
    from csoa.apps.build import run_build_command

    if run_build_command(DEV_SETTINGS):
        sys.exit(1)
    serve(c, port)


@task(help={"sizes": "comma-separated corpus sizes (default 1000,2000,5000)", "large": "also N=10000,20000 (fewer rounds)",
            "repeats": "runs per measurement (median)", "baseline": "also time our build with fastbuild off",
            "areas": "also run the areas' benchmarks first (--no-areas skips them)"})
def bench(c, sizes="1000,2000,5000", large=False, repeats=5, baseline=False, areas=True):
    """Side-by-side build benchmark (ours, vanilla Pelican, Hugo) and the areas' benchmarks."""
    import subprocess

    args = ["--sizes", *sizes.split(","), "--repeats", str(repeats)] + (["--large"] if large else [])
    args += (["--baseline"] if baseline else []) + ([] if areas else ["--no-areas"])
    sys.exit(subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), *args], cwd=ROOT).returncode)


@task(help={"settings": "settings file (default pelicanconf.py)"})
def check(c, settings=None):
    """Validate all content against the content model without writing output; exit 1 on errors."""
    from csoa.apps.check import run_all_checks

    sys.exit(run_all_checks(Path(settings) if settings else DEV_SETTINGS))


# --- publishing and the editor's loop -------------------------------------------------------------


@task(help={
    "dry_run": "build in a temporary folder and print the plan; output/ and the bucket are untouched",
    "force_delete": "allow deleting more than PUBLISH_MAX_DELETE_SHARE of the bucket",
    "full": "upload every file again (after changing content types or cache policy)",
    "break_lock": "take over the bucket's publish lock held by a publish known to be dead",
})
def publish(c, dry_run=False, force_delete=False, full=False, break_lock=False):
    """Build with publishconf.py, minify, sync output/ to S3 and invalidate CloudFront."""
    from csoa.apps.publish import run_publish_command

    sys.exit(run_publish_command(PUBLISH_SETTINGS, dry_run=dry_run, force_delete=force_delete, full=full,
                                 break_lock=break_lock))


@task(help={"output": "the built site to check (default: output/)"})
def linkcheck(c, output=None):
    """Check that every internal link and asset reference in the built site resolves."""
    from csoa.apps.check import run_site_linkcheck

    sys.exit(run_site_linkcheck(DEV_SETTINGS, output))


@task(help={"port": "port to serve on (default 8000)"})
def livereload(c, port=8000):
    """Serve on 127.0.0.1, rebuild on any change in content/, theme/ or plugins/, reload the browser."""
    from csoa.apps.editor_loop.server import EditorLoop

    loop = EditorLoop(DEV_SETTINGS, ROOT / "output", [ROOT / "content", ROOT / "theme"], code=[ROOT / "plugins"])
    loop.serve("127.0.0.1", int(port))


# ---------------------------------------------------------------- crime statistics


@task(help={
    "source": "asam (an NGA ASAM export) or csv (any CSV, with --mapping)",
    "input": "the file to import",
    "mapping": "TOML mapping file (for --source csv)",
    "table": "incident table to merge into (default: the setting INCIDENTS_FILE)",
    "ports": "port list CSV for the nearest-port field (default: the setting PORTS_FILE, when present)",
    "report_dir": "where the report and the rejected-rows file go (default var/stats-import)",
})
def stats_import(c, source, input, mapping=None, table=None, ports=None, report_dir="var/stats-import"):
    """Import incidents into the incident table; prints and writes a report."""
    from csoa.apps.stats_import import run_stats_import

    sys.exit(run_stats_import(DEV_SETTINGS, source, input, mapping, table, ports, ROOT / report_dir))


@task(help={
    "table": "incident table to update (default: the setting INCIDENTS_FILE)",
    "overlap": "days before the table's newest NGA record to ask for again (late corrections)",
    "report_dir": "where the report, the rejected rows and the fetched records go (default var/stats-import)",
})
def stats_update(c, table=None, overlap=30, report_dir="var/stats-import"):
    """Fetch new and changed ASAM records from NGA's MSI API (NGA_MSI_BASE_URL) and import them."""
    from csoa.apps.stats_update import run_stats_update

    sys.exit(run_stats_update(DEV_SETTINGS, table, int(overlap), ROOT / report_dir))


@task(help={"state_dir": "where the report and the last run's state go (default var/daily)"})
def daily(c, state_dir="var/daily"):
    """stats-update, a production build, linkcheck, publish; one report; exit 1 at the first failure."""
    from csoa.apps.daily.command import run_daily_command

    sys.exit(run_daily_command(PUBLISH_SETTINGS, ROOT / state_dir))


@task(help={"settings": "settings file (default pelicanconf.py)"})
def stats_check(c, settings=None):
    """Validate the incident table; list every bad row with its field, value and what was expected."""
    from csoa.apps.check_incidents import run_incidents_check

    sys.exit(run_incidents_check(Path(settings) if settings else DEV_SETTINGS))
# --- newsletter -----------------------------------------------------------------------------


@task(help={"file": "CSV with columns email, name, organisation, regions, status",
            "skip_invalid": "import the good rows even when some rows are bad"})
def members_import(c, file, skip_invalid=False):
    """Validate and import members into the newsletter database (NEWSLETTER_DB)."""
    from csoa.apps.newsletter import members_import as run

    sys.exit(run(DEV_SETTINGS, file, skip_invalid))


@task
def members_sync(c):
    """Read unsubscribes back from the SES contact list, then push members to it."""
    from csoa.apps.newsletter import members_sync as run

    sys.exit(run(DEV_SETTINGS))


@task(help={"slug": "the issue's slug", "dry_run": "no API call: write .eml files to var/outbox/",
            "test_to": "comma-separated test addresses ([TEST] subject, ledger untouched)",
            "rate": "messages per second (capped by the account's MaxSendRate)",
            "resend_uncertain": "send again to recipients whose earlier send is uncertain",
            "retry_failed": "send again to recipients SES rejected (after fixing the cause)",
            "allow_partial": "send what the 24-hour quota allows, leave the rest pending",
            "output": "the built site (default: OUTPUT_PATH)"})
def newsletter_send(c, slug, dry_run=False, test_to=None, rate=None, resend_uncertain=False, allow_partial=False,
                    output=None, retry_failed=False):
    """Send a built newsletter issue through SES (resumable; never twice to the same member)."""
    from csoa.apps.newsletter import newsletter_send as run

    sys.exit(run(DEV_SETTINGS, slug, output=output, dry=dry_run, test_to=test_to,
                 rate=float(rate) if rate else None, resend_uncertain=resend_uncertain,
                 allow_partial=allow_partial, progress=sys.stderr.isatty(), retry_failed=retry_failed))


@task(help={"queue_url": "SQS queue receiving SES notifications", "from_dir": "folder of saved notification JSON files"})
def newsletter_feedback(c, queue_url=None, from_dir=None):
    """Apply SES bounces and complaints: suppress hard bounces, complaints and repeated soft bounces."""
    from csoa.apps.newsletter import newsletter_feedback as run

    sys.exit(run(DEV_SETTINGS, queue_url, from_dir))


@task(help={"port": "port for moto's server (default 5000)"})
def aws_local(c, port=5000):
    """Run a local SES/SQS (moto) with a verified sender and the contact list."""
    from csoa.apps.newsletter import aws_local as run

    sys.exit(run(DEV_SETTINGS, port))


@task(help={"write": "write the Uid: lines into the files (default: only list them)"})
def event_uids(c, write=False):
    """List event files without a Uid: field (their calendar UID depends on the file name); --write freezes it."""
    from csoa.apps.event_uids import run_event_uids

    sys.exit(run_event_uids(ROOT, write))


@task
def favicon(c):
    """Draw the theme's img/favicon.svg into img/favicon.ico (16, 32 and 48 px; needs Chromium); commit both."""
    from csoa.apps.favicon import draw_theme_icon

    print(f"Wrote {draw_theme_icon(ROOT / 'theme').relative_to(ROOT)}")
