"""Group items by region. Plain Python: items are any objects with ``date``, ``slug`` and an
optional ``region`` attribute; regions are ``{key: label}`` in display order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Region:
    key: str
    name: str
    url: str
    save_as: str
    items: list = field(default_factory=list)

    @property
    def latest(self):
        return self.items[:3]


def region_key(item) -> str | None:
    value = getattr(item, "region", None)
    return str(value).strip() if value else None


def group_by_region(items, regions: dict, url_pattern: str, save_as_pattern: str) -> list[Region]:
    """One Region per configured region (empty ones too), each with its items newest first.

    Items whose region is not configured are ignored here: validating the value is the job of the
    content schema, which names the file and field.
    """
    grouped = {
        key: Region(key, name, url_pattern.format(slug=key), save_as_pattern.format(slug=key))
        for key, name in regions.items()
    }
    for item in items:
        key = region_key(item)
        if key in grouped:
            grouped[key].items.append(item)
    for region in grouped.values():
        region.items.sort(key=lambda item: (item.date, item.slug), reverse=True)
    return list(grouped.values())
