"""Which objects of the bucket a publish put there: the publish manifest.

Each publish records the site paths it owns in one object, ``<prefix>.publish-manifest.json``, and
deletes only objects recorded there. Everything else in the bucket (backups, another tool's files,
another site's prefix) is left alone, however the prefix is set. One GET per publish: no HEAD or
tag lookup per object.

The manifest sits inside the prefix (publish credentials are often scoped to it), so CloudFront can
serve it. It therefore holds no path, only a digest of each: it tells a visitor how many files the
site has and nothing else (not the unlisted pages).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

MANIFEST_NAME = ".publish-manifest.json"
PUBLISHER = "cso-alliance-publisher"
FORMAT = 1
DIGEST_CHARS = 32  # 128 bits of SHA-256: no collision between a foreign key and ours in practice
CACHE_CONTROL = "no-store"


class ManifestUnreadable(ValueError):
    pass


def path_digest(path: str) -> str:
    """The manifest's record of a site-relative path."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


@dataclass(frozen=True)
class Ownership:
    """The site paths earlier publishes recorded; ``found`` is False when no manifest exists yet
    (a bucket published by an older version, or a new bucket): then nothing counts as ours."""

    digests: frozenset[str] = frozenset()
    found: bool = False

    def __contains__(self, path: str) -> bool:
        return path_digest(path) in self.digests

    def claiming(self, paths: Iterable[str]) -> "Ownership":
        return Ownership(self.digests | {path_digest(p) for p in paths}, True)

    @classmethod
    def of(cls, paths: Iterable[str]) -> "Ownership":
        return cls().claiming(paths)


def encode(ownership: Ownership) -> bytes:
    """Same paths, same bytes: sorted digests and no timestamp, so an unchanged site writes nothing."""
    body = {"format": FORMAT, "published_by": PUBLISHER, "digest": f"sha256(path)[:{DIGEST_CHARS}]",
            "paths": sorted(ownership.digests)}
    return (json.dumps(body, indent=0) + "\n").encode()


def decode(data: bytes) -> Ownership:
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestUnreadable(f"not JSON ({exc})") from None
    if not isinstance(body, dict) or body.get("published_by") != PUBLISHER or body.get("format") != FORMAT:
        raise ManifestUnreadable(f'expected an object with "published_by": "{PUBLISHER}" and "format": {FORMAT}')
    paths = body.get("paths")
    if not isinstance(paths, list) or not all(isinstance(p, str) and len(p) == DIGEST_CHARS for p in paths):
        raise ManifestUnreadable(f'"paths" must be a list of {DIGEST_CHARS}-character digests')
    return Ownership(frozenset(paths), True)
