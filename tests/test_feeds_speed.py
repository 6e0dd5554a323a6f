"""The feeds' fast paths give exactly what the plain ones gave.

html_stream must serialise like BeautifulSoup's html.parser tree (checked against BeautifulSoup on
generated markup, malformed included); the memos kept between builds of one process must never
serve a stale item or feed (checked with real builds in one process).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sites import ROOT, build, site_settings, write_content
from test_events_support import COURSE, INTELLIGENCE, NEWS_WITH_LINKS, PDF_BYTES, PINNED_NOW, REPORT, png_bytes

from csoa.engine.devloop import DevBuilder
from csoa.feeds.absolute import absolutize_soup, absolutize_with_links
from csoa.feeds.html_stream import Unsupported, stream_rewrite
from csoa.util.memo import LastBuildMemo
from csoa.util.session import BuildSession

BASE = "https://www.csoalliance.com/news/item/"

TOKENS = [
    "<p>", "</p>", "<div class='a  b\tc'>", "</div>", "<br>", "<br/>", "</br>", "<hr />", "<img src=x.png alt=''>",
    "<img srcset='a.png 1x,/b.png 2x' alt=a>", "<a href='/files/r.pdf'>", "<a href=\"r.PDF#p\" HREF=x>", "</a>",
    "<a href=''>", "<a name=x>", "<A Href=' /up.pdf '>", "</A>", "<pre>", "</pre>", "<textarea>", "</textarea>",
    "<script>", "</script>", "<style>", "</style>", "<ul>", "<li>", "</li>", "</ul>", "<table><tr><td>",
    "</td></tr></table>", "<input checked disabled>", "<span title='say \"hi\"'>", "<span title=\"it's\">",
    "<span title='a \"b\" c&#39;s'>", "</span>", "<b><i>", "</b></i>", "<!-- c -->", "<!---->", "<!-- - -->",
    "<!DOCTYPE html>", "<![CDATA[ x ]]>", "<?php x ?>", "<!weird>", "&amp;", "&lt;", "&nbsp;", "&eacute;", "&copy",
    "&unknown;", "&#0;", "&#128;", "&#x41;", "&#65", "&#xZZ;", "&", " & ", "<", " < ", ">", "\n", "  ", "\t", "\r\n",
    "<meta charset='latin-1'>", "<video poster=p.png src=v.mp4>", "</video>", "<source src=s.mp4>",
    "<blockquote cite=../q>", "</blockquote>", "<object data=/o>", "<form action=/s>", "</form>",
    "<link rel='preload  x' imagesrcset='/i.png 1x'>", "<rt>", "</rt>", "<template>", "</template>", "<p/>",
    "<x-y data-u='/u'>", "</x-y>", "<svg viewBox='0 0 1 1'><use xlink:href='#a'/></svg>", "text", "é漢",
]
markup = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet="<>/&#;=\"' \n\tabcpx!-?[]", max_size=12)), max_size=40
).map("".join)


def with_beautifulsoup(html: str) -> tuple[str, list[str]]:
    """What the feeds did before html_stream: a BeautifulSoup tree, rewritten and serialised."""
    soup = BeautifulSoup(html, "html.parser")
    absolutize_soup(soup, BASE)
    return str(soup), [a["href"] for a in soup.find_all("a", href=True)]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
def test_absolutized_html_is_what_beautifulsoup_gives(html):
    try:
        expected = with_beautifulsoup(html)
    except ParserRejectedMarkup:  # e.g. "<![0": the build fails on it, as it did
        with pytest.raises(ParserRejectedMarkup):
            absolutize_with_links(html, BASE)
        return
    assert absolutize_with_links(html, BASE) == expected


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup)
def test_the_streaming_writer_itself_matches_beautifulsoup(html):
    """Not only through the fallback: whenever the writer accepts markup, its bytes are BeautifulSoup's."""
    try:
        expected = str(BeautifulSoup(html, "html.parser"))
    except ParserRejectedMarkup:
        return
    try:
        streamed = stream_rewrite(html)
    except Unsupported:
        assert "<meta" in html.lower()
        return
    assert streamed == expected


def test_the_writer_handles_what_markdown_writes():
    html = (
        '<h2 id="x">Figures</h2>\n<table>\n<thead>\n<tr>\n<th style="text-align: right;">N</th>\n</tr>\n</thead>\n'
        '</table>\n<p>See <a href="../other/">other</a> &amp; <a href="/files/r.pdf">the PDF</a>.<br>\nNext</p>\n'
        '<p><img alt="A chart" src="/images/c.png"></p>\n<pre><code>  x &lt; y\n\n</code></pre>\n'
    )
    out, links = absolutize_with_links(html, BASE)
    assert links == ["https://www.csoalliance.com/news/other/", "https://www.csoalliance.com/files/r.pdf"]
    assert '<img alt="A chart" src="https://www.csoalliance.com/images/c.png"/>' in out
    assert (out, links) == with_beautifulsoup(html)
    seen = []
    streamed = stream_rewrite(html, lambda name, attrs: seen.append((name, dict(attrs))))
    assert streamed == str(BeautifulSoup(html, "html.parser"))
    assert [name for name, _ in seen] == ["h2", "th", "a", "a", "img"]  # elements with attributes, in order


# -- memos kept between the builds of one process ---------------------------------------------------

SMALL_SITE = {
    "news/piracy-report.md": NEWS_WITH_LINKS,
    "intelligence/kidnap-risk.md": INTELLIGENCE,
    "reports/drone-attack.md": REPORT,
    "files/report.pdf": PDF_BYTES,
    "images/chart.png": png_bytes(),
    "events/course.md": COURSE,
}


def feed_text(output, name="all.atom.xml"):
    return (output / "feeds" / name).read_text(encoding="utf-8")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_body_edit_shows_in_the_feeds_of_the_next_dev_loop_build(tmp_path):
    write_content(tmp_path, SMALL_SITE)
    builder = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path, now=PINNED_NOW))
    builder.build()
    assert "Body." in feed_text(builder.output, "intelligence.atom.xml")
    article = tmp_path / "content/intelligence/kidnap-risk.md"
    edit(article, "Body.", "Tidy.")  # same length, same everything else
    builder.rebuild()
    assert builder.session.memo("feeds.absolutized").hits > 0  # the unchanged items came from the memo, the edited one did not:
    for name in ("all.atom.xml", "all.rss.xml", "intelligence.atom.xml", "regions/west-africa.rss.xml"):
        text = feed_text(builder.output, name)
        assert "Tidy." in text and "Body." not in text, name
    edit(article, "Tidy.", "Edited, with [a map](/maps/gulf.pdf).")
    builder.rebuild()
    text = feed_text(builder.output, "intelligence.rss.xml")
    assert "https://www.csoalliance.com/maps/gulf.pdf" in text and "Tidy." not in text


def test_a_new_public_siteurl_shows_in_every_feed_of_the_next_build(tmp_path):
    session = BuildSession()  # kept from one build to the next: its memos must not serve the old URLs
    first = build(tmp_path / "a", SMALL_SITE, session=session, now=PINNED_NOW)
    assert "https://www.csoalliance.com/files/report.pdf" in feed_text(first, "all.rss.xml")
    write_content(tmp_path / "b", SMALL_SITE)
    second = build(tmp_path / "b", session=session, now=PINNED_NOW, PUBLIC_SITEURL="https://staging.example.org")
    for path in (second / "feeds").rglob("*.xml"):
        text = path.read_text(encoding="utf-8")
        assert "www.csoalliance.com" not in text, path  # links and ids (tag: URIs) alike
    rss = feed_text(second, "all.rss.xml")
    assert 'enclosure url="https://staging.example.org/files/report.pdf"' in rss
    assert "https://staging.example.org/news/piracy-report-published/" in rss


def test_a_replaced_pdf_gets_its_new_length_and_a_new_date_offset_is_written(tmp_path):
    """Inputs a digest of the HTML would miss: the attached file's size, and a date moved to another
    time zone (the same instant, so == says the items are equal)."""
    site, session = tmp_path / "site", BuildSession()  # kept from one build to the next, with its memos
    first = build(site, SMALL_SITE, session=session, now=PINNED_NOW)
    assert f'length="{len(PDF_BYTES)}"' in feed_text(first, "all.rss.xml")
    (site / "content/files/report.pdf").write_bytes(PDF_BYTES + b"%" * 100)
    edit(site / "content/reports/drone-attack.md", "Date: 2019-06-20 18:00 +00:00", "Date: 2019-06-20 19:00 +01:00")
    second = build(site, session=session, now=PINNED_NOW)
    assert f'length="{len(PDF_BYTES) + 100}"' in feed_text(second, "all.rss.xml")
    atom = feed_text(second, "reports.atom.xml")
    assert "<published>2019-06-20T19:00:00+01:00</published>" in atom
    assert "18:00:00+00:00" not in atom


def test_the_memos_keep_only_what_the_latest_build_used():
    memo = LastBuildMemo()
    memo.start_build()
    assert [memo.get(k, lambda k=k: k * 2) for k in (1, 2, 3)] == [2, 4, 6]
    memo.end_build()
    memo.start_build()
    assert memo.get(2, lambda: "recomputed") == 4 and memo.get(4, lambda: 8) == 8
    memo.end_build()
    assert len(memo) == 2  # 1 and 3 went with the build that used them
    assert memo.get(1, lambda: "recomputed") == "recomputed"
