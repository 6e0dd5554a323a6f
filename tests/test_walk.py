"""files_under lists what sorted(rglob) lists, in the same order, without pathlib's cost."""

from csoa.util.walk import files_under


def test_files_under_equals_sorted_rglob_for_tricky_names(tmp_path):
    for rel in ("a/index.html", "a-b/index.html", "a.b/index.html", "a/b/c.html", ".hidden/x.html",
                "Z/index.html", "feeds/all.atom.xml", "index.html", "a/notes.htm", "é/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "folder.html").mkdir()  # a folder with a page's name is not a page
    assert files_under(tmp_path, ".html") == sorted(p for p in tmp_path.rglob("*.html") if p.is_file())
    assert files_under(tmp_path) == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert (tmp_path / "folder.html") not in files_under(tmp_path, ".html")
