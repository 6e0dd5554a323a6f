"""RSS 2.0 and Atom 1.0 documents from plain item data, built with feedgen.

Knows nothing of Pelican: the site's feeds, and the newsletter issues' feed, hand it FeedItems.
Every date comes from the items (feedgen would otherwise stamp the clock), so two builds of the
same content give byte-identical feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator

GENERATOR = "CSO Alliance publisher (feedgen)"


@dataclass(frozen=True)
class Enclosure:
    url: str  # absolute
    length: int  # bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Category:
    term: str  # slug
    label: str  # what people read
    scheme: str | None = None  # absolute URL of the vocabulary (e.g. the site's /tags/)


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str  # absolute https URL of the item's page
    id: str  # stable: survives edits of title, slug and date (see stable_ids)
    published: datetime  # aware
    updated: datetime  # aware
    authors: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    summary_html: str = ""  # every URL already absolute
    content_html: str = ""  # every URL already absolute
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class FeedChannel:
    title: str
    description: str
    site_link: str  # absolute URL of the page the feed follows
    atom_url: str  # absolute public URL of the Atom document (its rel=self)
    rss_url: str  # absolute public URL of the RSS document (its atom:link rel=self)
    id: str  # stable id of the feed itself (a tag: URI)
    author: str
    author_uri: str
    language: str = "en"
    fallback_updated: datetime | None = None  # for a feed without items: the newest content of the site
    extra: dict = field(default_factory=dict)


def ordered(items: list[FeedItem], limit: int | None = None) -> list[FeedItem]:
    """Newest first; the id breaks ties so the order never depends on input order."""
    result = sorted(items, key=lambda i: (i.published, i.id), reverse=True)
    return result[:limit] if limit else result


def last_updated(channel: FeedChannel, items: list[FeedItem]) -> datetime:
    if items:
        return max(max(i.updated, i.published) for i in items)
    if channel.fallback_updated is None:
        raise ValueError(f"feed {channel.title!r} has no items and no fallback_updated date")
    return channel.fallback_updated


def _generator(channel: FeedChannel, items: list[FeedItem], self_url: str, self_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(channel.id)
    fg.title(channel.title)
    fg.subtitle(channel.description)  # also the RSS <description>
    fg.author({"name": channel.author, "uri": channel.author_uri})
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=channel.site_link, rel="alternate", type="text/html")  # last: feedgen's RSS <link>
    fg.language(channel.language)
    fg.generator(GENERATOR)
    fg.load_extension("dc", atom=False, rss=True)  # RSS <author> needs an email; dc:creator takes a name
    fg.updated(last_updated(channel, items))  # sets atom:updated and rss:lastBuildDate
    return fg


def _entry(fg: FeedGenerator, item: FeedItem, *, with_enclosures: bool):
    fe = fg.add_entry(order="append")
    fe.title(item.title)
    fe.link(href=item.link, rel="alternate")
    # isPermaLink is true only when the id is the item's own https URL
    fe.guid(item.id, permalink=item.id == item.link and item.link.startswith("https://"))
    fe.published(item.published)
    fe.updated(item.updated)
    for name in item.authors:
        fe.author({"name": name})
    if item.authors:
        fe.dc.dc_creator(list(item.authors))
    for category in item.categories:
        fields = {"term": category.term, "label": category.label}
        if category.scheme:
            fields["scheme"] = category.scheme
        fe.category(fields)
    if item.summary_html:
        fe.summary(item.summary_html, type="html")
    if item.content_html:
        fe.content(item.content_html, type="html")
    if with_enclosures and item.enclosures:
        # RSS allows one enclosure per item: the first attached PDF
        enclosure = item.enclosures[0]
        fe.enclosure(enclosure.url, str(enclosure.length), enclosure.mime)
    return fe


def build_atom(channel: FeedChannel, items: list[FeedItem], limit: int | None = None) -> bytes:
    """Atom 1.0. No enclosures: feedgen drops the rel of entry links, so they would turn into
    alternates (the PDFs are still linked from the content)."""
    items = ordered(items, limit)
    fg = _generator(channel, items, channel.atom_url, "application/atom+xml")
    for item in items:
        _entry(fg, item, with_enclosures=False)
    return fg.atom_str(pretty=True)


def build_rss(channel: FeedChannel, items: list[FeedItem], limit: int | None = None) -> bytes:
    """RSS 2.0 with atom:link rel=self, content:encoded, dc:creator and PDF enclosures."""
    items = ordered(items, limit)
    fg = _generator(channel, items, channel.rss_url, "application/rss+xml")
    for item in items:
        _entry(fg, item, with_enclosures=True)
    return fg.rss_str(pretty=True)
