"""Pelican glue: read content/newsletters/*.md, compose each issue from the built articles as of the
issue's date and write the web page, email.html, email.txt, issue.json (what the sender renders
editions from), the archive page and the chart PNG; the feeds plugin lists the issues' Pages.
A sent issue (``<slug>.sent.json`` beside its source, see sent_issue.py) is written from its record
instead, and a warning says how a new composition would differ. Everything else lives in plain modules."""

from __future__ import annotations

import io
import json
import logging
import os
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator

from csoa.email.compose import ComposeError, Image, IssueMeta, Source, compose_issue
from csoa.email.message import PLACEHOLDER
from csoa.email.render import render_html, render_text
from csoa.email.site import email_template_dir, site_info
from csoa.engine.content_check import typed_header
from csoa.model.regions import site_regions
from csoa.model.schema import KINDS
from csoa.sending import sent_issue

log = logging.getLogger(__name__)
GMAIL_CLIP_BYTES = 102 * 1024  # Gmail clips messages whose HTML is larger


def absolutize(html: str, base: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag, attr in (("a", "href"), ("img", "src")):
        for el in soup.find_all(tag):
            if el.get(attr) and not el[attr].startswith(("mailto:", "#")):
                el[attr] = urljoin(base + "/", el[attr].lstrip("/") if not el[attr].startswith("http") else el[attr])
    return str(soup)


def _local_links(html: str, settings: dict) -> str:
    """The sent letter's absolute links (as in the email) as the web pages' own: SITEURL instead of the
    public address, so that a local build's archive links to the local site."""
    base, local = settings["PUBLIC_SITEURL"].rstrip("/"), settings.get("SITEURL", "").rstrip("/")
    if base == local:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for tag, attr in (("a", "href"), ("img", "src")):
        for el in soup.find_all(tag):
            if el.get(attr, "").startswith(base + "/"):
                el[attr] = local + el[attr][len(base):]
    return str(soup)


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
    typed = getattr(article, "typed_metadata", {})  # an event's values as the content model typed them
    summary = BeautifulSoup(str(getattr(article, "summary", "") or ""), "html.parser").get_text(" ", strip=True)
    return Source(
        slug=article.slug, kind=article.category.slug, title=str(article.title),
        url=f"{base}/{article.url}", path=article.url, summary=summary,
        source=os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/"), date=article.date, image=_image(article, settings),
        region=str(meta.get("region", "")).strip(), channel=str(meta.get("newsletter", "both")).strip().lower() or "both",
        start=typed["start"].at if "start" in typed else None, end=typed["end"].at if "end" in typed else None,
        venue=str(meta.get("venue", "")), city=str(meta.get("city", "")),
        display=getattr(article, "newsletter_display", None),
    )


class NewsletterGenerator(Generator):
    """Writes /newsletters/<slug>/ (web page, email.html, email.txt, issue.json) and /newsletters/."""

    def generate_context(self):
        self.issues = []
        self.sent: dict[str, tuple[sent_issue.SentIssue, Page]] = {}  # slug -> (record, the source's own Page)
        self.warnings: dict[str, list[str]] = {}  # slug -> how a sent issue composed now would differ
        self._quiet = False  # sent_differences() collects the warnings instead of logging them
        folder = self.settings.get("NEWSLETTER_PATH", "newsletters")
        for rel in sorted(self.get_files([folder], extensions=("md",))):
            page = self.readers.read_file(base_path=self.path, path=rel, content_class=Page, context=self.context)
            parsed = typed_header(self.settings, page.source_path, KINDS["newsletters"])
            for problem in parsed.problems:  # (the content_schema plugin has said so already, if it runs)
                log.error("newsletter %s:%d: %s", page.source_path, problem.line, problem)
            if parsed.problems:
                continue
            page.typed_metadata = parsed.values
            self.issues.append(self._as_sent(page, folder))
        self._orphan_records(folder)
        self.issues.sort(key=lambda p: p.date)
        self.context["newsletters"] = self.issues  # the feeds plugin lists these: sent ones as sent

    def _as_sent(self, page, folder: str):
        """A sent issue's Page as sent (title, date, letter from its record), else ``page`` itself."""
        path = sent_issue.sent_file(sent_issue.sent_folder(self.settings), page.slug)
        if not path.exists():
            return page
        try:
            record = sent_issue.load(path)
        except sent_issue.SentIssueError as exc:
            log.error("newsletter %s", exc)
            return page
        self.context["generated_content"][os.path.relpath(path, self.path)] = None  # a record, not a static file
        issue = record.issue
        meta = {**page.metadata, "title": issue["title"], "subject": issue["subject"], "preheader": issue["preheader"],
                "date": datetime.fromisoformat(issue["date"]), "slug": issue["slug"]}
        sent_page = Page(_local_links(issue["letter_html"], self.settings), metadata=meta, settings=self.settings,
                         source_path=page.source_path, context=self.context)
        self.sent[page.slug] = (record, page)
        return sent_page

    def _orphan_records(self, folder: str) -> None:
        for path in sorted(sent_issue.sent_folder(self.settings).glob(f"*{sent_issue.SUFFIX}")):
            slug = path.name.removesuffix(sent_issue.SUFFIX)
            if not any(p.slug == slug for p in self.issues):
                log.error("newsletter %s: no issue in %s/ has the slug %s (expected the issue it records: was its "
                          "Title or Slug changed after sending? Put Slug: %s back)", path, folder, slug, slug)

    def _meta(self, page) -> IssueMeta:
        base = self.settings["PUBLIC_SITEURL"].rstrip("/")
        typed = page.typed_metadata  # the content model's values: lists of references and region keys
        return IssueMeta(
            slug=page.slug, title=page.title, date=page.date, subject=typed["subject"], preheader=typed["preheader"],
            url=f"{base}/newsletters/{page.slug}/", letter_html=absolutize(page.content, base),
            source_file=page.source_path,
            pin=list(typed.get("pin", [])), exclude=list(typed.get("exclude", [])), order=list(typed.get("order", [])),
            web_only=list(typed.get("web-only", [])), email_only=list(typed.get("email-only", [])),
            segments=list(typed.get("segments", [])))

    def generate_output(self, writer):
        if not self.issues:
            return
        site = site_info(self.settings)
        out_root = Path(self.output_path) / "newsletters"
        composed_all = []
        for page, issue in self.composed(out_root):
            out = out_root / page.slug
            if page.slug in self.sent:
                html, text = self._write_sent(self.sent[page.slug][0], out)
            else:
                html, text = self._render(issue, site, page)
            # the website copies are nobody's own: their unsubscribe link explains how unsubscribing works
            neutral = f"{site['siteurl']}/newsletters/unsubscribe/"
            (out / "email.html").write_text(_noindex(html.replace(PLACEHOLDER, neutral)), encoding="utf-8")
            (out / "email.txt").write_text(text.replace(PLACEHOLDER, neutral), encoding="utf-8")
            (out / "issue.json").write_text(json.dumps(issue, indent=1, sort_keys=True), encoding="utf-8")
            writer.write_file(f"newsletters/{page.slug}/index.html", self.get_template("newsletter"), self.context,
                              newsletter=issue, page=page, url=f"newsletters/{page.slug}/")
            # the feeds plugin, after us, lists these (an issue that failed to compose keeps its Page)
            self.issues[next(i for i, p in enumerate(self.issues) if p is page)] = self._feed_page(page, issue)
            composed_all.append(issue)
        writer.write_file("newsletters/index.html", self.get_template("newsletters"), self.context,
                          newsletters_composed=list(reversed(composed_all)), url="newsletters/")
        writer.write_file("newsletters/unsubscribe/index.html", self.get_template("newsletter_unsubscribe"),
                          self.context, url="newsletters/unsubscribe/")

    def composed(self, out_root: Path | None = None):
        """(page, issue) per issue in date order: a sent issue's record, else a composition as of its date
        (with its chart written under ``out_root`` when given). A sent issue that a new composition would
        change gets a warning that says how (`invoke check` shows the same)."""
        settings = self.settings
        # events are their own content type (plugins/events), not articles: gather both
        items = [*self.context.get("articles", []), *self.context.get("events", [])]
        sources = [to_source(a, settings) for a in items]
        previous = None
        for page in self.issues:
            source_page = self.sent[page.slug][1] if page.slug in self.sent else page
            summary = self._summary_as_of(source_page.date)
            sent = page.slug in self.sent
            chart = self._chart(summary, out_root / page.slug, page.slug) if out_root and not sent else None
            try:
                issue = compose_issue(self._meta(source_page), sources, previous, settings["BUILD_NOW"],
                                      settings.get("CONTENT_KINDS", {}), site_regions(settings).filed, summary, chart)
            except ComposeError as exc:
                if not sent:
                    log.error("newsletter %s", exc)
                    previous = page.date
                    continue
                issue = None
            previous = page.date
            if sent:
                record = self.sent[page.slug][0]
                self._warn_if_changed(page, record.issue, issue)
                issue = record.issue
            yield page, issue

    def sent_differences(self) -> dict[str, list[str]]:
        """Slug -> how a new composition of that sent issue would differ from its record (for `invoke check`)."""
        self.warnings, self._quiet = {}, True  # the caller prints them
        for _ in self.composed():
            pass
        return self.warnings

    def _warn_if_changed(self, page, sent: dict, live: dict | None) -> None:
        changes = (["the issue could not be composed now (see the error above)"] if live is None
                   else sent_issue.differences(sent, live))
        if changes:
            self.warnings[page.slug] = changes
            if not self._quiet:
                log.warning("newsletter %s was sent and its archive shows it as sent (%s%s); composed now it "
                            "would differ: %s", page.slug, page.slug, sent_issue.SUFFIX, "; ".join(changes))

    def _feed_page(self, page, issue: dict):
        """The issue as its feed entry: the web page's article as a member reads it (letter, figures,
        items, events), the preheader as its summary; links absolute."""
        public = self.settings["PUBLIC_SITEURL"].rstrip("/")
        html = self.get_template("newsletter").render({**self.context, "newsletter": issue, "page": page,
                                                        "SITEURL": public, "url": f"newsletters/{page.slug}/"})
        article = BeautifulSoup(html, "html.parser").select_one("article.newsletter")
        if article is None:  # a theme without the article: the letter alone, as before
            return page
        if article.header:
            article.header.decompose()
        meta = {**page.metadata, "summary": escape(issue["preheader"])}
        feed_page = Page(article.decode_contents().strip(), metadata=meta, settings=self.settings,
                         source_path=page.source_path, context=self.context)
        feed_page.typed_metadata = getattr(page, "typed_metadata", {})
        return feed_page

    def _summary_as_of(self, when: datetime) -> dict | None:
        """The statistics as they stood on the issue's date (same aggregation as the statistics pages)."""
        as_of = self.context.get("statistics_as_of")
        return as_of(when.date()) if as_of else self.context.get("statistics_summary")

    def _render(self, issue: dict, site: dict, page) -> tuple[str, str]:
        html = render_html(issue, site, email_template_dir(self.settings))
        size = len(html.encode("utf-8"))
        if size > GMAIL_CLIP_BYTES:
            log.error("newsletter %s: the email is %.1f KB, over Gmail's %d KB clipping limit "
                      "(expected at most %d KB: leave items out with Exclude:)", page.source_path, size / 1024,
                      GMAIL_CLIP_BYTES // 1024, GMAIL_CLIP_BYTES // 1024)
        return html, render_text(issue, site)

    def _write_sent(self, record: sent_issue.SentIssue, out: Path) -> tuple[str, str]:
        out.mkdir(parents=True, exist_ok=True)
        if record.figures_png:
            (out / "figures.png").write_bytes(record.figures_png)
        return record.archive_html, record.archive_text

    def _chart(self, summary, out: Path, slug: str) -> dict | None:
        """The statistics plugin's headline chart (the one its pages show), drawn as a PNG through the
        context: no chart without that plugin or without figures."""
        out.mkdir(parents=True, exist_ok=True)
        draw = self.context.get("statistics_headline_chart_png")
        png = draw(summary) if draw and summary else None
        if not png:
            return None
        from PIL import Image as PILImage
        width, height = PILImage.open(io.BytesIO(png)).size
        (out / "figures.png").write_bytes(png)
        site = site_info(self.settings)
        return {"url": f"{site['siteurl']}/newsletters/{slug}/figures.png", "alt": self.context["statistics_headline_chart_alt"](summary),
                "width": width // 2, "height": height // 2}


def _noindex(html: str) -> str:
    """email.html is a copy of the email, not a page: keep it out of search engines and the site search."""
    html = html.replace("<head>", '<head>\n<meta name="robots" content="noindex">', 1)
    return html.replace("<body", '<body data-pagefind-ignore="all"', 1)


def get_generators(pelican_object):

    return NewsletterGenerator


def register():

    signals.get_generators.connect(get_generators)
