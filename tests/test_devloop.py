"""The dev loop: after each kind of edit, DevBuilder.rebuild() leaves exactly what a clean build
of the edited content writes, re-renders only what the edit affects, and a broken edit keeps the
last good output."""

import shutil
import time

import pytest
from fastbuild_fixtures import fixture_files, tree, tree_differences
from sites import ROOT, build, site_settings, write_content

from csoa.engine.build import BuildFailed
from csoa.engine.devloop import DevBuilder


@pytest.fixture
def dev(tmp_path):
    write_content(tmp_path / "dev", fixture_files())
    builder = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path / "dev"))
    builder.build()
    yield builder
    builder.close()  # the search index's Pagefind service lives as long as the builder


def clean_build_of(builder, tmp_path):
    """A plain Pelican build (no fastbuild) of the dev site's current content."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(tmp_path / "dev" / "content", clean / "content")
    return build(clean, FASTBUILD=False)


def edit(builder, rel, old, new):
    path = builder.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def assert_same_as_clean(builder, tmp_path):
    builder.wait_for_background()  # the search bundle is written in the background after each build
    assert tree_differences(builder.output, clean_build_of(builder, tmp_path)) == []


def test_first_build_equals_a_clean_build(dev, tmp_path):
    assert_same_as_clean(dev, tmp_path)


def test_body_edit_rerenders_only_that_article(dev, tmp_path):
    path = edit(dev, "news/item-03.md", "Opening paragraph", "Rewritten opening paragraph")
    report = dev.rebuild([path])
    assert report.parsed == 1
    assert report.rendered == ["news/news-item-3/index.html"]
    assert len(report.kept) > 30
    assert_same_as_clean(dev, tmp_path)


def test_body_edit_rerenders_every_page_that_shows_that_body(tmp_path):
    """A tag page template that shows each article's body: it depends on those bodies."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "tag.html").write_text(
        "{% for article in articles_page.object_list %}{{ article.content }}{% endfor %}\n", encoding="utf-8")
    write_content(tmp_path / "dev", fixture_files())
    dev = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path / "dev", THEME_TEMPLATES_OVERRIDES=[str(overrides)]))
    dev.build()
    edit(dev, "news/item-03.md", "Opening paragraph", "Rewritten opening paragraph")
    report = dev.rebuild()
    showing = sorted(k for k, v in tree(dev.output).items() if k.endswith(".html") and b"Rewritten opening paragraph" in v)
    assert len(showing) == 3  # the article and the tag pages of piracy and topic-3 listing it (feeds: their plugin)
    assert sorted(report.rendered) == showing
    clean = tmp_path / "clean"
    shutil.copytree(tmp_path / "dev" / "content", clean / "content")
    assert tree_differences(dev.output, build(clean, FASTBUILD=False, THEME_TEMPLATES_OVERRIDES=[str(overrides)])) == []


def test_summaries_cut_from_the_body_count_as_reading_the_body(tmp_path):
    """(The content schema requires a Summary; Pelican would otherwise cut one from the body.)"""
    from pelican.contents import Article
    from sites import settings_for

    import csoa.engine.pelican_internals as pelican_internals
    from csoa.engine.fastbuild import render_skip

    (tmp_path / "content").mkdir()
    settings = settings_for(tmp_path)
    with_summary = Article("<p>Body.</p>", {"title": "A", "summary": "Given."}, settings=settings, source_path="/a.md")
    cut = Article("<p>Body words.</p>", {"title": "B"}, settings=settings, source_path="/b.md")
    gate = render_skip.RenderGate({}, {"generated_content": {"a": with_summary, "b": cut}}, None, str(tmp_path))
    gate._base = b"base"
    with pelican_internals.patched(pelican_internals.body_tracking(gate.recorder)):
        for _ in range(2):  # the second time Pelican's memo answers: still recorded
            with gate.tracking("index.html"):
                assert with_summary.summary == with_summary.metadata["summary"] and cut.summary == "<p>Body words.</p>"
            assert gate.pending["index.html"].deps == ("/b.md",)


def test_title_edit(dev, tmp_path):
    edit(dev, "news/item-05.md", "Title: News item 5", "Title: News item five")
    dev.rebuild()
    assert (dev.output / "news" / "news-item-five" / "index.html").is_file()
    assert not (dev.output / "news" / "news-item-5").exists()
    assert_same_as_clean(dev, tmp_path)


def test_tags_edit(dev, tmp_path):
    edit(dev, "news/item-06.md", "Tags: piracy, topic-2", "Tags: piracy, cruise")
    dev.rebuild()
    assert (dev.output / "tags" / "cruise" / "index.html").is_file()
    assert_same_as_clean(dev, tmp_path)


def test_deleting_an_item(dev, tmp_path):
    (dev.content / "news" / "item-07.md").unlink()
    dev.rebuild()
    assert not (dev.output / "news" / "news-item-7").exists()
    assert_same_as_clean(dev, tmp_path)


def test_adding_an_item(dev, tmp_path):
    write_content(tmp_path / "dev", {"news/new.md": "Title: Brand new\nDate: 2016-08-01 09:00 +01:00\nSummary: New.\n\nNew body.\n"})
    report = dev.rebuild()
    assert "news/brand-new/index.html" in report.rendered
    assert_same_as_clean(dev, tmp_path)


def test_template_edit_rerenders_the_pages_using_it(dev, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    builder = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path / "dev", THEME=str(theme)))
    builder.build()
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- edited -->", 1),
                    encoding="utf-8")
    report = builder.rebuild()
    assert "about/index.html" in report.rendered
    assert b"<!-- edited -->" in (builder.output / "about" / "index.html").read_bytes()
    clean = tmp_path / "clean"
    shutil.copytree(tmp_path / "dev" / "content", clean / "content")
    assert tree_differences(builder.output, build(clean, FASTBUILD=False, THEME=str(theme))) == []


def test_broken_edit_keeps_the_last_good_output_and_the_next_good_edit_recovers(dev, tmp_path):
    dev.wait_for_background()
    before = tree(dev.output)
    edit(dev, "news/item-04.md", "Date: 2016-07-05 09:00 +01:00", "Date: next tuesday-ish")
    with pytest.raises(BuildFailed) as failure:
        dev.rebuild()
    assert "item-04.md" in str(failure.value)
    dev.wait_for_background()  # the failed build restarted the indexer on the unchanged output
    assert tree(dev.output) == before
    edit(dev, "news/item-04.md", "Date: next tuesday-ish", "Date: 2016-07-06 09:00 +01:00")
    dev.rebuild()
    assert_same_as_clean(dev, tmp_path)


def test_a_series_of_edits_stays_identical_to_clean_builds(dev, tmp_path):
    edit(dev, "news/item-01.md", "Opening paragraph", "First edit")
    dev.rebuild()
    edit(dev, "news/item-01.md", "First edit", "Second edit")
    edit(dev, "news/item-02.md", "Summary: The *alliance*", "Summary: The *whole alliance*")
    dev.rebuild()
    report = dev.rebuild()  # nothing changed: nothing re-rendered, nothing re-parsed
    assert report.rendered == [] and report.parsed == 0
    assert_same_as_clean(dev, tmp_path)


def test_pages_deleted_from_the_output_behind_its_back_are_rebuilt(dev, tmp_path):
    (dev.output / "news" / "news-item-8" / "index.html").unlink()
    edit(dev, "news/item-03.md", "Opening paragraph", "Rewritten opening paragraph")
    dev.rebuild()  # it cannot keep the missing page: a full build instead
    assert (dev.output / "news" / "news-item-8" / "index.html").is_file()
    assert_same_as_clean(dev, tmp_path)


def test_rebuilds_stage_into_the_replaced_output_and_leave_nothing_of_it_behind(dev, tmp_path):
    """Each rebuild stages into the output replaced by the build before (the first one into links
    of the first build's pages, made in the background): deleted, renamed and added pages must still
    end exactly as in a clean build, empty folders included."""
    edit(dev, "news/item-01.md", "Opening paragraph", "First edit")
    assert dev.rebuild().reused_output
    assert not [p for p in dev.output.parent.iterdir() if p.name.startswith(".output-spare-")]
    (dev.content / "news" / "item-07.md").unlink()
    report = dev.rebuild()
    assert report.reused_output
    assert not (dev.output / "news" / "news-item-7").exists()
    assert_same_as_clean(dev, tmp_path)
    edit(dev, "news/item-05.md", "Title: News item 5", "Title: News item five")
    write_content(tmp_path / "dev", {"news/new.md": "Title: Brand new\nDate: 2016-08-01 09:00 +01:00\nSummary: New.\n\nNew body.\n"})
    assert dev.rebuild().reused_output
    assert_same_as_clean(dev, tmp_path)
    assert dev.rebuild().rendered == []  # nothing changed: everything relinked, nothing stale
    assert_same_as_clean(dev, tmp_path)


def test_a_rebuild_never_writes_through_a_page_the_live_output_shares(dev, tmp_path):
    """Kept pages are hard links: a page re-rendered into the reused staging directory must get a
    new file, or the live output (and, if the build then failed, the kept output) would change."""
    page = dev.output / "news" / "news-item-9" / "index.html"
    edit(dev, "news/item-01.md", "Opening paragraph", "First edit")
    dev.rebuild()  # item 9's page is kept: the live file and the replaced output's share an inode
    live = page.open("rb")
    try:
        before = live.read()
        edit(dev, "news/item-09.md", "Opening paragraph", "Rewritten paragraph")
        report = dev.rebuild()
        assert report.reused_output and "news/news-item-9/index.html" in report.rendered
        live.seek(0)
        assert live.read() == before  # the file the old output served is untouched
    finally:
        live.close()
    assert b"Rewritten paragraph" in page.read_bytes()
    assert_same_as_clean(dev, tmp_path)


def test_the_dev_loop_names_no_plugin():
    """It drives what plugins registered with its build session (memos, jobs) by the session alone."""
    import ast

    from csoa.engine import devloop

    tree = ast.parse(open(devloop.__file__, encoding="utf-8").read())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m and m.startswith(("csoa.plugins", "csoa.search"))]
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not [n for n in names if "search" in n.lower() or "index" in n.lower()]


def test_search_index_follows_in_the_background_and_search_works_meanwhile(dev, tmp_path):
    dev.wait_for_background()
    entry = dev.output / "pagefind" / "pagefind-entry.json"
    before = entry.read_bytes()
    edit(dev, "news/item-03.md", "Opening paragraph", "Quetzalcoatl paragraph")
    dev.rebuild()
    assert (dev.output / "pagefind" / "pagefind-ui.js").is_file()  # the previous bundle, carried over
    dev.wait_for_background()
    assert entry.read_bytes() != before  # a new index (its chunk hashes changed with the word)
    assert_same_as_clean(dev, tmp_path)


def test_an_event_edit_reparses_only_that_event(dev, tmp_path):
    """Events are read by their own generator; their markdown is parsed with the articles (once
    per edit), not by Pelican's reader on every build."""
    from pelican.readers import MarkdownReader

    calls = []
    original = MarkdownReader.read
    MarkdownReader.read = lambda self, path: calls.append(path) or original(self, path)
    try:
        path = edit(dev, "events/course.md", "how naval forces work", "how navies work")
        report = dev.rebuild([path])
    finally:
        MarkdownReader.read = original
    assert report.parsed == 1 and calls == []
    assert "events/shipping-managers-course/index.html" in report.rendered
    assert_same_as_clean(dev, tmp_path)


def wait_until(predicate, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)
    return predicate()


def test_the_cyclic_collector_is_paused_while_a_build_runs_and_resumed_after_it_returned(dev, tmp_path):
    import gc
    import threading

    from pelican import signals

    during, collections_in_build = [], []
    building = threading.get_ident()

    def record(_pelican):
        during.append(gc.isenabled())

    def collected(phase, _info):  # the collector's runs in the thread that builds
        if phase == "start" and threading.get_ident() == building:
            collections_in_build.append(phase)

    signals.finalized.connect(record)
    try:
        edit(dev, "news/item-01.md", "Opening paragraph", "Paused collector")
        gc.callbacks.append(collected)
        try:
            dev.rebuild()
        finally:
            gc.callbacks.remove(collected)
        assert during == [False]
        assert collections_in_build == []  # none before rebuild() returned, not even when resuming it
        assert wait_until(gc.isenabled)  # then resumed in the background
        edit(dev, "news/item-04.md", "Date: 2016-07-05 09:00 +01:00", "Date: next tuesday-ish")
        with pytest.raises(BuildFailed):
            dev.rebuild()
        assert wait_until(gc.isenabled)  # after a failed build too
        edit(dev, "news/item-04.md", "Date: next tuesday-ish", "Date: 2016-07-05 09:00 +01:00")
        dev.rebuild()
        dev.close()
        assert gc.isenabled()  # close() does not leave it paused
    finally:
        signals.finalized.disconnect(record)


def test_close_stops_the_background_work_and_leaves_only_the_output(dev, tmp_path):
    edit(dev, "news/item-01.md", "Opening paragraph", "Closing time")
    dev.rebuild()  # starts the search indexer, the spare's trimming and a pending collection
    dev.close()
    beside = sorted(p.name for p in dev.output.parent.iterdir())
    assert [name for name in beside if name.startswith(".output")] == []
    assert (dev.output / "news" / "news-item-1" / "index.html").is_file()
    assert dev.session.job("search", None)._thread is None  # the search plugin's job, stopped
