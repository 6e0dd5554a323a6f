"""Publication against the pinned BUILD_NOW: scheduled items and drafts stay out of the built site's
listings (real Pelican builds, parsed with BeautifulSoup), and appear once "now" passes their date."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from sites import build, settings_for, soup

from csoa.model.publication import published_only
from csoa.engine.content_check import check_content

NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)


def news(title: str, date: str, extra: str = "") -> str:
    return f"Title: {title}\nDate: {date}\nSummary: {title}.\nTags: alliance{extra}\n\nBody of {title}.\n"


FILES = {
    "news/past.md": news("Past item", "2019-07-01 09:00"),
    "news/exactly-now.md": news("Exactly now", "2019-07-08 00:00 +00:00"),
    "news/scheduled.md": news("Scheduled item", "2019-08-01 10:00", ", launch"),
    "news/draft.md": news("Draft item", "2019-07-02").replace("Tags:", "Status: draft\nTags:"),
}


def listed(page) -> set[str]:
    """The article links of a listing page (the theme's item list)."""
    return {a["href"] for a in page.select(".item-list .item-title a")}


def test_scheduled_and_draft_items_are_not_published_until_build_now_passes(tmp_path):
    out = build(tmp_path, FILES, now=NOW)
    assert (out / "news/past-item/index.html").is_file()
    assert (out / "news/exactly-now/index.html").is_file()  # dated exactly "now": published
    assert not (out / "news/scheduled-item").exists()
    assert not (out / "news/draft-item").exists()
    assert (out / "drafts/draft-item/index.html").is_file()  # the development build previews drafts
    published = {"/news/past-item/", "/news/exactly-now/"}
    for listing in ("index.html", "news/index.html", "tags/alliance/index.html"):
        assert listed(soup(out / listing)) == published, listing
    archive_links = {
        a["href"] for a in soup(out / "archives/index.html").select("main a") if a["href"].startswith("/news/")
    }
    assert archive_links == published
    assert not (out / "tags/launch").exists()  # a tag only a scheduled item uses does not exist yet

    later = build(tmp_path, now=datetime(2019, 8, 1, 9, 0, tzinfo=timezone.utc))  # 10:00 London = 09:00 UTC
    assert (later / "news/scheduled-item/index.html").is_file()
    assert listed(soup(later / "index.html")) == published | {"/news/scheduled-item/"}
    assert listed(soup(later / "tags/launch/index.html")) == {"/news/scheduled-item/"}
    assert not (later / "news/draft-item").exists()
    assert "/news/draft-item/" not in listed(soup(later / "tags/alliance/index.html"))


def test_one_second_before_the_date_the_item_is_still_scheduled(tmp_path):
    out = build(
        tmp_path,
        {"news/scheduled.md": FILES["news/scheduled.md"], "news/past.md": FILES["news/past.md"]},
        now=datetime(2019, 8, 1, 8, 59, 59, tzinfo=timezone.utc),
    )
    assert not (out / "news/scheduled-item").exists()


def test_check_reports_the_scheduled_item_and_the_draft_as_infos(tmp_path):
    build(tmp_path, FILES, now=NOW)
    report = check_content(settings_for(tmp_path, now=NOW))
    assert report.errors == []
    assert [str(i) for i in report.infos] == [
        "content/news/draft.md:4: status: draft: not published",
        "content/news/scheduled.md:2: date: scheduled: publishes on 2019-08-01 10:00 +01:00",
    ]


def test_the_validators_urls_are_the_urls_pelican_writes(tmp_path):
    titles = [
        "Iran's drone attack: what CSOs should know — June 2019",
        "Café & Co. (Piraeus) 2016!",
        "  Spaces   and CAPS  ",
    ]
    files = {f"news/{n}.md": news(t, "2019-06-20") for n, t in enumerate(titles)}
    files["pages/join.md"] = "Title: Join now!\nSummary: Join.\n\nBody.\n"
    out = build(tmp_path, files, now=NOW)
    report = check_content(settings_for(tmp_path, now=NOW))
    assert len(report.items) == 4
    for item in report.items:
        assert (out / item.url / "index.html").is_file(), item.url


def test_published_only_keeps_order_and_undated_items():
    items = [
        SimpleNamespace(n=1, date=NOW),
        SimpleNamespace(n=2, date=datetime(2020, 1, 1, tzinfo=timezone.utc)),
        SimpleNamespace(n=3),
        SimpleNamespace(n=4, date=datetime(2001, 1, 1, tzinfo=timezone.utc)),
    ]
    assert [i.n for i in published_only(items, NOW)] == [1, 3, 4]
