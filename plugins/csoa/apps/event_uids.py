"""Freeze event UIDs: write a ``Uid:`` line into event files that do not have one yet.

An event without ``Uid:`` gets its UID from its file name (see csoa.model.stable_ids), which a rename
would change, duplicating the event in members' calendars. Writing the current default into the
file keeps the UID members already have while making it independent of the file name.
"""

from __future__ import annotations

import re
import sys
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


def run_event_uids(root: Path, write: bool = False, out=sys.stdout) -> int:
    """`invoke event-uids`: list (or, with ``write``, add) the Uid: line each event file lacks."""
    missing = missing_uids(root / "content")
    for path, uid in missing:
        if write:
            add_uid_line(path, uid)
        print(f"{path.relative_to(root)}: {'added' if write else 'add'} 'Uid: {uid}'", file=out)
    if not missing:
        print("Every event has a Uid: field.", file=out)
    return 0
