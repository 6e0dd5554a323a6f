"""The build's safety net for output paths: every file in the output has one producer.

`invoke check` refuses a page whose path a generated file takes (csoa.validation.outputs lists
them). This guard catches, while Pelican builds, what that list does not foresee: it notes who
writes each file under the output folder, and two producers of one path fail the build naming both.

Two ways of writing are watched, because Pelican's writer hides one of them:
  * every file opened for writing, renamed, linked or symlinked into the output (a Python audit hook:
    the plugins write their feeds, calendars, sitemap, robots.txt and downloads with plain ``open``);
  * every path handed to Pelican's ``Writer._open_w``, which silently skips a write to a path a page's
    ``Save_as`` already overrode (it opens os.devnull instead), or lets the page replace it
    (pelican_internals.noting_opens: the one replacement made in plain builds too).
Notes go to an unlinked O_APPEND file, so the forked render process (csoa.engine.fastbuild.sharding) adds its own.
Every write also makes the build session forget what the writer noted of that page (PageNotes).
The audit hook stays for the life of the process (Python cannot remove one); it looks for the
running build's ledger in the build session and does nothing between builds.
A producer is the content file whose page is written (a local ``page``, ``article``... whose save_as
is the path) or else the function that wrote, e.g. ``csoa.plugins.sitemap.write_sitemap_and_robots``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from functools import partial

from csoa.util.session import BuildSession, current

WATCHED_EVENTS = {"open", "os.rename", "os.link", "os.symlink"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT
PLUMBING = ("pathlib", "shutil", "codecs", "contextlib", "tempfile", "os", "posixpath", "genericpath", "io", "_pyio",
            "pelican.writers", "pelican.utils", "csoa.engine.pelican_internals", "csoa.util.session", __name__)
CONTENT_LOCALS = ("page", "article", "draft", "event", "item", "content", "issue")
FRAMES_WITH_CONTENT = 4  # how far up from the writing function a content item is looked for

# Libraries other than Pelican only carry a producer's write (Pillow's save opens the file that
# csoa.images.variants then renames into place): the producer is the project's or Pelican's code above them.
PRODUCER_PACKAGES = {"pelican", "csoa"}


def _is_plumbing(frame) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module.startswith(PLUMBING) or module.partition(".")[0] not in PRODUCER_PACKAGES


_hook_installed = False  # the audit hook is added once per process
WRITTEN = "output guard: file written"  # the session hook the audit hook calls: callback(path)


class WriteLedger:
    def __init__(self, output_path: str, content_path: str):
        self.root = os.path.abspath(output_path) + os.sep
        self.content_root = os.path.abspath(content_path)
        handle, name = tempfile.mkstemp(prefix="output-claims-")
        self.fd = os.open(name, os.O_RDWR | os.O_APPEND)
        os.close(handle)
        os.unlink(name)  # nothing left behind, whatever happens to the build

    def note(self, path) -> None:
        if isinstance(path, int):
            return  # an open file descriptor: not a path
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(self.root):
            rel = path[len(self.root):]
            line = json.dumps([self.producer(rel), rel]) + "\n"
            os.write(self.fd, line.encode("utf-8", "surrogateescape"))  # one append: atomic between processes

    def producer(self, rel: str) -> str:
        frame = sys._getframe(2)
        while frame is not None and _is_plumbing(frame):
            frame = frame.f_back
        if frame is None:
            return "(unknown)"
        writer, probe = f"{frame.f_globals.get('__name__')}.{frame.f_code.co_qualname}", frame
        for _ in range(FRAMES_WITH_CONTENT):
            if probe is None:
                break
            for name in CONTENT_LOCALS:
                item = probe.f_locals.get(name)
                source = getattr(item, "source_path", None)
                # the item's own page only: a loop's last item lingers while a list of items is written
                if isinstance(source, str) and getattr(item, "save_as", None) == rel:
                    return f"{os.path.basename(self.content_root)}/{os.path.relpath(source, self.content_root)}"
            probe = probe.f_back
        return writer

    def collisions(self) -> list[str]:
        """One message per output path that two producers wrote, sorted by path."""
        os.lseek(self.fd, 0, os.SEEK_SET)
        with os.fdopen(os.dup(self.fd), "rb") as notes:
            producers: dict[str, dict[str, None]] = {}
            for line in notes:
                producer, path = json.loads(line)
                producers.setdefault(path, {})[producer] = None
        messages = []
        for path, who in sorted(producers.items()):
            if len(who) > 1:
                names = sorted(who, key=lambda p: (not p.startswith("content/"), p))
                messages.append(f"{path}: written by {' and by '.join(names)}; expected one producer per output "
                                "file (give the page another Save_as or slug; `invoke check` names the line)")
        return messages

    def close(self) -> None:
        os.close(self.fd)


def _audit(event: str, args: tuple) -> None:
    if event not in WATCHED_EVENTS:
        return
    session = current()
    if session is None:
        return
    if event == "open":
        path, _mode, flags = args
        if isinstance(flags, int) and flags & WRITE_FLAGS:
            session.emit(WRITTEN, path)
    else:
        session.emit(WRITTEN, args[1])  # the destination


@contextlib.contextmanager
def guarded_writes(output_path: str, content_path: str, session: BuildSession) -> Iterator[WriteLedger]:
    """Note every write under ``output_path`` while the block runs (inside ``session.build()``);
    read ``collisions()`` inside it."""
    global _hook_installed
    import csoa.engine.pelican_internals as pelican_internals

    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    ledger = WriteLedger(output_path, content_path)
    session.on(WRITTEN, "output guard", ledger.note)
    session.on(WRITTEN, "page notes", lambda path: None if isinstance(path, int) else session.pages.forget(
        os.fsdecode(path)))
    try:
        with pelican_internals.patched(pelican_internals.noting_opens(partial(session.emit, WRITTEN))):
            yield ledger
    finally:
        session.off(WRITTEN, "output guard")
        session.off(WRITTEN, "page notes")
        ledger.close()
