"""Read a markdown file's metadata header the way Pelican's markdown reader does, keeping line numbers.

Pelican hands markdown files to python-markdown's ``meta`` extension: ``Key: value`` lines up to the
first blank line (or a ``---`` / ``...`` line), keys case-insensitive, lines indented by four or more
spaces continue the previous field, and an optional ``---`` first line is skipped. We re-implement
those rules (same regular expressions) because the extension throws the line numbers away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The patterns of markdown.extensions.meta, so that both readers agree on every header.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")
TAB_LENGTH = 4  # python-markdown expands tabs before its preprocessors run


@dataclass
class HeaderField:
    key: str  # lower-case, as Pelican sees it
    written: str  # as the editor wrote it (for messages)
    line: int  # 1-based line of the ``Key:`` line
    values: list[str] = field(default_factory=list)  # the first line's value, then continuation lines

    @property
    def text(self) -> str:
        return " ".join(v for v in self.values if v)

    @property
    def last_line(self) -> int:
        """The 1-based line of its last continuation line (the ``Key:`` line when it has none)."""
        return self.line + len(self.values) - 1


@dataclass
class Header:
    fields: list[HeaderField]
    body_line: int  # 1-based line where the body starts (after the header)
    body: str

    def get(self, key: str) -> HeaderField | None:
        """The first field named ``key`` (any case), as python-markdown's meta would see it, or None."""
        key = key.lower()
        return next((f for f in self.fields if f.key == key), None)


def normalise(text: str) -> str:
    """The whitespace normalisation python-markdown applies before reading the header."""
    text = text.removeprefix("\ufeff")  # pelican_open drops a byte-order mark
    text = text.replace("\x02", "").replace("\x03", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.expandtabs(TAB_LENGTH)


def parse_header(text: str) -> Header:
    """Split ``text`` into its metadata fields (with line numbers) and its body."""
    lines = normalise(text).split("\n")
    fields: list[HeaderField] = []
    index = 0
    if lines and BEGIN_RE.match(lines[0]):
        index = 1
    current: HeaderField | None = None
    while index < len(lines):
        line = lines[index]
        if line.strip() == "" or END_RE.match(line):
            index += 1  # the blank line or end marker belongs to the header
            break
        match = META_RE.match(line)
        if match:
            current = HeaderField(
                key=match.group("key").lower().strip(),
                written=match.group("key"),
                line=index + 1,
                values=[match.group("value").strip()],
            )
            fields.append(current)
        else:
            more = META_MORE_RE.match(line)
            if not (more and current):
                break  # not metadata: the body starts here
            current.values.append(more.group("value").strip())
        index += 1
    return Header(fields=fields, body_line=index + 1, body="\n".join(lines[index:]))
