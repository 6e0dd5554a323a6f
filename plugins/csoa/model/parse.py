"""Parse a file's metadata header against its kind: the one place where field values are typed and
checked. The validator (every file, `invoke check`), the events and the newsletter all use the
values and problems found here, so a field means the same everywhere and is checked once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from csoa.model.fields import Context, Invalid, ListOf, did_you_mean
from csoa.model.header import Header, HeaderField, parse_header
from csoa.model.regions import site_regions
from csoa.model.schema import Kind


@dataclass(frozen=True)
class Problem:
    """One finding in one file: the line, the field (lower-case, as Pelican sees it) and the message."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass
class Parsed:
    """A file's header as the content model reads it: typed values by field, each field's line, and
    every problem found (all at once, never only the first)."""

    header: Header
    values: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""  # the name of the kind it was typed as

    def without_body(self) -> Parsed:
        """The same typed header without the body text (what a long-lived memory keeps)."""
        return replace(self, header=replace(self.header, body=""))

    @property
    def ok(self) -> bool:
        return not self.problems

    def line_of(self, name: str) -> int:
        """The field's line, else the header's first line (where a missing field is reported)."""
        return self.lines.get(name) or (self.header.fields[0].line if self.header.fields else 1)


@dataclass(frozen=True)
class Site:
    """What the field types need to know of the site: its zone, filing regions and content folder."""

    timezone: tzinfo
    regions: dict  # {key: label} of the regions content may be filed under
    content_root: Path
    is_file: Callable[[Path], bool] = Path.is_file  # the validator records what it looked up

    @classmethod
    def from_settings(cls, settings) -> Site:
        """The site of a build's settings (its TIMEZONE, filing regions and PATH)."""
        return cls(ZoneInfo(settings.get("TIMEZONE") or "UTC"), site_regions(settings).filed,
                   Path(os.path.abspath(settings["PATH"])))


def context(header: Header, kind: Kind, site: Site) -> Context:
    """The field types' context for this file: naive times are in the kind's zone field when the
    file gives a valid one (an event's Timezone:), else in the site's zone."""
    zone = site.timezone
    for item in header.fields:
        if kind.timezone_field and item.key == kind.timezone_field:
            try:
                zone = kind.fields[kind.timezone_field].type.parse(item.text, None)
            except Invalid:
                pass  # reported with the other fields
    return Context(tz=zone, regions=site.regions, content_root=site.content_root, is_file=site.is_file)


def parse_fields(header: Header, kind: Kind, site: Site,
                 after_field: Callable[[HeaderField], None] | None = None, problems: list | None = None) -> Parsed:
    """Type every field of ``header`` by ``kind``'s schema, then apply its required fields and rules
    across fields. ``after_field`` sees each known field once, in order, after its problems are in
    ``problems`` (the list Parsed.problems will be; the validator checks links there)."""
    parsed = Parsed(header, problems=problems if problems is not None else [], kind=kind.name)
    ctx = context(header, kind, site)
    for item in header.fields:
        if item.key in parsed.lines:
            parsed.problems.append(Problem(item.line, item.key, f"expected each field once, got {item.written!r} "
                                                                f"again (first on line {parsed.lines[item.key]})"))
            continue
        parsed.lines[item.key] = item.line
        spec = kind.fields.get(item.key)
        if spec is None:
            parsed.problems.append(Problem(item.line, item.key, f"expected a field of {kind.name}"
                                           f"{did_you_mean(item.key, kind.fields)}, got the unknown field {item.written!r}"))
            continue
        _parse_field(parsed, item, spec.type, ctx)
        if after_field:
            after_field(item)
    if header.fields:
        for name, spec in kind.fields.items():
            if spec.required and name not in parsed.lines:
                parsed.problems.append(Problem(header.fields[0].line, name, f"expected the {name} field "
                                               f"({name.capitalize()}: {spec.type.describe(ctx)}), got none"))
    for rule in kind.checks:
        for name, line, message in rule(parsed.values, parsed.lines, kind.name):
            parsed.problems.append(Problem(line, name, message))
    return parsed


def _parse_field(parsed: Parsed, item: HeaderField, kind_type, ctx: Context) -> None:
    if len(item.values) > 1 and not kind_type.multiline:
        parsed.problems.append(Problem(item.line, item.key, f"expected a single line, got {len(item.values)} lines "
                                                            "(lines indented by 4 spaces continue a field)"))
        return
    try:
        if isinstance(kind_type, ListOf):
            parsed.values[item.key] = kind_type.parse_lines(item.values, ctx)
        else:
            text = "\n".join(item.values) if kind_type.multiline else item.values[0]
            parsed.values[item.key] = kind_type.parse(text, ctx)
    except Invalid as bad:
        parsed.problems.append(Problem(item.line, item.key, str(bad)))


def parse_text(text: str, kind: Kind, site: Site) -> Parsed:
    """A file's text, parsed: its header (Pelican's markdown-reader rules) and its typed fields."""
    return parse_fields(parse_header(text), kind, site)


def parse_mapping(meta: dict, kind: Kind, site: Site) -> Parsed:
    """Metadata given as ``{field: text}`` (no file, so no lines: line 0), parsed like a header."""
    fields = [HeaderField(key=str(k).lower(), written=str(k), line=0, values=str(v).strip().split("\n"))
              for k, v in meta.items() if v is not None]
    return parse_fields(Header(fields=fields, body_line=0, body=""), kind, site)
