"""`invoke build` / `rebuild` / `preview` (csoa.apps.build): the exit code, every error on stderr, and
the previous output kept when a build fails."""

from __future__ import annotations

from sites import ROOT, site_settings, write_content

from csoa.apps.build import run_build_command

GOOD = {"news/2019-06-01-ok.md": "Title: A good item\nDate: 2019-06-01 10:00\nSummary: Fine.\n\nBody text.\n"}
BAD = {"news/2019-06-02-bad.md": "Title: A bad item\nDate: 2019-13-45\nSummary: Broken date.\n\nBody.\n"}


def test_a_good_build_exits_0_and_a_failed_one_exits_1_naming_the_file_and_keeping_the_output(tmp_path, capsys):
    write_content(tmp_path, GOOD)
    settings = site_settings(tmp_path)
    assert run_build_command(ROOT / "pelicanconf.py", overrides=settings) == 0
    assert "Built" in capsys.readouterr().out
    page = tmp_path / "output" / "news" / "a-good-item" / "index.html"
    before = page.read_bytes()

    write_content(tmp_path, BAD)
    assert run_build_command(ROOT / "pelicanconf.py", overrides=settings) == 1
    err = capsys.readouterr().err
    assert "2019-06-02-bad.md" in err and "date" in err.lower()
    assert "previous output/ was left untouched" in err
    assert page.read_bytes() == before


def test_clean_cache_removes_the_content_cache_before_building(tmp_path):
    write_content(tmp_path, GOOD)
    settings = site_settings(tmp_path)
    stale = tmp_path / "cache" / "stale-marker"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("left by an older build")
    assert run_build_command(ROOT / "pelicanconf.py", overrides=settings, clean_cache=True) == 0
    assert not stale.exists()
    assert (tmp_path / "output" / "index.html").is_file()
