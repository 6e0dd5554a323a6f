"""The build session: the one file stamp (with its racy-tick guard), per-owner memos started and
ended with each build, hooks that last one build, and the running build's session for plugins."""

from __future__ import annotations

import os
import time

import pytest

from csoa.util import stamps
from csoa.util.session import BUILD_ENDED, OUTPUT_COMPLETE, BuildSession, current, memo_for
from csoa.util.stamps import FileStamp, same_file


def test_a_stamp_taken_within_the_tick_of_a_change_says_changed_even_when_nothing_did(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Title: A\n", encoding="utf-8")
    racy = FileStamp.of(path)  # at once: a rewrite within this tick could keep every field
    assert not racy.settled and not same_file(racy, path)
    time.sleep(stamps.TICK_NS / 1e9 * 1.5)
    settled = FileStamp.of(path)
    assert settled.settled and same_file(settled, path)


def test_the_tick_is_two_seconds_on_a_file_system_that_keeps_seconds():
    whole = 1_700_000_000 * 10**9
    taken = whole + stamps.TICK_NS * 3
    assert not FileStamp(whole, 1, 2, 3, whole, 1, taken).settled  # FAT, ext3, HFS+: a second apart is racy
    assert FileStamp(whole, 1, 2, 3, whole, 1, whole + stamps.SECONDS_TICK_NS).settled
    assert FileStamp(whole + 4_000_000, 1, 2, 3, whole + 4_000_000, 1, taken).settled


def test_edits_copies_that_keep_the_mtime_and_new_hard_links(tmp_path, monkeypatch):
    monkeypatch.setattr(stamps, "TICK_NS", 20_000_000)
    path = tmp_path / "page.html"
    path.write_text("one", encoding="utf-8")
    old = path.stat()
    time.sleep(0.05)
    before = FileStamp.of(path)
    os.link(path, tmp_path / "linked.html")  # as the dev loop links an unchanged page: the bytes are the same
    assert same_file(before, path)
    time.sleep(0.05)
    before = FileStamp.of(path)
    path.write_text("two", encoding="utf-8")  # as cp -p: same size, the old mtime put back; the ctime tells
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert FileStamp.of(path).key == before.key and not same_file(before, path)
    path.unlink()
    assert not same_file(before, path)


def test_memos_keep_what_the_latest_build_used_and_hooks_last_one_build():
    session = BuildSession()
    calls = []
    with session.build():
        assert current() is session and memo_for("x") is session.memo("x")
        session.memo("x").get(1, lambda: "one")
        session.memo("x").get(2, lambda: "two")
        session.on(BUILD_ENDED, "test", calls.append)
        session.on(OUTPUT_COMPLETE, "test", calls.append)
        session.emit(OUTPUT_COMPLETE, "out")
    assert current() is None and calls == ["out", True]
    with pytest.raises(RuntimeError), session.build():
        assert session.memo("x").get(2, lambda: "again") == "two" and session.memo("x").hits == 1
        session.emit(OUTPUT_COMPLETE, "not heard: the hooks went with the build before")
        raise RuntimeError("the build fails")
    assert calls == ["out", True] and len(session.memo("x")) == 1  # 1 went with the build that used it
    assert memo_for("x") is not memo_for("x")  # outside a build: a fresh memo, kept for nothing
