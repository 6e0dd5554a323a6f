"""Turn the site's content objects (Pelican articles, events) into plain FeedItems.

The only module of the feeds plugin that reads Pelican objects, and only their attributes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlparse

from csoa.feeds.absolute import absolutize_with_links
from csoa.feeds.build import Category, Enclosure, FeedItem
from csoa.feeds.catalogue import region_keys
from csoa.model.regions import Region
from csoa.model.stable_ids import item_uid, tag_uri
from csoa.util.memo import LastBuildMemo


@dataclass(frozen=True)
class Candidate:
    """What decides whether an item goes in a feed, known without rendering anything.

    Sites have thousands of items and feeds hold the newest few: only the chosen candidates are
    turned into FeedItems (see full_item), which parses and rewrites their HTML.
    """

    content: object  # the Pelican content object
    site: str  # PUBLIC_SITEURL, without a trailing slash
    url: str | None  # the item's site-relative URL when it is not the content's own (newsletter issues)
    id: str
    published: datetime
    updated: datetime
    kind: str | None
    regions: tuple[str, ...]
    preface_html: str = ""

    @cached_property
    def link(self) -> str:
        """The item's absolute URL, built only for the items a feed holds (Pelican builds URLs slowly)."""
        return f"{self.site}/{self.url or self.content.url}"


def static_files_by_url(static_content: dict) -> dict[str, str]:
    """``{"/files/report.pdf": "/abs/content/files/report.pdf"}`` from Pelican's static_content."""
    files = {}
    for static in static_content.values():
        url = getattr(static, "url", None)
        source = getattr(static, "source_path", None)
        if url and source:
            files["/" + url.lstrip("/")] = source
    return files


def pdf_enclosures(hrefs: Iterable[str], public_siteurl: str, files: dict[str, str]) -> tuple[Enclosure, ...]:
    """Enclosures for links (absolute hrefs, in document order) to PDFs of our own content, with
    their real byte length."""
    site = urlparse(public_siteurl)
    found: list[Enclosure] = []
    for href in hrefs:
        url = urlparse(href)
        if url.netloc != site.netloc or not url.path.lower().endswith(".pdf"):
            continue
        path = url.path[len(site.path.rstrip("/")) :] if site.path.strip("/") else url.path
        source = files.get(path)
        if source and os.path.isfile(source) and not any(e.url == href for e in found):
            found.append(Enclosure(url=href, length=os.path.getsize(source), mime="application/pdf"))
    return tuple(found)


def _categories(content, settings, kind: str | None) -> tuple[Category, ...]:
    """The item's section (its kind; Pelican's default "misc" of pages is not one) and its tags."""
    site = settings["PUBLIC_SITEURL"].rstrip("/")
    result = []
    kinds = {**settings.get("CONTENT_KINDS", {}), "newsletters": "Newsletter"}
    if kind in kinds:
        result.append(Category(kind, kinds[kind], f"{site}/sections/"))
    for tag in getattr(content, "tags", None) or []:
        result.append(Category(tag.slug, str(tag), f"{site}/tags/"))
    return tuple(result)


def _plain(moment: datetime) -> datetime:
    """The same moment as a plain datetime: feedgen formats dates with strftime, which Pelican's
    SafeDatetime reimplements in Python, one directive at a time (same text, many times slower)."""
    return datetime.combine(moment.date(), moment.timetz())


def candidate(content, settings: dict, regions: Iterable[Region], *, preface_html: str = "", published=None, url=None,
              kind=None) -> Candidate:
    """Describe an article-like content object (articles, events with a preface, newsletter issues
    with their own ``url`` and ``kind``) without rendering it. ``regions``: the site's filing regions
    (SiteRegions.filing_regions, csoa.model.regions)."""
    site = settings["PUBLIC_SITEURL"].rstrip("/")
    uid = item_uid(content.metadata, content.relative_source_path or content.source_path)
    published = published or content.date
    updated = getattr(content, "modified", None) or published
    if kind is None and getattr(content, "category", None) is not None:
        kind = content.category.slug
    return Candidate(
        content=content,
        site=site,
        url=url,
        id=tag_uri(uid, site, settings.get("FEED_TAG_DATE", "2016")),
        published=_plain(published),
        updated=_plain(max(updated, published)),
        kind=kind,
        regions=region_keys(getattr(content, "region", None), regions),
        preface_html=preface_html,
    )


def absolutized(html: str, base: str, memo: LastBuildMemo) -> tuple[str, tuple[str, ...]]:
    """absolutize_with_links, remembered in ``memo`` under its complete inputs: the costly part of
    an item, kept between the builds of a long-lived process (csoa.util.memo)."""

    def compute():
        result, links = absolutize_with_links(html, base)
        return result, tuple(links)

    return memo.get((html, base), compute)


def full_item(c: Candidate, settings: dict, files: dict[str, str], memo: LastBuildMemo) -> FeedItem:
    """The FeedItem of a chosen candidate: content and summary with every URL absolute, PDFs enclosed."""
    site = settings["PUBLIC_SITEURL"].rstrip("/")
    content_html, links = absolutized(c.preface_html + (c.content.get_content(site) or ""), c.link, memo)
    return FeedItem(
        title=c.content.title,
        link=c.link,
        id=c.id,
        published=c.published,
        updated=c.updated,
        authors=tuple(str(a) for a in getattr(c.content, "authors", []) or []),
        categories=_categories(c.content, settings, c.kind),
        summary_html=absolutized(c.content.get_summary(site) or "", c.link, memo)[0],
        content_html=content_html,
        enclosures=pdf_enclosures(links, site, files),  # file sizes are read on every build
    )
