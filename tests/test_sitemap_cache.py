"""sitemap_xml speed-ups: the head-only parse gives exactly what the full parse gives, and the
build session's memo re-reads only pages whose file changed (as in the dev loop's hard-linked outputs)."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone

import lxml.html
import pytest
from fastbuild_fixtures import fixture_files
from sites import ROOT, site_settings, write_content

from csoa import sitemap
from csoa.engine.devloop import DevBuilder
from csoa.sitemap import collect_pages, read_page, render_sitemap
from csoa.util import stamps
from csoa.util.memo import LastBuildMemo

NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)
HOUR_AGO_NS = time.time_ns() - 3600 * 10**9
CANON = '<link rel="canonical" href="https://x.test/{}/">'
DATED = '<meta property="article:published_time" content="{}">'


def html(head: str, body: str = "<main><p>text</p></main>") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def full_parse(path, not_after=NOW):
    """What the page gives when the whole document is parsed (the original way)."""
    return sitemap._info_from_tree(path, lxml.html.fromstring(path.read_bytes()), not_after)


TRICKY = {
    "dated": html(CANON.format("a") + DATED.format("2016-07-08T09:00:00+01:00")),
    "modified wins": html(CANON.format("b") + DATED.format("2016-07-08") + '<meta property="article:modified_time" content="2017-01-02">'),
    "noindex in body": html(CANON.format("c") + DATED.format("2016-07-08"), '<main><meta name="robots" content="noindex"></main>'),
    "date meta in body": html(CANON.format("d"), '<main><meta property="article:published_time" content="2015-01-01"><time datetime="2018-01-01">x</time></main>'),
    "upper case": html(CANON.format("e").upper().replace("HTTPS://X.TEST/E/", "https://x.test/e/") + DATED.format("2016-07-08")).replace("</head>", "</HEAD >"),
    "times in main": html(CANON.format("f"), '<main><time datetime="2016-01-01">a</time><time datetime="2020-01-01">future</time></main>'),
    "time outside main": html(CANON.format("g"), '<header><time datetime="2018-01-01">x</time></header><main>m</main>'),
    "bad meta date, times": html(CANON.format("h") + DATED.format("not a date"), '<main><time datetime="2014-03-04">x</time></main>'),
    "closing head in a script": html('<script>var s = "</head>";</script>' + CANON.format("i") + DATED.format("2016-07-08")),
    "no canonical": html(DATED.format("2016-07-08")),
    "no closing head": f"<!DOCTYPE html><html><head>{CANON.format('j')}{DATED.format('2016-07-08')}<body><main>m</main></body></html>",
    "fragment": f"{CANON.format('k')}{DATED.format('2016-07-08')}<p>x</p>",
    "undated, no times": html(CANON.format("l")),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_read_page_equals_the_full_parse(tmp_path, name):
    path = tmp_path / "page.html"
    path.write_text(TRICKY[name], encoding="utf-8")
    assert read_page(path, NOW) == full_parse(path)


def test_head_only_parse_is_used_for_a_page_dated_by_its_head(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(TRICKY["dated"] + "<p>" + "<broken" * 50, encoding="utf-8")  # the rest is never parsed
    info = sitemap._info_from_head(path, path.read_bytes())
    assert info is not None and info.lastmod == datetime(2016, 7, 8, 8, tzinfo=timezone.utc)
    assert sitemap._info_from_head(path, TRICKY["times in main"].encode()) is None


TICK_S = 0.02


@pytest.fixture(autouse=True)
def short_tick(monkeypatch):
    """Files whose times are TICK_S old are settled (the real tick is longer; ctimes cannot be dated back)."""
    monkeypatch.setattr(stamps, "TICK_NS", int(TICK_S * 1e9))


def settle():
    time.sleep(TICK_S * 2)


def write_old(path, text, mtime_ns=HOUR_AGO_NS):
    """Write a page and date it an hour back (as a page of an earlier build)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


MEMO = LastBuildMemo()


def scan(output, not_after=NOW):
    """collect_pages as one build of a long-lived session does it: with the session's memo."""
    settle()
    MEMO.start_build()
    try:
        return collect_pages(output, not_after, MEMO)
    finally:
        MEMO.end_build()


@pytest.fixture
def reads(monkeypatch):
    """Count the pages collect_pages actually reads (the real read_page does the work)."""
    global MEMO
    MEMO = LastBuildMemo()
    calls = []
    real = sitemap.read_page

    def counting(path, not_after=None):
        calls.append(path.name)
        return real(path, not_after)

    monkeypatch.setattr(sitemap, "read_page", counting)
    yield calls


def linked_copy(source, target, except_names=()):
    """A new output directory with hard links of ``source``'s pages, as the dev loop makes one."""
    for path in source.rglob("*.html"):
        if path.name not in except_names:
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target / path.relative_to(source))


def test_a_rebuild_reads_only_the_pages_it_wrote(tmp_path, reads):
    first, second = tmp_path / "build1", tmp_path / "build2"
    for i in range(5):
        write_old(first / f"p{i}.html", html(CANON.format(f"p{i}") + DATED.format(f"2016-07-0{i + 1}")))
    write_old(first / "list.html", html(CANON.format("list"), '<main><time datetime="2016-02-02">x</time></main>'))
    scan(first)
    assert len(reads) == 6

    reads.clear()
    linked_copy(first, second, except_names={"p3.html"})  # new links: the ctime and link count move
    write_old(second / "p3.html", html(CANON.format("p3") + DATED.format("2018-12-24")))
    pages = scan(second)
    assert reads == ["p3.html"]
    assert {p.canonical: p.lastmod for p in pages}["https://x.test/p3/"] == datetime(2018, 12, 24, tzinfo=timezone.utc)
    assert all(p.path.parent == second for p in pages)  # paths of this build, not of the one cached
    assert render_sitemap(pages) == render_sitemap(collect_pages(second, NOW))
    assert len(MEMO) == 6  # only the latest scan's pages are kept


def test_a_page_changed_in_place_is_read_again(tmp_path, reads):
    path = tmp_path / "p.html"
    write_old(path, html(CANON.format("p") + DATED.format("2016-07-08")))
    scan(tmp_path)
    write_old(path, html(CANON.format("p") + DATED.format("2016-07-09")), HOUR_AGO_NS + 1)  # same inode and size
    assert [p.lastmod.day for p in scan(tmp_path)] == [9]
    path.write_text(html(CANON.format("p") + DATED.format("2016-07-10T10:00")), encoding="utf-8")
    os.utime(path, ns=(HOUR_AGO_NS + 1, HOUR_AGO_NS + 1))  # same inode and mtime, new size
    assert [p.lastmod.day for p in scan(tmp_path)] == [10]
    path.write_text(html(CANON.format("p") + DATED.format("2016-07-11T10:00")), encoding="utf-8")
    os.utime(path, ns=(HOUR_AGO_NS + 1, HOUR_AGO_NS + 1))  # same inode, mtime and size (as cp -p): the ctime tells
    assert [p.lastmod.day for p in scan(tmp_path)] == [11]
    assert len(reads) == 4


def test_a_page_written_just_before_the_scan_is_not_remembered(tmp_path, reads):
    """Rewritten in place after the scan, within the clock's tick: same stamp, new content."""
    path = tmp_path / "p.html"
    path.write_text(html(CANON.format("p") + DATED.format("2016-07-08")), encoding="utf-8")
    stamp = path.stat()
    MEMO.start_build()
    collect_pages(tmp_path, NOW, MEMO)  # at once: within the tick of the write
    MEMO.end_build()
    path.write_text(html(CANON.format("p") + DATED.format("2016-07-09")), encoding="utf-8")
    os.utime(path, ns=(stamp.st_mtime_ns, stamp.st_mtime_ns))
    assert [p.lastmod.day for p in scan(tmp_path)] == [9]
    assert len(reads) == 2


def test_the_pinned_build_time_is_part_of_the_key(tmp_path, reads):
    write_old(tmp_path / "list.html", html(CANON.format("list"), '<main><time datetime="2016-01-01">a</time><time datetime="2018-01-01">b</time></main>'))
    assert scan(tmp_path)[0].lastmod.year == 2018
    assert scan(tmp_path, datetime(2017, 1, 1, tzinfo=timezone.utc))[0].lastmod.year == 2016
    assert len(reads) == 2


def lastmods(output):
    return dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", (output / "sitemap.xml").read_text()))


def age_output(builder):
    """Date the pages an hour back, as pages of an earlier build are in real use (out of the racy window)."""
    for path in builder.output.rglob("*.html"):
        os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))


def assert_sitemap_equals_an_uncached_scan(builder):
    pages = collect_pages(builder.output, builder.settings["BUILD_NOW"])
    assert (builder.output / "sitemap.xml").read_bytes() == render_sitemap(pages)


def test_dev_loop_rebuilds_read_only_new_pages_and_show_a_new_date(tmp_path, reads):
    write_content(tmp_path, fixture_files())
    builder = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path))
    builder.build()
    url = "https://www.csoalliance.com/news/news-item-3/"
    assert lastmods(builder.output)[url] == "2016-07-04T08:00:00Z"
    age_output(builder)
    settle()  # the session's memo remembers them with their aged stamps at the next build
    html_pages, item = len([p for p in builder.output.rglob("*.html")]), builder.content / "news/item-03.md"

    builder.rebuild()  # nothing changed: the pages are read once with their aged stamps
    item.write_text(item.read_text(encoding="utf-8").replace("Opening paragraph", "New opening"), encoding="utf-8")
    settle()
    reads.clear()
    report = builder.rebuild([item])
    assert len(report.kept) > 30  # hard links of the previous pages: not read again
    assert 0 < len(reads) <= html_pages - len([k for k in report.kept if k.endswith(".html")])
    assert_sitemap_equals_an_uncached_scan(builder)

    age_output(builder)
    item.write_text(item.read_text(encoding="utf-8").replace("2016-07-04 09:00", "2016-07-05 11:30"), encoding="utf-8")
    settle()
    builder.rebuild([item])
    assert lastmods(builder.output)[url] == "2016-07-05T10:30:00Z"
    assert_sitemap_equals_an_uncached_scan(builder)
