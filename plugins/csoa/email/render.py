"""Render a composed issue: email HTML (Jinja2 -> MJML -> HTML with mjml-python) and the text part
(built from the same items, not scraped from the HTML). Rendered once per edition; per recipient
only the unsubscribe link is filled in (see message.py)."""

from __future__ import annotations

import textwrap
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup
from mjml import mjml2html

from csoa.email.message import PLACEHOLDER
from csoa.email.plaintext import html_to_text

EMAIL_WIDTH = 600
CONTENT_WIDTH = 552  # the body width minus the sections' side padding
SAMPLE_NOTE = ("SAMPLE DATA: these figures are computed from synthetic sample incidents made for this site's "
               "demonstration, not from real reports. Do not use them in risk assessments.")


@lru_cache(maxsize=4)
def _environment(template_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["day"] = lambda iso: _format(iso, "%-d %B %Y")
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    return env


def _format(iso: str, fmt: str) -> str:
    return datetime.fromisoformat(iso).strftime(fmt) if iso else ""


def issue_line(title: str, iso: str) -> str:
    """The one line under the masthead: the issue's date, and its title only where the title says more
    than the date does ("July 2019 · 8 July 2019" said the month twice)."""
    day = _format(iso, "%-d %B %Y")
    name = title.strip()
    if not name or name.casefold() in day.casefold():
        return f"Member newsletter · {day}"
    return f"{name} · {day}"


def edition(issue: dict, segment_regions=None) -> dict:
    """What one edition shows: email items (web-only ones dropped) and only the chosen regions."""
    wanted = None if segment_regions is None else set(segment_regions)
    sections = [{**s, "items": [i for i in s["items"] if i["channel"] != "web-only"]} for s in issue["sections"]]
    regional = [{**s, "items": [i for i in s["items"] if i["channel"] != "web-only"]} for s in issue["regional"]
                if wanted is None or s["region"] in wanted]
    return {**issue,
            "sections": [s for s in sections if s["items"]],
            "regional": [s for s in regional if s["items"]],
            "events": [e for e in issue["events"] if e["channel"] != "web-only"]}


def render_mjml(issue: dict, site: dict, template_dir: str | Path, segment_regions=None) -> str:
    env = _environment(str(template_dir))
    shown = edition(issue, segment_regions)
    shown["letter_html"] = Markup(shown["letter_html"])  # the letter's body, rendered from markdown; all else is text
    return env.get_template("newsletter.mjml.j2").render(
        issue=shown, site=site, unsubscribe_url=PLACEHOLDER, issue_line=issue_line(shown["title"], shown["date"]),
        content_width=CONTENT_WIDTH)


def render_html(issue: dict, site: dict, template_dir: str | Path, segment_regions=None) -> str:
    return mjml2html(render_mjml(issue, site, template_dir, segment_regions), disable_comments=True)


def render_text(issue: dict, site: dict, segment_regions=None) -> str:
    """The plain-text part: the letter (from its HTML, so lists stay lists and no markdown shows),
    then every item's title, summary and link, then the events as the events plugin words them."""
    ed = edition(issue, segment_regions)
    wrap = textwrap.TextWrapper(width=72, break_long_words=False, break_on_hyphens=False)
    rule = "=" * 72
    out = [site["sitename"].upper(), issue_line(ed["title"], ed["date"]),
           f"View in your browser: {ed['url']}", rule, ""]
    out += [html_to_text(ed["letter_html"]), ""]
    figures = ed.get("figures")
    if figures:
        out += [rule, "HEADLINE CRIME FIGURES", ""]
        if figures.get("sample"):
            out += wrap.wrap(SAMPLE_NOTE) + [""]
        out += wrap.wrap(
            f"{_format(figures['window_start'], '%-d %B %Y')} to {_format(figures['window_end'], '%-d %B %Y')}: "
            f"organised maritime criminals were active in {figures['countries']:,} countries; "
            f"{figures['criminals']:,} criminals boarded {figures['ships_boarded']:,} ships, "
            f"affecting an estimated {figures['crew']:,} crew.") + [""]
    for section in ed["sections"] + ed["regional"]:
        out += [rule, section["title"].upper(), ""]
        for item in section["items"]:
            out += wrap.wrap(item["title"]) + wrap.wrap(item["summary"]) + [item["url"], ""]
    if ed["events"]:
        out += [rule, "UPCOMING EVENTS", ""]
        for event in ed["events"]:
            shown = event["display"]
            facts = [("When", shown["when"]), ("Where", shown["place"])] + ([("Status", shown["status"])]
                                                                           if shown["status"] else [])
            out += wrap.wrap(event["title"])
            for label, text in facts:
                out += textwrap.wrap(f"{label}: {text}", 72, subsequent_indent="  ", break_long_words=False,
                                     break_on_hyphens=False)
            out += [event["url"], ""]
    out += [rule, f"Unsubscribe: {PLACEHOLDER}", site["contact_address"], site["contact_email"], ""]
    return "\n".join(out)
