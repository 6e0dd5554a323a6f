"""The build runner: real Pelican builds into tmp_path, atomic swap, failures keep the old output."""

import pytest
from sites import build, soup

from csoa.engine.atomic import staged_directory
from csoa.engine.build import BuildFailed

NEWS = """\
    Title: A news item
    Date: 2016-07-08 09:00 +01:00
    Summary: Something happened in the alliance this week.

    Body text.
    """


def test_build_writes_article_page_with_directory_url(tmp_path):
    out = build(tmp_path, {"news/a.md": NEWS})
    page = soup(out / "news" / "a-news-item" / "index.html")
    assert page.find("h1").get_text(strip=True) == "A news item"


def test_failed_build_keeps_previous_output(tmp_path):
    out = build(tmp_path, {"news/a.md": NEWS})
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # a template error fails the build after Pelican has started writing
    (tmp_path / "theme-broken").mkdir()
    with pytest.raises(BuildFailed):
        build(tmp_path, {"news/b.md": NEWS.replace("A news item", "Another")}, THEME=str(tmp_path / "theme-broken"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output-")]


def test_staged_directory_replaces_target_only_on_success(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with staged_directory(target) as staging:
            (staging / "new.txt").write_text("new")
            raise RuntimeError("boom")
    assert [p.name for p in target.iterdir()] == ["old.txt"]
    with staged_directory(target) as staging:
        (staging / "new.txt").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.txt"]
