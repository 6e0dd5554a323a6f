"""Freeze event UIDs: write a ``Uid:`` line into event files that do not have one yet.

An event without ``Uid:`` gets its UID from its file name (see csoa.model.stable_ids), which a rename
would change, duplicating the event in members' calendars. Writing the current default into the
file keeps the UID members already have while making it independent of the file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from csoa.model.stable_ids import default_uid

_FIELD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:")


def header_fields(text: str) -> list[str]:
    """The lower-case field names of a markdown metadata header (up to the first blank line)."""
    names = []
    for line in text.splitlines():
        if not line.strip():
            break
        if m := _FIELD.match(line):
            names.append(m.group(1).lower())
    return names


def missing_uids(content: Path, folder: str = "events") -> list[tuple[Path, str]]:
    """(file, the UID it has today) for every event file without a Uid: field."""
    result = []
    for path in sorted((content / folder).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "uid" not in header_fields(text):
            result.append((path, default_uid(path.relative_to(content).as_posix())))
    return result


def add_uid_line(path: Path, uid: str) -> None:
    """Insert ``Uid: <uid>`` after the Title line (or first line), keeping everything else."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.lower().startswith("title:")), 1)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    lines.insert(at, f"Uid: {uid}{newline}")
    path.write_text("".join(lines), encoding="utf-8")
