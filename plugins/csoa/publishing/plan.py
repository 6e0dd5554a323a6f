"""The sync plan: what to upload, delete and invalidate, from content hashes on both sides.

Plain data in, plain data out: no boto3 here, so the plan is tested on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from csoa.publishing.content_types import UnknownContentType, cache_control, content_type, is_fingerprinted
from csoa.publishing.manifest import Ownership

HASH_METADATA = "sha256"  # x-amz-meta-sha256: our own record of the uploaded bytes


@dataclass(frozen=True)
class LocalFile:
    path: str  # site-relative POSIX path, e.g. "news/a/index.html"
    source: Path
    md5: str
    sha256: str
    size: int
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class RemoteObject:
    key: str
    etag: str  # without quotes; "<md5>" for single-part uploads, "<md5>-<parts>" for multipart
    sha256: str | None = None  # from the object's metadata, looked up only when the ETag cannot tell


@dataclass
class SyncPlan:
    uploads: list[LocalFile] = field(default_factory=list)  # in upload order: assets first, HTML last
    deletions: list[str] = field(default_factory=list)  # object keys an earlier publish put there
    invalidations: list[str] = field(default_factory=list)  # public URL paths
    unchanged: int = 0
    remote_count: int = 0  # the site's objects in the bucket
    # the deletion guard's whole: the site's objects with stable names. Fingerprinted files (Pagefind's
    # chunks, image variants) are superseded by new names whenever their content changes, so their
    # turnover says nothing about a build being incomplete: a day's new figures replace most of them.
    stable_remote_count: int = 0
    left_alone: list[str] = field(default_factory=list)  # object keys no publish recorded: never deleted
    ownership: Ownership = field(default_factory=Ownership)  # what the bucket's manifest records
    built: list[str] = field(default_factory=list)  # every site path of the build

    @property
    def is_empty(self) -> bool:
        return not (self.uploads or self.deletions)


def scan_output(output: Path) -> list[LocalFile]:
    """Hash every file under ``output``; raise UnknownContentType listing every file without a type."""
    output = Path(output)
    files, unknown = [], []
    for source in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = source.relative_to(output).as_posix()
        data = source.read_bytes()
        try:
            ctype = content_type(rel, data[:1024])
        except UnknownContentType:
            unknown.append(rel)
            continue
        files.append(
            LocalFile(
                path=rel,
                source=source,
                md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                content_type=ctype,
                cache_control=cache_control(rel),
            )
        )
    if unknown:
        raise UnknownContentType(unknown)
    return files


def normalise_prefix(prefix: str | None) -> str:
    prefix = (prefix or "").strip("/")
    return f"{prefix}/" if prefix else ""


def is_unchanged(local: LocalFile, remote: RemoteObject) -> bool:
    if remote.etag == local.md5:  # a single-part, non-KMS upload's ETag is the MD5 of its bytes
        return True
    return remote.sha256 is not None and remote.sha256 == local.sha256


def upload_tier(path: str) -> int:
    """Upload order. Pages go last so that a page never references an asset not yet uploaded;
    Pagefind's entry file goes after the index chunks it names."""
    posix = PurePosixPath(path)
    if posix.suffix == ".html":
        return 2
    if posix.name == "pagefind-entry.json":
        return 1
    return 0


def public_paths(path: str) -> list[str]:
    """URL paths under which CloudFront may have cached ``path`` (directory URLs for index.html)."""
    url = "/" + quote(path, safe="/~")  # CloudFront wants unsafe and non-ASCII characters encoded
    if PurePosixPath(path).name == "index.html":
        directory = url[: -len("index.html")]
        return [directory, url]
    return [url]


def make_plan(local: list[LocalFile], remote: dict[str, RemoteObject], prefix: str = "",
              full: bool = False, owned: Ownership = Ownership()) -> SyncPlan:
    """Compare the build with the bucket (``remote`` maps keys under ``prefix`` to objects).

    Only objects in ``owned`` (recorded by earlier publishes) are deleted when the build no longer
    has them; any other object is left alone. ``full`` uploads every file again (after a change of
    content types or cache policy, which the content hashes cannot see)."""
    prefix = normalise_prefix(prefix)
    plan = SyncPlan(ownership=owned, built=[f.path for f in local])
    wanted = set()
    for file in local:
        key = prefix + file.path
        wanted.add(key)
        existing = remote.get(key)
        if existing is not None and not full and is_unchanged(file, existing):
            plan.unchanged += 1
        else:
            plan.uploads.append(file)
    plan.uploads.sort(key=lambda f: (upload_tier(f.path), f.path))
    extra = sorted(key for key in remote if key not in wanted)
    plan.deletions = [key for key in extra if key[len(prefix):] in owned]
    plan.left_alone = [key for key in extra if key[len(prefix):] not in owned]
    plan.remote_count = len(remote) - len(plan.left_alone)
    left_alone = set(plan.left_alone)
    plan.stable_remote_count = sum(1 for key in remote if key not in left_alone and not is_fingerprinted(key))
    changed = [f.path for f in plan.uploads] + [key[len(prefix):] for key in plan.deletions]
    plan.invalidations = sorted({p for path in changed for p in public_paths(path)})
    return plan
