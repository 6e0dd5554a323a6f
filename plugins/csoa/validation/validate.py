"""Validate a whole content tree against the schema, from the raw files, and report every problem.

Plain Python: it reads files and a settings mapping and knows nothing of Pelican, so ``invoke check``,
the build and the tests run the same code. Every finding names the file (relative to the content
root's parent, e.g. ``content/news/x.md``), the line, the field, and what was expected.

What one file's checks find depends only on its bytes, the per-file rules and which files exist; it
is kept in memory (FileFacts, in a CheckedFilesMemory the caller passes: the build session's) and
reused while the file's stamp, the rules and those files are unchanged, so a long-lived process
(the dev loop) re-checks only edited files. The checks across
files and those that depend on the build time run over every file on every validation.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from csoa.model import tags as tag_checks
from csoa.model.characters import control_characters, field_of_line
from csoa.model.fields import Context, Invalid, ListOf, Moment, as_written, did_you_mean, shown
from csoa.model.header import Header, HeaderField, parse_header
from csoa.model.schema import ARTICLE, KINDS, Kind
from csoa.util.stamps import FileStamp
from csoa.util.walk import files_under
from csoa.validation import body as body_checks
from csoa.validation import claims

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}
OTHER_READER_SUFFIXES = {".rst", ".html", ".htm"}  # Pelican would read these too, unchecked
MAX_ENCODING_ERRORS = 5  # per file: a file in the wrong encoding has a bad byte on most lines
TEMPLATE_NAME_RE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Item:
    """What the cross-file checks need to know about one content file."""

    path: str  # as shown in messages: content/news/x.md
    rel: str  # relative to the content root: news/x.md
    kind: str
    slug: str
    slug_line: int
    url: str
    status: str
    date: Moment | None
    scheduled_by_date: bool = True  # articles wait for their date; pages and newsletters do not
    refs: list[tuple[str, int, str]] = field(default_factory=list)  # (field, line, path or slug) to resolve
    links: list[tuple[str, int, str, str]] = field(
        default_factory=list
    )  # (field, line, link, target rel) of {filename} links
    save_as: list[str] = field(default_factory=list)  # the output files it is written to
    save_as_line: int | None = None  # the line of its Save_as field, if it has one
    uniques: tuple[tuple[str, int, str], ...] = ()  # (field, line, value) of the kind's unique fields

    def publishes_at(self, now: datetime) -> datetime | None:
        """When the item appears on the site (None: never, it is a draft)."""
        if self.status == "draft":
            return None
        return max(self.date.at, now) if self.date and self.scheduled_by_date else now


@dataclass
class Report:
    errors: list[Finding] = field(default_factory=list)
    infos: list[Finding] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    files_checked: int = 0
    files_reused: int = 0  # of those, files whose own checks were not run again (unchanged since)

    @property
    def ok(self) -> bool:
        return not self.errors


def simple_slugify(text: str) -> str:
    """Stand-in for Pelican's slugify when none is given (the glue passes Pelican's own)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class SiteRules:
    """The settings the validator needs, taken from a Pelican settings mapping."""

    content_root: Path
    timezone: ZoneInfo
    regions: dict
    build_now: datetime
    kinds: dict[str, Kind]  # top folder -> its kind
    static_paths: list[str]
    settings: Mapping
    slugify: Callable[[str], str] = simple_slugify
    allowed_tags: dict[str, set[str]] = field(default_factory=dict)
    slugify_source: str = "title"
    templates: frozenset[str] | None = None  # names a Template: field may give (None: not checked)

    @classmethod
    def from_settings(cls, settings: Mapping, slugify: Callable[[str], str] | None = None,
                      template_dirs: list[str] | None = None) -> SiteRules:
        """``template_dirs``: where templates are found besides the theme's (Pelican's own theme)."""
        kinds = {}
        for folder in settings.get("CONTENT_KINDS", {}):
            kinds[folder] = KINDS.get(folder) or Kind(folder, dict(ARTICLE))
        for folder in settings.get("PAGE_PATHS", ["pages"]):
            kinds.setdefault(folder, KINDS["pages"])
        kinds["newsletters"] = KINDS["newsletters"]  # read by the newsletter plugin, whatever the paths say
        now = settings.get("BUILD_NOW") or datetime.now(timezone.utc)
        return cls(
            content_root=Path(os.path.abspath(settings["PATH"])),
            timezone=ZoneInfo(settings.get("TIMEZONE") or "UTC"),
            regions=dict(settings.get("REGIONS", {})),
            build_now=now if now.tzinfo else now.replace(tzinfo=timezone.utc),
            kinds=kinds,
            static_paths=list(settings.get("STATIC_PATHS", [])),
            settings=settings,
            slugify=slugify or simple_slugify,
            allowed_tags={k: set(v) for k, v in settings.get("CONTENT_SCHEMA_ALLOWED_TAGS", {}).items()},
            slugify_source=settings.get("SLUGIFY_SOURCE", "title"),
            templates=template_names(settings, template_dirs) if settings.get("THEME") else None,
        )

    def per_file_rules(self) -> tuple:
        """Everything FileCheck reads from the rules (compared with ==): a change re-checks every file.

        Not the build time, nor ``settings``: what depends on them is worked out per validation.
        """
        return (
            self.content_root,
            self.timezone,
            sorted(self.regions.items()),
            self.kinds,
            self.allowed_tags,
            self.slugify_source,
            _function_identity(self.slugify),
            self.templates,
        )


def template_names(settings: Mapping, extra_dirs: list[str] | None) -> frozenset[str]:
    """Every template a page may name, as Pelican's loader finds them (overrides, theme, extra)."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), os.path.join(settings["THEME"], "templates"),
               *(extra_dirs or [])]
    names = set()
    for suffix in settings.get("TEMPLATE_EXTENSIONS", [".html"]):
        for folder in folders:
            names.update(p.relative_to(folder).as_posix().removesuffix(suffix) for p in files_under(folder, suffix))
    return frozenset(names)


def _function_identity(function) -> tuple:
    """A partial made afresh for each build (the glue's Pelican slugify) compares by what it wraps."""
    if isinstance(function, partial):
        return (function.func, function.args, sorted(function.keywords.items()))
    return (function,)


def validate_tree(rules: SiteRules, memory: CheckedFilesMemory | None = None) -> Report:
    """Check every content file under the content root; return all errors and infos at once.
    ``memory``: what the validation before found (the build session's), updated."""
    report = Report()
    root = rules.content_root
    if not root.is_dir():
        report.errors.append(
            Finding(root.name, 0, "PATH", f"expected a content folder, got {str(root)!r}, which does not exist")
        )
        return report
    checked = CheckedFiles(rules, memory)
    linked: list[Path] = []
    for path in [p for p in files_under(root, linked_folders=linked) if p.is_file()]:  # (is_file: not a broken link)
        parts = path.relative_to(root).parts
        rel = "/".join(parts)
        shown_path = f"{root.name}/{rel}"
        top = parts[0]
        suffix = path.suffix.lower()
        if any(part.startswith(".") for part in parts) or top in rules.static_paths:
            continue
        if suffix in OTHER_READER_SUFFIXES and top in rules.kinds:
            report.errors.append(Finding(shown_path, 1, "file", f"expected a markdown file (.md), got a {suffix} file"))
            continue
        if suffix not in MARKDOWN_SUFFIXES:
            continue
        if top not in rules.kinds or "/" not in rel:
            folders = ", ".join(f"{k}/" for k in rules.kinds)
            report.errors.append(
                Finding(
                    shown_path,
                    1,
                    "file",
                    f"expected the file in one of the folders {folders}{did_you_mean(top, rules.kinds)}, got {rel!r}",
                )
            )
            continue
        report.files_checked += 1
        facts = checked.facts(path, rel, shown_path, rules.kinds[top], rules)
        report.errors.extend(facts.errors)
        if facts.record is not None:
            add_item(report, facts.record, rules)
    report.files_reused = checked.reused
    checked.keep()
    report_linked_folders(report, linked, root)
    for item, line, name, message in [
        *claims.check_urls(report.items),
        *claims.check_outputs(report.items, rules),
        *claims.check_unique_values(report.items, rules.kinds),
    ]:
        report.errors.append(Finding(item.path, line, name, message))
    uses = [tag_checks.TagUse(i.path, line, tag, slug) for i in report.items for line, tag, slug in i.tags]
    for use, message in tag_checks.site_problems(uses):
        report.errors.append(Finding(use.path, use.line, "tags", message))
    check_references(report)
    check_link_targets(report, rules.build_now)
    report.errors.sort(key=lambda f: (f.path, f.line))  # stable: a line's findings stay in the order found
    report.infos.sort(key=lambda f: (f.path, f.line))
    return report


def validate_settings(settings: Mapping, slugify: Callable[[str], str] | None = None,
                      template_dirs: list[str] | None = None, memory: CheckedFilesMemory | None = None) -> Report:
    return validate_tree(SiteRules.from_settings(settings, slugify, template_dirs), memory)


def report_linked_folders(report: Report, linked: list[Path], root: Path) -> None:
    """Pelican follows a symbolic link to a folder: the files behind it would be published a second
    time (or from outside content/), and never checked."""
    for path in linked:
        target = os.readlink(path)
        report.errors.append(Finding(
            f"{root.name}/{path.relative_to(root).as_posix()}", 1, "file",
            f"expected a folder, got a symbolic link to {target!r} (the build would publish what it links to "
            "again, unchecked: move or copy the files instead)"))


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

    def still_valid(self) -> bool:
        """Do the files it looked for still exist (or not) as they did?"""
        return all(path.is_file() == found for path, found in self.probes)


@dataclass
class CheckedFilesMemory:
    """What a long-lived process remembers of its latest validation (the build session keeps it)."""

    facts: dict[str, tuple[FileStamp, FileFacts]] = field(default_factory=dict)  # absolute path -> (stamp, facts)
    rules: tuple | None = None


class CheckedFiles:
    """FileFacts from the validation before (``memory``), reused while the file's stamp, the
    per-file rules and the files it looked for are unchanged. The stamp is csoa.util.stamps': a
    file changed within its clock tick is checked but not remembered."""

    def __init__(self, rules: SiteRules, memory: CheckedFilesMemory | None = None):
        self.rules = rules.per_file_rules()
        self.memory = memory
        self.earlier = memory.facts if memory is not None and memory.rules == self.rules else {}
        self.seen: dict[str, tuple[FileStamp, FileFacts]] = {}
        self.reused = 0

    def facts(self, path: Path, rel: str, shown_path: str, kind: Kind, rules: SiteRules) -> FileFacts:
        stamp = FileStamp.of(path)
        key = str(path)
        earlier = self.earlier.get(key)
        if earlier is not None and earlier[0].unchanged(stamp) and earlier[1].still_valid():
            stamp, facts = earlier
            self.reused += 1
        else:
            facts = FileCheck(path, rel, shown_path, kind, rules).run()
        if stamp.settled:
            self.seen[key] = (stamp, facts)
        return facts

    def keep(self) -> None:
        if self.memory is not None:
            self.memory.facts, self.memory.rules = self.seen, self.rules


def add_item(report: Report, record: Recorded, rules: SiteRules) -> None:
    """The file's infos and Item for this validation's build time."""
    if record.status == "draft":
        report.infos.append(Finding(record.path, record.status_line, "status", "draft: not published"))
    elif record.is_article and record.date and record.date.at > rules.build_now:
        when = as_written(record.date.at.astimezone(rules.timezone))
        report.infos.append(Finding(record.path, record.date_line, "date", f"scheduled: publishes on {when}"))
    item = Item(record.path, record.rel, record.kind, record.slug, record.slug_line, "", record.status, record.date, record.is_article)
    values = dict(record.url_fields)
    item.url = claims.url_of(item, values, rules)
    item.save_as = claims.save_as_of(item, values, rules)
    item.save_as_line, item.uniques, item.tags = record.save_as_line, record.uniques, record.tags
    item.links = list(record.links)
    item.refs = list(record.refs)
    report.items.append(item)


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
        return FileFacts(tuple(self.errors), record, tuple(self.probes.items()))

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

    def context(self, header: Header) -> Context:
        zone = self.rules.timezone
        tz_field = self.kind.timezone_field
        for item in header.fields:
            if tz_field and item.key == tz_field:
                try:
                    zone = self.kind.fields[tz_field].type.parse(item.text, None)
                except Invalid:
                    pass  # reported with the other fields
        return Context(tz=zone, regions=self.rules.regions, content_root=self.rules.content_root, is_file=self.is_file)

    def check_fields(self, header: Header) -> None:
        ctx = self.context(header)
        for item in header.fields:
            if item.key in self.lines:
                self.error(
                    item.line,
                    item.key,
                    f"expected each field once, got {item.written!r} again (first on line {self.lines[item.key]})",
                )
                continue
            self.lines[item.key] = item.line
            spec = self.kind.fields.get(item.key)
            if spec is None:
                hint = did_you_mean(item.key, self.kind.fields)
                self.error(
                    item.line,
                    item.key,
                    f"expected a field of {self.kind.name}{hint}, got the unknown field {item.written!r}",
                )
                continue
            self.parse_field(item, spec.type, ctx)
            self.check_links(item)
        first_line = header.fields[0].line
        for name, spec in self.kind.fields.items():
            if spec.required and name not in self.lines:
                self.error(
                    first_line,
                    name,
                    f"expected the {name} field ({name.capitalize()}: {spec.type.describe(ctx)}), got none",
                )
        self.check_tags()
        self.check_template()
        for rule in self.kind.checks:
            for name, line, message in rule(self.values, self.lines, self.kind.name):
                self.error(line, name, message)

    def parse_field(self, item: HeaderField, kind_type, ctx: Context) -> None:
        if len(item.values) > 1 and not kind_type.multiline:
            self.error(
                item.line,
                item.key,
                f"expected a single line, got {len(item.values)} lines (lines indented by 4 spaces continue a field)",
            )
            return
        try:
            if isinstance(kind_type, ListOf):
                self.values[item.key] = kind_type.parse_lines(item.values, ctx)
            else:
                self.values[item.key] = kind_type.parse(
                    "\n".join(item.values) if kind_type.multiline else item.values[0], ctx
                )
        except Invalid as bad:
            self.error(item.line, item.key, str(bad))

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


def check_references(report: Report) -> None:
    """Newsletter ``pin``/``exclude`` entries must each name exactly one content item."""
    content = [i for i in report.items if i.kind != "newsletters"]
    by_path = {i.rel: i for i in content}
    for item in report.items:
        for name, line, ref in item.refs:
            path = ref.removeprefix("/").removeprefix(item.path.split("/", 1)[0] + "/")
            if path in by_path:
                continue
            named = [i for i in content if i.slug == ref]
            if len(named) == 1:
                continue
            if named:
                where = " and ".join(i.path for i in named)
                message = f"expected a path or slug naming one item, got {ref!r}, the slug of {where} (use the path)"
            else:
                hint = did_you_mean(ref, [i.slug for i in content] + list(by_path))
                message = f"expected the path or slug of an existing item{hint}, got {ref!r}"
            report.errors.append(Finding(item.path, line, name, message))


def check_link_targets(report: Report, now: datetime) -> None:
    """A ``{filename}`` link must not lead from a published page to a draft or to an item published later."""
    by_rel = {i.rel: i for i in report.items}
    for item in report.items:
        source_at = item.publishes_at(now)
        if source_at is None or item.kind == "newsletters":
            continue
        for name, line, written, rel in item.links:
            target = by_rel.get(rel)
            if target is None or target.kind == "newsletters":
                continue
            target_at = target.publishes_at(now)
            if target_at is None:
                report.errors.append(
                    Finding(
                        item.path,
                        line,
                        name,
                        f"expected {written!r} to link a published item, got a link to {target.path}, a draft",
                    )
                )
            elif target_at > source_at:
                report.errors.append(
                    Finding(
                        item.path,
                        line,
                        name,
                        f"expected {written!r} to link an item published by then, got a link to {target.path}, scheduled for {target.date}",
                    )
                )
