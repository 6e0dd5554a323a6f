"""The dev loop on a site with incident data: an edit re-renders what it touches, not every page.

The statistics plugin gives other plugins `statistics_as_of` in the template context, which the dev
loop fingerprints; a value whose repr carries a memory address (a functools.partial's did) changed
the fingerprint on every build, and every page was re-rendered after any edit (issue 16, found on
the real-data site: 297 of 297 pages)."""

import shutil

from sample_build import PINNED_EPOCH, pinned_epoch
from sites import ROOT

from csoa.engine.devloop import DevBuilder
from csoa.engine.fastbuild.fingerprint import Digester


def test_an_edit_on_the_sample_site_keeps_the_pages_it_does_not_touch(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    with pinned_epoch(PINNED_EPOCH):
        builder = DevBuilder(ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                                                       "CACHE_PATH": str(tmp_path / "cache")})
        builder.build()
        builder.wait_for_background()
        article = sorted((content / "news").glob("*.md"))[0]
        article.write_text(article.read_text(encoding="utf-8") + "\nAn edited paragraph.\n", encoding="utf-8")
        report = builder.rebuild([article])
        builder.wait_for_background()
    assert len(report.kept) > 100 and len(report.rendered) < len(report.kept) / 4, (len(report.rendered), len(report.kept))
    assert "statistics/index.html" in report.kept  # the statistics do not depend on a news item's body


def test_statistics_as_of_digests_alike_in_two_builds_and_differently_for_another_table(tmp_path):
    from datetime import date

    from csoa.plugins.crime_stats import SummaryAsOf

    table = tmp_path / "incidents.csv"
    table.write_bytes((ROOT / "content" / "data" / "incidents.csv").read_bytes())
    first = SummaryAsOf([], ("asia",), table, date(2019, 7, 8))
    second = SummaryAsOf([], ("asia",), table, date(2019, 7, 8))
    assert Digester().digest(first) == Digester().digest(second)
    table.write_bytes(table.read_bytes() + b"\n")
    assert Digester().digest(SummaryAsOf([], ("asia",), table, date(2019, 7, 8))) != Digester().digest(first)
