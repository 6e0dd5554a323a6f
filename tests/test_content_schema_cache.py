"""content_schema in a long-lived process: each file's own checks are remembered (in the memory the
build session keeps) by its stamp and re-run only when it changed, while the checks across files
(duplicates, links, references) and those that depend on the build time still see every file on
every validation."""

from __future__ import annotations

import os
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from test_content_schema import NEWS, rules_for

from csoa.util import stamps
from csoa.validation.remembered import CheckedFilesMemory
from csoa.validation.validate import validate_tree

BAD = Path(__file__).parent / "bad_content"
RACY_S = 0.1
MEMORY = CheckedFilesMemory()


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    """Nothing remembered; files older than RACY_S are remembered (the real tick is longer)."""
    global MEMORY
    monkeypatch.setattr(stamps, "TICK_NS", int(RACY_S * 1e9))
    MEMORY = CheckedFilesMemory()


def write(root: Path, rel: str, text: str) -> Path:
    """Write a file and let it age out of the racy window (the ctime cannot be dated back)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    time.sleep(RACY_S * 1.5)
    return path


def news(title: str, extra: str = "") -> str:
    return NEWS.replace("A news item", title) + extra


def check(root: Path, **changes):
    return validate_tree(rules_for(root, **changes), MEMORY)


def uncached(root: Path, **changes):
    """A validation with nothing remembered (what it finds is remembered for the next)."""
    global MEMORY
    MEMORY = CheckedFilesMemory()
    return check(root, **changes)


def same_report(a, b) -> bool:
    return (a.errors, a.infos, a.items, a.files_checked) == (b.errors, b.infos, b.items, b.files_checked)


def test_an_edit_is_reported_and_its_fix_clears_it(tmp_path):
    root = tmp_path / "content"
    for name in "abc":
        write(root, f"news/{name}.md", news(f"Item {name}"))
    assert check(root).errors == [] and check(root).files_reused == 3

    write(root, "news/b.md", news("Item b").replace("2016-07-08 09:00", "2016-13-45 09:00"))
    report = check(root)
    assert [(e.path, e.line, e.field) for e in report.errors] == [("content/news/b.md", 2, "date")]
    assert report.files_reused == 2
    assert same_report(report, uncached(root))
    check(root)  # remembered again

    write(root, "news/b.md", news("Item b"))
    report = check(root)
    assert report.errors == [] and report.files_reused == 2


def test_a_duplicate_made_by_editing_one_file_is_caught(tmp_path):
    root = tmp_path / "content"
    write(root, "news/a.md", news("Alpha"))
    write(root, "news/b.md", news("Beta"))
    assert check(root).errors == []
    write(root, "news/b.md", news("Alpha"))
    report = check(root)
    assert report.files_reused == 1  # a.md was not read again, its slug still counts
    assert [str(e) for e in report.errors] == [
        "content/news/b.md:1: slug: expected a unique slug/URL, got '/news/alpha/', already used by content/news/a.md:1 (set another slug)"
    ]


def test_deleting_a_linked_file_or_image_makes_the_error_appear(tmp_path):
    root = tmp_path / "content"
    write(root, "news/a.md", news("Alpha", "\n    [b]({filename}b.md)\n").replace("Summary", "Image: images/x.png\n    Image_alt: A ship\n    Summary"))
    write(root, "news/b.md", news("Beta"))
    write(root, "images/x.png", "not really a png")
    assert check(root).errors == [] and check(root).files_reused == 2

    (root / "news/b.md").unlink()
    report = check(root)
    assert report.files_reused == 0  # a.md looked for b.md: checked again
    assert [str(e) for e in report.errors] == [
        "content/news/a.md:9: body: expected '{filename}b.md' to name an existing file under content/, got a link to 'news/b.md', which does not exist"
    ]
    (root / "images/x.png").unlink()
    assert [(e.line, e.field) for e in check(root).errors] == [(3, "image"), (9, "body")]

    write(root, "news/b.md", news("Beta"))
    write(root, "images/x.png", "back")
    assert check(root).errors == []


def test_what_depends_on_the_build_time_is_worked_out_on_every_validation(tmp_path):
    root = tmp_path / "content"
    write(root, "news/later.md", news("Later").replace("2016-07-08 09:00 +01:00", "2019-09-01"))
    write(root, "news/linking.md", news("Linking", "\n    [l]({filename}later.md)\n"))
    before = check(root)
    assert [i.field for i in before.infos] == ["date"] and [e.path for e in before.errors] == ["content/news/linking.md"]
    after = check(root, BUILD_NOW=datetime(2019, 9, 2, tzinfo=timezone.utc))
    assert after.files_reused == 2
    assert after.infos == [] and after.errors == []


def test_a_change_of_the_rules_rechecks_every_file(tmp_path):
    root = tmp_path / "content"
    write(root, "intelligence/a.md", news("Alpha").replace("Summary", "Region: asia\n    Summary"))
    assert check(root).errors == []
    report = check(root, REGION_TABLE={"mediterranean": {"label": "Mediterranean", "slug": "mediterranean",
                                                            "filing": True}})
    assert report.files_reused == 0
    assert [e.field for e in report.errors] == ["region"]


def test_a_rewrite_that_brings_back_the_old_mtime_and_size_is_noticed(tmp_path):
    """As cp -p or rsync -t can: same inode, size and mtime, new content (the ctime tells)."""
    path = write(tmp_path / "content", "news/a.md", news("Alpha"))
    before = path.stat()
    assert check(tmp_path / "content").errors == []
    path.write_text(path.read_text(encoding="utf-8").replace("2016-07-08", "2016-17-08"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    time.sleep(RACY_S * 1.5)
    assert [e.field for e in check(tmp_path / "content").errors] == ["date"]


def test_files_changed_just_before_a_check_are_checked_but_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(stamps, "TICK_NS", 60 * 10**9)
    root = tmp_path / "content"
    write(root, "news/a.md", news("Alpha"))
    check(root)
    assert check(root).files_reused == 0


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if (p / "content").is_dir()))
def test_a_remembered_validation_reports_exactly_what_a_fresh_one_does(case):
    root = BAD / case / "content"
    fresh = uncached(root)
    again = check(root)
    assert same_report(again, fresh)
    assert again.files_reused == again.files_checked or any(
        not stamps.FileStamp.of(p).settled for p in root.rglob("*.md")
    )
