"""Two clean builds of the sample site with the same pinned "now" are byte-identical."""

import hashlib
from datetime import datetime, timezone

import pytest
from sample_build import PINNED_EPOCH, build_sample_site

pytestmark = pytest.mark.slow


def digests(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_two_clean_builds_are_byte_identical(tmp_path):
    first = digests(build_sample_site(tmp_path / "one"))
    second = digests(build_sample_site(tmp_path / "two"))
    assert len(first) > 50
    assert "sitemap.xml" in first and "robots.txt" in first
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []


def test_sitemap_dates_come_from_the_content_not_the_clock(sample_site):
    from lxml import etree
    from sites import soup

    from csoa.sitemap import parse_moment

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    rows = {
        url.findtext("s:loc", namespaces=ns): parse_moment(url.findtext("s:lastmod", namespaces=ns))
        for url in etree.parse(str(sample_site / "sitemap.xml")).getroot()
    }
    articles = {}
    for path in sample_site.rglob("*.html"):
        page = soup(path)
        modified = page.find("meta", property="article:modified_time")
        if modified and page.find("link", rel="canonical"):
            articles[page.find("link", rel="canonical")["href"]] = parse_moment(modified["content"])
    assert len(articles) >= 20
    assert all(rows[url] == moment for url, moment in articles.items())
    # undated pages (the navigation pages) get the newest article date
    assert rows["https://www.csoalliance.com/why-cso-alliance/"] == max(articles.values())
    pinned_now = datetime.fromtimestamp(PINNED_EPOCH, tz=timezone.utc)
    assert all(moment <= pinned_now for moment in rows.values())
