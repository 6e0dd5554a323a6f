"""Content-Type and Cache-Control for every kind of file the site produces.

An unknown extension is an error, not a guess: a file served with the wrong type breaks quietly
(a calendar that will not subscribe, a feed shown as text), so the map must name it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

TEXT = "; charset=utf-8"

CONTENT_TYPES = {
    ".html": "text/html" + TEXT,
    ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".mjs": "text/javascript" + TEXT,
    ".xml": "application/xml" + TEXT,  # feeds are refined by sniffing their root element
    ".xsl": "application/xslt+xml" + TEXT,
    ".ics": "text/calendar" + TEXT,
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".txt": "text/plain" + TEXT,
    ".csv": "text/csv" + TEXT,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    # Pagefind's index files are gzip-compressed binary chunks read by its own JS (never
    # decoded by the browser, so no Content-Encoding).
    ".pagefind": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
FEED_TYPES = {b"<feed": "application/atom+xml" + TEXT, b"<rss": "application/rss+xml" + TEXT}

SHORT = "public, max-age=300, must-revalidate"  # pages and feeds: editors' changes show within minutes
MEDIUM = "public, max-age=86400"  # assets whose name does not change with their content
LONG = "public, max-age=31536000, immutable"  # fingerprinted assets: the name changes with the content
SHORT_SUFFIXES = {".html", ".xml", ".ics", ".json", ".geojson", ".webmanifest", ".txt", ".csv", ".xsl"}

# A content hash in the file name (Pagefind's chunks, our image variants: "ship-480w.3fa2c1d9e0.jpg",
# "en_4ad1f2e.pf_fragment", "pagefind.en_8c1b2a3f.pf_meta"). Both a digit and a letter are required so
# that an editor's "circular-20160708.pdf" is not taken for a hash and cached for a year; a real hash
# without both is merely cached for less long.
FINGERPRINT = re.compile(r"[._-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,}(?=\.[^.]+$)")


class UnknownContentType(ValueError):
    def __init__(self, paths: list[str]):
        self.paths = paths
        listed = "\n".join(f"  {p}" for p in paths)
        super().__init__(
            "no Content-Type is known for these files (add their extension to "
            f"plugins/publishing/content_types.py CONTENT_TYPES):\n{listed}"
        )


def content_type(path: str, head: bytes = b"") -> str:
    """The Content-Type for ``path`` (a site-relative POSIX path); ``head`` = the first bytes of the file."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise UnknownContentType([path])
    if suffix == ".xml":
        for marker, feed_type in FEED_TYPES.items():
            if marker in head[:1024]:
                return feed_type
    return CONTENT_TYPES[suffix]


def is_fingerprinted(path: str) -> bool:
    name = PurePosixPath(path).name
    return bool(FINGERPRINT.search(name))


def cache_control(path: str) -> str:
    """Short for pages, feeds and the unversioned Pagefind glue; a year for fingerprinted files."""
    if is_fingerprinted(path):
        return LONG
    posix = PurePosixPath(path)
    if posix.suffix.lower() in SHORT_SUFFIXES or posix.parts[:1] == ("pagefind",):
        return SHORT
    return MEDIUM
