"""The skipping inline pass gives exactly Python-Markdown's HTML, and really skips."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown

from csoa.engine.fastbuild import inline_triggers
from csoa.engine.pelican_internals import TriggeredInlineProcessor, use_triggered_inline
from csoa.engine.fastbuild.reading import reader_markdown_config

ROOT = Path(__file__).resolve().parents[1]


def site_markdown_config() -> dict:
    namespace: dict = {}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), {"__file__": str(ROOT / "pelicanconf.py")}, namespace)
    return reader_markdown_config(namespace["MARKDOWN"])


CONFIG = site_markdown_config()
PLAIN = Markdown(**CONFIG)
FAST = use_triggered_inline(Markdown(**CONFIG))

# Markdown's special characters, placeholders' look-alikes and plain words, in any order
PIECES = st.sampled_from([
    "word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "![",
    "[^1]", "[^1]: note", "<", ">", "<b>", "</b>", "&amp;", "&", "#", "- ", "1. ", "| a | b |\n|---|---|\n| c | d |",
    "http://x.org", "<http://x.org>", "<me@x.org>", "[a](http://x.org)", "![i](x.png)", "[r]: http://x.org",
    "*[HTML]: Hyper", "HTML", "{: .c }", "\u0002", "\u0003", "klzzwxh:0000", "~~~\ncode\n~~~", "Title\n---",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_html_as_python_markdown_for_any_mix_of_markdown_syntax(text):
    assert FAST.reset().convert(text) == PLAIN.reset().convert(text)


def test_same_html_for_every_markdown_file_of_the_site():
    sources = sorted((ROOT / "content").rglob("*.md"))
    assert len(sources) > 20
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert FAST.reset().convert(text) == PLAIN.reset().convert(text), source


def test_plain_text_tries_no_pattern_and_a_link_tries_only_the_patterns_it_can_match(monkeypatch):
    tried: list[str] = []
    original = TriggeredInlineProcessor._InlineProcessor__applyPattern

    def spy(self, pattern, *args):
        tried.append(type(pattern).__name__)
        return original(self, pattern, *args)

    monkeypatch.setattr(TriggeredInlineProcessor, "_InlineProcessor__applyPattern", spy)
    md = use_triggered_inline(Markdown(**CONFIG))
    md.convert("Plain words with no markup at all.")
    assert tried == []
    md.reset().convert("See [the report](http://x.org) now.")
    assert "LinkInlineProcessor" in tried and "BacktickInlineProcessor" not in tried
    assert "AutolinkInlineProcessor" not in tried and "DelimiterProcessor" not in tried


def test_a_pattern_whose_expression_is_not_the_listed_one_is_always_tried(monkeypatch):
    monkeypatch.setitem(inline_triggers.TRIGGERS, "link", (r"changed", ("[",)))
    md = use_triggered_inline(Markdown(**CONFIG))
    processor = md.treeprocessors["inline"]
    md.convert("x")
    names = [entry.name for entry in md.inlinePatterns._priority]
    assert processor._needs[names.index("link")] is None
    assert processor._needs[names.index("reference")] is not None
