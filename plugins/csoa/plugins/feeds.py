"""Pelican glue: collect the site's items, write every feed, and the /feeds/ page for people."""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import datetime, timezone

from pelican import signals
from pelican.generators import Generator

from csoa.feeds.build import FeedChannel, build_atom, build_rss
from csoa.feeds.catalogue import FeedCatalogue, feed_specs
from csoa.feeds.items import Candidate, candidate, full_item, static_files_by_url
from csoa.model.regions import site_regions
from csoa.model.stable_ids import tag_uri
from csoa.util.memo import LastBuildMemo
from csoa.util.session import memo_for
from csoa.util.settings import plugin_names

logger = logging.getLogger(__name__)

# Kept between the builds of a long-lived process by the build session (csoa.util.session): each
# item's absolutized HTML, and each feed document under a digest of everything build_atom/build_rss
# read (see _document).
ABSOLUTIZED, DOCUMENTS = "feeds.absolutized", "feeds.documents"


class FeedsGenerator(Generator):
    """Runs after every other generator has built its context, so it sees articles and events."""

    def generate_context(self):
        settings = self.settings
        regions = site_regions(settings)
        specs = feed_specs(
            settings["SITENAME"],
            settings.get("CONTENT_KINDS", {}),
            regions.filing_regions,
            with_newsletters=self.has_newsletters(),
            # region feeds follow the region pages when the regions plugin makes them
            region_url=settings.get("REGION_URL", "regions/{slug}/")
            if "regions" in plugin_names(settings)
            else None,
            pages=self.listing_pages(),
        )
        self.catalogue = FeedCatalogue(specs, regions.filing_regions)
        self.context["feed_catalogue"] = self.catalogue

    def generate_output(self, writer):
        written, newest = self._write_feeds(memo_for(ABSOLUTIZED), memo_for(DOCUMENTS))
        if not written:
            return
        writer.write_file(
            "feeds/index.html",
            self.get_template("feeds"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url="feeds/",
            feeds=self.catalogue,
            feeds_updated=newest,
        )

    def _write_feeds(self, absolutized: LastBuildMemo, documents: LastBuildMemo) -> tuple[bool, datetime | None]:
        """Write every feed; return whether they were written and the date of the newest item."""
        candidates = self.collect()
        if not self._ids_unique(candidates):
            return False, None
        newest = max((c.updated for c in candidates), default=None)
        limit = self.settings.get("FEED_MAX_ITEMS", 50)
        # what build.ordered does to each feed's share, with one sort (ids are unique: a total order)
        newest_first = sorted(candidates, key=_newest_first, reverse=True)
        chosen = {}
        for spec in self.catalogue:
            share = [c for c in newest_first if spec.wants(c.kind, c.regions)]
            chosen[spec.key] = share[:limit] if limit else share
        files = static_files_by_url(self.context.get("static_content", {}))
        items = {}  # id -> FeedItem, rendered once however many feeds hold it
        for spec in self.catalogue:
            for c in chosen[spec.key]:
                if c.id not in items:
                    items[c.id] = full_item(c, self.settings, files, absolutized)
            feed_items = [items[c.id] for c in chosen[spec.key]]
            channel = self.channel(spec, newest)
            self._write(spec.atom_path, _document(documents, build_atom, channel, feed_items, limit))
            self._write(spec.rss_path, _document(documents, build_rss, channel, feed_items, limit))
        return True, newest

    def listing_pages(self) -> dict[str, str]:
        """The listing page of each kind that has one in this build (Pelican writes a category page
        only for categories with articles)."""
        pages = {category.slug: category.url for category, _articles in self.context.get("categories", [])}
        if "events" in plugin_names(self.settings):
            pages["events"] = "events/"
        if "newsletter" in plugin_names(self.settings) and self.has_newsletters():
            pages["newsletters"] = "newsletters/"
        return pages

    def has_newsletters(self) -> bool:
        """Decided from the files: the newsletter generator may build its context after this one."""
        folder = os.path.join(self.path, self.settings.get("NEWSLETTER_PATH", "newsletters"))
        return os.path.isdir(folder) and any(name.endswith(".md") for name in os.listdir(folder))

    def collect(self) -> list[Candidate]:
        """Published articles, events and newsletter issues, never anything dated after the pinned "now"."""
        settings, now = self.settings, self.settings["BUILD_NOW"]
        regions = site_regions(settings).filing_regions
        result = [candidate(a, settings, regions) for a in self.context.get("articles", [])]
        for event in self.context.get("events", []):
            result.append(candidate(event, settings, regions, preface_html=event.feed_preface_html,
                                    published=event.published))
        for issue in self.context.get("newsletters", []):  # the newsletter area's issues (Pages)
            url = self.settings.get("NEWSLETTER_URL", "newsletters/{slug}/").format(slug=issue.slug)
            result.append(candidate(issue, settings, regions, url=url, kind="newsletters"))
        return [c for c in result if c.published <= now]

    def _ids_unique(self, candidates: list[Candidate]) -> bool:
        seen: dict[str, Candidate] = {}
        ok = True
        for c in candidates:
            if c.id in seen:
                logger.error(
                    "Uid: %s and %s share the feed id %s; expected a unique Uid per item",
                    seen[c.id].link,
                    c.link,
                    c.id,
                )
                ok = False
            seen[c.id] = c
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


def _newest_first(c: Candidate) -> tuple[datetime, str]:
    """build.ordered's key, (published, id), with the date as naive UTC: it orders the same and
    compares much faster than aware datetimes (no time zone lookups)."""
    return c.published.astimezone(timezone.utc).replace(tzinfo=None), c.id


def _document(memo: LastBuildMemo, build, channel: FeedChannel, items: list, limit: int | None) -> bytes:
    """``build(channel, items, limit)``, reused when an earlier build had the very same inputs.

    The key digests the reprs of the channel and items: dataclass reprs show every field, and a
    datetime's repr shows its time zone, which == between datetimes ignores (10:00+00:00 equals
    11:00+01:00 but is written differently).
    """
    fingerprint = hashlib.blake2b(repr((channel, items)).encode("utf-8", "surrogatepass")).digest()
    return memo.get((build.__name__, limit, fingerprint), lambda: build(channel, items, limit))


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
