"""Freeze event UIDs: write a ``Uid:`` line into event files that do not have one yet.

An event without ``Uid:`` gets its UID from its file name (see csoa.model.stable_ids), which a rename
would change, duplicating the event in members' calendars. Writing the current default into the
file keeps the UID members already have while making it independent of the file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from csoa.model.header import parse_header
from csoa.model.stable_ids import default_uid

LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def missing_uids(content: Path, folder: str = "events") -> list[tuple[Path, str]]:
    """(file, the UID it has today) for every event file without a Uid: field."""
    result = []
    for path in sorted((content / folder).rglob("*.md")):
        if parse_header(path.read_text(encoding="utf-8")).get("uid") is None:
            result.append((path, default_uid(path.relative_to(content).as_posix())))
    return result


def add_uid_line(path: Path, uid: str) -> None:
    """Insert ``Uid: <uid>`` after the Title field (or the header's first field), keeping every other byte."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    after = header.get("title") or (header.fields[0] if header.fields else None)
    at = after.last_line if after else 0  # (a file without a header: the line goes first)
    lines = LINE_RE.findall(text)  # the header parser's lines: CR LF, CR and LF end one, nothing else
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    lines.insert(at, f"Uid: {uid}{newline}")
    path.write_text("".join(lines), encoding="utf-8")
