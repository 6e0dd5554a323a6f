"""Turn the site's content objects (Pelican articles, events) into plain FeedItems.

The only module of the feeds plugin that reads Pelican objects, and only their attributes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from .absolute import absolutize_html
from .build import Category, Enclosure, FeedItem
from .catalogue import region_keys
from .stable_ids import item_uid, tag_uri


@dataclass(frozen=True)
class Classified:
    """A feed item plus what decides which feeds it goes in."""

    item: FeedItem
    kind: str | None
    regions: tuple[str, ...]


def static_files_by_url(static_content: dict) -> dict[str, str]:
    """``{"/files/report.pdf": "/abs/content/files/report.pdf"}`` from Pelican's static_content."""
    files = {}
    for static in static_content.values():
        url = getattr(static, "url", None)
        source = getattr(static, "source_path", None)
        if url and source:
            files["/" + url.lstrip("/")] = source
    return files


def pdf_enclosures(html: str, public_siteurl: str, files: dict[str, str]) -> tuple[Enclosure, ...]:
    """Enclosures for links to PDFs of our own content, with their real byte length."""
    site = urlparse(public_siteurl)
    found: list[Enclosure] = []
    for a in BeautifulSoup(html or "", "html.parser").find_all("a", href=True):
        url = urlparse(a["href"])
        if url.netloc != site.netloc or not url.path.lower().endswith(".pdf"):
            continue
        path = url.path[len(site.path.rstrip("/")) :] if site.path.strip("/") else url.path
        source = files.get(path)
        if source and os.path.isfile(source) and not any(e.url == a["href"] for e in found):
            found.append(Enclosure(url=a["href"], length=os.path.getsize(source), mime="application/pdf"))
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


def _html(content, method: str, public_siteurl: str) -> str:
    getter = getattr(content, method)
    return getter(public_siteurl) or ""


def content_item(
    content, settings: dict, files: dict[str, str], *, preface_html: str = "", published=None, url=None, kind=None
) -> Classified:
    """A FeedItem for an article-like content object (articles, events with a preface, newsletter
    issues with their own ``url`` and ``kind``)."""
    site = settings["PUBLIC_SITEURL"].rstrip("/")
    link = f"{site}/{url or content.url}"
    uid = item_uid(content.metadata, content.relative_source_path or content.source_path)
    body = absolutize_html(preface_html + _html(content, "get_content", site), link)
    summary = absolutize_html(_html(content, "get_summary", site), link)
    published = published or content.date
    updated = getattr(content, "modified", None) or published
    if kind is None and getattr(content, "category", None) is not None:
        kind = content.category.slug
    item = FeedItem(
        title=content.title,
        link=link,
        id=tag_uri(uid, site, settings.get("FEED_TAG_DATE", "2016")),
        published=published,
        updated=max(updated, published),
        authors=tuple(str(a) for a in getattr(content, "authors", []) or []),
        categories=_categories(content, settings, kind),
        summary_html=summary,
        content_html=body,
        enclosures=pdf_enclosures(body, site, files),
    )
    return Classified(item, kind, region_keys(getattr(content, "region", None), settings.get("REGIONS", {})))
