"""Field types of the content schema: each turns the raw text of a metadata field into a value or
explains what it expected.

A type's ``parse(text, ctx)`` returns the value or raises ``Invalid(expected, got)``; the validator
adds the file, line and field name to make the message an editor can act on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class Invalid(ValueError):
    def __init__(self, expected: str, got: str):
        super().__init__(f"expected {expected}, got {got}")
        self.expected = expected
        self.got = got


def shown(text: str, limit: int = 60) -> str:
    """The editor's value, quoted and shortened for a message."""
    return repr(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest choice (compared case-insensitively), or nothing."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {shown(by_lower[close[0]])}?)" if close else ""


@dataclass
class Context:
    """What a field type may need to know about the site and the file."""

    tz: tzinfo  # naive dates and times are taken in this zone (the site's or the event's)
    regions: dict
    content_root: object  # pathlib.Path of the content folder (only ImagePath touches the disk)
    is_file: Callable[[Path], bool] = Path.is_file  # the validator records what it looked up


class FieldType:
    expected = "a value"
    multiline = False  # continuation lines allowed (Pelican joins them for formatted fields)

    def parse(self, text: str, ctx: Context):
        raise NotImplementedError

    def describe(self, ctx: Context) -> str:
        return self.expected


class Text(FieldType):
    def __init__(self, max_length: int | None = None, multiline: bool = False, what: str = "text"):
        self.max_length = max_length
        self.multiline = multiline
        self.expected = what + (f" of at most {max_length} characters" if max_length else "")

    def parse(self, text, ctx):
        if not text.strip():
            raise Invalid(self.expected, "an empty value")
        if self.max_length and len(text) > self.max_length:
            raise Invalid(self.expected, f"{len(text)} characters ({shown(text, 40)})")
        return text


class Slug(FieldType):
    expected = "a slug of lower-case letters, digits and hyphens like 'membership-passes-425'"
    PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

    def parse(self, text, ctx):
        if not self.PATTERN.match(text):
            raise Invalid(self.expected, shown(text))
        return text


DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
DATE_EXAMPLE = "2016-07-08"
DATETIME_EXAMPLE = "2016-07-08 09:00 +01:00"


@dataclass(frozen=True)
class Moment:
    """A date, or a date and time; ``at`` is tz-aware (naive input is taken in the context's zone)."""

    day: date
    at: datetime
    has_time: bool

    def __str__(self):
        return self.day.isoformat() if not self.has_time else as_written(self.at)


def as_written(moment: datetime) -> str:
    """A date-time the way editors write it: 2016-07-08 09:00 +01:00."""
    offset = moment.strftime("%z")
    return moment.strftime("%Y-%m-%d %H:%M ") + offset[:3] + ":" + offset[3:5]


def _offset(text: str) -> tzinfo:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _date(text: str) -> date:
    match = DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    return date(*map(int, match.groups()))


def localise(naive: datetime, tz: tzinfo) -> datetime:
    return naive.replace(tzinfo=tz)  # zoneinfo resolves the offset (fold=0 for ambiguous times)


def exists(naive: datetime, tz: tzinfo) -> bool:
    """False for a wall-clock time in a spring-forward gap (it does not survive a round trip via UTC)."""
    return localise(naive, tz).astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) == naive


class DateOnly(FieldType):
    expected = f"a date like {DATE_EXAMPLE}"

    def parse(self, text, ctx):
        try:
            day = _date(text.strip())
        except ValueError:
            raise Invalid(self.expected, shown(text)) from None
        return Moment(day, localise(datetime.combine(day, time()), ctx.tz), False)


class DateTime(FieldType):
    """A date (midnight, or all-day for events) or a date and time with an optional offset."""

    expected = f"a date like {DATE_EXAMPLE} or {DATETIME_EXAMPLE}"

    def parse(self, text, ctx):
        text = text.strip()
        try:
            if DATE_RE.match(text):
                return DateOnly().parse(text, ctx)
            match = DATETIME_RE.match(text)
            if not match:
                raise ValueError(text)
            day = _date(match.group("date"))
            clock = time(int(match.group("h")), int(match.group("m")), int(match.group("s") or 0))
            naive = datetime.combine(day, clock)
            at = naive.replace(tzinfo=_offset(match.group("tz"))) if match.group("tz") else localise(naive, ctx.tz)
        except ValueError:
            raise Invalid(self.expected, shown(text)) from None
        if not match.group("tz") and not exists(naive, ctx.tz):
            raise Invalid(f"a time that exists in {ctx.tz} (clocks skip it when summer time starts)", shown(text))
        return Moment(day, at, True)


class Int(FieldType):
    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum
        self.expected = "a whole number" + _range_words(minimum, maximum)

    def parse(self, text, ctx):
        if not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise Invalid(self.expected, shown(text))
        return _in_range(int(text), text, self)


class Float(FieldType):
    def __init__(self, minimum: float | None = None, maximum: float | None = None, what: str = "a number"):
        self.minimum, self.maximum = minimum, maximum
        self.expected = what + _range_words(minimum, maximum)

    def parse(self, text, ctx):
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text.strip()):
            raise Invalid(self.expected, shown(text))
        return _in_range(float(text), text, self)


def _range_words(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""


def _in_range(value, text, kind):
    if (kind.minimum is not None and value < kind.minimum) or (kind.maximum is not None and value > kind.maximum):
        raise Invalid(kind.expected, shown(text))
    return value


class Bool(FieldType):
    expected = "yes or no"
    VALUES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

    def parse(self, text, ctx):
        try:
            return self.VALUES[text.strip().lower()]
        except KeyError:
            raise Invalid(self.expected, shown(text)) from None


class Enum(FieldType):
    """One of fixed choices, or of the site's REGIONS (``choices="REGIONS"``)."""

    def __init__(self, choices, ignore_case: bool = False):
        self.choices = choices
        self.ignore_case = ignore_case  # Pelican lower-cases `status` itself

    def describe(self, ctx) -> str:
        return "one of " + ", ".join(self.allowed(ctx))

    def allowed(self, ctx) -> list[str]:
        return list(ctx.regions) if self.choices == "REGIONS" else list(self.choices)

    def parse(self, text, ctx):
        allowed = self.allowed(ctx)
        if text in allowed:
            return text
        if self.ignore_case and text.lower() in allowed:
            return text.lower()
        labels = {str(label).lower(): key for key, label in ctx.regions.items()} if self.choices == "REGIONS" else {}
        hint = (
            f" (did you mean {shown(labels[text.lower()])}?)" if text.lower() in labels else did_you_mean(text, allowed)
        )
        raise Invalid(self.describe(ctx) + hint, shown(text))


class ListOf(FieldType):
    """Comma-separated (or semicolon-separated, as Pelican splits tags) items; continuation lines add items."""

    multiline = True

    def __init__(self, item: FieldType, what: str = "a comma-separated list"):
        self.item = item
        self.expected = f"{what}, each {item.expected}"

    @staticmethod
    def split(lines: list[str]) -> list[str]:
        items = []
        for line in lines:
            items += [part.strip() for part in line.split(";" if ";" in line else ",")]
        return items

    def parse_lines(self, lines: list[str], ctx):
        items = self.split(lines)
        if not any(items):
            raise Invalid(self.expected, "an empty value")
        values, problems = [], []
        for item in items:
            if not item:
                problems.append(Invalid(self.expected, f"an empty item in {shown(', '.join(lines))}"))
                continue
            try:
                values.append(self.item.parse(item, ctx))
            except Invalid as bad:
                problems.append(bad)
        if problems:  # name every bad item, not only the first
            raise Invalid(problems[0].expected, " and ".join(dict.fromkeys(p.got for p in problems)))
        return values


class Url(FieldType):
    expected = "an absolute http(s) URL like https://example.org/register"

    def parse(self, text, ctx):
        text = text.strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname or " " in text:
            raise Invalid(self.expected, shown(text))
        return text


class Timezone(FieldType):
    expected = "an IANA time zone like Europe/London"

    def parse(self, text, ctx):
        text = text.strip()
        try:
            if text not in _zones():
                raise ZoneInfoNotFoundError(text)
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(self.expected + did_you_mean(text, _zones()), shown(text)) from None


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


class Country(FieldType):
    expected = "a country name or ISO 3166 code like 'United Kingdom' or 'GB'"

    def parse(self, text, ctx):
        import pycountry

        try:
            return pycountry.countries.lookup(text.strip())
        except LookupError:
            names = [c.name for c in pycountry.countries]
            raise Invalid(self.expected + did_you_mean(text, names), shown(text)) from None


IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"}
LINK_PREFIX_RE = re.compile(r"^[{|](static|attach|filename)[}|]")


class ImagePath(FieldType):
    """A local image under the content folder: ``images/x.jpg``, ``/images/x.jpg`` or ``{static}/images/x.jpg``."""

    expected = "the path of an image under content/, like images/athens-2016.jpg"

    def parse(self, text, ctx):
        raw = text.strip()
        rel = LINK_PREFIX_RE.sub("", raw).lstrip("/")
        path = PurePosixPath(rel)
        if not rel or "://" in raw or ".." in path.parts or path.suffix.lower() not in IMAGE_SUFFIXES:
            raise Invalid(self.expected + " (" + ", ".join(sorted(IMAGE_SUFFIXES)) + ")", shown(raw))
        if not ctx.is_file(ctx.content_root / rel):
            raise Invalid(self.expected, f"{shown(raw)}, which does not exist")
        return rel


class ContentRef(FieldType):
    """A content path (``news/x.md``) or a slug; resolved against all files after every file is read."""

    expected = "a content path like news/2016-07-08-x.md or a slug"

    def parse(self, text, ctx):
        text = text.strip()
        if not text or " " in text:
            raise Invalid(self.expected, shown(text))
        return text


class Pattern(FieldType):
    """Text matching a regular expression (e.g. an identifier another part of the site requires)."""

    def __init__(self, regex: str, what: str):
        self.regex = re.compile(regex)
        self.expected = what

    def parse(self, text, ctx):
        text = text.strip()
        if not self.regex.fullmatch(text):
            raise Invalid(self.expected, shown(text))
        return text


class OutputPath(FieldType):
    """Where a page is written, relative to the output folder: Pelican refuses a path that leaves it
    (``../x``, ``/tmp/x``) only while it builds, and a folder (``x/``) is no file."""

    expected = "a file path inside the site like 'about/index.html' (relative, without '..')"

    def parse(self, text, ctx):
        text = text.strip()
        parts = text.split("/")
        if not text or "\\" in text or ":" in text or any(part in ("", ".", "..") for part in parts):
            raise Invalid(self.expected, shown(text))
        return text
