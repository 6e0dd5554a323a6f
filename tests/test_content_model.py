"""One content model (issue 13, part 3): one reading of the metadata header, event vocabularies
defined and checked once, regions defined once in the settings. Each test here changes or reads
the model in one place and looks for the effect everywhere else, in real builds."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import boto3
import markdown
import pytest
from newsletter_site import moto_ses, settings_env
from sites import ROOT, build, site_settings, soup, write_content
from stats_helpers import sample_records, table_text
from test_events_site import errors_of_own_build

from csoa.apps.event_uids import add_uid_line, missing_uids
from csoa.engine.build import build_site, load_settings
from csoa.model import vocabularies
from csoa.model.regions import REGIONS_FILE
from csoa.engine.content_check import check_content


def python_markdown_meta(text: str) -> dict:
    """What Pelican's markdown reader hands on: python-markdown's meta extension, BOM dropped as
    pelican_open drops it."""
    md = markdown.Markdown(extensions=["meta"])
    md.convert(text.removeprefix("\ufeff"))
    return md.Meta


# ----------------------------------------------------------------------------------- the header

EVENT = "Title: Course\nDate: 2019-06-01\nSummary: A course.\nStart: 2019-07-10\n"
HEADERS = {
    # a byte-order mark before the first field: the field is still the Uid
    "bom.md": "\ufeffUid: course-2019\n" + EVENT + "\nBody.\n",
    # four spaces continue the Summary: "Uid:" there is text, not a field
    "continued.md": EVENT.replace("Summary: A course.\n", "Summary: A course.\n    Uid: not-a-field\n") + "\nBody.\n",
    # keys are case-insensitive and may be indented by up to three spaces
    "upper.md": "   UID: course-2020\n" + EVENT + "\nBody.\n",
}


def test_event_uids_reads_the_header_as_pelican_does(tmp_path):
    """`invoke event-uids` had its own header reader: it took a continued line for a Uid: field
    and missed the field after a byte-order mark (and would have written a second one)."""
    content = tmp_path / "content"
    write_content(tmp_path, {f"events/{name}": text for name, text in HEADERS.items()})
    for name in HEADERS:  # (write_content dedents; keep the bytes exactly)
        (content / "events" / name).write_text(HEADERS[name], encoding="utf-8")
    expected = sorted(name for name, text in HEADERS.items() if "uid" not in python_markdown_meta(text))
    assert expected == ["continued.md"]
    assert [path.name for path, _ in missing_uids(content)] == expected
    add_uid_line(content / "events" / "continued.md", "events/continued")
    assert python_markdown_meta((content / "events" / "continued.md").read_text(encoding="utf-8"))["uid"] == [
        "events/continued"]
    assert missing_uids(content) == []


CONTINUED_START = """\
    Title: Briefing
    Date: 2019-06-01
    Summary: A briefing on the threat in the Gulf of Guinea.
        Start: whenever the speakers are free
    Start: 2019-13-40
    Uid: briefing-2019

    Body.
    """


def test_the_events_plugin_names_the_line_of_the_field_not_a_continued_line(tmp_path):
    """The events plugin looked for a field's line with its own pattern, which matched the Summary's
    continued line 4; the content model's header gives the field's own line, 5, as `invoke check` does."""
    errors = errors_of_own_build(tmp_path, {"events/briefing.md": CONTINUED_START})
    starts = [e for e in errors if "start:" in e.lower()]
    assert len(starts) == 1 and "events/briefing.md:5: start: expected a date like 2016-07-08" in starts[0], errors
    check = [str(e) for e in check_content(load_settings(ROOT / "pelicanconf.py", site_settings(tmp_path))).errors]
    assert check == ["content/events/briefing.md:5: start: expected a date like 2016-07-08 or 2016-07-08 09:00 "
                     "+01:00, got '2019-13-40'"]


# ----------------------------------------------------------------------------- the vocabularies

@pytest.fixture
def rescheduled():
    """A new event status, added where the vocabularies are defined and nowhere else."""
    vocabularies.EVENT_STATUS_TABLE["rescheduled"] = vocabularies.EventStatus(
        "Rescheduled", "https://schema.org/EventRescheduled", "CONFIRMED")
    yield
    del vocabularies.EVENT_STATUS_TABLE["rescheduled"]


RESCHEDULED_EVENT = """\
    Title: Gulf of Guinea briefing
    Date: 2019-06-01 10:00
    Summary: The briefing moved to a later date.
    Uid: gog-briefing-2019
    Start: 2019-07-20 09:00
    End: 2019-07-20 12:00
    City: London
    Country: GB
    Event_status: rescheduled

    Body.
    """
ISSUE = """\
    Title: July 2019
    Date: 2019-07-05 09:00
    Subject: CSO Alliance news, July 2019
    Preheader: A briefing and a region.
    {extra}
    Dear members,
    """


def test_a_status_added_to_the_vocabulary_is_accepted_and_shown_everywhere(tmp_path, rescheduled):
    out = build(tmp_path, {"events/briefing.md": RESCHEDULED_EVENT,
                           "newsletters/2019-07-05-july.md": ISSUE.format(extra="")})
    page = soup(out / "events" / "gulf-of-guinea-briefing" / "index.html")
    assert "Rescheduled" in page.get_text()
    jsonld = json.loads(page.find("script", type="application/ld+json").string)
    assert jsonld["eventStatus"] == "https://schema.org/EventRescheduled"
    assert "Gulf of Guinea briefing (Rescheduled)" in (out / "events" / "calendar.ics").read_text(encoding="utf-8")
    issue = json.loads((out / "newsletters" / "july-2019" / "issue.json").read_text(encoding="utf-8"))
    assert [e["display"]["status"] for e in issue["events"]] == ["Rescheduled"]


# ---------------------------------------------------------------------------------- the regions

NORTH_SEA = {"label": "North Sea", "slug": "north-sea", "filing": True}


def north_sea_settings(root: Path) -> Path:
    """A settings file that adds one region: a row in REGION_TABLE and its polygon, nothing else."""
    polygons = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    polygons["features"].insert(0, {"type": "Feature", "properties": {"region": "north_sea"}, "geometry": {
        "type": "Polygon", "coordinates": [[[-4, 51], [9, 51], [9, 61], [-4, 61], [-4, 51]]]}})
    (root / "regions.geojson").write_text(json.dumps(polygons), encoding="utf-8")
    settings = root / "north_sea_conf.py"
    settings.write_text(textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pelicanconf import *  # noqa
        REGION_TABLE = {{**REGION_TABLE, "north_sea": {NORTH_SEA!r}}}
        REGION_POLYGONS = {str(root / "regions.geojson")!r}
        """), encoding="utf-8")
    return settings


INTELLIGENCE = """\
    Title: North Sea boarding at anchor
    Date: 2019-07-01 09:00
    Region: north_sea
    Summary: Two thefts from ships at anchor off the Dutch coast.

    Body.
    """


@pytest.fixture(scope="module")
def north_sea_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("north-sea")
    write_content(root, {"intelligence/2019-07-01-north-sea.md": INTELLIGENCE,
                         "newsletters/2019-07-05-july.md": ISSUE.format(extra="Segments: north_sea\n")})
    (root / "content" / "data").mkdir()
    (root / "content" / "data" / "incidents.csv").write_text(table_text(sample_records()), encoding="utf-8")
    settings = north_sea_settings(root)
    return root, settings, build_site(settings, site_settings(root))


def test_a_region_added_to_the_settings_reaches_content_pages_statistics_feeds_and_the_newsletter(north_sea_site):
    _, _, out = north_sea_site
    region_page = soup(out / "regions" / "north-sea" / "index.html")
    assert "North Sea boarding at anchor" in region_page.get_text()
    stats = soup(out / "statistics" / "regions" / "north-sea" / "index.html")
    assert "North Sea" in stats.find("h1").get_text()
    summary = json.loads((out / "statistics" / "summary.json").read_text(encoding="utf-8"))
    assert "north_sea" in summary["by_region"]
    feed = (out / "feeds" / "regions" / "north-sea.atom.xml").read_text(encoding="utf-8")
    assert "North Sea boarding at anchor" in feed and "CSO Alliance: North Sea" in feed
    issue = json.loads((out / "newsletters" / "july-2019" / "issue.json").read_text(encoding="utf-8"))
    assert [(r["region"], r["title"]) for r in issue["regional"]] == [
        ("north_sea", "Regional intelligence: North Sea")]


def test_a_region_added_to_the_settings_becomes_an_ses_topic(north_sea_site, monkeypatch, tmp_path):
    from csoa.apps.newsletter import members_sync

    root, settings, _ = north_sea_site
    settings_env(monkeypatch, tmp_path)
    with moto_ses(monkeypatch, regions=()):
        assert members_sync(settings) == 0
        topics = boto3.client("sesv2").get_contact_list(ContactListName="members")["Topics"]
    assert {t["TopicName"]: t["DisplayName"] for t in topics}["region-north-sea"] == "Regional intelligence: North Sea"
