"""Group items by region. Plain Python: items are any objects with ``date``, ``slug`` and an
optional ``region`` attribute; regions are the settings' Region records (csoa.model.regions,
``site_regions(settings).regions``) in display order, of which only the filing regions get a page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from csoa.model.regions import Region


@dataclass
class RegionPage:
    """A filing region's page: its name and URL, and the items filed under it, newest first."""

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


def group_by_region(items, regions: Iterable[Region], url_pattern: str, save_as_pattern: str) -> list[RegionPage]:
    """One RegionPage per filing region (empty ones too), each with its items newest first; URLs
    use the region's slug.

    Items whose region is not a filing region are ignored here: validating the value is the job of
    the content schema, which names the file and field.
    """
    grouped = {
        region.key: RegionPage(region.key, region.label, region.slug, url_pattern.format(slug=region.slug),
                               save_as_pattern.format(slug=region.slug))
        for region in regions
        if region.filing
    }
    for item in items:
        key = region_key(item)
        if key in grouped:
            grouped[key].items.append(item)
    for page in grouped.values():
        page.items.sort(key=lambda item: (item.date, item.slug), reverse=True)
    return list(grouped.values())


def moved_pages(regions: Iterable[Region], url_pattern: str, save_as_pattern: str) -> list[tuple[str, str]]:
    """[(old save_as, new url)] for the region pages' former URLs (regions/gulf_of_aden/)."""
    return [(save_as_pattern.format(slug=old), url_pattern.format(slug=region.slug))
            for region in regions if region.filing for old in region.former_slugs]
