"""Run Pagefind (the binary shipped in the `pagefind[bin]` wheel; no network) over a built site.

Pagefind indexes only the elements marked data-pagefind-body when any page has one, so detail pages
(articles, pages, events, statistics) are indexed and listings are not.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


class PagefindFailed(Exception):
    def __init__(self, message: str):
        self.errors = [message]
        super().__init__(message)


@dataclass
class IndexResult:
    pages: int
    bundle: Path
    body_marked: bool  # some page has data-pagefind-body, so unmarked pages (listings) are left out


def pagefind_command(site: Path, language: str, bundle: Path | None = None) -> list[str]:
    """The Pagefind command line; ``bundle`` writes the index somewhere else than ``site/pagefind``
    (same files: Pagefind's output does not depend on where it goes)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language]
    return command + (["--output-path", str(bundle)] if bundle is not None else [])


def run_pagefind(site: str | Path, language: str = "en") -> IndexResult:
    site = Path(site)
    done = subprocess.run(pagefind_command(site, language), capture_output=True, text=True)
    return read_result(site, site / "pagefind", done.returncode, done.stdout, done.stderr)


def read_result(site: Path, bundle: Path, returncode: int, stdout: str, stderr: str) -> IndexResult:
    if returncode != 0:
        raise PagefindFailed(f"Pagefind failed on {site} (exit {returncode}):\n{stderr or stdout}")
    match = re.search(r"Indexed (\d+) pages?", stdout)
    pages = int(match.group(1)) if match else 0
    if not (bundle / "pagefind-ui.js").is_file():
        raise PagefindFailed(f"Pagefind wrote no bundle into {bundle}:\n{stdout}")
    return IndexResult(pages, bundle, "Found a data-pagefind-body element" in stdout)
