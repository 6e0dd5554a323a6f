"""Run Pagefind (the binary shipped in the `pagefind[bin]` wheel; no network) over a built site.

Pagefind indexes only the elements marked data-pagefind-body when any page has one, so detail pages
(articles, pages, events, statistics) are indexed and listings are not. It still reads and parses
every listing to find that out (about 40% of its time at 2,000 items), so we hand it a glob that
names exactly the marked pages: same bundle, byte for byte.

Pagefind writes its ~2,000 files from ~100 threads at once. Into one folder of a disk filesystem
(ext4 here) they queue on the folder's lock: 0.4-2.3 s of kernel time in repeated runs, against
0.4 s into memory. So the bundle is written to a scratch folder in /dev/shm when there is room
and moved into the site after (one copy, 0.1 s); else beside the site and renamed.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from csoa.util.walk import files_under


class PagefindFailed(Exception):
    def __init__(self, message: str):
        self.errors = [message]
        super().__init__(message)


@dataclass
class IndexResult:
    pages: int
    bundle: Path
    body_marked: bool  # some page has data-pagefind-body, so unmarked pages (listings) are left out


BODY_MARKER = b"data-pagefind-body"
_GLOB_SPECIAL = set("*?[]{}!,\\")


class Stopped(Exception):
    """marked_pages_glob was asked to stop (the dev loop's indexer was cancelled)."""


def marked_pages_glob(site: Path, should_stop=lambda: False, known=None) -> str | None:
    """A Pagefind glob matching exactly the HTML files that carry data-pagefind-body.

    ``known(path)`` may say whether a page carries it without reading the file (True/False), or
    None to have it read (the build's page notes know the pages its writer just wrote).

    Files are grouped by their path with the folder above the file name wildcarded
    (``news/*/index.html``); a group is written as that pattern only when the pattern matches no
    unmarked file, else as its file names. None (index everything, Pagefind's default) when no
    page is marked or a name holds a glob character.
    """
    pages = [p.relative_to(site).as_posix() for p in files_under(site, ".html")]
    if any(_GLOB_SPECIAL & set(p) for p in pages):
        return None
    marked = []
    for number, page in enumerate(pages):
        if number % 256 == 0 and should_stop():
            raise Stopped()
        path = site / page
        marked_here = known(str(path)) if known is not None else None
        if marked_here is None:
            try:
                marked_here = BODY_MARKER in path.read_bytes()
            except FileNotFoundError:  # deleted behind the dev loop's back while it was indexed
                continue
        if marked_here:
            marked.append(page)
    marked.sort()
    if not marked:
        return None
    groups: dict[tuple, list[str]] = {}
    for page in marked:
        parts = page.split("/")
        groups.setdefault(tuple(parts[:-2] + ["*", parts[-1]]) if len(parts) >= 2 else tuple(parts), []).append(page)
    counts: dict[tuple, int] = {}
    for page in pages:
        for pattern in _patterns_matching(page.split("/")):
            counts[pattern] = counts.get(pattern, 0) + 1
    terms: list[str] = []
    for pattern, members in groups.items():
        terms += ["/".join(pattern)] if counts.get(pattern) == len(members) else members
    return "{" + ",".join(terms) + "}"


def _patterns_matching(parts: list[str]):
    yield tuple(parts)
    if len(parts) >= 2:
        yield tuple(parts[:-2] + ["*", parts[-1]])


def pagefind_command(site: Path, language: str, bundle: Path | None = None, glob: str | None = None) -> list[str]:
    """The Pagefind command line; ``bundle`` writes the index somewhere else than ``site/pagefind``
    (same files: Pagefind's output does not depend on where it goes)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", language]
    command += ["--glob", glob] if glob else []
    return command + (["--output-path", str(bundle)] if bundle is not None else [])


MEMORY_SCRATCH = Path("/dev/shm")
MIN_SCRATCH_FREE = 256 << 20  # bytes; a bundle is ~5 KB a page: leave room for far larger sites


def scratch_folder(near: Path) -> Path:
    """A new empty folder for Pagefind's bundle: in memory when there is room, else beside ``near``.
    Its name carries this process's id, so that the folders of processes that died before they could
    remove theirs (killed, or ended without running atexit) are swept here."""
    root = memory_scratch() or Path(near).parent
    sweep_dead_scratch(root)
    return Path(tempfile.mkdtemp(prefix=f".pagefind-{os.getpid()}-", dir=root))


SCRATCH_NAME = re.compile(r"\.pagefind-(\d+)-")


def sweep_dead_scratch(root: Path) -> None:
    """Remove the scratch folders in ``root`` whose process is gone."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        match = SCRATCH_NAME.match(entry.name)
        if match and entry.is_dir(follow_symlinks=False) and not _alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def memory_scratch() -> Path | None:
    try:
        stats = os.statvfs(MEMORY_SCRATCH)
    except OSError:
        return None
    if stats.f_bavail * stats.f_frsize < MIN_SCRATCH_FREE or not os.access(MEMORY_SCRATCH, os.W_OK | os.X_OK):
        return None
    return MEMORY_SCRATCH


def place_bundle(bundle: Path, target: Path) -> None:
    """Move a finished bundle to ``target`` (which must not exist): a rename on the same filesystem,
    else one single-threaded copy."""
    try:
        os.rename(bundle, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.copytree(bundle, target, copy_function=shutil.copyfile)  # contents only: 10% fewer syscalls
        shutil.rmtree(bundle, ignore_errors=True)


def run_pagefind(site: str | Path, language: str = "en") -> IndexResult:
    return PagefindRun(site, language).finish()


class PagefindRun:
    """Pagefind indexing ``site`` in its own process while the caller goes on."""

    def __init__(self, site: str | Path, language: str = "en", known=None):
        self.site = Path(site)
        glob = marked_pages_glob(self.site, known=known)
        self.scratch = scratch_folder(self.site)
        command = pagefind_command(self.site, language, self.scratch / "pagefind", glob=glob)
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise

    def finish(self) -> IndexResult:
        """Wait for Pagefind and move its bundle to ``site/pagefind``."""
        try:
            stdout, stderr = self.process.communicate()
            result = read_result(self.site, self.scratch / "pagefind", self.process.returncode, stdout, stderr)
            target = self.site / "pagefind"
            shutil.rmtree(target, ignore_errors=True)  # a bundle written by an earlier run into this output
            place_bundle(self.scratch / "pagefind", target)
            return IndexResult(result.pages, target, result.body_marked)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def kill(self) -> None:
        """Stop Pagefind (if it still runs) and remove the scratch folder; harmless after finish()."""
        if self.process.returncode is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.scratch, ignore_errors=True)


def read_result(site: Path, bundle: Path, returncode: int, stdout: str, stderr: str) -> IndexResult:
    if returncode != 0:
        raise PagefindFailed(f"Pagefind failed on {site} (exit {returncode}):\n{stderr or stdout}")
    match = re.search(r"Indexed (\d+) pages?", stdout)
    pages = int(match.group(1)) if match else 0
    if not (bundle / "pagefind-ui.js").is_file():
        raise PagefindFailed(f"Pagefind wrote no bundle into {bundle}:\n{stdout}")
    return IndexResult(pages, bundle, "Found a data-pagefind-body element" in stdout)
