"""Every content file's header is typed once per build: the content check types it, and the events and
the newsletter take that result from the build session instead of parsing the file again. A file
that changed after the check, or a build without a session, is typed again where it is used."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from newsletter_site import FILES, NOW
from sites import build, settings_for, soup, write_content

import csoa.model.parse as model_parse
from csoa.engine import content_check
from csoa.model.schema import KINDS
from csoa.util.session import BuildSession
from csoa.util.stamps import TICK_NS


@pytest.fixture
def typed_files(monkeypatch) -> Counter:
    """How many times each file's header was typed, by file name (parse_fields spied on where it is used)."""
    counts: Counter = Counter()
    real = model_parse.parse_fields

    def counting(header, kind, site, *args, **kwargs):
        parsed = real(header, kind, site, *args, **kwargs)
        counts[(kind.name, parsed.values.get("title"))] += 1
        return parsed

    monkeypatch.setattr(model_parse, "parse_fields", counting)
    monkeypatch.setattr("csoa.validation.file_check.parse_fields", counting)
    return counts


def settled_content(root: Path) -> None:
    """Write the fixture's files and wait a file-clock tick: a stamp taken within the tick of a change
    is not settled, and the check does not remember such a file (csoa.util.stamps)."""
    write_content(root, FILES)
    time.sleep(TICK_NS / 1e9 + 0.05)


def test_events_and_newsletters_are_typed_once_per_build(tmp_path, typed_files):
    settled_content(tmp_path)
    output = build(tmp_path, now=NOW, session=BuildSession())
    assert soup(output / "events" / "index.html").find(string="CYPnaval Conference")
    assert list(output.glob("newsletters/*/email.html"))
    typed_kinds = {kind for kind, _ in typed_files}
    assert {"events", "newsletters"} <= typed_kinds
    assert {key: n for key, n in typed_files.items() if n != 1} == {}


def test_a_file_changed_after_the_check_is_typed_again(tmp_path):
    settled_content(tmp_path)
    session = BuildSession()
    event = tmp_path / "content" / "events" / "2019-10-02-cypnaval.md"
    with session.build():
        memory = content_check.checked_files(session)
        settings = settings_for(tmp_path, now=NOW)
        assert not content_check.check_content(settings, memory).errors
        checked = content_check.typed_header(settings, event, KINDS["events"])
        assert checked is memory.typed_header(event, "events")  # the check's own result
        assert checked.values["title"] == "CYPnaval Conference"
        # as another kind, or after an edit, the file is typed here from its current text
        assert memory.typed_header(event, "news") is None
        event.write_text(event.read_text(encoding="utf-8").replace("CYPnaval Conference", "CYPnaval 2019"),
                         encoding="utf-8")
        again = content_check.typed_header(settings, event, KINDS["events"])
        assert again is not checked and again.values["title"] == "CYPnaval 2019"


def test_without_a_session_the_file_is_typed_where_it_is_used(tmp_path):
    write_content(tmp_path, FILES)
    settings = settings_for(tmp_path, now=NOW)
    path = Path(tmp_path / "content" / "newsletters" / "2019-07-05-july.md")
    parsed = content_check.typed_header(settings, path, KINDS["newsletters"])
    assert parsed.kind == "newsletters" and parsed.values["title"] == "July 2019" and not parsed.problems
