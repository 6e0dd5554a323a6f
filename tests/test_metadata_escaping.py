"""Metadata is text (issue 12, point 7): a site whose every metadata field carries markup payloads is
built for real, then every HTML page is opened in headless Chromium. No payload may run (no dialog,
no element it injected), and the payloads must come out as the literal text the editor typed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from newsletter_site import png
from sites import build
from static_server import chromium_page, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
APOS = "' onmouseover='alert(3)' x='"  # breaks out of single-quoted attributes
COMMENT = "<!--<script>"  # unescaped in a <script> element, it swallows the rest of the page
NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)


def _t(label: str) -> str:
    """A title-sized field: a label (kept unique for slugs), then both payloads."""
    return f"{label} {SCRIPT} {BREAKOUT} {COMMENT}"


def _article(title, slug, date, extra="", body="The body."):
    return (f"Title: {title}\nSlug: {slug}\nDate: {date}\nAuthor: Ann {SCRIPT}\nSummary: Summary {SCRIPT} {BREAKOUT} "
            f"{APOS} & *not emphasis*\nTags: {SCRIPT}, tag {BREAKOUT}\n{extra}\n{body}\n")


IMAGE = f"Image: images/lead.png\nImage_alt: Alt {SCRIPT} {BREAKOUT} {APOS}\n"
FILES = {
    "images/lead.png": png(640, 320),
    "news/2019-06-01-a.md": _article(_t("News A"), "news-a", "2019-06-01 10:00", "Featured: yes\n" + IMAGE),
    "news/2019-06-02-b.md": _article(_t("News B"), "news-b", "2019-06-02 10:00"),
    "news/2019-06-03-c.md": _article(_t("News C"), "news-c", "2019-06-03 10:00"),
    "workshops/2019-06-04-w.md": _article(
        _t("Workshop"), "workshop-w", "2019-06-04 10:00",
        f"Workshop_date: 2019-06-03\nPlace: Athens {SCRIPT}\nOrganisers: BIMCO {BREAKOUT}, LSS {SCRIPT}\n"),
    "reports/2019-06-05-r.md": _article(
        _t("Report"), "report-r", "2019-06-05 10:00", f"Incident_date: 2019-06-04\nRegion: asia\nLocation: Sulu {BREAKOUT}\n",
        "## What happened\n\nBoarded.\n\n## Advice\n\nReport.\n"),
    "intelligence/2019-06-06-i.md": _article(_t("Intel"), "intel-i", "2019-06-06 10:00", "Region: asia\n"),
    "pages/about.md": f"Title: {_t('About')}\nSlug: about\nNav_order: 1\nSummary: Lead {SCRIPT} {BREAKOUT}\n{IMAGE}\nAbout us.\n",
    "events/2019-10-02-e.md": (
        f"Title: {_t('Event')}\nSlug: event-e\nDate: 2019-06-01 10:00\nSummary: Event summary {SCRIPT} {BREAKOUT}\n"
        f"Start: 2019-10-02 09:00\nEnd: 2019-10-02 17:00\nTimezone: Asia/Nicosia\nVenue: Venue {SCRIPT} {BREAKOUT}\n"
        f"City: City {SCRIPT}\nCountry: CY\nOrganiser: Org {BREAKOUT}\nCost: Cost {SCRIPT}\nTags: {SCRIPT}\n{IMAGE}\n"
        "The event.\n"),
    "newsletters/2019-07-05-july.md": (
        f"Title: {_t('Issue')}\nSlug: july\nDate: 2019-07-05 08:00 +01:00\nSubject: Subject {SCRIPT} {BREAKOUT}\n"
        f"Preheader: Preheader {SCRIPT} {BREAKOUT}\n\nDear members.\n"),
}
PAYLOAD_MARKERS = ("alert(1)", "alert(2)", "alert(3)")


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("payload-site"), FILES, now=NOW)


def html_pages(output: Path) -> list[Path]:
    """Every page a reader lands on: not the theme's or Pagefind's files, nor the moved-URL pages, whose
    instant refresh navigates away (their targets are in the list themselves)."""
    skip = {"theme", "pagefind"}
    return sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] not in skip
                  and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


def injected_elements(page, site_page: bool) -> list[str]:
    """Elements and attributes a payload would have created, as the browser parsed the page, and a
    site page's footer gone (swallowed by an element a payload left open)."""
    return page.evaluate("""(sitePage) => {
        const found = sitePage && !document.querySelector('footer.site-footer') ? ['no footer'] : [];
        for (const el of document.querySelectorAll('*')) {
            for (const attr of el.getAttributeNames()) {
                if (attr.startsWith('on')) found.push(el.tagName + '[' + attr + ']');
            }
        }
        for (const s of document.querySelectorAll('script')) {
            if (s.type !== 'application/ld+json' && s.textContent.includes('alert(')) found.push('script:' + s.textContent);
        }
        return found;
    }""", site_page)


def test_no_payload_runs_on_any_page(payload_site):
    pages = html_pages(payload_site)
    relative = {p.relative_to(payload_site).as_posix() for p in pages}
    # every shape the issue names is among the pages opened
    for expected in ("index.html", "news/index.html", "archives/index.html", "archives/2019/index.html",
                     "news/news-b/index.html", "about/index.html", "events/index.html", "events/event-e/index.html",
                     "newsletters/index.html", "newsletters/july/index.html",
                     "newsletters/july/email.html"):
        assert expected in relative, expected
    assert any(r.startswith("tags/") and r != "tags/index.html" for r in relative)
    dialogs, injected = [], {}
    with serve_directory(payload_site) as base, chromium_page() as page:
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for path in pages:
            rel = path.relative_to(payload_site).as_posix()
            page.goto(f"{base}/{rel}", wait_until="load")
            page.wait_for_timeout(30)  # let a broken <img> fire its onerror
            found = injected_elements(page, site_page=not rel.endswith("email.html"))
            for script in page.locator('script[type="application/ld+json"]').all_text_contents():
                try:
                    json.loads(script)  # safely serialised: still valid JSON whatever the metadata holds
                except ValueError as error:
                    found.append(f"JSON-LD: {error}")
            if found:
                injected[rel] = found
    assert not dialogs, sorted(set(dialogs))
    assert not injected, injected


def _text(path: Path, selector: str) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    return [" ".join(el.get_text().split()) for el in soup.select(selector)]


def test_payloads_are_shown_as_the_text_typed(payload_site):
    out = payload_site
    title_b = _t("News B")
    assert _text(out / "news/news-b/index.html", "h1") == [title_b]
    assert _text(out / "news/news-b/index.html", "title") == [f"{title_b} · CSO Alliance"]
    neighbours = _text(out / "news/news-b/index.html", ".prev-next-link")
    assert neighbours == [f"Previous {_t('News A')}", f"Next {_t('News C')}"]
    summary = f"Summary {SCRIPT} {BREAKOUT} {APOS} & *not emphasis*"
    assert _text(out / "news/index.html", ".item-summary") == [summary] * 3
    home = out / "index.html"
    assert title_b in _text(home, ".item-title")
    assert _text(home, "#featured-title") == [_t("News A")]
    assert title_b in _text(out / "archives/index.html", ".archive-list a")
    tag_pages = [p for p in out.glob("tags/*/index.html")]
    assert len(tag_pages) == 2
    assert sorted(t for p in tag_pages for t in _text(p, "h1")) == sorted(f"Tagged “{t}”" for t in (SCRIPT, f"tag {BREAKOUT}"))
    assert sorted(_text(out / "news/news-b/index.html", ".tag-list a")) == sorted([SCRIPT, f"tag {BREAKOUT}"])
    soup = BeautifulSoup((out / "news/news-a/index.html").read_text(encoding="utf-8"), "lxml")
    alt = f"Alt {SCRIPT} {BREAKOUT} {APOS}"
    assert soup.select_one(".entry-image img")["alt"] == alt
    assert soup.select_one('meta[property="og:title"]')["content"] == _t("News A")
    assert soup.select_one('meta[name="description"]')["content"] == summary
    ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert (ld["headline"], ld["description"]) == (_t("News A"), summary)
    assert _text(out / "workshops/workshop-w/index.html", ".facts dd")[1:] == [f"Athens {SCRIPT}", f"BIMCO {BREAKOUT}, LSS {SCRIPT}"]
    assert _text(out / "about/index.html", ".lead") == [f"Lead {SCRIPT} {BREAKOUT}"]
    assert _t("About") in _text(out / "about/index.html", ".nav-list a")


def test_newsletter_pages_show_preheader_and_venue_as_text(payload_site):
    issue = payload_site / "newsletters/july"
    assert _text(payload_site / "newsletters/index.html", ".newsletter-archive li")[0].endswith(
        f"Preheader {SCRIPT} {BREAKOUT}")
    events = _text(issue / "index.html", '[aria-labelledby="events-heading"] li p')
    assert events and f"· Venue {SCRIPT} {BREAKOUT}, City {SCRIPT}" in events[0]  # then the country
    assert _text(issue / "index.html", "h1") == [_t("Issue")]
    assert _text(issue / "email.html", "title") == [f"Subject {SCRIPT} {BREAKOUT}"]
