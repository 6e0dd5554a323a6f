"""Control characters: text that no page, feed or email can carry.

XML (the feeds, the sitemap) refuses C0 controls but tab and newline ("All strings must be XML
compatible"), the email renderer stops at them, and in HTML they are invisible or replaced. So a
content file may hold none of them, nor DEL, the C1 controls or the non-characters U+FFFE/U+FFFF;
the build would otherwise fail naming no file. Plain Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
         "\x1b": "ESC", "\x7f": "DEL"}
MAX_PER_FILE = 5  # a file full of them (a binary saved as .md) needs one look, not a thousand lines


def control_characters(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, description) of the first control character on each line that has one,
    numbered as the header parser numbers lines (CR LF and CR end a line)."""
    if not CONTROL_RE.search(text):
        return  # nearly every file: one scan
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = 0
    for number, line in enumerate(lines, start=1):
        match = CONTROL_RE.search(line)
        if match:
            char = match.group(0)
            name = NAMES.get(char, "a control character")
            yield number, match.start() + 1, f"U+{ord(char):04X} ({name})"
            found += 1
            if found == MAX_PER_FILE:
                return


def field_of_line(number: int, fields, body_line: int) -> str:
    """The metadata field a line belongs to (continuation lines included), else ``body``."""
    for item in fields:
        if item.line <= number < item.line + len(item.values):
            return item.key
    return "body" if number >= body_line else "metadata"
