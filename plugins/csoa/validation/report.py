"""What a validation finds: findings (file, line, field, message), the items the checks across files
need, and the report that gathers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from csoa.model.fields import Moment


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


