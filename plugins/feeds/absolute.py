"""Make every URL in an HTML fragment absolute, for feeds and other off-site readers."""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup

URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data", "action", "longdesc")


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


def absolutize_html(html: str, base: str) -> str:
    """Resolve every URL attribute of ``html`` against ``base`` (the item's absolute URL).

    Relative (``report.pdf``), root-relative (``/x.png``) and protocol-relative URLs all become
    absolute; absolute ones and ``mailto:`` are left as they are.
    """
    if not html:
        return html or ""
    soup = BeautifulSoup(html, "html.parser")
    absolutize_soup(soup, base)
    return str(soup)


def absolutize_soup(soup: BeautifulSoup, base: str) -> None:
    """absolutize_html on an already parsed fragment (in place), for callers that read it further."""
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip():
                tag[attribute] = urljoin(base, value.strip())
        for attribute in ("srcset", "imagesrcset"):
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip():
                tag[attribute] = absolute_srcset(value, base)
