"""Pelican glue: collect the site's items, write every feed, and the /feeds/ page for people."""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican.generators import Generator

from .build import FeedChannel, build_atom, build_rss, ordered
from .catalogue import FeedCatalogue, feed_specs
from .items import Candidate, candidate, full_item, static_files_by_url
from .stable_ids import tag_uri

logger = logging.getLogger(__name__)


class FeedsGenerator(Generator):
    """Runs after every other generator has built its context, so it sees articles and events."""

    def generate_context(self):
        settings = self.settings
        specs = feed_specs(
            settings["SITENAME"],
            settings.get("CONTENT_KINDS", {}),
            settings.get("REGIONS", {}),
            with_newsletters=self.has_newsletters(),
            # region feeds follow the region pages when the regions plugin makes them
            region_url=settings.get("REGION_URL", "regions/{slug}/")
            if "regions" in settings.get("PLUGINS", [])
            else None,
            pages=self.listing_pages(),
        )
        self.catalogue = FeedCatalogue(specs, settings.get("REGIONS", {}))
        self.context["feed_catalogue"] = self.catalogue

    def generate_output(self, writer):
        candidates = self.collect()
        if not self._ids_unique(candidates):
            return
        newest = max((c.updated for c in candidates), default=None)
        limit = self.settings.get("FEED_MAX_ITEMS", 50)
        chosen = {
            spec.key: ordered([c for c in candidates if spec.wants(c.kind, c.regions)], limit)
            for spec in self.catalogue
        }
        files = static_files_by_url(self.context.get("static_content", {}))
        items = {}  # id -> FeedItem, rendered once however many feeds hold it
        for spec in self.catalogue:
            for c in chosen[spec.key]:
                if c.id not in items:
                    items[c.id] = full_item(c, self.settings, files)
            feed_items = [items[c.id] for c in chosen[spec.key]]
            channel = self.channel(spec, newest)
            self._write(spec.atom_path, build_atom(channel, feed_items, limit))
            self._write(spec.rss_path, build_rss(channel, feed_items, limit))
        writer.write_file(
            "feeds/index.html",
            self.get_template("feeds"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url="feeds/",
            feeds=self.catalogue,
            feeds_updated=newest,
        )

    def listing_pages(self) -> dict[str, str]:
        """The listing page of each kind that has one in this build (Pelican writes a category page
        only for categories with articles)."""
        pages = {category.slug: category.url for category, _articles in self.context.get("categories", [])}
        if "events" in self.settings.get("PLUGINS", []):
            pages["events"] = "events/"
        if "newsletter" in self.settings.get("PLUGINS", []) and self.has_newsletters():
            pages["newsletters"] = "newsletters/"
        return pages

    def has_newsletters(self) -> bool:
        """Decided from the files: the newsletter generator may build its context after this one."""
        folder = os.path.join(self.path, self.settings.get("NEWSLETTER_PATH", "newsletters"))
        return os.path.isdir(folder) and any(name.endswith(".md") for name in os.listdir(folder))

    def collect(self) -> list[Candidate]:
        """Published articles, events and newsletter issues, never anything dated after the pinned "now"."""
        settings, now = self.settings, self.settings["BUILD_NOW"]
        result = [candidate(a, settings) for a in self.context.get("articles", [])]
        for event in self.context.get("events", []):
            result.append(candidate(event, settings, preface_html=event.feed_preface_html, published=event.published))
        for issue in self.context.get("newsletters", []):  # the newsletter area's issues (Pages)
            url = self.settings.get("NEWSLETTER_URL", "newsletters/{slug}/").format(slug=issue.slug)
            result.append(candidate(issue, settings, url=url, kind="newsletters"))
        return [c for c in result if c.published <= now]

    def _ids_unique(self, candidates: list[Candidate]) -> bool:
        seen: dict[str, str] = {}
        ok = True
        for c in candidates:
            if c.id in seen:
                logger.error(
                    "Uid: %s and %s share the feed id %s; expected a unique Uid per item",
                    seen[c.id],
                    c.link,
                    c.id,
                )
                ok = False
            seen[c.id] = c.link
        return ok

    def channel(self, spec, newest: datetime | None) -> FeedChannel:
        site = self.settings["PUBLIC_SITEURL"].rstrip("/")
        return FeedChannel(
            title=spec.title,
            description=spec.description,
            site_link=f"{site}/{spec.page}",
            atom_url=f"{site}/{spec.atom_path}",
            rss_url=f"{site}/{spec.rss_path}",
            id=tag_uri(spec.path, site, self.settings.get("FEED_TAG_DATE", "2016")),
            author=self.settings["SITENAME"],
            author_uri=f"{site}/",
            language=self.settings.get("DEFAULT_LANG", "en"),
            fallback_updated=newest or self.settings["BUILD_NOW"],
        )

    def _write(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
