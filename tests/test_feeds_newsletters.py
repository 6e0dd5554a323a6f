"""The newsletter issues' feeds, once the newsletter area's plugin builds issues from content/newsletters/."""

import feedparser
import pytest
from sites import build
from test_events_support import FILES, PINNED_NOW, PUBLIC

ISSUE = """\
    Title: July 2019
    Date: 2019-07-01 08:00 +01:00
    Subject: CSO Alliance newsletter, July 2019
    Preheader: What the Alliance published in June.

    This issue gathers what the Alliance published in June. See [the report](/files/report.pdf).
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {**FILES, "newsletters/2019-07-01-july-2019.md": ISSUE}
    return build(tmp_path_factory.mktemp("newsletter-feeds"), files, now=PINNED_NOW)


def test_newsletter_feeds_list_issues_with_stable_ids_and_absolute_links(site):
    for name, category in (("newsletters.atom.xml", "newsletters"), ("newsletters.rss.xml", "Newsletter")):
        parsed = feedparser.parse((site / "feeds" / name).read_bytes())
        assert parsed.bozo == 0
        (entry,) = parsed.entries
        assert entry.title == "July 2019"
        assert entry.link == f"{PUBLIC}/newsletters/july-2019/"
        assert entry.id == "tag:www.csoalliance.com,2016:newsletters/2019-07-01-july-2019"
        assert f'href="{PUBLIC}/files/report.pdf"' in entry.content[0].value
        assert [t.term for t in entry.tags] == [category]  # RSS carries the label
    assert (site / "newsletters" / "july-2019" / "index.html").is_file()  # the link points at a real page
