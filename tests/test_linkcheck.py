"""Link check: every internal link and asset reference in a built site resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sites import ROOT, build

from csoa.engine.build import build_site
from csoa.linkcheck import check_site, format_report

GOOD = """\
    Title: Good item
    Date: 2016-07-08 09:00 +01:00
    Summary: Links that work.

    See [the other item]({filename}b.md), [the why page]({filename}/pages/why.md) and [home](/).
    """
BROKEN = """\
    Title: Broken item
    Date: 2016-07-09 09:00 +01:00
    Summary: Links that do not work.

    See [a missing page](/news/no-such-item/), ![a missing chart](/images/missing.png)
    and [a missing anchor](#nowhere) and [external](https://example.org/) and [mail](mailto:a@b.c).
    """
PAGE = """\
    Title: Why
    Summary: Why.

    The page.
    """


def test_a_fixture_with_broken_links_fails_with_page_and_link(tmp_path):
    out = build(tmp_path, {"news/a.md": GOOD, "news/b.md": BROKEN, "pages/why.md": PAGE})
    broken = check_site(out)
    page = "news/broken-item/index.html"
    assert [(b.page, b.url) for b in broken] == [
        (page, "#nowhere"), (page, "/images/missing.png"), (page, "/news/no-such-item/")]
    report = format_report(broken)
    assert "3 broken internal link(s) on 1 page(s)" in report
    assert f"  {page}\n    #nowhere" in report and 'no id="nowhere" in news/broken-item/index.html' in report


def test_srcset_css_absolute_and_relative_references_are_checked(tmp_path):
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "img" / "x-480w.png").write_bytes(b"x")
    (site / "style.css").write_text("body { background: url('img/x-480w.png') } h1 { background: url(img/gone.png) }")
    (site / "index.html").write_text("<p id='top'>home</p>")
    (site / "a" / "b" / "index.html").write_text(
        '<img alt="x" src="../../img/x-480w.png" srcset="/img/x-480w.png 480w, /img/x-800w.png 800w">'
        '<a href="https://www.csoalliance.com/#top">home</a><a href="https://www.csoalliance.com/zzz/">gone</a>'
        '<a href="./">self</a><a href="../../a/b/#missing">frag</a><div style="background:url(/img/nope.png)"></div>'
        '<link rel="stylesheet" href="/style.css"><a href="//www.csoalliance.com/a/b/">protocol-relative</a>'
    )
    broken = check_site(site, ["https://www.csoalliance.com"])
    assert sorted((b.page, b.url) for b in broken) == [
        ("a/b/index.html", "../../a/b/#missing"),
        ("a/b/index.html", "/img/nope.png"),
        ("a/b/index.html", "/img/x-800w.png"),
        ("a/b/index.html", "https://www.csoalliance.com/zzz/"),
        ("style.css", "img/gone.png"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_the_sample_site_has_no_broken_links(tmp_path, settings_file, pinned_now):
    out = build_site(ROOT / settings_file, {"OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache")})
    assert (out / "index.html").exists()
    broken = check_site(out, ["https://www.csoalliance.com"])
    assert broken == [], format_report(broken)


def test_invoke_linkcheck_exits_non_zero_with_the_report(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="/gone/">x</a><a href="/">home</a>')
    result = subprocess.run([sys.executable, "-m", "invoke", "linkcheck", "--output", str(site)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "index.html" in result.stderr and "/gone/" in result.stderr
    (site / "index.html").write_text('<a href="/">home</a>')
    result = subprocess.run([sys.executable, "-m", "invoke", "linkcheck", "--output", str(site)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "no broken internal links" in result.stdout


def test_feeds_sitemaps_and_calendars_are_checked(tmp_path):
    site = tmp_path / "site"
    (site / "news/a").mkdir(parents=True)
    (site / "news/a/index.html").write_text("<p>a</p>")
    (site / "index.html").write_text("<p>home</p>")
    (site / "feeds").mkdir()
    (site / "feeds/all.atom.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<link href="https://www.csoalliance.com/" rel="alternate"/><id>tag:csoalliance.com,2016:feed</id>'
        '<entry><link href="https://www.csoalliance.com/news/a/"/><id>https://www.csoalliance.com/news/old-slug/</id>'
        '<content type="html">&lt;p&gt;&lt;img alt="x" src="https://www.csoalliance.com/images/gone.png"&gt;&lt;/p&gt;</content>'
        "</entry></feed>")
    (site / "feeds/all.rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><link>https://www.csoalliance.com/</link>'
        '<item><link>https://www.csoalliance.com/news/b/</link><guid isPermaLink="false">x-1</guid></item></channel></rss>')
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://www.csoalliance.com/news/a/</loc></url><url><loc>https://www.csoalliance.com/c/</loc></url></urlset>")
    (site / "events.ics").write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\nUID:1@t\r\nDTSTAMP:20160708T000000Z\r\n"
        b"DTSTART:20160708T090000Z\r\nSUMMARY:x\r\nURL:https://www.csoalliance.com/events/gone/\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:2@t\r\nDTSTAMP:20160708T000000Z\r\nDTSTART:20160708T090000Z\r\nSUMMARY:y\r\n"
        b"URL:https://www.csoalliance.com/news/a/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    broken = check_site(site, ["https://www.csoalliance.com"])
    assert sorted((b.page, b.url) for b in broken) == [
        ("events.ics", "https://www.csoalliance.com/events/gone/"),
        ("feeds/all.atom.xml", "https://www.csoalliance.com/images/gone.png"),
        ("feeds/all.rss.xml", "https://www.csoalliance.com/news/b/"),
        ("sitemap.xml", "https://www.csoalliance.com/c/"),
    ]
