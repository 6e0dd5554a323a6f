"""The editor's loop is woken by file events: a save runs the task of the folder it is in, once, and
hidden files (editor backups, lock files) run nothing. Real inotify, real Tornado IOLoop."""

from __future__ import annotations

import time

import pytest
from tornado.ioloop import IOLoop

from csoa.apps.editor_loop.watcher import NotifyWatcher, watchfiles

pytestmark = pytest.mark.skipif(watchfiles is None, reason="watchfiles is not installed")


def hidden(path):
    return path.rsplit("/", 1)[-1].startswith((".", "#"))


def run_until(loop: IOLoop, predicate, timeout=20.0) -> None:
    deadline = time.monotonic() + timeout

    def check():
        if predicate() or time.monotonic() > deadline:
            loop.stop()
        else:
            loop.call_later(0.02, check)

    loop.add_callback(check)
    loop.start()


@pytest.fixture
def loop():
    loop = IOLoop()
    yield loop
    loop.close(all_fds=False)


def test_a_save_runs_its_folders_task_once_and_hidden_files_run_nothing(tmp_path, loop):
    content, theme = tmp_path / "content", tmp_path / "theme"
    (content / "news").mkdir(parents=True)
    theme.mkdir()
    (content / "news" / "a.md").write_text("Title: A\n\nFirst.\n")
    ran, examined = [], []
    watcher = NotifyWatcher()
    watcher.watch(str(content), lambda: ran.append("content"), ignore=hidden)
    watcher.watch(str(theme), lambda: ran.append("theme"), ignore=hidden)

    def poll_tasks():  # what livereload's LiveReloadHandler.poll_tasks does with the watcher
        examined.append(watcher.examine())

    try:
        started = []
        loop.add_callback(lambda: started.append(watcher.start(poll_tasks)))  # on the loop, as in the server
        run_until(loop, lambda: examined)  # the start-up entry
        assert started == [True]  # no polling fallback
        time.sleep(0.2)  # the watch is set up in the thread

        (content / "news" / ".a.md.swp").write_text("backup")
        (content / "news" / "#a.md#").write_text("autosave")
        (content / "news" / "a.md").write_text("Title: A\n\nSecond.\n")
        run_until(loop, lambda: ran)
        run_until(loop, lambda: False, timeout=0.5)  # any late batch would run a task again
        assert ran == ["content"]
        changed = [path for path, _delay in examined if path not in (None, "__livereload__")]
        assert changed == [str(content / "news" / "a.md")]

        (theme / "base.html").write_text("<p>x</p>")
        run_until(loop, lambda: len(ran) == 2)
        assert ran == ["content", "theme"]
    finally:
        watcher.close()


def test_without_file_events_it_polls_and_still_sees_a_save(tmp_path, loop, monkeypatch, capsys):
    import csoa.apps.editor_loop.watcher as watcher_module

    def no_events(*_paths, **_options):  # what watchfiles raises when the inotify watch limit is reached
        raise OSError(28, "OS file watch limit reached")
        yield  # a generator, like watchfiles.watch

    monkeypatch.setattr(watcher_module.watchfiles, "watch", no_events)
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Title: A\n\nFirst.\n")
    ran = []
    watcher = NotifyWatcher()
    watcher.watch(str(content), lambda: ran.append("content"), ignore=hidden)
    try:
        loop.add_callback(lambda: watcher.start(watcher.examine))
        run_until(loop, lambda: watcher.polling)
        assert watcher.polling and "no file events" in capsys.readouterr().err
        run_until(loop, lambda: False, timeout=1.0)  # a first walk records the files' mtimes
        time.sleep(0.05)
        (content / "a.md").write_text("Title: A\n\nSecond.\n")
        run_until(loop, lambda: ran)
        assert ran == ["content"]
    finally:
        watcher.close()
