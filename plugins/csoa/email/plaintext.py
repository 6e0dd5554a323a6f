"""The letter's HTML as real plain text for email.txt: paragraphs wrapped, lists kept as lists,
headings on their own line, links written out; no markdown (``**``, ``##``) and no tags show through.

Built from the rendered HTML, not from the markdown source, so what the text says is what the
HTML says."""

from __future__ import annotations

import textwrap

from bs4 import BeautifulSoup, NavigableString, Tag

WIDTH = 72
BREAK = "\x00"  # a <br>; newlines in the HTML source are only spaces
BLOCKS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr"}


def _inline(node) -> str:
    """The text of an inline run; a link adds its address unless the text already is it."""
    if isinstance(node, NavigableString):
        return str(node)
    if not isinstance(node, Tag):
        return ""
    if node.name == "br":
        return BREAK
    if node.name == "img":
        return node.get("alt", "")
    text = "".join(_inline(child) for child in node.children)
    href = node.get("href", "") if node.name == "a" else ""
    if href and not href.startswith("#") and " ".join(text.split()) != href.removeprefix("mailto:"):
        return f"{text} ({href.removeprefix('mailto:')})"
    return text


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    lines = []
    for part in text.split(BREAK):  # a <br> keeps its line break
        words = " ".join(part.split())
        if words:
            lines += textwrap.wrap(words, WIDTH, initial_indent=first if not lines else rest, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)
    return lines


def _list(node: Tag, indent: str) -> list[str]:
    lines = []
    for number, item in enumerate(node.find_all("li", recursive=False), start=1):
        marker = f"{number}. " if node.name == "ol" else "- "
        inline = "".join(_inline(c) for c in item.children if not (isinstance(c, Tag) and c.name in BLOCKS - {"p"}))
        lines += _wrap(inline, indent + marker, indent + " " * len(marker))
        for sub in item.find_all(["ul", "ol"], recursive=False):
            lines += _list(sub, indent + " " * len(marker))
    return lines


def _block(node: Tag) -> list[str]:
    name = node.name
    if name in ("ul", "ol"):
        return _list(node, "")
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return _wrap(_inline(node).upper())
    if name == "blockquote":
        return [f"> {line}".rstrip() for line in html_to_lines(node)]
    if name == "pre":
        return node.get_text().rstrip("\n").split("\n")
    if name == "hr":
        return ["-" * 20]
    if name in ("div", "table"):
        return html_to_lines(node)
    return _wrap(_inline(node))


def html_to_lines(root) -> list[str]:
    """Blocks separated by one blank line; loose inline text forms a paragraph of its own."""
    out: list[list[str]] = []
    loose: list[str] = []

    def flush():
        if "".join(loose).strip():
            out.append(_wrap("".join(loose)))
        loose.clear()

    for child in root.children:
        if isinstance(child, Tag) and child.name in BLOCKS:
            flush()
            lines = _block(child)
            if lines:
                out.append(lines)
        else:
            loose.append(_inline(child))
    flush()
    result: list[str] = []
    for block in out:
        result += block + [""]
    return result[:-1]


def html_to_text(html: str) -> str:
    return "\n".join(html_to_lines(BeautifulSoup(html or "", "html.parser")))
