"""Read canonical URLs and content dates from built HTML; write sitemap.xml and robots.txt.

Plain Python (lxml), no Pelican. lastmod comes from the content, never from the clock:
``article:modified_time``, else ``article:published_time``, else the newest ``<time datetime>``
inside ``<main>`` that is not after the pinned build time. A page with no date of its own gets the
newest article date of the site (pages dated by their own meta), so an "as of" date on some
generated page does not spread to every undated page.

Speed: most pages are dated by their head, so only the head is parsed when that provably gives
what the whole document would (see _info_from_head); and with a memo (the build session's, in the
dev loop) pages already read are not read again while their file is unchanged (see collect_pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

import lxml.html
from lxml import etree

from csoa.util.memo import LastBuildMemo
from csoa.util.stamps import FileStamp
from csoa.util.walk import files_under

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class PageInfo:
    path: Path
    canonical: str | None
    noindex: bool
    lastmod: datetime | None
    from_meta: bool = False  # dated by article:modified_time / article:published_time


def parse_moment(text: str | None) -> datetime | None:
    """A W3C date or datetime as an aware UTC datetime (a bare date is midnight UTC); None if not one."""
    if not text:
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


HEAD_END_RE = re.compile(rb"</head\s*>", re.IGNORECASE)
FULL_DOCUMENT_RE = re.compile(rb"^\s*<(?:html|!doctype)", re.IGNORECASE)  # as lxml.html.fromstring tells
META_TAG_RE = re.compile(rb"<meta\b", re.IGNORECASE)
TIME_TAG_RE = re.compile(rb"<time\b", re.IGNORECASE)
DATE_PROPERTIES = ("article:modified_time", "article:published_time")  # in this order of preference
DATE_PROPERTY_RE = re.compile(rb"article:(?:modified|published)_time", re.IGNORECASE)
CANONICAL = etree.XPath('//head/link[@rel="canonical"]/@href')
ROBOTS = etree.XPath('//meta[@name="robots"]/@content')
DATE_METAS = [etree.XPath(f'//meta[@property="{prop}"]/@content') for prop in DATE_PROPERTIES]
MAIN_TIMES = etree.XPath("//main//time/@datetime")


def read_page(path: Path, not_after: datetime | None = None) -> PageInfo:
    data = path.read_bytes()
    return _info_from_head(path, data) or _info_from_tree(path, lxml.html.fromstring(data), not_after)


def _info_from_head(path: Path, data: bytes) -> PageInfo | None:
    """The page's facts from a parse of its head alone, or None when the whole document is needed.

    Exactly what the full parse gives, or None: the head must hold the canonical link, and the rest
    of the page must hold no ``<meta>`` (robots or dates may be anywhere) and, unless the head dates
    the page, no ``<time>`` (undated pages take their newest ``<main>`` time).
    """
    end = HEAD_END_RE.search(data)
    if end is None or not FULL_DOCUMENT_RE.match(data) or META_TAG_RE.search(data, end.start()):
        return None
    if not DATE_PROPERTY_RE.search(data, 0, end.start()) and TIME_TAG_RE.search(data):
        return None  # undated head and times to scan: only the whole document will do
    info = _info_from_tree(path, lxml.html.fromstring(data[: end.end()]), None)
    if info.canonical is None or (not info.from_meta and TIME_TAG_RE.search(data)):
        return None
    return info


def _info_from_tree(path: Path, tree, not_after: datetime | None) -> PageInfo:
    canonical = next(iter(CANONICAL(tree)), None)
    robots = " ".join(ROBOTS(tree)).lower()
    lastmod = None
    for date_meta in DATE_METAS:
        lastmod = parse_moment(next(iter(date_meta(tree)), None))
        if lastmod:
            break
    from_meta = lastmod is not None
    if lastmod is None:
        moments = [parse_moment(v) for v in MAIN_TIMES(tree)]
        moments = [m for m in moments if m and (not_after is None or m <= not_after)]
        lastmod = max(moments, default=None)
    return PageInfo(path, canonical.strip() if canonical else None, "noindex" in robots, lastmod, from_meta)


def collect_pages(output: Path, not_after: datetime | None = None, memo: LastBuildMemo | None = None) -> list[PageInfo]:
    """Every HTML page under ``output`` that should be in the sitemap, one per canonical URL.

    ``memo`` keeps each page's facts by its file stamp (csoa.util.stamps) and ``not_after``: the dev
    loop hard-links unchanged pages into each new output directory, so a rebuild reads only the
    pages it wrote. A path would be wrong (each build has a new directory); the stamp's inode,
    size and times tell a reused inode apart. A page changed within the stamp's clock tick is read
    again next time. Without a memo every page is read.
    """
    by_url: dict[str, PageInfo] = {}
    for path in files_under(output, ".html"):
        if memo is None:
            info = read_page(path, not_after)
        else:
            stamp = FileStamp.of(path)
            _, info = memo.get((stamp.key, not_after), lambda: (stamp, read_page(path, not_after)),  # noqa: B023
                               valid=lambda kept: kept[0].unchanged(stamp))  # noqa: B023
            info = replace(info, path=path)
        if not info.canonical or info.noindex:
            continue
        kept = by_url.get(info.canonical)
        if kept is None or (info.lastmod and (kept.lastmod is None or info.lastmod > kept.lastmod)):
            by_url[info.canonical] = info
    return [by_url[url] for url in sorted(by_url)]


def render_sitemap(pages: list[PageInfo]) -> bytes:
    """The sitemap XML; pages without a date of their own get the newest article date of the site."""
    site_lastmod = max((p.lastmod for p in pages if p.lastmod and p.from_meta), default=None)
    site_lastmod = site_lastmod or max((p.lastmod for p in pages if p.lastmod), default=None)
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for page in pages:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page.canonical
        lastmod = page.lastmod or site_lastmod
        if lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat().replace("+00:00", "Z")
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_robots(sitemap_url: str, disallow: list[str] = ()) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines)
