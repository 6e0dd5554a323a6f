"""Make every URL in an HTML fragment absolute, for feeds and other off-site readers."""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup

from csoa.feeds.html_stream import stream_rewrite

URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data", "action", "longdesc")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")


def absolute_srcset(value: str, base: str) -> str:
    """``a.png 1x, /b.png 2x`` -> the same candidates with absolute URLs."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        parts[0] = urljoin(base, parts[0])
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize_attributes(attrs: dict, base: str) -> None:
    """Resolve the URL attributes of one element (a dict of its attributes) in place."""
    for attribute in URL_ATTRIBUTES:
        value = attrs.get(attribute)
        if isinstance(value, str) and value.strip():
            attrs[attribute] = urljoin(base, value.strip())
    for attribute in SRCSET_ATTRIBUTES:
        value = attrs.get(attribute)
        if isinstance(value, str) and value.strip():
            attrs[attribute] = absolute_srcset(value, base)


def absolutize_html(html: str, base: str) -> str:
    """Resolve every URL attribute of ``html`` against ``base`` (the item's absolute URL).

    Relative (``report.pdf``), root-relative (``/x.png``) and protocol-relative URLs all become
    absolute; absolute ones and ``mailto:`` are left as they are.
    """
    return absolutize_with_links(html, base)[0] if html else html or ""


def absolutize_with_links(html: str, base: str) -> tuple[str, list[str]]:
    """absolutize_html, and the (absolute) href of every <a> in document order.

    The output is the serialisation of BeautifulSoup's html.parser tree, produced without building
    the tree (html_stream) unless the markup needs the real one.
    """
    links: list[str] = []

    def on_tag(name: str, attrs: dict) -> None:
        absolutize_attributes(attrs, base)
        if name == "a" and "href" in attrs:
            links.append(attrs["href"])

    try:
        return stream_rewrite(html, on_tag), links
    except Exception:  # html_stream.Unsupported, or markup html.parser rejects: use the real tree
        soup = BeautifulSoup(html, "html.parser")
        absolutize_soup(soup, base)
        return str(soup), [a["href"] for a in soup.find_all("a", href=True)]


def absolutize_soup(soup: BeautifulSoup, base: str) -> None:
    """absolutize_html on an already parsed fragment (in place), for callers that read it further."""
    for tag in soup.find_all(True):
        absolutize_attributes(tag.attrs, base)
