"""Pelican glue: read content/newsletters/*.md, compose each issue from the built articles and
write the web page, email.html, email.txt, issue.json (what the sender renders editions from),
the archive page, the newsletter feed and the chart PNG. Everything else lives in plain modules."""

from __future__ import annotations

import io
import json
import logging
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from pelican.contents import Page
from pelican.generators import Generator

from .chart import chart_alt, headline_chart_png
from .compose import ComposeError, Image, IssueMeta, Source, compose_issue, slug_list
from .message import PLACEHOLDER
from .render import render_html, render_text

log = logging.getLogger(__name__)
REQUIRED = ("title", "date", "subject", "preheader")
GMAIL_CLIP_BYTES = 102 * 1024  # Gmail clips messages whose HTML is larger


def site_info(settings: dict) -> dict:
    return {"sitename": settings["SITENAME"], "siteurl": settings["PUBLIC_SITEURL"].rstrip("/"),
            "contact_address": settings.get("CONTACT_ADDRESS", ""), "contact_email": settings.get("CONTACT_EMAIL", "")}


def email_template_dir(settings: dict) -> str:
    return settings.get("NEWSLETTER_EMAIL_TEMPLATES") or os.path.join(settings["THEME"], "email")


def absolutize(html: str, base: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag, attr in (("a", "href"), ("img", "src")):
        for el in soup.find_all(tag):
            if el.get(attr) and not el[attr].startswith(("mailto:", "#")):
                el[attr] = urljoin(base + "/", el[attr].lstrip("/") if not el[attr].startswith("http") else el[attr])
    return str(soup)


def _aware(value, zone: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value).strip())
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))


def _image(article, settings) -> Image | None:
    ref = article.metadata.get("image")
    if not ref:
        return None
    ref = str(ref).replace("{static}", "").replace("{attach}", "").strip()
    base = settings["PUBLIC_SITEURL"].rstrip("/")
    path = Path(settings["PATH"]) / ref.lstrip("/")
    try:
        from PIL import Image as PILImage
        with PILImage.open(path) as img:
            width, height = img.size
    except (OSError, ValueError):
        log.warning("newsletter: %s: image %s cannot be read; the item is shown without it", article.source_path, ref)
        return None
    alt = str(article.metadata.get("image_alt") or article.metadata.get("image-alt") or "")
    return Image(url=f"{base}/{ref.lstrip('/')}", alt=alt, width=width, height=height)


def to_source(article, settings) -> Source:
    base = settings["PUBLIC_SITEURL"].rstrip("/")
    meta = article.metadata
    zone = str(meta.get("timezone") or settings.get("TIMEZONE") or "UTC")
    summary = BeautifulSoup(str(getattr(article, "summary", "") or ""), "html.parser").get_text(" ", strip=True)
    return Source(
        slug=article.slug, kind=article.category.slug, title=BeautifulSoup(article.title, "html.parser").get_text(),
        url=f"{base}/{article.url}", path=article.url, summary=summary,
        source=os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/"), date=article.date, image=_image(article, settings),
        region=str(meta.get("region", "")).strip(), channel=str(meta.get("newsletter", "both")).strip().lower() or "both",
        start=_aware(meta.get("start"), zone), end=_aware(meta.get("end"), zone),
        venue=str(meta.get("venue", "")), city=str(meta.get("city", "")),
        display=getattr(article, "newsletter_display", None),
    )


def letter_text(source_path: str) -> str:
    """The letter's markdown source without its metadata block: already readable as plain text."""
    text = Path(source_path).read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    return body.strip()


class NewsletterGenerator(Generator):
    """Writes /newsletters/<slug>/ (web page, email.html, email.txt, issue.json) and /newsletters/."""

    def generate_context(self):
        self.issues = []
        folder = self.settings.get("NEWSLETTER_PATH", "newsletters")
        for rel in sorted(self.get_files([folder], extensions=("md",))):
            page = self.readers.read_file(base_path=self.path, path=rel, content_class=Page, context=self.context)
            missing = [f for f in REQUIRED if not page.metadata.get(f)]
            if missing:
                log.error("newsletter %s: missing metadata %s (expected Title, Date, Subject and Preheader)",
                          page.source_path, ", ".join(missing))
                continue
            self.issues.append(page)
        self.issues.sort(key=lambda p: p.date)
        self.context["newsletters"] = self.issues

    def _meta(self, page) -> IssueMeta:
        base = self.settings["PUBLIC_SITEURL"].rstrip("/")
        m = page.metadata
        return IssueMeta(
            slug=page.slug, title=page.title, date=page.date, subject=str(m["subject"]), preheader=str(m["preheader"]),
            url=f"{base}/newsletters/{page.slug}/", letter_html=absolutize(page.content, base),
            letter_text=letter_text(page.source_path), source_file=page.source_path,
            pin=slug_list(m.get("pin")), exclude=slug_list(m.get("exclude")), order=slug_list(m.get("order")),
            web_only=slug_list(m.get("web-only")), email_only=slug_list(m.get("email-only")),
            segments=slug_list(m.get("segments")))

    def generate_output(self, writer):
        if not self.issues:
            return
        settings = self.settings
        # events are their own content type (plugins/events), not articles: gather both
        items = [*self.context.get("articles", []), *self.context.get("events", [])]
        sources = [to_source(a, settings) for a in items]
        summary = self.context.get("statistics_summary")
        out_root = Path(self.output_path) / "newsletters"
        site = site_info(settings)
        composed_all = []
        previous = None
        for page in self.issues:
            out = out_root / page.slug
            out.mkdir(parents=True, exist_ok=True)
            chart = self._chart(summary, out, site, page.slug)
            try:
                issue = compose_issue(self._meta(page), sources, previous, settings["BUILD_NOW"],
                                      settings.get("CONTENT_KINDS", {}), settings.get("REGIONS", {}), summary, chart)
            except ComposeError as exc:
                log.error("newsletter %s", exc)
                previous = page.date
                continue
            previous = page.date
            html = render_html(issue, site, email_template_dir(settings))
            size = len(html.encode("utf-8"))
            if size > GMAIL_CLIP_BYTES:
                log.error("newsletter %s: the email is %.1f KB, over Gmail's %d KB clipping limit "
                          "(expected at most %d KB: leave items out with Exclude:)", page.source_path, size / 1024,
                          GMAIL_CLIP_BYTES // 1024, GMAIL_CLIP_BYTES // 1024)
            # the website copies are nobody's own: their unsubscribe link explains how unsubscribing works
            neutral = f"{site['siteurl']}/newsletters/unsubscribe/"
            (out / "email.html").write_text(_noindex(html.replace(PLACEHOLDER, neutral)), encoding="utf-8")
            (out / "email.txt").write_text(render_text(issue, site).replace(PLACEHOLDER, neutral), encoding="utf-8")
            (out / "issue.json").write_text(json.dumps(issue, indent=1, sort_keys=True), encoding="utf-8")
            writer.write_file(f"newsletters/{page.slug}/index.html", self.get_template("newsletter"), self.context,
                              newsletter=issue, page=page, url=f"newsletters/{page.slug}/")
            composed_all.append(issue)
        writer.write_file("newsletters/index.html", self.get_template("newsletters"), self.context,
                          newsletters_composed=list(reversed(composed_all)), url="newsletters/")
        writer.write_file("newsletters/unsubscribe/index.html", self.get_template("newsletter_unsubscribe"),
                          self.context, url="newsletters/unsubscribe/")

    def _chart(self, summary, out: Path, site: dict, slug: str) -> dict | None:
        if not summary:
            return None
        png = headline_chart_png(summary)
        if not png:
            return None
        from PIL import Image as PILImage
        width, height = PILImage.open(io.BytesIO(png)).size
        (out / "figures.png").write_bytes(png)
        return {"url": f"{site['siteurl']}/newsletters/{slug}/figures.png", "alt": chart_alt(summary),
                "width": width // 2, "height": height // 2}


def _noindex(html: str) -> str:
    """email.html is a copy of the email, not a page: keep it out of search engines and the site search."""
    html = html.replace("<head>", '<head>\n<meta name="robots" content="noindex">', 1)
    return html.replace("<body", '<body data-pagefind-ignore="all"', 1)
