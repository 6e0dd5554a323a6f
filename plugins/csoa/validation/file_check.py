"""Each file's own checks, from its bytes: encoding, control characters, the typed header (csoa.model.parse),
tags, template, links and body. What they find depends only on the file, the per-file rules and
which files exist (``probes``), so a long-lived process may reuse it (see remembered.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from csoa.model import tags as tag_checks
from csoa.model.characters import control_characters, field_of_line
from csoa.model.fields import Moment, did_you_mean, shown
from csoa.model.header import Header, HeaderField, parse_header
from csoa.model.parse import Parsed, Site, parse_fields
from csoa.model.schema import Kind
from csoa.validation import body as body_checks
from csoa.validation.report import Finding
from csoa.validation.rules import SiteRules

MAX_ENCODING_ERRORS = 5  # per file: a file in the wrong encoding has a bad byte on most lines
TEMPLATE_NAME_RE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


@dataclass(slots=True)
class Recorded:
    """What the site-wide checks need of one file (the Item without what depends on the build time)."""

    path: str
    rel: str
    kind: str
    is_article: bool
    slug: str
    slug_line: int
    status: str
    status_line: int | None
    date: Moment | None
    date_line: int | None
    url_fields: tuple[tuple[str, object], ...]  # the file's url, lang and save_as, for url_of and save_as_of
    save_as_line: int | None
    uniques: tuple[tuple[str, int, str], ...]
    tags: tuple[tuple[int, str, str], ...]  # (line, tag, slug) for the site-wide tag check
    refs: tuple[tuple[str, int, str], ...]
    links: tuple[tuple[str, int, str, str], ...]


@dataclass(slots=True)
class FileFacts:
    """The result of one file's own checks: a function of its bytes, the per-file rules and ``probes``."""

    errors: tuple[Finding, ...]
    record: Recorded | None  # None when the file could not be read as metadata + body
    probes: tuple[tuple[Path, bool], ...]  # (path, is a file) for every file the checks looked for
    typed: Parsed | None = None  # the typed header (body dropped): the events and the newsletter use it

    def still_valid(self) -> bool:
        """Do the files it looked for still exist (or not) as they did?"""
        return all(path.is_file() == found for path, found in self.probes)


class FileCheck:
    """All checks of one file that depend on nothing but the file, the per-file rules and which
    files exist; ``run()`` returns what they found."""

    def __init__(self, path: Path, rel: str, shown_path: str, kind: Kind, rules: SiteRules):
        self.path, self.rel, self.shown, self.kind, self.rules = path, rel, shown_path, kind, rules
        self.values: dict = {}
        self.lines: dict[str, int] = {}
        self.links: list[tuple[str, int, str, str]] = []
        self.errors: list[Finding] = []
        self.probes: dict[Path, bool] = {}
        self.typed: Parsed | None = None

    def error(self, line: int, name: str, message: str) -> None:
        self.errors.append(Finding(self.shown, line, name, message))

    def is_file(self, path: Path) -> bool:
        """Path.is_file, remembered: the result depends on it."""
        found = self.probes[path] = path.is_file()
        return found

    def run(self) -> FileFacts:
        record = None
        text = self.decode(self.path.read_bytes())
        if text is not None:
            header = parse_header(text)
            self.check_characters(text, header)
            if header.fields:
                self.check_fields(header)
                self.check_body(header)
                record = self.record(header)
            else:
                first = next((line for line in text.splitlines() if line.strip()), "")
                self.error(
                    1,
                    "metadata",
                    f"expected metadata lines like 'Title: ...' at the top of the file, got {shown(first)}",
                )
        return FileFacts(tuple(self.errors), record, tuple(self.probes.items()), self.typed)

    def decode(self, raw: bytes) -> str | None:
        if not raw.strip():
            self.error(1, "file", "expected a metadata header starting with 'Title: ...', got an empty file")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass  # find every bad line (a split at b"\n" never cuts a UTF-8 character)
        bad = []
        for number, line in enumerate(raw.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad.append((number, exc.start, line[exc.start : exc.start + 1]))
        for number, column, byte in bad[:MAX_ENCODING_ERRORS]:
            self.error(
                number,
                "encoding",
                f"expected UTF-8 text, got the byte {byte.hex(' ').upper()} at column {column + 1} (save the file as UTF-8)",
            )
        if len(bad) > MAX_ENCODING_ERRORS:
            self.error(
                bad[MAX_ENCODING_ERRORS][0],
                "encoding",
                f"expected UTF-8 text, got {len(bad) - MAX_ENCODING_ERRORS} more lines with bytes that are not UTF-8",
            )
        return raw.decode("utf-8", errors="replace")  # go on: report the other problems too

    def check_characters(self, text: str, header: Header) -> None:
        for line, column, char in control_characters(text.removeprefix("\ufeff")):
            self.error(line, field_of_line(line, header.fields, header.body_line),
                       f"expected text without control characters, got {char} at column {column} (delete it: "
                       "no page, feed or email can show it)")

    def check_fields(self, header: Header) -> None:
        """The model's typed header (csoa.model.parse), then what only a whole-site check knows: the
        links each field holds, tags and the template. Findings keep the order they are found in."""
        rules, reported = self.rules, 0

        def after_field(item: HeaderField) -> None:
            nonlocal reported
            for problem in parsed_problems[reported:]:
                self.error(problem.line, problem.field, problem.message)
            reported = len(parsed_problems)
            self.check_links(item)

        parsed_problems: list = []
        site = Site(rules.timezone, rules.regions, rules.content_root, self.is_file)
        parsed = parse_fields(header, self.kind, site, after_field=after_field, problems=parsed_problems)
        self.values, self.lines = parsed.values, parsed.lines
        self.typed = parsed.without_body()
        for problem in parsed.problems[reported:]:  # required fields and the kind's rules across fields
            self.error(problem.line, problem.field, problem.message)
        self.check_tags()
        self.check_template()

    def check_template(self) -> None:
        name, known = self.values.get("template"), self.rules.templates
        if name is None or known is None or name in known:
            return
        hint = did_you_mean(name, sorted(known)) if TEMPLATE_NAME_RE.fullmatch(name) else ""
        self.error(self.lines["template"], "template",
                   f"expected the name of a template of the theme like 'page' (without .html){hint}, got {name!r}, "
                   "which the theme does not have")

    def check_tags(self) -> None:
        for message in tag_checks.file_problems(self.values.get("tags", []), self.rules.slugify):
            self.error(self.lines["tags"], "tags", message)
        allowed = self.rules.allowed_tags.get(self.kind.name)
        if allowed is None:
            return
        for tag in self.values.get("tags", []):
            if tag not in allowed:
                self.error(
                    self.lines["tags"],
                    "tags",
                    f"expected tags of {self.kind.name} from {', '.join(sorted(allowed))}{did_you_mean(tag, allowed)}, got {tag!r}",
                )

    def check_links(self, item: HeaderField) -> None:
        self.check_links_in([(item.line, value) for value in item.values], item.key)

    def check_links_in(self, lines, name: str) -> None:
        root = self.rules.content_root
        for line, written, what, target in body_checks.internal_links(lines, self.path, root):
            problem = body_checks.link_problem(written, target, root, self.is_file)
            if problem:
                self.error(line, name, problem)
            elif what == "filename":
                self.links.append((name, line, written, target.relative_to(root).as_posix()))

    def check_body(self, header: Header) -> None:
        lines = list(body_checks.content_lines(header.body, header.body_line))
        for line, message in body_checks.image_problems(lines):
            self.error(line, "body", message)
        self.check_links_in(lines, "body")
        if self.kind.sections:
            found = body_checks.headings(lines)
            for section in self.kind.sections:
                if body_checks.normalise_heading(section) not in found:
                    got = ", ".join(repr(h) for h in found.values()) or "no headings"
                    self.error(header.body_line, "body", f"expected a section headed '## {section}', got {got}")

    def record(self, header: Header) -> Recorded:
        status = str(self.values.get("status", "published")).lower()
        date = self.values.get("date") if isinstance(self.values.get("date"), Moment) else None
        explicit = self.values.get("slug")
        source = self.values.get("title", "") if self.rules.slugify_source == "title" else self.path.stem
        slug = explicit or self.rules.slugify(str(source))
        return Recorded(
            path=self.shown,
            rel=self.rel,
            kind=self.kind.name,
            is_article=self.kind.is_article,
            slug=slug,
            slug_line=self.lines.get("slug") or self.lines.get("title") or header.fields[0].line,
            status=status,
            status_line=self.lines.get("status"),
            date=date,
            date_line=self.lines.get("date"),
            url_fields=tuple((name, self.values[name]) for name in ("url", "lang", "save_as") if name in self.values),
            save_as_line=self.lines.get("save_as") if "save_as" in self.values else None,
            uniques=tuple((name, self.lines[name], str(self.values[name])) for name in self.kind.unique
                          if name in self.values),
            tags=tuple((self.lines["tags"], tag, self.rules.slugify(tag)) for tag in self.values.get("tags", [])),
            refs=tuple((name, self.lines[name], ref) for name in REF_FIELDS for ref in self.values.get(name, [])),
            links=tuple(self.links),
        )


REF_FIELDS = ("pin", "exclude", "order", "web-only", "email-only")


