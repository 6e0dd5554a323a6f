"""The dev loop's search index follows each edit by telling Pagefind's service only the pages that
changed, and the served bundle is then exactly what a full Pagefind run over the new output writes:
same files, same bytes (Pagefind names its data files by their content's hash, so this is also
"same pages, same words"). The browser test searches the served site with Pagefind's own code."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
from fastbuild_fixtures import NEWS, fixture_files, tree_differences
from sites import ROOT, site_settings, write_content
from static_server import chromium_page, serve_directory

from csoa.engine.devloop import DevBuilder
from csoa.search.pagefind_index import marked_pages_glob, pagefind_command
from csoa.util.stamps import TICK_NS


@pytest.fixture
def dev(tmp_path):
    write_content(tmp_path / "dev", fixture_files())
    builder = DevBuilder(ROOT / "pelicanconf.py", site_settings(tmp_path / "dev"))
    builder.build()
    builder.wait_for_background()  # (a rebuild cancels an index still being made: the next one is then full)
    yield builder
    builder.close()


def indexer(builder):
    return builder.session.job("search", None)


def full_index_differences(builder, tmp_path) -> list[str]:
    """Where the served bundle differs from the command line's full run over the live output."""
    builder.wait_for_background()
    full = tmp_path / "full-index"
    shutil.rmtree(full, ignore_errors=True)  # Pagefind keeps the files of an earlier run beside its own
    subprocess.run(pagefind_command(builder.output, "en", full, marked_pages_glob(builder.output)),
                   check=True, capture_output=True)
    return tree_differences(builder.output / "pagefind", full)


def edit(builder, rel, old, new):
    path = builder.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_told_to_the_kept_index_and_gives_the_bundle_of_a_full_run(dev, tmp_path):
    assert full_index_differences(dev, tmp_path) == []
    assert indexer(dev).last.full  # the first build: the index is made from the folder
    edit(dev, "news/item-03.md", "Opening paragraph", "Quetzalcoatl paragraph")
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    # told, not rebuilt: the edited page, and pages whose file stamps were not settled yet when the
    # index last looked (written within the file clock's tick: they may have changed unseen)
    assert not indexer(dev).last.full and 1 <= indexer(dev).last.replaced

    # once every page's stamp has settled (a clock tick after the index looked), an edit is told as one page
    time.sleep(TICK_NS / 1e9 + 0.05)
    dev.rebuild()
    dev.wait_for_background()
    time.sleep(TICK_NS / 1e9 + 0.05)
    edit(dev, "news/item-03.md", "Quetzalcoatl paragraph", "Tlaloc paragraph")
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    assert not indexer(dev).last.full and indexer(dev).last.replaced == 1


def test_a_deleted_page_leaves_the_index_and_a_new_page_enters_it_in_path_order(dev, tmp_path):
    (dev.content / "news" / "item-05.md").unlink()
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    assert not indexer(dev).last.full and indexer(dev).last.replaced >= 1
    assert not (dev.output / "news" / "news-item-5").exists()

    # Pagefind would append a new page after all others; a full run takes paths in order
    write_content(dev.content.parent, {"news/item-00.md": NEWS.format(title="News item 0", day=1, tag="topic-0")})
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    assert indexer(dev).last.full


def test_rebuilds_in_quick_succession_end_with_the_bundle_of_the_last_output(dev, tmp_path):
    edit(dev, "news/item-01.md", "Opening paragraph", "First edit")
    dev.rebuild()  # the indexer starts; the next rebuild cancels it at once or while Pagefind works
    edit(dev, "news/item-02.md", "Opening paragraph", "Second edit")
    dev.rebuild()
    edit(dev, "news/item-01.md", "First edit", "Third edit")
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    leftovers = [p for p in (dev.output / "pagefind").rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_a_stopped_service_is_started_again_and_the_index_made_anew(dev, tmp_path):
    dev.wait_for_background()
    indexer(dev).index._service.kill()  # as if it had crashed between two edits
    edit(dev, "news/item-03.md", "Opening paragraph", "Quetzalcoatl paragraph")
    dev.rebuild()
    assert full_index_differences(dev, tmp_path) == []
    assert indexer(dev).last.full and indexer(dev).error is None


def test_close_ends_the_service_and_removes_the_private_bundle(dev):
    dev.wait_for_background()
    live = indexer(dev).index
    service, folder = live._service, live._bundle.parent
    assert service.alive and folder.is_dir()
    dev.close()
    assert not service.alive and not folder.exists()


def search(base: str, word: str) -> list[str]:
    """The URLs Pagefind's own search code finds for ``word`` on the served site (a new browser
    each time: nothing of an earlier bundle is cached)."""
    with chromium_page() as page:
        page.goto(base + "/search/")
        return page.evaluate("""async (word) => {
            const pagefind = await import('/pagefind/pagefind.js');
            const found = await pagefind.search(word);
            const pages = await Promise.all(found.results.map(result => result.data()));
            return pages.map(page => page.url).sort();
        }""", word)


@pytest.mark.browser
def test_search_finds_the_new_word_not_the_removed_one_nor_a_deleted_page(dev):
    edit(dev, "news/item-03.md", "Opening paragraph", "Zanzibar paragraph")
    dev.rebuild()
    dev.wait_for_background()
    with serve_directory(dev.output) as base:
        assert search(base, "zanzibar") == ["/news/news-item-3/"]
        assert search(base, "quetzalcoatl") == []

        edit(dev, "news/item-03.md", "Zanzibar paragraph", "Quetzalcoatl paragraph")
        dev.rebuild()
        dev.wait_for_background()
        assert search(base, "quetzalcoatl") == ["/news/news-item-3/"]
        assert search(base, "zanzibar") == []
        assert not indexer(dev).last.full

        (dev.content / "news" / "item-03.md").unlink()
        dev.rebuild()
        dev.wait_for_background()
        assert search(base, "quetzalcoatl") == []
        assert "/news/news-item-4/" in search(base, "opening")  # the other pages are still found
