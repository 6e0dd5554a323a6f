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


def run_pagefind(site: str | Path, language: str = "en") -> IndexResult:
    site = Path(site)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise PagefindFailed(f"Pagefind failed on {site} (exit {done.returncode}):\n{done.stderr or done.stdout}")
    match = re.search(r"Indexed (\d+) pages?", done.stdout)
    pages = int(match.group(1)) if match else 0
    bundle = site / "pagefind"
    if not (bundle / "pagefind-ui.js").is_file():
        raise PagefindFailed(f"Pagefind wrote no bundle into {bundle}:\n{done.stdout}")
    return IndexResult(pages, bundle, "Found a data-pagefind-body element" in done.stdout)
