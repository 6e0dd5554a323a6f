"""Link check: every internal link and asset reference in a built site resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

from linkcheck.checker import check_site, format_report
from site_build.build import build_site
from sites import ROOT, build

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
