"""The plain modules behind the output-path, tag and character checks (the corpus runs them end to end)."""

from __future__ import annotations

import pytest
from sites import settings_for

from csoa.model.characters import control_characters
from csoa.model.fields import Invalid, OutputPath
from csoa.model.tags import TagUse, file_problems, site_problems
from csoa.validation.outputs import reserved_outputs


@pytest.fixture(scope="module")
def reserved(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "content" / "images").mkdir(parents=True)
    settings = settings_for(root)
    return reserved_outputs(settings, ["news", "events"], root / "content")


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("index.html", "the home page"),
        ("page/3/index.html", "the home page (a later page)"),
        ("news/index.html", "the news section"),
        ("news/page/2/index.html", "the news section (a later page)"),
        ("tags/c/index.html", "a tag page"),
        ("archives/2016/index.html", "an archive by date"),
        ("statistics/ports/index.html", "the statistics pages"),
        ("feeds/regions/asia.rss.xml", "the feeds"),
        ("images/x.png", "the static files of content/images"),
        ("theme/css/site.css", "the theme's files"),
        ("pagefind/pagefind.js", "the search index"),
        ("404.html", "the 404 page"),
    ],
)
def test_generated_paths_are_reserved_with_their_owner(reserved, path, owner):
    assert reserved.owner(path) == owner


@pytest.mark.parametrize("path", ["news/page/index.html", "about/index.html", "events/conference/index.html", "pages/x.html"])
def test_content_paths_are_free(reserved, path):
    assert reserved.owner(path) is None


@pytest.mark.parametrize("text", ["../../x", "/tmp/x.html", "a//b.html", "a/./b.html", "folder/", "C:/x", "a\\b.html", ""])
def test_output_path_outside_or_not_a_file_is_refused(text):
    with pytest.raises(Invalid):
        OutputPath().parse(text, None)


def test_tags_sharing_a_slug_are_named_together_once():
    slug = {"C++": "c", "c": "c", "C#": "c", "piracy": "piracy", "++": ""}.get
    assert file_problems(["C++", "piracy", "c", "C#", "c", "++"], slug) == [
        "expected a tag with letters or digits (it becomes the page /tags/<slug>/), got '++'",
        "expected tags with distinct pages, got 'C++', 'c' and 'C#', which all become /tags/c/ "
        "(keep one of them, written the same way everywhere)",
    ]


def test_across_files_the_same_spelling_is_fine_and_another_is_named_with_the_first():
    uses = [TagUse("content/news/b.md", 4, "c", "c"), TagUse("content/news/a.md", 4, "C++", "c"),
            TagUse("content/news/c.md", 5, "C++", "c")]
    assert [(use.path, message) for use, message in site_problems(uses)] == [
        ("content/news/b.md", "expected tags with distinct pages, got 'c', which becomes /tags/c/ like 'C++' in "
                              "content/news/a.md:4 (write the tag the same way everywhere)")
    ]


def test_control_characters_are_found_on_the_lines_the_header_parser_counts():
    text = "Title: a\r\nSummary: b\x1b\rBody\n\x00 and \x00\n\tTabs are fine\n"
    assert list(control_characters(text)) == [(2, 11, "U+001B (ESC)"), (4, 1, "U+0000 (NUL)")]
