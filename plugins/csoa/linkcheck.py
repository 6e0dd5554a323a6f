"""Check that every internal link and asset reference in a built site resolves to a file.

HTML is parsed with BeautifulSoup + lxml; every URL-bearing attribute is read (href, src, srcset,
poster, action, data, ...) and stylesheets' url(...) references too. Feeds and sitemaps (XML: link
hrefs, <link>/<loc>/<guid> URLs and the HTML they carry) and calendars (.ics URL properties) are
checked as well. A URL is internal when it is
relative, root-relative, or absolute under one of the site's own base URLs (SITEURL, PUBLIC_SITEURL).
Fragments (#id) are checked against the ids of the target page.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from bs4 import BeautifulSoup

URL_ATTRIBUTES = {
    "a": ["href"], "area": ["href"], "link": ["href"], "script": ["src"], "img": ["src", "srcset"],
    "source": ["src", "srcset"], "iframe": ["src"], "embed": ["src"], "object": ["data"], "track": ["src"],
    "video": ["src", "poster"], "audio": ["src"], "form": ["action"], "input": ["src"],
    "blockquote": ["cite"], "q": ["cite"],
}
SKIP_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "webcal", "geo"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str  # site-relative path of the file holding the reference
    url: str  # the reference as written
    reason: str


def srcset_urls(value: str) -> list[str]:
    # "a.jpg 480w, b.jpg 800w": candidates are comma separated, the URL is the first token
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def page_url(rel: str) -> str:
    """The URL path a file is served at: "news/a/index.html" -> "/news/a/"."""
    url = "/" + rel
    return url[: -len("index.html")] if url.endswith("/index.html") or url == "/index.html" else url


class SiteIndex:
    """Files of the built site and the ids in each HTML page (parsed on demand, then cached)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.files = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}
        self._ids: dict[str, set[str]] = {}

    def resolve(self, path: str) -> str | None:
        """Site path ("/news/a/") -> file ("news/a/index.html"), or None."""
        rel = unquote(path).lstrip("/")
        candidates = [rel] if rel and not rel.endswith("/") else []
        candidates.append(posixpath.join(rel, "index.html") if rel else "index.html")
        return next((c for c in candidates if c in self.files), None)

    def ids(self, rel: str) -> set[str]:
        if rel not in self._ids:
            soup = BeautifulSoup((self.root / rel).read_bytes(), "lxml")
            self._ids[rel] = {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}
        return self._ids[rel]

    def remember_ids(self, rel: str, soup: BeautifulSoup) -> None:
        self._ids[rel] = {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}


def internal_path(url: str, base: str, site_urls: list[str]) -> tuple[str, str] | None:
    """(absolute site path, fragment) of an internal URL, or None for an external or special URL."""
    url = url.strip()
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in SKIP_SCHEMES:
        return None
    if scheme or url.startswith("//"):
        absolute = url if scheme else "https:" + url
        for site in site_urls:
            site = site.rstrip("/")
            if site and (absolute == site or absolute.startswith(site + "/") or absolute.startswith(site + "#")):
                url = absolute[len(site):] or "/"
                break
        else:
            return None  # external: not ours to check here
    url, fragment = urldefrag(url)
    path = urlsplit(url).path
    if not path:
        return base, fragment  # "#id" or "?q=": the page itself
    if not path.startswith("/"):
        directory = base if base.endswith("/") else posixpath.dirname(base) + "/"
        trailing = path.endswith("/")
        path = posixpath.normpath(posixpath.join(directory, path)) + ("/" if trailing else "")
        path = path.replace("//", "/")
    return path, fragment


def references(rel: str, soup: BeautifulSoup) -> list[str]:
    found = []
    for tag, attributes in URL_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                value = element.get(attribute)
                if value is None:
                    continue
                found += srcset_urls(value) if attribute == "srcset" else [value]
    for style in soup.find_all("style"):
        found += css_references(style.get_text())
    for element in soup.find_all(style=True):
        found += css_references(element["style"])
    return found


def css_references(text: str) -> list[str]:
    return [m.group(2) for m in CSS_URL.finditer(text)] + [m.group(2) for m in CSS_IMPORT.finditer(text)]


FEED_HTML = {"content", "description", "summary", "encoded"}
# Atom <id> is left out: an entry keeps its id when its URL changes, so an id need not resolve.
FEED_URL_TEXT = {"link", "loc", "guid", "url"}


def xml_references(data: bytes) -> list[str]:
    soup = BeautifulSoup(data, "xml")
    found = []
    for element in soup.find_all(True):
        for attribute in ("href", "url"):
            if element.get(attribute):
                found.append(element[attribute])
        text = element.string.strip() if element.string else ""
        if not text:
            continue
        if element.name in FEED_URL_TEXT and text.startswith(("http://", "https://", "/")):
            if element.name == "guid" and element.get("isPermaLink") == "false":
                continue
            found.append(text)
        elif element.name in FEED_HTML and "<" in text:
            found += references("", BeautifulSoup(text, "lxml"))
    return found


def ics_references(data: bytes) -> list[str]:
    from icalendar import Calendar

    found = []
    for component in Calendar.from_ical(data).walk():
        for name in ("URL", "ATTACH"):
            values = component.get(name)
            if values is None:
                continue
            found += [str(v) for v in (values if isinstance(values, list) else [values])]
    return found


def check_site(root: Path, site_urls: list[str] | tuple[str, ...] = ()) -> list[BrokenLink]:
    """Every broken internal reference in the site built at ``root``, sorted by page."""
    index = SiteIndex(root)
    site_urls = [u for u in site_urls if u]
    broken: list[BrokenLink] = []
    pending_fragments: list[tuple[str, str, str, str]] = []
    for rel in sorted(index.files):
        if rel.endswith(".html"):
            soup = BeautifulSoup((index.root / rel).read_bytes(), "lxml")
            index.remember_ids(rel, soup)
            refs = references(rel, soup)
        elif rel.endswith(".css"):
            refs = css_references((index.root / rel).read_text(encoding="utf-8", errors="replace"))
        elif rel.endswith(".xml"):
            refs = xml_references((index.root / rel).read_bytes())
        elif rel.endswith(".ics"):
            refs = ics_references((index.root / rel).read_bytes())
        else:
            continue
        base = page_url(rel)
        for url in refs:
            target = internal_path(url, base, site_urls)
            if target is None:
                continue
            path, fragment = target
            found = index.resolve(path)
            if found is None:
                broken.append(BrokenLink(rel, url, f"no file for {path}"))
            elif fragment and found.endswith(".html"):
                pending_fragments.append((rel, url, found, fragment))
    for rel, url, found, fragment in pending_fragments:
        if unquote(fragment) not in index.ids(found):
            broken.append(BrokenLink(rel, url, f'no id="{unquote(fragment)}" in {found}'))
    return sorted(set(broken))


def format_report(broken: list[BrokenLink]) -> str:
    by_page = defaultdict(list)
    for link in broken:
        by_page[link.page].append(link)
    lines = [f"{len(broken)} broken internal link(s) on {len(by_page)} page(s):"]
    for page, links in sorted(by_page.items()):
        lines.append(f"  {page}")
        lines += [f"    {link.url}  ({link.reason})" for link in links]
    return "\n".join(lines)


def run_linkcheck(root: Path, site_urls: list[str], out=None, err=None) -> int:
    """Check the site at ``root``, print the result; return the exit status (0 = no broken links)."""
    import sys

    out, err = out or sys.stdout, err or sys.stderr
    root = Path(root)
    if not any(root.glob("*.html")):
        print(f"{root} holds no built site: run `invoke build` first", file=err)
        return 1
    broken = check_site(root, site_urls)
    if broken:
        print(format_report(broken), file=err)
        return 1
    print(f"{root}: no broken internal links", file=out)
    return 0
