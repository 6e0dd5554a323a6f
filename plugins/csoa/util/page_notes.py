"""What a build knows about the pages it wrote, so that a plugin need not read them back. Plain Python.

A plugin registers a probe: a name and a function of a page's text (search: does it hold
``data-pagefind-body``?). The engine's writer reports every page it writes (``note``), in
whichever process renders it, and the probes' answers are kept by absolute path. Any later write
to that path (a ``content_written`` handler, another plugin) makes the build forget the page
(``forget``: the output guard sees every write), so ``fact`` answers only for pages whose file is
still the text that was probed; None means "read the file yourself". The answers are plain values,
so the forked renderer sends its notes back to the main process (``entries``/``update``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable


class PageNotes:
    def __init__(self) -> None:
        self._probes: dict[str, Callable[[str], Hashable]] = {}
        self.entries: dict[str, dict[str, Hashable]] = {}  # absolute path -> {probe name: answer}

    def probe(self, name: str, answer: Callable[[str], Hashable]) -> None:
        """From now on, note ``answer(text)`` of every page written (before the build renders)."""
        self._probes[name] = answer

    @property
    def probing(self) -> bool:
        return bool(self._probes)

    def note(self, path: str, text: str) -> None:
        """The writer wrote ``text`` to ``path`` (and nothing has written it since)."""
        self.entries[os.path.abspath(path)] = {name: answer(text) for name, answer in self._probes.items()}

    def forget(self, path: str) -> None:
        """``path`` is being written by someone: what was noted of it no longer holds."""
        if self.entries:
            self.entries.pop(os.path.abspath(path), None)

    def update(self, entries: dict) -> None:
        """Take the notes of the other render process."""
        self.entries.update(entries)

    def fact(self, path: str, name: str) -> Hashable | None:
        """Probe ``name``'s answer for the page at ``path``; None when the build did not note it."""
        noted = self.entries.get(os.path.abspath(path))
        return None if noted is None else noted.get(name)
