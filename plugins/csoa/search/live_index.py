"""The dev loop's search index: a Pagefind index kept in memory between builds and told only
about the pages that changed. Plain Python, no Pelican.

A full index of 2,000 items spends most of its time parsing pages (3,400 read, 2,100 parsed). Here
Pagefind's service keeps the parsed pages of the last index; after a build, the pages whose file
stamp changed are read and handed over (``AddFile`` replaces a page of the same URL in place), and
``WriteFiles`` writes the bundle into the folder holding the previous one, where it rewrites only
the hash-named files that changed (typically the edited page's fragment, the meta file and the
index chunks after the first changed word). ``prune_stale`` then removes what the new index no
longer names. The bundle is the one a full run of the command line over the same pages writes,
byte for byte (tests/test_search_live.py), because the service keeps each page at its position:

* an edited page (same URL) is replaced where it was;
* a page that is gone or lost its ``data-pagefind-body`` is replaced by an empty page, which
  Pagefind leaves out of the index as it leaves out every page without words or without the body
  marker, so the pages after it are numbered as if it had never been there;
* a page that is new to the index would be appended after all others, while the command line
  takes pages in the order of their paths: then (and when no page is marked at all, or the service
  was stopped) the index is made anew from the folder (``AddDir``, as the command line reads it).
"""

from __future__ import annotations

import os
import shutil
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from csoa.search.bundle_files import prune_stale
from csoa.search.pagefind_index import BODY_MARKER, Stopped, marked_pages_glob, scratch_folder
from csoa.search.pagefind_service import PagefindService
from csoa.util.stamps import FileStamp

LOAD_ATTEMPTS = 3
EMPTY_PAGE = "<html><body></body></html>"  # no words, no body marker: Pagefind indexes nothing of it
MARKER_TEXT = BODY_MARKER.decode()


class OutputChanging(Exception):
    """The site's pages changed each time Pagefind read them."""


class Page(NamedTuple):
    stamp: FileStamp
    marked: bool  # carries data-pagefind-body


@dataclass
class Changes:
    pages: dict[str, Page]  # every page of the site now, by relative name
    texts: dict[str, str] = field(default_factory=dict)  # marked pages read because they changed


@dataclass
class UpdateReport:
    full: bool  # the index was made anew from the folder
    replaced: int = 0  # pages handed over (edited, emptied)
    seconds: dict[str, float] = field(default_factory=dict)  # scan, pagefind (wall, cpu), prune


class LiveIndex:
    def __init__(self, language: str = "en"):
        self.language = language
        self._service: PagefindService | None = None
        self._index: int | None = None
        self._pages: dict[str, Page] = {}  # what the index was told, by relative page name
        self._indexed: set[str] = set()  # the marked pages in the index (the others are emptied)
        self._bundle: Path | None = None  # the last bundle written (a private folder)
        self._consistent = False  # False while a change is half told, or after a failure
        self._held = _Held()
        weakref.finalize(self, self._held.release)  # a builder dropped without close()

    def update(self, site: Path, should_stop=lambda: False) -> tuple[Path, UpdateReport]:
        """Bring the index up to ``site``'s pages; returns the bundle folder (private: see publish)."""
        site = Path(site)
        started = time.perf_counter()
        changes = scan(site, self._pages if self._consistent else {}, should_stop)
        marked = {name for name, page in changes.pages.items() if page.marked}
        alive = self._service is not None and self._service.alive
        full = not (alive and self._consistent) or not marked or bool(marked - self._indexed)
        report = UpdateReport(full=full, seconds={"scan": time.perf_counter() - started})
        if should_stop():
            raise Stopped()
        self._consistent = False
        started = time.perf_counter()
        cpu = self._service.cpu_seconds() if alive else 0.0
        if full:
            changes = self._load(site, changes, should_stop)
            marked = {name for name, page in changes.pages.items() if page.marked}
        else:
            report.replaced = self._replace(changes, marked)
        self._service.write_files(self._index, self._bundle)
        report.seconds["pagefind"] = time.perf_counter() - started
        report.seconds["pagefind_cpu"] = self._service.cpu_seconds() - cpu  # on a loaded machine, the part it did
        started = time.perf_counter()
        prune_stale(self._bundle)
        report.seconds["prune"] = time.perf_counter() - started
        self._pages, self._indexed, self._consistent = changes.pages, marked, True
        return self._bundle, report

    def _load(self, site: Path, changes: Changes, should_stop) -> Changes:
        """A new index of the folder, as the command line reads it, into an empty bundle folder.
        Pagefind reads the pages itself: should one change meanwhile (edited behind the dev
        loop's back), the pages are scanned and read again."""
        if self._service is None or not self._service.alive:
            self._service = self._held.service = PagefindService(cwd=site.parent)
            self._index = None  # the indexes of a stopped service are gone with it
        if self._bundle is None:
            self._bundle = scratch_folder(site) / "pagefind"
            self._held.folder = self._bundle.parent
        for _attempt in range(LOAD_ATTEMPTS):
            if self._index is not None:
                self._service.request({"type": "DeleteIndex", "index_id": self._index})
                self._index = None
            shutil.rmtree(self._bundle, ignore_errors=True)
            self._index = self._service.new_index(self.language)
            glob = marked_pages_glob(site, known=lambda path: _marked(changes.pages, site, path))
            count = self._service.add_dir(self._index, site, glob)
            marked = [name for name, page in changes.pages.items() if page.marked or glob is None]
            if count == len(marked) and unchanged_since(site, changes.pages):
                return changes
            changes = scan(site, {}, should_stop)
        raise OutputChanging(f"the pages of {site} kept changing while Pagefind read them")

    def _replace(self, changes: Changes, marked: set[str]) -> int:
        for name, text in changes.texts.items():
            self._service.add_file(self._index, name, text)
        emptied = self._indexed - marked
        for name in sorted(emptied):
            self._service.add_file(self._index, name, EMPTY_PAGE)
        return len(changes.texts) + len(emptied)

    def stop(self) -> None:
        """Stop the service now (from another thread; a request waiting for it fails). The next
        update makes the index anew."""
        self._consistent = False
        if self._service is not None:
            self._service.kill()

    def close(self) -> None:
        """End the service and remove the private bundle folder."""
        self._consistent = False
        self._held.release()
        self._service = self._bundle = None


@dataclass
class _Held:
    """What a LiveIndex must give back: the service process and the private folder."""

    service: PagefindService | None = None
    folder: Path | None = None

    def release(self) -> None:
        if self.service is not None:
            self.service.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.service = self.folder = None


def scan(site: Path, previous: dict[str, Page], should_stop=lambda: False) -> Changes:
    """Stamp every page of ``site``; read those whose stamp is not one of ``previous``'s."""
    changes = Changes(pages={})
    for number, (name, stamp) in enumerate(html_stamps(site).items()):
        if number % 256 == 0 and should_stop():
            raise Stopped()
        known = previous.get(name)
        if known is not None and known.stamp.unchanged(stamp):
            changes.pages[name] = known
            continue
        try:
            text = (site / name).read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:  # deleted behind the dev loop's back
            continue
        changes.pages[name] = Page(stamp, MARKER_TEXT in text)
        if MARKER_TEXT in text and previous:  # else the index is made anew from the folder
            changes.texts[name] = text
    return changes


def html_stamps(site: Path) -> dict[str, FileStamp]:
    """The stamp of every HTML file under ``site``, by relative name. One scandir per folder and
    one stat per page, no Path objects: a page per folder makes 3,400 folders at 2,000 items, and
    os.walk with pathlib took 0.2 s of the 0.3 s a scan took there."""
    stamps: dict[str, FileStamp] = {}
    folders = [(str(site), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, prefix + entry.name + "/"))
            elif entry.name.endswith(".html"):
                taken = time.time_ns()
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue
                stamps[prefix + entry.name] = FileStamp(st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev,
                                                        st.st_ctime_ns, st.st_nlink, taken)
    return stamps


def unchanged_since(site: Path, pages: dict[str, Page]) -> bool:
    """Are the pages of ``site`` still the files stamped in ``pages`` (none added, gone, replaced)?"""
    now = html_stamps(site)
    return now.keys() == pages.keys() and all(pages[name].stamp.key == stamp.key for name, stamp in now.items())


def _marked(pages: dict[str, Page], site: Path, path: str) -> bool | None:
    page = pages.get(Path(path).relative_to(site).as_posix())
    return None if page is None else page.marked
