"""The editor loop's build worker: a long-lived process with the dev-loop state, restarted for code edits."""

from __future__ import annotations

from sites import ROOT, site_settings, soup, write_content

from csoa.apps.editor_loop.rebuild import BuildWorker

NEWS = """\
    Title: A news item
    Date: 2016-07-08 09:00 +01:00
    Summary: Something happened in the alliance this week.

    {body}
    """


def _worker(tmp_path):
    overrides = {k: str(v) for k, v in site_settings(tmp_path).items() if k != "BUILD_NOW"}
    return BuildWorker(ROOT / "pelicanconf.py", overrides)


def test_worker_rebuilds_edits_in_the_same_process_and_restarts_for_code(tmp_path, pinned_now):
    write_content(tmp_path, {"news/a.md": NEWS.format(body="First version.")})
    worker = _worker(tmp_path)
    try:
        assert worker.build().ok
        pid = worker.process.pid
        page = tmp_path / "output" / "news" / "a-news-item" / "index.html"
        assert "First version." in soup(page).find("article").get_text()
        write_content(tmp_path, {"news/a.md": NEWS.format(body="Second version.")})
        assert worker.build().ok and worker.process.pid == pid  # the same process kept its state
        assert "Second version." in soup(page).find("article").get_text()
        write_content(tmp_path, {"news/a.md": NEWS.format(body="![](/images/x.png)")})
        failed = worker.build()
        assert not failed.ok and "news/a.md" in failed.errors and "alt" in failed.errors
        assert "Second version." in soup(page).find("article").get_text()  # the last good output stays
        worker.restart()
        write_content(tmp_path, {"news/a.md": NEWS.format(body="Third version.")})
        assert worker.build().ok and worker.process.pid != pid
        assert "Third version." in soup(page).find("article").get_text()
    finally:
        worker.close()


def test_a_dead_worker_is_replaced_by_a_fresh_one(tmp_path, pinned_now):
    write_content(tmp_path, {"news/a.md": NEWS.format(body="Body.")})
    worker = _worker(tmp_path)
    try:
        assert worker.build().ok
        worker.process.kill()
        worker.process.wait()
        result = worker.build()  # a new worker starts and builds
        assert result.ok
    finally:
        worker.close()
