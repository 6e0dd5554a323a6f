"""The build's own safety net (csoa.engine.output_guard): an output file written by two producers
fails the build naming both, and the previous output is kept.

`invoke check` refuses these pages first (tests/bad_content/save_as_*); here content_schema is left
out of PLUGINS so that the guard is the only line of defence, as it is for a collision the check's
list of generated paths does not foresee. Real Pelican builds into tmp_path.
"""

from __future__ import annotations

import shutil
import weakref

import pytest
from sites import build, write_content

import pelicanconf
from csoa.engine.build import BuildFailed
from csoa.engine.fastbuild.sharding import shard_of

WITHOUT_CHECK = [p for p in pelicanconf.PLUGINS if p != "csoa.plugins.content_schema"]
SITE = {
    "news/a.md": """\
    Title: Membership passes 425
    Date: 2016-07-08 09:00 +01:00
    Summary: The alliance grows.
    Tags: membership

    Body.
    """,
}


@pytest.fixture(autouse=True)
def without_content_schema_receivers():
    """Leaving content_schema out of PLUGINS is not enough in a process where an earlier build registered
    it: Pelican's signals are process-wide. Its receivers are disconnected for these builds."""
    from pelican import signals

    taken = []
    for name in dir(signals):
        signal = getattr(signals, name)
        receivers = getattr(signal, "receivers", None)
        if not isinstance(receivers, dict):
            continue
        for ref in list(receivers.values()):
            func = ref() if isinstance(ref, weakref.ref) else ref
            if getattr(func, "__module__", "") == "csoa.plugins.content_schema":
                signal.disconnect(func)
                taken.append((signal, func))
    yield
    for signal, func in taken:
        signal.connect(func)


def page_saved_as(save_as: str) -> dict[str, str]:
    return {"pages/taker.md": f"Title: Taker\nSummary: A page saved over a generated file.\nSave_as: {save_as}\n\nBody.\n"}


def snapshot(directory):
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory):
    return build(tmp_path_factory.mktemp("previous"), SITE, PLUGINS=WITHOUT_CHECK)


@pytest.mark.parametrize(
    ("save_as", "other"),
    [
        ("index.html", "pelican.generators.ArticlesGenerator.generate_direct_templates"),  # the page replaced it
        ("tags/index.html", "pelican.generators.ArticlesGenerator.generate_direct_templates"),
        ("robots.txt", "csoa.plugins.sitemap.write_sitemap_and_robots"),  # a plain open() replaced the page
        ("events/calendar.ics", "csoa.plugins.events.EventsGenerator._write"),
        ("feeds/all.atom.xml", "csoa.plugins.feeds.FeedsGenerator._write"),
        ("regions/index.html", "csoa.plugins.regions.RegionsGenerator.generate_output"),  # Pelican skipped this write
    ],
)
def test_a_page_saved_over_a_generated_file_fails_the_build_naming_both(save_as, other, previous_output, tmp_path):
    shutil.copytree(previous_output, tmp_path / "output")
    before = snapshot(tmp_path / "output")
    write_content(tmp_path, {**SITE, **page_saved_as(save_as)})
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, PLUGINS=WITHOUT_CHECK)
    assert failure.value.errors[0] == (
        f"{save_as}: written by content/pages/taker.md and by {other}; expected one producer per output file "
        "(give the page another Save_as or slug; `invoke check` names the line)"
    )
    assert snapshot(tmp_path / "output") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output-")]


def test_a_page_rendered_by_the_forked_renderer_is_seen_too(tmp_path):
    """robots.txt is rendered by the child process (its shard), the sitemap plugin writes it in the parent."""
    assert shard_of("robots.txt") == 1
    write_content(tmp_path, {**SITE, **page_saved_as("robots.txt")})
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, PLUGINS=WITHOUT_CHECK, FASTBUILD_WORKERS=2, FASTBUILD_MIN_PARALLEL_RENDER=1)
    assert failure.value.errors[0].startswith(
        "robots.txt: written by content/pages/taker.md and by csoa.plugins.sitemap.write_sitemap_and_robots;"
    )


def test_two_pages_with_one_save_as_fail_with_both_named_before_pelicans_staging_path(tmp_path):
    write_content(tmp_path, {**SITE, **page_saved_as("about/index.html"),
                             "pages/twin.md": "Title: Twin\nSummary: s.\nSave_as: about/index.html\n\nBody.\n"})
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, PLUGINS=WITHOUT_CHECK)
    assert failure.value.errors[0].startswith(
        "about/index.html: written by content/pages/taker.md and by content/pages/twin.md;"
    )


def test_a_site_whose_files_each_have_one_producer_builds(tmp_path):
    output = build(tmp_path, {**SITE, **page_saved_as("about/index.html")}, PLUGINS=WITHOUT_CHECK)
    assert (output / "about" / "index.html").is_file() and (output / "robots.txt").is_file()
