"""The publish flow: (already built) output/ -> minify -> plan against the bucket -> sync -> invalidate."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from csoa.publishing.bucket_lock import LOCK_NAME, BucketLock, lock_key
from csoa.publishing.manifest import MANIFEST_NAME
from csoa.publishing.minify import minify_tree
from csoa.publishing.plan import make_plan, normalise_prefix, scan_output
from csoa.publishing.s3sync import SyncReport, add_recorded_hashes, manifest_key, read_ownership, read_remote, run_plan


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str = ""
    distribution_id: str | None = None

    @classmethod
    def from_settings(cls, settings: dict) -> "Target":
        bucket = settings.get("SITE_BUCKET")
        if not bucket:
            raise ValueError("SITE_BUCKET is not set (environment variable or publishconf.py)")
        return cls(bucket, normalise_prefix(settings.get("SITE_PREFIX")), settings.get("CLOUDFRONT_DISTRIBUTION_ID") or None)


def aws_clients():
    """S3 and CloudFront clients from the standard AWS chain (env, profile, instance role);
    boto3 itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_S3 / _CLOUDFRONT."""
    import boto3

    session = boto3.session.Session()
    return session.client("s3"), session.client("cloudfront")


def sync_output(output: Path, target: Target, *, dry_run: bool = False, force_delete: bool = False,
                max_delete_share: float = 0.2, s3=None, cloudfront=None, console: Console | None = None,
                workers: int = 8, full: bool = False) -> SyncReport:
    if s3 is None or cloudfront is None:
        default_s3, default_cf = aws_clients()
        s3, cloudfront = s3 or default_s3, cloudfront or default_cf
    local = scan_output(output)
    if not local:
        raise ValueError(f"{output} holds no files: build the site first")
    for reserved, what in ((MANIFEST_NAME, "the publish manifest"), (LOCK_NAME, "the publish lock")):
        if any(f.path == reserved for f in local):
            raise ValueError(f"{output / reserved}: this name is reserved for {what}; rename the file")
    prefix = normalise_prefix(target.prefix)
    listed = read_remote(s3, target.bucket, prefix)
    listed.pop(manifest_key(prefix), None)
    listed.pop(lock_key(prefix), None)
    owned = read_ownership(s3, target.bucket, prefix)
    remote = add_recorded_hashes(s3, target.bucket, prefix, local, listed, workers)
    plan = make_plan(local, remote, prefix, full=full, owned=owned)
    return run_plan(plan, s3, cloudfront, bucket=target.bucket, prefix=prefix,
                    distribution_id=target.distribution_id, dry_run=dry_run, force_delete=force_delete,
                    max_delete_share=max_delete_share, console=console, workers=workers)


def publish(settings_file: Path, *, dry_run: bool = False, force_delete: bool = False, full: bool = False,
            console: Console | None = None, overrides: dict | None = None, break_lock: bool = False) -> SyncReport:
    """Build with ``settings_file`` (atomically), minify the output, then sync it to the bucket.

    A dry run builds into a temporary folder, removed afterwards: output/ (which may hold the
    editor's development build) and the bucket are left exactly as they were. A real publish holds
    the bucket's lock from before the build to the end (bucket_lock.py): a second one refuses."""
    from csoa.engine.build import load_settings

    console = console or Console(stderr=True)
    settings = load_settings(settings_file, overrides)
    target = Target.from_settings(settings)  # fail on a missing bucket before spending a build
    max_delete_share = float(settings.get("PUBLISH_MAX_DELETE_SHARE", 0.2))
    if not dry_run:
        s3, cloudfront = aws_clients()
        with BucketLock(s3, target.bucket, target.prefix, break_lock=break_lock):
            output = build_and_minify(settings_file, overrides, console)
            return sync_output(output, target, force_delete=force_delete, full=full, s3=s3, cloudfront=cloudfront,
                               max_delete_share=max_delete_share, console=console)
    with tempfile.TemporaryDirectory(prefix="publish-dry-run-") as scratch:
        output = build_and_minify(settings_file, {**(overrides or {}), "OUTPUT_PATH": str(Path(scratch) / "output")},
                                  console)
        console.print(f"Dry run: built in {scratch} (removed afterwards); {settings['OUTPUT_PATH']} is untouched.")
        return sync_output(output, target, dry_run=True, force_delete=force_delete, full=full,
                           max_delete_share=max_delete_share, console=console)


def build_and_minify(settings_file: Path, overrides: dict | None, console: Console) -> Path:
    from csoa.engine.build import build_site

    output = build_site(settings_file, overrides)
    report = minify_tree(output)
    console.print(f"Minified {report.files} files: {report.bytes_before:,} -> {report.bytes_after:,} bytes")
    return output


def run_publish_command(settings_file: str | Path, err=sys.stderr, **options) -> int:
    """`invoke publish`: 1 with the reason when the build or the sync failed (nothing is half-published)."""
    from csoa.engine.build import BuildFailed
    from csoa.publishing.bucket_lock import BucketLocked
    from csoa.publishing.s3sync import PublishError

    try:
        publish(Path(settings_file), **options)
    except BuildFailed as failure:
        print(failure, file=err)
        print("Nothing was published; the previous output/ was left untouched.", file=err)
        return 1
    except (PublishError, BucketLocked, ValueError) as failure:
        print(f"publish failed: {failure}", file=err)
        return 1
    return 0
