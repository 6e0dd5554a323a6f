"""The editor's loop: a real live-reload server in a subprocess rebuilds on edits and shows errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sites import ROOT, write_content
from static_server import chromium_page

NEWS = """\
    Title: A news item
    Date: 2016-07-08 09:00 +01:00
    Summary: Something happened.

    {body}
    """
PAGE_URL = "/news/a-news-item/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError):
        return 0, ""


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def live(tmp_path, pinned_now):
    write_content(tmp_path, {"news/a.md": NEWS.format(body="First version of the body.")})
    shutil.copytree(ROOT / "theme", tmp_path / "theme")  # a copy the test may edit
    port = free_port()
    log = open(tmp_path / "server.log", "w+")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    process = subprocess.Popen(
        [sys.executable, "-m", "csoa.apps.editor_loop", str(ROOT / "pelicanconf.py"), "--port", str(port),
         "--content", str(tmp_path / "content"), "--output", str(tmp_path / "output"), "--cache", str(tmp_path / "cache"),
         "--theme", str(tmp_path / "theme")],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + PAGE_URL)[0] == 200, what=f"the server on {base}")
        yield base, tmp_path, lambda: (tmp_path / "server.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def edit(root, body):
    time.sleep(1.1)  # a new mtime even on coarse file systems
    write_content(root, {"news/a.md": NEWS.format(body=body)})


@pytest.mark.slow
def test_serves_rebuilds_on_edit_and_shows_a_content_error_over_the_last_good_page(live):
    base, root, log = live
    status, page = fetch(base + PAGE_URL)
    assert "First version of the body." in page
    assert "livereload.js" in page  # the reload script is injected
    assert "build-error" not in page

    edit(root, "Second version of the body.")
    wait_for(lambda: "Second version of the body." in fetch(base + PAGE_URL)[1], what="the rebuilt page")

    edit(root, "Third version.\n\n![](/images/missing-alt.png)")  # a content error: no alt text
    page = wait_for(lambda: (p := fetch(base + PAGE_URL)[1]) and 'id="build-error"' in p and p, what="the error banner")
    assert "Second version of the body." in page  # the last good page is still served
    assert "Third version" not in page
    assert "news/a.md:7" in page and "alt text for the image" in page
    assert "BUILD FAILED" in log() and "alt text for the image" in log()
    status, home = fetch(base + "/")
    assert status == 200 and 'id="build-error"' in home
    status, missing = fetch(base + "/news/never-built/")
    assert status == 500 and "alt text for the image" in missing

    edit(root, "Fourth version, fixed.")
    page = wait_for(lambda: (p := fetch(base + PAGE_URL)[1]) and "Fourth version" in p and p, what="the fixed page")
    assert 'id="build-error"' not in page

    # a theme edit rebuilds too
    footer = root / "theme" / "templates" / "partials" / "footer.html"
    time.sleep(1.1)
    footer.write_text(footer.read_text() + "<p>Edited footer</p>")
    wait_for(lambda: "Edited footer" in fetch(base + PAGE_URL)[1], what="the page with the edited theme")


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_reloads_itself_after_an_edit(live):
    base, root, _log = live
    with chromium_page() as page:
        page.goto(base + PAGE_URL)
        page.wait_for_function("window.LiveReload !== undefined", timeout=15000)
        edit(root, "Edited while the browser watches.")
        page.wait_for_function(
            "document.body.innerText.includes('Edited while the browser watches.')", timeout=60000)
        edit(root, "![](/images/no-alt.png)")
        page.wait_for_selector("#build-error", timeout=60000)
        assert "alt text for the image" in page.inner_text("#build-error")
        assert "Edited while the browser watches." in page.inner_text("main")
