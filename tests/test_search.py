"""Search: Pagefind indexes detail pages after the build; the search box and /search/ page find them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sites import build, soup
from static_server import chromium_page, serve_directory

WORKSHOP = """\
    Title: Lagos workshop on Gulf of Guinea reporting
    Date: 2016-06-20 09:00 +01:00
    Workshop_date: 2016-06-18
    Place: Lagos, Nigeria
    Organisers: CSO Alliance, BIMCO
    Summary: CSOs met in Lagos to discuss the BIMCO reporting guidance.

    The workshop reviewed the BIMCO guidance on reporting boardings in the Gulf of Guinea,
    and members agreed a common first-response checklist.
    """
NEWS = """\
    Title: Membership passes 425
    Date: 2016-07-08 09:00 +01:00
    Summary: The alliance keeps growing.

    Thank you for your support as the membership steadily grows.
    """
LISTED_SUMMARY = """\
    Title: Another item mentioning nothing
    Date: 2016-07-09 09:00 +01:00
    Summary: Nothing about shipping organisations here.

    Plain text.
    """


PAGE = """\
    Title: Joining the alliance
    Summary: How a CSO joins.

    Any Company Security Officer may apply for membership through the secretariat.
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-site")
    return build(root, {"workshops/lagos.md": WORKSHOP, "news/members.md": NEWS, "news/other.md": LISTED_SUMMARY,
                        "pages/joining.md": PAGE})


def test_pagefind_indexes_only_detail_pages(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 4  # three articles and a page; no listings, no search page
    assert soup(site / "workshops/lagos-workshop-on-gulf-of-guinea-reporting/index.html").find(attrs={"data-pagefind-body": True})
    home = soup(site / "index.html")
    assert "BIMCO" in home.get_text()  # the listing shows the summary, yet is not indexed:
    assert not home.find(attrs={"data-pagefind-body": True})


def test_every_page_has_a_plain_get_search_form_to_the_search_page(site):
    for page in ["index.html", "news/membership-passes-425/index.html", "search/index.html"]:
        form = soup(site / page).find("form", attrs={"role": "search"})
        assert form["action"] == "/search/" and form["method"] == "get"
        assert form.find("input", attrs={"name": "q", "type": "search"})["aria-label"]
    search = soup(site / "search" / "index.html")
    assert search.find("script", src="/pagefind/pagefind-ui.js")
    assert (site / "pagefind" / "pagefind-ui.js").is_file()


@pytest.mark.browser
def test_searching_bimco_finds_the_workshop_report_in_chromium(site):
    with serve_directory(site) as base, chromium_page() as page:
        # the header's form, submitted like any GET form, lands on /search/?q=BIMCO
        page.goto(base + "/news/membership-passes-425/")
        page.fill("#site-search-q", "BIMCO")
        page.click(".site-search button")
        page.wait_for_url("**/search/?q=BIMCO")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        links = page.locator(".pagefind-ui__result-link")
        titles = [links.nth(i).inner_text() for i in range(links.count())]
        assert titles == ["Lagos workshop on Gulf of Guinea reporting"]
        href = links.first.get_attribute("href")
        assert href.rstrip("/").endswith("/workshops/lagos-workshop-on-gulf-of-guinea-reporting")
        assert "BIMCO" in page.locator(".pagefind-ui__result-excerpt").first.inner_text()
        assert page.get_attribute(".pagefind-ui__search-input", "aria-label") == "Search the site"
        assert page.input_value(".pagefind-ui__search-input") == "BIMCO"

        # pages are indexed too
        page.goto(base + "/search/?q=secretariat")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        assert page.locator(".pagefind-ui__result-link").all_inner_texts() == ["Joining the alliance"]

        # a word on no indexed page finds nothing
        page.goto(base + "/search/?q=zanzibar")
        page.wait_for_selector(".pagefind-ui__message", timeout=15000)
        page.wait_for_function("document.querySelector('.pagefind-ui__message').textContent.includes('No results')")
        assert page.locator(".pagefind-ui__result-link").count() == 0


@pytest.mark.browser
def test_each_hit_shows_its_section_and_date_and_a_snippet_of_its_content(site):
    with serve_directory(site) as base, chromium_page() as page:
        page.goto(base + "/search/?q=Lagos")
        page.wait_for_selector(".pagefind-ui__result-tag", timeout=15000)
        result = page.locator(".pagefind-ui__result").first
        assert result.locator(".pagefind-ui__result-link").inner_text() == "Lagos workshop on Gulf of Guinea reporting"
        assert result.locator(".pagefind-ui__result-tag").all_inner_texts() == [
            "Date: 20 June 2016", "Section: Workshop reports"]
        excerpt = result.locator(".pagefind-ui__result-excerpt").first.inner_text()
        # the kind badge, the title and the publication line are not the snippet: the content is
        assert "Workshop reports" not in excerpt and "Published" not in excerpt and "Guinea reporting" not in excerpt
        assert "Lagos" in excerpt
        page.goto(base + "/search/?q=secretariat")
        page.wait_for_selector(".pagefind-ui__result-tag", timeout=15000)
        assert page.locator(".pagefind-ui__result-tag").all_inner_texts() == ["Section: The Alliance"]


def test_a_pagefind_failure_is_a_build_error_naming_the_site(tmp_path):
    from csoa.search.pagefind_index import PagefindFailed, run_pagefind

    with pytest.raises(PagefindFailed) as failed:
        run_pagefind(tmp_path)  # no HTML at all: Pagefind cannot build an index
    assert str(tmp_path) in str(failed.value) and "not able to build an index" in str(failed.value)
    assert failed.value.errors  # site_build reports .errors as the build's errors


def test_the_marked_pages_glob_gives_the_same_bundle_as_indexing_everything(site, tmp_path):
    """We pass Pagefind a glob naming only the data-pagefind-body pages (it skips parsing the
    listings); the bundle must be byte-identical to Pagefind's own run over every page."""
    import subprocess

    from fastbuild_fixtures import tree_differences

    from csoa.search.pagefind_index import marked_pages_glob, pagefind_command

    glob = marked_pages_glob(site)
    assert glob and "news/*/index.html" in glob and "tags" not in glob
    everything, selected = tmp_path / "everything", tmp_path / "selected"
    subprocess.run(pagefind_command(site, "en", everything), check=True, capture_output=True)
    subprocess.run(pagefind_command(site, "en", selected, glob), check=True, capture_output=True)
    assert len(list((everything / "fragment").iterdir())) == 4
    assert tree_differences(everything, selected) == []


def _html(path, marked: bool):
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "<main data-pagefind-body><p>x</p></main>" if marked else "<main><p>x</p></main>"
    path.write_text(f"<!doctype html><html lang=en><title>t</title>{body}</html>")


def test_the_glob_wildcards_a_folder_only_when_it_matches_no_unmarked_page(tmp_path):
    from csoa.search.pagefind_index import marked_pages_glob

    _html(tmp_path / "news/a/index.html", True)
    _html(tmp_path / "news/b/index.html", True)
    _html(tmp_path / "about/index.html", True)
    _html(tmp_path / "news/index.html", False)  # a listing: "*/index.html" would match it
    _html(tmp_path / "events/x/index.html", True)
    _html(tmp_path / "events/page/index.html", False)  # "events/*/index.html" would match it
    _html(tmp_path / "index.html", False)
    assert marked_pages_glob(tmp_path) == "{about/index.html,events/x/index.html,news/*/index.html}"


def test_no_glob_when_nothing_is_marked_or_a_name_holds_a_glob_character(tmp_path):
    from csoa.search.pagefind_index import marked_pages_glob

    _html(tmp_path / "index.html", False)
    assert marked_pages_glob(tmp_path) is None
    _html(tmp_path / "news/a,b/index.html", True)
    assert marked_pages_glob(tmp_path) is None


def _live_site(tmp_path):
    site = tmp_path / "output"
    _html(site / "news/a/index.html", True)
    (site / "pagefind").mkdir()
    (site / "pagefind" / "pagefind-ui.js").write_text("the previous bundle")
    return site


def _fake_service(tmp_path, monkeypatch, script: str):
    """Stand in for Pagefind's binary (faults it cannot produce on demand)."""
    import sys

    from csoa.search import pagefind_service

    fake = tmp_path / "fake-pagefind"
    fake.write_text(f"#!{sys.executable}\n{script}\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pagefind_service, "pagefind_binary", lambda: str(fake))


def test_cancel_publishes_nothing_more_and_close_stops_a_hanging_service(tmp_path, monkeypatch):
    """cancel() (a build starts) returns at once and leaves the served bundle alone while the
    service still works (its index is worth keeping); close() kills it and leaves nothing."""
    import time

    from csoa.plugins.search import background

    _fake_service(tmp_path, monkeypatch, "import time; time.sleep(60)")
    site = _live_site(tmp_path)
    indexer = background.BackgroundIndexer()
    indexer.start(site)
    time.sleep(0.5)
    service, folder = indexer.index._service, indexer.index._bundle.parent
    started = time.perf_counter()
    indexer.cancel()
    assert time.perf_counter() - started < 0.5 and service.alive
    indexer.close()
    assert service._process.returncode == -9  # killed, not waited for
    assert indexer.runs == 0 and indexer.error is None
    assert (site / "pagefind" / "pagefind-ui.js").read_text() == "the previous bundle"
    assert not folder.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_failed_background_index_keeps_the_live_bundle_and_reports_the_error(tmp_path, monkeypatch):
    from csoa.plugins.search import background
    from csoa.search.pagefind_index import PagefindFailed

    _fake_service(tmp_path, monkeypatch, "import sys; sys.exit('index broke')")
    site = _live_site(tmp_path)
    indexer = background.BackgroundIndexer()
    indexer.start(site)
    with pytest.raises(PagefindFailed, match="index broke"):
        indexer.wait()
    assert (site / "pagefind" / "pagefind-ui.js").read_text() == "the previous bundle"
    indexer.close()


def test_the_background_indexer_swaps_in_a_real_bundle(tmp_path):
    from csoa.plugins.search import background

    site = _live_site(tmp_path)
    indexer = background.BackgroundIndexer()
    indexer.start(site)
    indexer.wait()
    indexer.close()
    assert indexer.runs == 1
    assert "the previous bundle" not in (site / "pagefind" / "pagefind-ui.js").read_text()
    assert len(list((site / "pagefind" / "fragment").iterdir())) == 1


def _pagefind_children() -> list[str]:
    """The command lines of this process's children running Pagefind."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode()
            if "pagefind" in command:
                found.append(command)
    return found


def test_pagefind_runs_while_the_later_finalized_handlers_run_and_its_failure_fails_the_build(tmp_path, monkeypatch):
    """Pagefind starts in ``finalized`` and is waited for once the output is complete: a handler
    connected after every plugin sees it running; if it then fails, the build fails and the old
    output stays."""
    import sys

    from pelican import signals

    from csoa.engine.build import BuildFailed
    from csoa.search import pagefind_index

    out = build(tmp_path, {"news/members.md": NEWS})
    before = (out / "index.html").read_bytes()
    seen = []

    def later_handler(pelican):
        seen.append(len(_pagefind_children()))

    monkeypatch.setattr(pagefind_index, "pagefind_command",
                        lambda *a, **k: [sys.executable, "-c", "import sys, time; time.sleep(1); sys.exit('index broke')",
                                         "pagefind"])
    signals.finalized.connect(later_handler)
    try:
        with pytest.raises(BuildFailed, match="index broke"):
            build(tmp_path, {"news/other.md": LISTED_SUMMARY})
    finally:
        signals.finalized.disconnect(later_handler)
    assert seen == [1]  # Pagefind was still running when the later handler ran
    assert (out / "index.html").read_bytes() == before


@pytest.mark.parametrize("where", ["memory", "beside the site", "another filesystem"])
def test_the_bundle_written_in_scratch_is_moved_into_the_site_byte_identical(site, tmp_path, monkeypatch, where):
    """Pagefind writes into a scratch folder (in /dev/shm when there is room) and the bundle is then
    moved into the site: the same files as Pagefind writing in place, and no scratch left behind."""
    import errno
    import shutil
    import subprocess

    from fastbuild_fixtures import tree_differences

    from csoa.search import pagefind_index

    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    in_place = tmp_path / "in-place"
    subprocess.run(pagefind_index.pagefind_command(copy, "en", in_place, pagefind_index.marked_pages_glob(copy)),
                   check=True, capture_output=True)
    scratch_root = tmp_path / "scratch-root"
    scratch_root.mkdir()
    if where == "memory":
        if pagefind_index.memory_scratch() is None:
            pytest.skip("no /dev/shm with room on this machine")
        scratch_root = pagefind_index.MEMORY_SCRATCH
    else:
        monkeypatch.setattr(pagefind_index, "MEMORY_SCRATCH", scratch_root)
        monkeypatch.setattr(pagefind_index, "MIN_SCRATCH_FREE", 0)
    if where == "another filesystem":  # injected: a rename across filesystems fails with EXDEV
        def no_cross_device_rename(source, target):
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(pagefind_index.os, "rename", no_cross_device_rename)
    run = pagefind_index.PagefindRun(copy)
    assert run.scratch.parent == scratch_root  # (other tests may index in /dev/shm meanwhile)
    result = run.finish()
    assert result.bundle == copy / "pagefind" and result.pages == 4
    assert tree_differences(in_place, copy / "pagefind") == []
    assert not run.scratch.exists()


def test_no_memory_scratch_without_room_and_a_killed_run_leaves_no_scratch(site, tmp_path, monkeypatch):
    import shutil

    from csoa.search import pagefind_index

    monkeypatch.setattr(pagefind_index, "MIN_SCRATCH_FREE", 1 << 60)
    assert pagefind_index.memory_scratch() is None
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    run = pagefind_index.PagefindRun(copy)
    assert run.scratch.parent == tmp_path  # beside the site: the move is a rename
    run.kill()
    assert not run.scratch.exists() and not (copy / "pagefind").exists()


def test_a_build_that_fails_after_pagefind_started_stops_it_and_leaves_no_scratch(tmp_path, monkeypatch):
    """A later finalized handler fails, so the build never waits for its Pagefind: the build
    session's "build ended" hook kills it and removes its scratch folder (real Pagefind)."""
    from pelican import signals

    from csoa.engine.build import BuildFailed
    from csoa.search import pagefind_index

    monkeypatch.setattr(pagefind_index, "MEMORY_SCRATCH", tmp_path / "scratch")
    monkeypatch.setattr(pagefind_index, "MIN_SCRATCH_FREE", 0)
    (tmp_path / "scratch").mkdir()
    build(tmp_path / "site", {"news/members.md": NEWS})  # the plugins are connected: the handler comes after them
    running = []

    def failing_handler(pelican):
        running.append(len(_pagefind_children()))
        raise RuntimeError("a later handler failed")

    signals.finalized.connect(failing_handler)
    try:
        with pytest.raises(BuildFailed, match="a later handler failed"):
            build(tmp_path / "site", {"news/other.md": LISTED_SUMMARY})
    finally:
        signals.finalized.disconnect(failing_handler)
    assert running == [1] and _pagefind_children() == []
    assert list((tmp_path / "scratch").iterdir()) == []


def test_scratch_folders_of_dead_processes_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    """A build killed (or a process ended without atexit) leaves its scratch folder behind: the
    next Pagefind run removes it, and leaves the folders of processes still running."""
    import os
    import subprocess
    import sys

    from csoa.search import pagefind_index

    monkeypatch.setattr(pagefind_index, "MEMORY_SCRATCH", tmp_path)
    monkeypatch.setattr(pagefind_index, "MIN_SCRATCH_FREE", 0)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".pagefind-{gone.stdout.strip()}-abc"
    (dead / "pagefind").mkdir(parents=True)
    live = tmp_path / f".pagefind-{os.getpid()}-def"
    live.mkdir()
    other = tmp_path / ".pagefind-notapid"
    other.mkdir()
    fresh = pagefind_index.scratch_folder(tmp_path / "site")
    assert not dead.exists() and live.exists() and other.exists()
    assert fresh.parent == tmp_path and fresh.name.startswith(f".pagefind-{os.getpid()}-")


def test_a_bare_pelican_run_without_a_build_session_indexes_within_finalized(tmp_path):
    """``pelican`` on the command line runs no build session: the plugin indexes at once, reading
    every page (nothing noted them), and leaves the same bundle a build through the entry point does."""
    from fastbuild_fixtures import tree_differences
    from pelican import Pelican
    from sites import settings_for, write_content

    files = {"workshops/lagos.md": WORKSHOP, "news/members.md": NEWS}
    write_content(tmp_path / "bare", files)
    Pelican(settings_for(tmp_path / "bare")).run()
    entry = json.loads((tmp_path / "bare" / "output" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    through_entry_point = build(tmp_path / "built", files)
    assert tree_differences(tmp_path / "bare" / "output" / "pagefind", through_entry_point / "pagefind") == []
