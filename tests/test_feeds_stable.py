"""Stable ids across edits of title, slug and date; byte-identical feeds and calendars across builds."""

import os
import subprocess
import sys
import textwrap

import feedparser
from sites import ROOT, build, write_content
from test_events_support import FILES, PINNED_NOW


def ids_by_link(out, name):
    return {e.link: e.id for e in feedparser.parse((out / "feeds" / name).read_bytes()).entries}


def test_feed_ids_survive_edits_of_title_slug_and_date(tmp_path):
    before = build(tmp_path / "a", FILES, now=PINNED_NOW)
    edited = dict(FILES)
    edited["news/piracy-report.md"] = (
        FILES["news/piracy-report.md"]
        .replace("Title: Piracy report published", "Title: Quarterly piracy report\n    Slug: quarterly-piracy")
        .replace("Date: 2019-06-01 10:00", "Date: 2019-06-03 11:30")
    )
    edited["events/course.md"] = (
        FILES["events/course.md"]
        .replace("Title: Shipping Managers' Course", "Title: Managers' Day")
        .replace("Date: 2019-06-20 10:00", "Date: 2019-06-22 10:00")
        .replace("2019-07-10 ", "2019-07-12 ")
    )
    after = build(tmp_path / "b", edited, now=PINNED_NOW)
    for name in ("all.atom.xml", "all.rss.xml"):
        old, new = ids_by_link(before, name), ids_by_link(after, name)
        assert sorted(old.values()) == sorted(new.values())  # the same ids...
        assert set(old) != set(new)  # ...although links changed
        assert (
            new["https://www.csoalliance.com/news/quarterly-piracy/"]
            == old["https://www.csoalliance.com/news/piracy-report-published/"]
        )
        assert (
            new["https://www.csoalliance.com/events/managers-day/"]
            == old["https://www.csoalliance.com/events/shipping-managers-course/"]
        )
    edited_entry = next(
        e
        for e in feedparser.parse((after / "feeds" / "all.atom.xml").read_bytes()).entries
        if e.title == "Quarterly piracy report"
    )
    assert edited_entry.published.startswith("2019-06-03T11:30")


def build_in_fresh_process(root, hash_seed: int):
    """Build the fixture site in a new interpreter with its own hash seed (set and dict orders differ)."""
    write_content(root, FILES)
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        sys.path[:0] = [{str(ROOT / "tests")!r}]
        from sites import build
        from test_events_support import PINNED_NOW
        build(Path({str(root)!r}), now=PINNED_NOW)
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "output"


def test_two_clean_builds_give_byte_identical_feeds_and_calendars(tmp_path):
    first = build_in_fresh_process(tmp_path / "one", hash_seed=1)
    second = build_in_fresh_process(tmp_path / "two", hash_seed=2)

    def files(out):
        paths = [*(out / "feeds").rglob("*.xml"), *(out / "events").rglob("*.ics")]
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in paths}

    a, b = files(first), files(second)
    assert len(a) == 22 + 1 + 8  # 11 feeds x 2 formats (everything, 5 kinds, 5 regions), the site calendar, one per event
    assert a == b
