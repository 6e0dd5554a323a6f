"""Archived issues read as of their own date: the project's sample content built years later (the
"now" of the issue report, 2 December 2026), parsed as a member reads each issue: the web page,
email.html, email.txt, issue.json and the newsletter feed. No figure window ends after the issue, no
event starts before it or was announced after it, no item was published after it; figures from
synthetic incidents say so."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from sample_build import build_sample_site
from sites import soup

LATER = 1796256000  # 2026-12-02 00:00 UTC: the issue report's "last updated"
PUBLIC = "https://www.csoalliance.com"
HUMAN_DAY = re.compile(r"\b(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
                       r"November|December) \d{4})\b")
ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
SAMPLE = "Sample data"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_sample_site(tmp_path_factory.mktemp("later"), epoch=LATER)


def _issues(out: Path) -> list[Path]:
    folders = sorted(p.parent for p in (out / "newsletters").glob("*/index.html") if (p.parent / "email.txt").exists())
    assert [p.name for p in folders] == ["july-2016", "july-2019"]
    return folders


def _issue_date(folder: Path) -> datetime:
    """The date the member sees on the issue's web page (its machine-readable form)."""
    return datetime.fromisoformat(soup(folder / "index.html").select_one("article.newsletter header time")["datetime"])


def _target(out: Path, url: str) -> Path | None:
    path = url.removeprefix(PUBLIC).split("#")[0]
    if not path.startswith("/") or url.startswith("mailto:"):
        return None
    page = out / path.lstrip("/") / "index.html" if path.endswith("/") else out / path.lstrip("/")
    return page if page.suffix == ".html" and page.exists() else None


def _published(page: Path) -> datetime | None:
    meta = soup(page).find("meta", property="article:published_time")
    return datetime.fromisoformat(meta["content"]) if meta else None


def _event_start(page: Path) -> datetime | None:
    for script in soup(page).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict) and node.get("startDate"):
                start = datetime.fromisoformat(node["startDate"])
                return start if start.tzinfo else start.replace(tzinfo=datetime.now().astimezone().tzinfo)
    return None


def _check_links(out: Path, links, issue_date: datetime, where: str) -> int:
    """Every linked article or event was published by the issue's date; every event starts after it."""
    checked = 0
    for url in links:
        page = _target(out, url)
        if page is None or "/newsletters/" in url:
            continue
        published = _published(page)
        if published is None:
            continue
        checked += 1
        assert published <= issue_date, f"{where}: {url} was published {published}, after the issue ({issue_date})"
        start = _event_start(page) if "/events/" in url else None
        if start is not None:
            assert start > issue_date, f"{where}: event {url} starts {start}, before the issue ({issue_date})"
    return checked


def _window_ends(text: str, pattern: re.Pattern, fmt: str) -> datetime:
    days = [datetime.strptime(d, fmt) for d in pattern.findall(text)]
    assert len(days) == 2, text
    return days[1]


def test_each_archived_page_email_text_and_json_is_composed_as_of_its_date(out):
    for folder in _issues(out):
        when = _issue_date(folder)
        page = soup(folder / "index.html")
        figures = page.select_one(".newsletter-figures")
        end = _window_ends(figures.select("p")[-1].get_text(" ", strip=True), HUMAN_DAY, "%d %B %Y")
        assert end.date() <= when.date(), f"{folder.name}: web figures end {end:%Y-%m-%d}"
        assert _check_links(out, [a["href"] for a in page.select("article.newsletter a[href]")], when, "web") >= 3

        email = BeautifulSoup((folder / "email.html").read_text(encoding="utf-8"), "lxml")
        block = next(t for t in email.find_all(["div", "td"]) if t.find("h2", string="Headline crime figures"))
        sentence = next(p.get_text(" ") for p in block.find_all("p") if p.get_text().startswith("From "))
        end = _window_ends(sentence, HUMAN_DAY, "%d %B %Y")
        assert end.date() <= when.date(), f"{folder.name}: email figures end {end:%Y-%m-%d}"
        assert _check_links(out, [a["href"] for a in email.find_all("a", href=True)], when, "email.html") >= 3

        text = (folder / "email.txt").read_text(encoding="utf-8")
        block = text.split("HEADLINE CRIME FIGURES", 1)[1].split("=" * 72, 1)[0]
        end = _window_ends(" ".join(block.split()), HUMAN_DAY, "%d %B %Y")
        assert end.date() <= when.date(), f"{folder.name}: email.txt figures end {end:%Y-%m-%d}"
        assert _check_links(out, re.findall(r"^https://\S+$", text, re.M), when, "email.txt") >= 3

        issue = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
        assert issue["figures"]["window_end"] <= when.date().isoformat()
        for item in [i for s in issue["sections"] + issue["regional"] for i in s["items"]]:
            assert datetime.fromisoformat(item["date"]) <= when, item["slug"]
        for event in issue["events"]:
            assert datetime.fromisoformat(event["start"]) > when and datetime.fromisoformat(event["date"]) <= when


def test_the_newsletter_feed_dates_each_entry_and_links_only_what_the_issue_could_know(out):
    parsed = feedparser.parse((out / "feeds" / "newsletters.atom.xml").read_bytes())
    assert parsed.bozo == 0 and len(parsed.entries) == 2
    for entry in parsed.entries:
        folder = _target(out, entry.link).parent
        when = _issue_date(folder)
        assert datetime.fromisoformat(entry.published) == when
        body = BeautifulSoup(entry.content[0].value, "html.parser")
        figures = body.select_one(".newsletter-figures")
        assert figures is not None, f"feed {entry.link}: no figures"
        end = _window_ends(figures.select("p")[-1].get_text(" ", strip=True), HUMAN_DAY, "%d %B %Y")
        assert end.date() <= when.date(), f"feed {entry.link}: figures end {end:%Y-%m-%d}"
        links = [a["href"] for a in body.find_all("a", href=True)]
        assert _check_links(out, links, when, f"feed {entry.link}") >= 3


def test_figures_from_the_sample_table_say_so_on_every_surface(out):
    """The sample table's records have source `sample`: the figures say they are synthetic, and the
    "use them in your port risk assessments" of the July 2019 letter is answered beside them."""
    entries = {e.link: e for e in feedparser.parse((out / "feeds" / "newsletters.atom.xml").read_bytes()).entries}
    for folder in _issues(out):
        web = soup(folder / "index.html").select_one(".newsletter-figures [role=note]")
        assert web is not None and web.get_text().startswith(SAMPLE) and "risk assessments" in web.get_text()
        email = BeautifulSoup((folder / "email.html").read_text(encoding="utf-8"), "lxml")
        note = email.find("strong", string=f"{SAMPLE}:")
        assert note is not None and "synthetic" in note.parent.get_text()
        assert note.find_previous("h2").get_text() == "Headline crime figures"
        text = (folder / "email.txt").read_text(encoding="utf-8")
        assert "SAMPLE DATA: these figures are computed from synthetic" in text.split("HEADLINE CRIME FIGURES", 1)[1]
        assert json.loads((folder / "issue.json").read_text(encoding="utf-8"))["figures"]["sample"] is True
        feed = BeautifulSoup(entries[f"{PUBLIC}/newsletters/{folder.name}/"].content[0].value, "html.parser")
        assert f"{SAMPLE}:" in feed.select_one(".newsletter-figures").get_text()  # (feedparser drops role)


def test_compose_keeps_to_what_the_issue_could_know_and_names_a_late_pin():
    from datetime import timedelta, timezone

    from csoa.email.compose import ComposeError, IssueMeta, Source, compose_issue

    issue_date = datetime(2016, 7, 8, 12, tzinfo=timezone.utc)
    build_now = datetime(2026, 12, 2, tzinfo=timezone.utc)

    def source(slug, kind, published, start=None):
        return Source(slug=slug, kind=kind, title=slug, url=f"{PUBLIC}/{slug}/", summary="", date=published,
                      start=start, path=f"{slug}/")

    sources = [source("before", "news", issue_date - timedelta(days=2)),
               source("after", "news", issue_date + timedelta(days=30)),
               source("announced-then", "events", issue_date - timedelta(days=5), issue_date + timedelta(days=60)),
               source("announced-later", "events", issue_date + timedelta(days=90), issue_date + timedelta(days=400)),
               source("over-by-then", "events", issue_date - timedelta(days=40), issue_date - timedelta(days=1))]

    def meta(**kw):
        return IssueMeta(slug="july-2016", title="July 2016", date=issue_date, subject="s", preheader="p",
                         url=f"{PUBLIC}/newsletters/july-2016/", letter_html="",
                         source_file="content/newsletters/2016-07-08-july-2016.md", **kw)

    issue = compose_issue(meta(), sources, None, build_now, {}, {})
    assert [i["slug"] for s in issue["sections"] for i in s["items"]] == ["before"]
    assert [e["slug"] for e in issue["events"]] == ["announced-then"]
    with pytest.raises(ComposeError, match=r"2016-07-08-july-2016.md: Pin: after published after the issue's date"):
        compose_issue(meta(pin=["after"]), sources, None, build_now, {}, {})


def test_the_as_of_figures_are_the_statistics_pages_figures_on_that_day(tmp_path):
    """Same aggregation and window as summary.json: as of the newest record they agree; as of an earlier
    day only the records up to it count, over the three years ending on that day."""
    from datetime import date

    from csoa.model.incidents import load_incidents
    from csoa.stats.aggregate import summary, summary_as_of
    from csoa.stats.sample_data import write_generated
    from stats_helpers import project_regions

    regions = project_regions()
    write_generated(tmp_path / "incidents.csv", n=300, seed=5, regions=regions)
    records = load_incidents(tmp_path / "incidents.csv", date(2019, 7, 8), regions)
    whole = summary(records, regions.keys)
    newest = date.fromisoformat(whole["as_of"])
    assert summary_as_of(records, newest, regions.keys)["headline"] == whole["headline"]
    then = summary_as_of(records, date(2016, 7, 8), regions.keys)
    earlier = [r for r in records if r.date <= date(2016, 7, 8)]
    assert then["headline"]["window_start"] == "2013-07-09" and then["headline"]["window_end"] == "2016-07-08"
    assert then["by_year"] == summary(earlier, regions.keys)["by_year"] and max(then["by_year"]) == "2016"
    assert then["sample"] is True and summary_as_of(records[:0], date(2016, 7, 8), regions.keys)["sample"] is False
