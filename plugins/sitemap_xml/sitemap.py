"""Read canonical URLs and content dates from built HTML; write sitemap.xml and robots.txt.

Plain Python (lxml), no Pelican. lastmod comes from the content, never from the clock:
``article:modified_time``, else ``article:published_time``, else the newest ``<time datetime>``
inside ``<main>`` that is not after the pinned build time. A page with no date of its own gets the
newest article date of the site (pages dated by their own meta), so an "as of" date on some
generated page does not spread to every undated page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import lxml.html
from lxml import etree

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


def read_page(path: Path, not_after: datetime | None = None) -> PageInfo:
    tree = lxml.html.fromstring(path.read_bytes())
    canonical = next(iter(tree.xpath('//head/link[@rel="canonical"]/@href')), None)
    robots = " ".join(tree.xpath('//meta[@name="robots"]/@content')).lower()
    lastmod = None
    for prop in ("article:modified_time", "article:published_time"):
        lastmod = parse_moment(next(iter(tree.xpath(f'//meta[@property="{prop}"]/@content')), None))
        if lastmod:
            break
    from_meta = lastmod is not None
    if lastmod is None:
        moments = [parse_moment(v) for v in tree.xpath("//main//time/@datetime")]
        moments = [m for m in moments if m and (not_after is None or m <= not_after)]
        lastmod = max(moments, default=None)
    return PageInfo(path, canonical.strip() if canonical else None, "noindex" in robots, lastmod, from_meta)


def collect_pages(output: Path, not_after: datetime | None = None) -> list[PageInfo]:
    """Every HTML page under ``output`` that should be in the sitemap, one per canonical URL."""
    by_url: dict[str, PageInfo] = {}
    for path in sorted(Path(output).rglob("*.html")):
        info = read_page(path, not_after)
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
