"""The theme's plain modules on their own: dates, neighbours, region grouping, sitemap parsing."""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from csoa.model.regions import Region
from csoa.sitemap import collect_pages, parse_moment, render_robots, render_sitemap
from csoa.theme.dates import as_date, human_date, iso_date
from csoa.theme.neighbours import neighbours_by_kind, related_by_item, related_items
from csoa.theme.region_groups import group_by_region

UTC = timezone.utc


def item(slug, day, kind="news", tags=(), region=None):
    return SimpleNamespace(
        slug=slug, date=datetime(2016, 7, day, 9, tzinfo=UTC), category=kind, tags=list(tags), region=region
    )


def test_dates_accept_text_and_objects():
    assert as_date("2016-06-28") == date(2016, 6, 28)
    assert as_date(date(2016, 6, 28)) == date(2016, 6, 28)
    assert as_date("") is None
    assert human_date("2016-06-08") == "8 June 2016"
    assert iso_date(datetime(2019, 6, 20, 18, tzinfo=timezone(timedelta(hours=1)))) == "2019-06-20T18:00:00+01:00"
    with pytest.raises(ValueError):
        as_date("28/06/2016")


def test_previous_and_next_stay_within_the_same_kind():
    a, b, c = item("a", 1), item("b", 3), item("c", 5)
    other = item("x", 2, kind="reports")
    links = neighbours_by_kind([c, other, a, b])
    assert links[id(a)] == (None, b)
    assert links[id(b)] == (a, c)
    assert links[id(c)] == (b, None)
    assert links[id(other)] == (None, None)


def test_same_date_is_ordered_by_slug_so_order_never_depends_on_input_order():
    a, b = item("alpha", 1), item("beta", 1)
    assert neighbours_by_kind([b, a])[id(a)] == (None, b)
    assert neighbours_by_kind([a, b])[id(a)] == (None, b)


def test_related_ranks_shared_tags_then_recency_and_excludes_self():
    me = item("me", 10, tags=["piracy", "asia", "kidnap"])
    two_shared = item("two", 1, tags=["piracy", "asia"])
    one_new = item("new", 9, tags=["kidnap"])
    one_old = item("old", 2, tags=["asia"])
    unrelated = item("none", 8, tags=["cruise"])
    got = related_items(me, [me, one_old, unrelated, one_new, two_shared], limit=3)
    assert [i.slug for i in got] == ["two", "new", "old"]
    assert related_items(item("untagged", 1), [me, one_new]) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 28), st.sets(st.sampled_from("abcdefg"), max_size=5)), max_size=30),
    st.integers(1, 4),
    st.integers(1, 8),
)
def test_indexed_related_equals_the_plain_definition(specs, limit, max_tags_indexed):
    items = [item(f"i{n:02d}", day, tags=sorted(tags)) for n, (day, tags) in enumerate(specs)]
    indexed = related_by_item(items, limit=limit, max_tags_indexed=max_tags_indexed)
    for it in items:
        assert indexed[id(it)] == related_items(it, items, limit=limit)


def test_group_by_region_keeps_every_region_newest_first_and_ignores_unknown():
    regions = [Region("asia", "Asia", "asia", True), Region("west_africa", "West Africa", "west-africa", True),
               Region("other", "Other waters", "other", False)]  # statistics only: no page
    items = [item("a1", 1, region="asia"), item("a2", 4, region="asia"), item("x", 2, region="atlantis"),
             item("o", 2, region="other"), item("n", 3)]
    grouped = group_by_region(items, regions, "regions/{slug}/", "regions/{slug}/index.html")
    assert [(r.key, r.name, r.url, r.save_as) for r in grouped] == [
        ("asia", "Asia", "regions/asia/", "regions/asia/index.html"),
        ("west_africa", "West Africa", "regions/west-africa/", "regions/west-africa/index.html"),
    ]
    assert [i.slug for i in grouped[0].items] == ["a2", "a1"]
    assert grouped[1].items == []


def test_parse_moment_normalises_to_utc():
    assert parse_moment("2016-07-08T09:00:00+01:00") == datetime(2016, 7, 8, 8, tzinfo=UTC)
    assert parse_moment("2016-06-28") == datetime(2016, 6, 28, tzinfo=UTC)
    assert parse_moment("next tuesday") is None


def page(tmp_path, rel, head="", main=""):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body><main>{main}</main></body></html>")
    return path


def test_collect_pages_skips_noindex_and_pages_without_canonical_and_deduplicates(tmp_path):
    now = datetime(2019, 7, 8, tzinfo=UTC)
    canon = '<link rel="canonical" href="https://x.test/{}">'
    page(tmp_path, "a/index.html", canon.format("a/") + '<meta property="article:published_time" content="2016-07-08T09:00:00+01:00">')
    page(tmp_path, "b/index.html", canon.format("b/"), '<time datetime="2016-01-01">x</time><time datetime="2017-05-01">y</time><time datetime="2020-01-01">future</time>')
    page(tmp_path, "c/index.html", canon.format("c/"))
    page(tmp_path, "stats/index.html", canon.format("stats/"), '<p>As of <time datetime="2019-07-08">today</time></p>')
    page(tmp_path, "dup.html", canon.format("a/"))
    page(tmp_path, "hidden/index.html", canon.format("hidden/") + '<meta name="robots" content="noindex">')
    page(tmp_path, "404.html", "")
    pages = collect_pages(tmp_path, not_after=now)
    assert [p.canonical for p in pages] == ["https://x.test/a/", "https://x.test/b/", "https://x.test/c/", "https://x.test/stats/"]
    assert pages[0].lastmod == datetime(2016, 7, 8, 8, tzinfo=UTC)
    assert pages[1].lastmod == datetime(2017, 5, 1, tzinfo=UTC)  # the future event date is ignored
    assert pages[2].lastmod is None

    xml = etree.fromstring(render_sitemap(pages))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    rows = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in xml.findall("s:url", ns)}
    # a page with no date of its own gets the newest article date (not the "as of" date of stats/)
    assert rows == {
        "https://x.test/a/": "2016-07-08T08:00:00Z",
        "https://x.test/b/": "2017-05-01T00:00:00Z",
        "https://x.test/c/": "2016-07-08T08:00:00Z",
        "https://x.test/stats/": "2019-07-08T00:00:00Z",
    }


def test_robots_points_at_the_sitemap():
    lines = render_robots("https://x.test/sitemap.xml", ["/drafts/"]).splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow: /drafts/"]
    assert "Sitemap: https://x.test/sitemap.xml" in lines
    assert render_robots("https://x.test/sitemap.xml").splitlines()[1] == "Disallow:"


def test_site_path_and_flags():
    from csoa.theme.paths import is_yes, site_path

    assert site_path("{static}/images/a.jpg") == site_path("/images/a.jpg") == site_path("images/a.jpg") == "images/a.jpg"
    assert site_path(None) == ""
    assert [is_yes(v) for v in ("yes", "True", "1", True, "no", "", None, False)] == [True] * 4 + [False] * 4


def test_navigation_orders_pages_numerically_and_skips_pages_without_order():
    from csoa.theme.navigation import nav_pages

    pages = [SimpleNamespace(title=f"P{n}", nav_order=str(n)) for n in (10, 2, 1)] + [SimpleNamespace(title="None")]
    assert [p.title for p in nav_pages(pages)] == ["P1", "P2", "P10"]


def _linkable(n, tags, day):
    return SimpleNamespace(source_path=f"/c/news/{n}.md", slug=f"n{n}", category="news", tags=tags,
                           date=datetime(2016, 7, day, tzinfo=timezone.utc))


def test_links_of_an_unchanged_site_are_reused_on_the_new_objects_and_recomputed_after_a_tag_edit():
    from csoa.plugins.theme_support import link_articles
    from csoa.util.memo import LastBuildMemo

    memo = LastBuildMemo()  # the build session's: one build after the other

    def site(tags_of_2):
        return [_linkable(1, ["piracy"], 1), _linkable(2, tags_of_2, 2), _linkable(3, ["piracy"], 3),
                _linkable(4, ["cruise"], 4)]

    first = site(["piracy"])
    link_articles(first, memo=memo)
    memo.start_build()
    second = site(["piracy"])  # the next build: new objects, same inputs
    link_articles(second, memo=memo)
    assert memo.hits == 1
    assert [r.slug for r in second[0].related] == ["n3", "n2"]
    assert all(r in second for a in second for r in a.related)  # this build's objects, not the last's
    assert second[1].older_in_kind is second[0] and second[1].newer_in_kind is second[2]
    memo.start_build()
    third = site(["cruise"])  # a tag edit changes the related items
    link_articles(third, memo=memo)
    assert memo.hits == 0
    assert [r.slug for r in third[0].related] == ["n3"]
    assert [r.slug for r in third[3].related] == ["n2"]
