"""Checks across files of what newsletters and links name: a reference must name exactly one item,
and a published page may not link a draft or an item published later."""

from __future__ import annotations

from datetime import datetime

from csoa.model.fields import did_you_mean
from csoa.validation.report import Finding, Report


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
