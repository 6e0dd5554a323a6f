"""Carry out a SyncPlan against S3 and CloudFront with boto3 clients.

Order matters for a consistent site: every asset tier is uploaded before the HTML tier, deletions
come only after every upload succeeded, and one CloudFront invalidation closes the run.
"""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import groupby

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from csoa.publishing import manifest
from csoa.publishing.content_types import is_fingerprinted
from csoa.publishing.manifest import Ownership
from csoa.publishing.plan import HASH_METADATA, RemoteObject, SyncPlan, upload_tier

RERUN = "invoke publish"
MAX_INVALIDATION_PATHS = 500  # past this, one wildcard path is cheaper and just as effective


class PublishError(Exception):
    """A publish that stopped; the message says what happened and what to re-run."""


class DeletionRefused(PublishError):
    pass


class UploadFailed(PublishError):
    pass


@dataclass
class SyncReport:
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidation_id: str | None = None
    invalidated: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # objects no publish put there
    dry_run: bool = False


def read_remote(s3, bucket: str, prefix: str) -> dict[str, RemoteObject]:
    """Every object under ``prefix`` with its ETag (one LIST request per 1000 objects)."""
    remote = {}
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                remote[obj["Key"]] = RemoteObject(obj["Key"], obj["ETag"].strip('"'))
    except Exception as exc:  # no bucket, no credentials, no network: nothing was changed
        raise PublishError(
            f"cannot list s3://{bucket}/{prefix}: {type(exc).__name__}: {exc}\n"
            "Nothing was uploaded. Check SITE_BUCKET and the AWS credentials (AWS_PROFILE or "
            f"AWS_ACCESS_KEY_ID..., AWS_ENDPOINT_URL if set), then re-run `{RERUN}`."
        ) from exc
    return remote


def manifest_key(prefix: str) -> str:
    return prefix + manifest.MANIFEST_NAME


def read_ownership(s3, bucket: str, prefix: str) -> Ownership:
    """The manifest of earlier publishes; an empty Ownership (found=False) when there is none yet."""
    key = manifest_key(prefix)
    try:
        data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return Ownership()
    except Exception as exc:
        raise PublishError(f"cannot read s3://{bucket}/{key}: {type(exc).__name__}: {exc}\n"
                           f"Nothing was uploaded or deleted. Re-run `{RERUN}` once it can be read.") from exc
    try:
        return manifest.decode(data)
    except manifest.ManifestUnreadable as exc:
        raise PublishError(
            f"s3://{bucket}/{key} is not a publish manifest: {exc}. Nothing was uploaded or deleted. "
            "It records which objects earlier publishes uploaded (the only ones a publish may delete). "
            f"If it was damaged, delete it and re-run `{RERUN}`: that run deletes nothing, reports the "
            "objects it leaves alone, and records the current build as the site's."
        ) from None


def write_ownership(s3, bucket: str, prefix: str, ownership: Ownership, state: str) -> None:
    """Store the manifest; ``state`` tells the editor where the run stands if that fails."""
    key = manifest_key(prefix)
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=manifest.encode(ownership), ContentType="application/json",
                      CacheControl=manifest.CACHE_CONTROL, Metadata={"published-by": manifest.PUBLISHER})
    except Exception as exc:
        raise PublishError(f"cannot write s3://{bucket}/{key}: {type(exc).__name__}: {exc}\n"
                           f"{state} Fix the cause and re-run `{RERUN}`.") from exc


def add_recorded_hashes(s3, bucket: str, prefix: str, local, remote: dict[str, RemoteObject],
                        workers: int = 8) -> dict[str, RemoteObject]:
    """Look up our sha256 metadata for the objects whose ETag does not equal the local MD5.

    An ETag is the MD5 of the bytes only for single-part uploads without SSE-KMS; for the others
    (and for files that really changed) one HEAD request tells whether the bytes are ours already.
    """
    suspects = [prefix + f.path for f in local
                if prefix + f.path in remote and remote[prefix + f.path].etag != f.md5]

    def head(key):
        metadata = s3.head_object(Bucket=bucket, Key=key).get("Metadata", {})
        return key, metadata.get(HASH_METADATA)

    with ThreadPoolExecutor(workers) as pool:
        for key, sha in pool.map(head, suspects):
            remote[key] = RemoteObject(key, remote[key].etag, sha)
    return remote


def check_deletion_guard(plan: SyncPlan, max_share: float, force: bool) -> None:
    """Refuse a publish that would delete more than ``max_share`` of the site's stable-named objects
    (pages, feeds, assets): the sign of an incomplete build. Superseded fingerprinted files don't count."""
    stable = [key for key in plan.deletions if not is_fingerprinted(key)]
    if force or not stable or not plan.stable_remote_count:
        return
    share = len(stable) / plan.stable_remote_count
    if share > max_share:
        raise DeletionRefused(
            f"refusing to delete {len(stable)} of the {plan.stable_remote_count} pages and other files with stable "
            f"names that the site has in the bucket ({share:.0%}, more than the allowed {max_share:.0%}). "
            f"Nothing was uploaded or deleted. Check that the build is complete (e.g. `ls output/`), then re-run "
            f"`{RERUN} --force-delete` if these deletions are intended."
        )


def describe_plan(plan: SyncPlan, console: Console, bucket: str, prefix: str, itemised: bool) -> None:
    where = f"s3://{bucket}/{prefix}"
    console.print(
        f"[bold]Plan for {where}[/bold]: {len(plan.uploads)} to upload, {len(plan.deletions)} to delete, "
        f"{plan.unchanged} unchanged, {len(plan.invalidations)} paths to invalidate."
    )
    if not plan.ownership.found:
        console.print(f"No publish manifest at {where}{manifest.MANIFEST_NAME} yet (a new bucket, or one published "
                      "by an older version): nothing is deleted, and the build's files are recorded as the site's.")
    if plan.left_alone:
        console.print(f"Left alone: {len(plan.left_alone)} objects that no publish uploaded "
                      f"({by_folder(plan.left_alone, prefix)}).")
    if not itemised:
        return
    for f in plan.uploads:
        console.print(f"  upload  {f.path}  ({f.content_type}; {f.cache_control}; {f.size} bytes)")
    for key in plan.deletions:
        console.print(f"  delete  {key}")
    for path in plan.invalidations:
        console.print(f"  invalidate  {path}")


def by_folder(keys: list[str], prefix: str, shown: int = 5) -> str:
    """'backups/ 60, news/ 1': the top-level folders of ``keys`` (under ``prefix``), most first."""
    folders = Counter()
    for key in keys:
        top, slash, _rest = key[len(prefix):].partition("/")
        folders[top + slash] += 1
    ranked = sorted(folders.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{name} {count}" for name, count in ranked[:shown]) + (", ..." if len(ranked) > shown else "")


def upload_one(s3, bucket: str, key: str, file) -> None:
    # No ACL argument: objects stay private and CloudFront reads them through its origin access.
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=file.source.read_bytes(),
        ContentType=file.content_type,
        CacheControl=file.cache_control,
        Metadata={HASH_METADATA: file.sha256},
    )


def upload_all(s3, plan: SyncPlan, bucket: str, prefix: str, console: Console, workers: int) -> list[str]:
    """Upload tier by tier; on any failure stop before the next tier and raise UploadFailed."""
    done: list[str] = []
    total = sum(f.size for f in plan.uploads)
    columns = (TextColumn("uploading"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[files]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress, ThreadPoolExecutor(workers) as pool:
        bar = progress.add_task("upload", total=total, files=f"0/{len(plan.uploads)} files")
        for _tier, group in groupby(plan.uploads, key=lambda f: upload_tier(f.path)):
            futures = {pool.submit(upload_one, s3, bucket, prefix + f.path, f): f for f in group}
            failures = []
            for future in as_completed(futures):
                file = futures[future]
                if future.cancelled():
                    continue
                if future.exception() is not None:
                    failures.append((file.path, future.exception()))
                    for other in futures:  # stop this tier: uploads not yet started are dropped
                        other.cancel()
                else:
                    done.append(file.path)
                    progress.update(bar, advance=file.size, files=f"{len(done)}/{len(plan.uploads)} files")
            if failures:
                raise UploadFailed(failure_message(plan, done, failures))
    return done


def failure_message(plan: SyncPlan, done: list[str], failures) -> str:
    lines = [f"upload failed: {len(failures)} file(s) could not be uploaded:"]
    lines += [f"  {path}: {type(exc).__name__}: {exc}" for path, exc in sorted(failures, key=lambda x: x[0])]
    missing = [f.path for f in plan.uploads if f.path not in set(done)]
    pages_missing = sum(1 for p in missing if p.endswith(".html"))
    lines.append(
        f"{len(done)} of {len(plan.uploads)} uploads were done; {len(missing)} remain "
        f"({pages_missing} of them pages). Pages are uploaded after the assets they use, nothing was "
        "deleted and no CloudFront invalidation was made, so the live site is still consistent."
    )
    lines.append(f"To finish: fix the cause above and re-run `{RERUN}` (with the same options); it uploads only what is still missing.")
    return "\n".join(lines)


def invalidate(cloudfront, distribution_id: str, paths: list[str]) -> str:
    if len(paths) > MAX_INVALIDATION_PATHS:
        paths = ["/*"]
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"publish-{uuid.uuid4()}",
        },
    )
    return response["Invalidation"]["Id"]


def run_plan(plan: SyncPlan, s3, cloudfront, *, bucket: str, prefix: str, distribution_id: str | None,
             dry_run: bool = False, force_delete: bool = False, max_delete_share: float = 0.2,
             console: Console | None = None, workers: int = 8) -> SyncReport:
    console = console or Console(stderr=True)
    describe_plan(plan, console, bucket, prefix, itemised=dry_run)
    report = SyncReport(dry_run=dry_run, left_alone=plan.left_alone)
    if dry_run:
        try:
            check_deletion_guard(plan, max_delete_share, force_delete)
        except DeletionRefused as refused:
            console.print(f"[red]A real run would stop here:[/red] {refused}")
        console.print("[yellow]Dry run: nothing was uploaded, deleted or invalidated.[/yellow]")
        return report
    check_deletion_guard(plan, max_delete_share, force_delete)
    # Claim the build's paths before uploading, so that a run stopped half-way still knows its uploads.
    claimed = plan.ownership.claiming(plan.built)
    if claimed != plan.ownership:
        write_ownership(s3, bucket, prefix, claimed, "Nothing was uploaded or deleted.")
    if plan.uploads:
        report.uploaded = upload_all(s3, plan, bucket, prefix, console, workers)
    delete_all(s3, plan, bucket, report)
    final = Ownership.of(plan.built)  # the deleted paths are no longer ours to track
    if final != claimed:
        write_ownership(s3, bucket, prefix, final, "The bucket is up to date; the manifest still lists the "
                        "deleted paths, which is harmless. No CloudFront invalidation was made yet.")
    invalidate_changed(cloudfront, distribution_id, plan, report, console)
    console.print(
        f"[green]Published[/green]: {len(report.uploaded)} uploaded, {len(report.deleted)} deleted, "
        f"{plan.unchanged} unchanged, {len(plan.left_alone)} left alone"
        + (f", invalidation {report.invalidation_id}" if report.invalidation_id else "")
    )
    return report


def delete_all(s3, plan: SyncPlan, bucket: str, report: SyncReport) -> None:
    for start in range(0, len(plan.deletions), 1000):  # DeleteObjects takes at most 1000 keys
        batch = plan.deletions[start : start + 1000]
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})
        if response.get("Errors"):
            errors = "\n".join(f"  {e['Key']}: {e.get('Code')} {e.get('Message')}" for e in response["Errors"])
            raise PublishError(
                f"all uploads succeeded but some deletions failed:\n{errors}\n"
                f"The site is consistent (the failed objects are orphans). Re-run `{RERUN}` to retry."
            )
        report.deleted += batch


def invalidate_changed(cloudfront, distribution_id: str | None, plan: SyncPlan, report: SyncReport,
                       console: Console) -> None:
    if plan.invalidations and distribution_id:
        try:
            report.invalidation_id = invalidate(cloudfront, distribution_id, plan.invalidations)
        except Exception as exc:
            raise PublishError(
                f"the bucket is up to date but the CloudFront invalidation failed: {exc}\n"
                "Re-running the publish will not retry it (nothing is left to upload); run instead:\n"
                f"  aws cloudfront create-invalidation --distribution-id {distribution_id} --paths '/*'"
            ) from exc
        report.invalidated = plan.invalidations if len(plan.invalidations) <= MAX_INVALIDATION_PATHS else ["/*"]
    elif plan.invalidations:
        console.print("No CloudFront distribution id is set: no invalidation was made.")
