"""Which feeds the site has, where they live, and which of them suit a given page.

Feeds: everything, one per content kind (news, workshops, reports, intelligence, events), one per
region, and newsletter issues once they exist. Paths: ``feeds/<name>.atom.xml`` and
``feeds/<name>.rss.xml``, regions under ``feeds/regions/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from csoa.model.regions import Region


@dataclass(frozen=True)
class FeedSpec:
    key: str  # "all", "news", "events", "region-asia", "newsletters"
    title: str
    description: str
    path: str  # without the extension, e.g. "feeds/news"
    page: str  # site-relative URL of the page the feed follows ("" is the home page)
    group: str  # "site", "kind", "region"
    kind: str | None = None
    region: str | None = None

    @property
    def atom_path(self) -> str:
        return f"{self.path}.atom.xml"

    @property
    def rss_path(self) -> str:
        return f"{self.path}.rss.xml"

    def wants(self, kind: str | None, regions: tuple[str, ...]) -> bool:
        """Does an item of this kind and these regions belong in this feed?"""
        if self.group == "site":
            return self.key == "all" or kind == self.key
        if self.group == "kind":
            return kind == self.kind
        return self.region in regions


def feed_specs(
    site_name: str,
    kinds: dict[str, str],
    regions: Iterable[Region],
    with_newsletters: bool = False,
    region_url: str | None = None,
    pages: dict[str, str] | None = None,
):
    """A feed's channel links to the page it follows when the site has one, else the home page:
    ``pages`` maps kinds (and "newsletters") to their listing's URL, ``region_url`` (e.g.
    "regions/{slug}/") is the region pages' URL pattern. ``regions``: the regions content is filed
    under (the settings' REGION_TABLE as csoa.model.regions records), one feed each."""
    pages = pages or {}
    specs = [FeedSpec("all", f"{site_name}: everything", f"Everything {site_name} publishes", "feeds/all", "", "site")]
    for kind, label in kinds.items():
        specs.append(
            FeedSpec(
                kind,
                f"{site_name}: {label}",
                f"{label} from {site_name}",
                f"feeds/{kind}",
                pages.get(kind, ""),
                "kind",
                kind=kind,
            )
        )
    for region in regions:
        specs.append(
            FeedSpec(
                f"region-{region.key}",
                f"{site_name}: {region.label}",
                f"Reports and intelligence about {region.label} from {site_name}",
                f"feeds/regions/{region.slug}",
                region_url.format(slug=region.slug) if region_url else "",
                "region",
                region=region.key,
            )
        )
    if with_newsletters:
        specs.append(
            FeedSpec(
                "newsletters",
                f"{site_name}: newsletter",
                f"Issues of the {site_name} member newsletter",
                "feeds/newsletters",
                pages.get("newsletters", ""),
                "site",
            )
        )
    return specs


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.strip().lower())


def region_keys(value, regions: Iterable[Region]) -> tuple[str, ...]:
    """Region keys for a metadata value: a key ("west_africa"), a label ("West Africa"), a slug
    ("west-africa") or a comma-separated list of them, among ``regions`` (the site's filing
    regions, SiteRegions.filing_regions). Unknown names are ignored here (the content schema
    reports them)."""
    if not value:
        return ()
    values = value if isinstance(value, (list, tuple)) else str(value).split(",")
    lookup = {}
    for region in regions:
        for name in (region.key, region.label, region.slug):
            lookup[_squash(name)] = region.key
    keys = []
    for v in values:
        key = lookup.get(_squash(str(v)))
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


class FeedCatalogue:
    """The site's feeds, for templates: ``feed_catalogue.relevant(kind, region)``."""

    def __init__(self, specs: list[FeedSpec], regions: Iterable[Region]):
        self.specs = specs
        self._regions = tuple(regions)

    def __iter__(self):
        return iter(self.specs)

    def by_group(self, group: str) -> list[FeedSpec]:
        return [s for s in self.specs if s.group == group]

    def get(self, key: str) -> FeedSpec | None:
        return next((s for s in self.specs if s.key == key), None)

    def relevant(self, kind=None, region=None) -> list[FeedSpec]:
        """Everything, then the feed of the page's kind, then those of its regions."""
        chosen = [self.get("all")]
        if kind and (spec := self.get(str(kind))) and spec.key != "all":
            chosen.append(spec)
        for key in region_keys(region, self._regions):
            chosen.append(self.get(f"region-{key}"))
        return [s for s in chosen if s is not None]
