"""CSV records with the physical lines they came from, for files written by people and other tools.

Python's csv reader, left alone, lets one unbalanced quote swallow the rest of a file into a single
cell, and a DictReader hides surplus cells and repeated column names. Here every physical line ends
up in exactly one place - the header, one record (a quoted line break makes a record span several
lines), a blank line, or a malformed line - so a report can account for all of them. A malformed
record costs only its first line: reading resumes on the next line, so one stray quote does not
take the rows after it along.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

# C0 and C1 control characters other than tab and line breaks, and the two non-characters: never
# valid in XML (so lxml refuses the page) and invisible in a browser.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class InputFileError(ValueError):
    """The file as a whole cannot be read (encoding, header); the message names file and line."""


@dataclass(slots=True)  # not frozen: a frozen init costs a second per million rows
class Record:
    start: int  # first physical line (1-based)
    end: int  # last physical line
    cells: list[str] | None  # None when the line is malformed
    problem: str = ""  # why the line is malformed, in the editor's words

    @property
    def lines(self) -> str:
        return f"line {self.start}" if self.start == self.end else f"lines {self.start}-{self.end}"


def decode(path: str | Path) -> str:
    """The file as text; not UTF-8 is a file-level error naming the line and the byte.

    Other encodings are not guessed: a Latin-1, Windows-1252 or Mac Roman file cannot be told apart
    reliably from its bytes, and a wrong guess would publish garbled names without a warning.
    """
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputFileError(
            f"{path}, line {line}: byte 0x{raw[exc.start]:02X} (character {column} of the line) is not UTF-8; "
            "expected UTF-8 text (this file looks like Latin-1 or Windows-1252: save it as UTF-8 and import again)"
        ) from None


def _plain(message: str) -> str:
    """csv's messages, said for an editor."""
    if "end of data" in message:
        return "a quote opened on this line is never closed (unbalanced quote)"
    if "expected after" in message:
        return 'a quote closes in the middle of a cell (unbalanced quote; inside a quoted cell write "" for a quote)'
    if "field limit" in message:
        return f"a cell longer than the CSV field limit of {csv.field_size_limit():,} characters (often an unbalanced quote)"
    return f"malformed CSV ({message})"


def split_lines(text: str) -> list[str]:
    """Physical lines as the csv module counts them (\\n, \\r\\n or \\r), endings kept."""
    return io.StringIO(text, newline="").readlines()


def records(lines: list[str], first: int = 0):
    """Yield a Record for every record or malformed line of ``lines[first:]``; blank lines are
    records with no cells."""
    position = first  # index of the next unread line
    while position < len(lines):
        rest = iter(lines)
        rest.__setstate__(position)  # a list iterator starts anywhere in O(1); islice would walk there
        reader = csv.reader(rest, strict=True)
        consumed = 0
        try:
            for cells in reader:
                start = position + consumed + 1
                consumed = reader.line_num
                yield Record(start, position + consumed, cells)
            return
        except csv.Error as exc:
            start = position + consumed + 1
            yield Record(start, start, None, _plain(str(exc)))
            position = start  # resume on the line after the malformed one


def read_header(lines: list[str], path: str | Path) -> tuple[list[str], int]:
    """The header's column names (stripped) and the number of lines it spans; file-level errors
    for an empty file, a malformed header and a column name that appears twice."""
    first = next(records(lines), None)
    if first is None or first.cells == []:
        raise InputFileError(f"{path}, line 1: the file is empty or starts with a blank line; expected a header row")
    if first.cells is None:
        raise InputFileError(f"{path}, line 1: the header row is malformed: {first.problem}")
    header = [name.strip() for name in first.cells]
    seen: dict[str, int] = {}
    for number, name in enumerate(header, 1):
        if name in seen and name:
            raise InputFileError(f"{path}, line 1: column {name!r} appears twice (columns {seen[name]} and {number}); "
                                 "expected each column name once")
        seen.setdefault(name, number)
    return header, first.end


def row_problem(record: Record, width: int) -> str:
    """Why a record cannot be a row of a table with ``width`` columns ('' when it can)."""
    if record.cells is None:
        return record.problem
    if len(record.cells) != width:
        more = "more" if len(record.cells) > width else "fewer"
        return f"{len(record.cells)} cells, {more} than the header's {width} columns (expected one cell per column)"
    return ""


def control_characters(value: str) -> str:
    """The control characters in ``value`` as U+XXXX at their positions ('' when none)."""
    return ", ".join(f"U+{ord(m.group()):04X} at character {m.start() + 1}" for m in CONTROL_CHARACTERS.finditer(value))


@dataclass
class Rejection:
    """A row (or malformed line) that did not enter the table, and why."""

    row: int  # first physical line of the record
    reason: str
    cells: dict = field(default_factory=dict)
    end: int = 0  # last physical line, when the record spans several

    @property
    def where(self) -> str:
        return f"row {self.row}" + (f" (lines {self.row}-{self.end})" if self.end > self.row else "")


@dataclass
class LineCount:
    """Where the physical lines of a file went: header + lines in rows + blank = total."""

    total: int = 0
    header: int = 0
    in_rows: int = 0
    blank: int = 0

    def balanced(self) -> bool:
        return self.total == self.header + self.in_rows + self.blank


@dataclass
class SourceRows:
    """What a reader made of a file: the records with their row numbers, the rejected rows, the
    notes on cells it cleaned, and where every physical line went."""

    rows: list = field(default_factory=list)  # [(row, record)]
    rejected: list = field(default_factory=list)  # [Rejection]
    cleaned: list = field(default_factory=list)  # [(row, field, what was done)]
    read: int = 0
    lines: LineCount = field(default_factory=LineCount)


def clean_text(value: str) -> tuple[str, str]:
    """``value`` without control characters, and a note of what was removed ('' when nothing)."""
    found = control_characters(value)
    return (CONTROL_CHARACTERS.sub("", value), f"removed {found}") if found else (value, "")


class SourceFile:
    """A third party's CSV: decoded, header read, and its rows with the lines counted.

    Iterate ``rows()`` once: it yields (record, cells by column, problem) for every non-blank
    record after the header, where problem is '' for a row that has one cell per column."""

    def __init__(self, path: str | Path, progress=None):
        self.path = Path(path)
        self.lines = split_lines(decode(path))
        self.header, header_lines = read_header(self.lines, path)
        self.count = LineCount(total=len(self.lines), header=header_lines)
        self._progress = progress

    def rows(self):
        width = len(self.header)
        for record in records(self.lines, self.count.header):
            if record.cells == []:
                self.count.blank += 1
                continue
            self.count.in_rows += record.end - record.start + 1
            if self._progress:
                self._progress()
            problem = row_problem(record, width)
            yield record, (dict(zip(self.header, record.cells)) if not problem else {}), problem

    def well_formed_rows(self, out: "SourceRows"):
        """(line, row) of each well-formed row; every row is counted in ``out.read`` and each malformed
        one goes to ``out.rejected`` (both importers read their files this way)."""
        for record, row, problem in self.rows():
            out.read += 1
            if problem:
                out.rejected.append(self.rejection(record, problem))
                continue
            yield record, row

    def rejection(self, record: Record, reason: str, cells: dict | None = None) -> Rejection:
        if cells is None:  # a malformed line: keep its text for the rejected-rows file
            cells = {"(line)": "".join(self.lines[record.start - 1 : record.end]).rstrip("\r\n")}
        return Rejection(record.start, reason, cells, record.end)
