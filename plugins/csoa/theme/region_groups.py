"""Group items by region. Plain Python: items are any objects with ``date``, ``slug`` and an
optional ``region`` attribute; regions are the settings' REGION_TABLE rows (``{key: {"label",
"slug", "filing"}}``) in display order, of which only the filing regions get a page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Region:
    key: str
    name: str
    slug: str
    url: str
    save_as: str
    items: list = field(default_factory=list)

    @property
    def latest(self):
        return self.items[:3]


def region_key(item) -> str | None:
    value = getattr(item, "region", None)
    return str(value).strip() if value else None


def group_by_region(items, table: dict, url_pattern: str, save_as_pattern: str) -> list[Region]:
    """One Region per filing region (empty ones too), each with its items newest first; URLs use
    the region's slug.

    Items whose region is not a filing region are ignored here: validating the value is the job of
    the content schema, which names the file and field.
    """
    grouped = {
        key: Region(key, row["label"], row["slug"], url_pattern.format(slug=row["slug"]),
                    save_as_pattern.format(slug=row["slug"]))
        for key, row in table.items()
        if row.get("filing")
    }
    for item in items:
        key = region_key(item)
        if key in grouped:
            grouped[key].items.append(item)
    for region in grouped.values():
        region.items.sort(key=lambda item: (item.date, item.slug), reverse=True)
    return list(grouped.values())


def moved_pages(table: dict, url_pattern: str, save_as_pattern: str) -> list[tuple[str, str]]:
    """[(old save_as, new url)] for the region pages' former URLs (regions/gulf_of_aden/)."""
    return [(save_as_pattern.format(slug=old), url_pattern.format(slug=row["slug"]))
            for row in table.values() if row.get("filing") for old in row.get("former_slugs", ())]
