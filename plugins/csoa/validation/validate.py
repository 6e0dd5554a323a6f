"""Validate a whole content tree against the schema, from the raw files, and report every problem.

Plain Python: it reads files and a settings mapping and knows nothing of Pelican, so ``invoke check``,
the build and the tests run the same code. Every finding names the file (relative to the content
root's parent, e.g. ``content/news/x.md``), the line, the field, and what was expected.

What one file's checks find (file_check.py) depends only on its bytes, the per-file rules and which
files exist; it is kept in memory and reused while the file's stamp, the rules and those files are
unchanged (remembered.py, in a CheckedFilesMemory the caller passes: the build session's), so a
long-lived process (the dev loop) re-checks only edited files. The
checks across files and those that depend on the build time run over every file on every validation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from csoa.model import tags as tag_checks
from csoa.model.fields import as_written, did_you_mean
from csoa.util.walk import files_under
from csoa.validation import claims
from csoa.validation.file_check import Recorded
from csoa.validation.references import check_link_targets, check_references
from csoa.validation.remembered import CheckedFiles, CheckedFilesMemory
from csoa.validation.report import Finding, Item, Report
from csoa.validation.rules import SiteRules

__all__ = ["Finding", "Item", "Report", "SiteRules", "validate_settings", "validate_tree"]

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}
OTHER_READER_SUFFIXES = {".rst", ".html", ".htm"}  # Pelican would read these too, unchecked


def validate_tree(rules: SiteRules, memory: CheckedFilesMemory | None = None) -> Report:
    """Check every content file under the content root; return all errors and infos at once."""
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


