"""What the writer notes about each page as it writes it, so that a plugin need not read it back.

A plugin names a string to look for (``watch``; search watches ``data-pagefind-body``). For every
page the FastWriter writes, in either render process, the build's ledger keeps the file's stamp
and which watched strings the page holds; ``holds(path, needle)`` answers from it while the file
still has that stamp, and None (read the file yourself) for any other file. A page that a
``content_written`` handler rewrites is not noted. Plain module.
"""

from __future__ import annotations

import os

_watched: list[str] = []


def watch(needle: str) -> None:
    """Note from now on whether each written page holds ``needle``."""
    if needle not in _watched:
        _watched.append(needle)


def watching() -> bool:
    return bool(_watched)


def stamp_of(path: str) -> tuple:
    stat = os.stat(path)
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns)


class PageLedger:
    """Written pages of one build: absolute path -> (stamp, the watched strings the page holds)."""

    def __init__(self):
        self.entries: dict[str, tuple[tuple, frozenset]] = {}

    def note(self, path: str, text: str, stamp_when_written: tuple) -> None:
        """``text`` was written to ``path``, whose stamp was then ``stamp_when_written``; if the file
        changed since (a content_written handler rewrote it), forget it instead."""
        path = os.path.abspath(path)
        try:
            unchanged = stamp_of(path) == stamp_when_written
        except OSError:
            unchanged = False
        if unchanged:
            self.entries[path] = (stamp_when_written, frozenset(n for n in _watched if n in text))
        else:
            self.entries.pop(path, None)

    def update(self, entries: dict) -> None:
        """Take the entries of the other render process."""
        self.entries.update(entries)

    def holds(self, path: str, needle: str) -> bool | None:
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or needle not in _watched:
            return None
        try:
            if stamp_of(path) != entry[0]:
                return None
        except OSError:
            return None
        return needle in entry[1]


def holds(path: str, needle: str) -> bool | None:
    """Whether the page at ``path`` holds ``needle``, if this build wrote it and it is unchanged."""
    from csoa.engine.fastbuild import session

    return session.current().ledger.holds(path, needle)
