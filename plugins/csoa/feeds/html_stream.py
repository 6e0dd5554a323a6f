"""Rewrite the attributes of an HTML fragment and serialise it exactly as BeautifulSoup would,
without building a tree.

The feeds rewrite every item's HTML (absolute URLs). Building a BeautifulSoup tree of each item
only to serialise it again was most of the feeds' build time. Here bs4's own html.parser driver
(BeautifulSoupHTMLParser: the same tokenizer, entity, duplicate-attribute and void-element
handling) feeds a writer that applies BeautifulSoup's tree rules as the events arrive: an end tag
closes up to the nearest open element of its name and is ignored when none is open, whitespace-only
text collapses to one space or newline outside <pre>/<textarea>, attributes are sorted and quoted by
bs4's "minimal" formatter, void elements are written ``<br/>``. The result is the bytes of
``str(BeautifulSoup(html, "html.parser"))`` after the same attribute changes;
tests/test_feeds_speed.py checks that against BeautifulSoup itself on generated markup.

Markup this writer does not mirror (a <meta> charset, whose value bs4 rewrites) raises Unsupported:
the caller then does the job on a real BeautifulSoup tree (see absolute.py).
"""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from bs4.builder import HTMLParserTreeBuilder
from bs4.builder._htmlparser import BeautifulSoupHTMLParser
from bs4.formatter import HTMLFormatter

# (tag name, attributes) -> None, called for every element with attributes; may change the values
# in place. Values of multi-valued attributes (class, rel...) are lists, as on a BeautifulSoup Tag.
TagHook = Callable[[str, dict], None]

_FORMATTER = HTMLFormatter.REGISTRY["minimal"]  # what str(soup) uses
_UNSUPPORTED_TAGS = frozenset({"meta"})  # bs4 substitutes the output encoding into its charset
_SUBSTITUTE = _FORMATTER.entity_substitution  # what _FORMATTER.substitute does to a plain str
_BARE_START = {False: "<{}>", True: "<{}" + (_FORMATTER.void_element_close_prefix or "") + ">"}  # no attributes


class Unsupported(Exception):
    """Markup the streaming writer does not reproduce byte for byte."""


class _Element:
    __slots__ = ("name", "attrs", "is_empty_element")

    def __init__(self, name: str, attrs: dict, is_empty_element: bool):
        self.name, self.attrs, self.is_empty_element = name, attrs, is_empty_element


class _WritingSoup:
    """Stands in for the BeautifulSoup object the parser driver talks to: same tree rules, but
    every element and string is written out as soon as it is complete."""

    ROOT_TAG_NAME = BeautifulSoup.ROOT_TAG_NAME
    ASCII_SPACES = BeautifulSoup.ASCII_SPACES

    def __init__(self, on_tag: TagHook | None):
        self.builder = HTMLParserTreeBuilder()
        self.on_tag = on_tag
        self.contains_replacement_characters = False
        self.out: list[str] = []
        self.open: list[_Element] = []
        self.open_names: dict[str, int] = {}
        self.preserving = 0  # open <pre>/<textarea> elements
        self.current_data: list[str] = []

    # -- the parser driver's calls --------------------------------------------------------------

    def handle_starttag(self, name, namespace, nsprefix, attrs, sourceline=None, sourcepos=None, namespaces=None):
        self.endData()
        if name in _UNSUPPORTED_TAGS:
            raise Unsupported(name)
        builder = self.builder
        if attrs:
            attrs = builder._replace_cdata_list_attribute_values(name, attrs)
            if self.on_tag is not None:
                self.on_tag(name, attrs)
        element = _Element(name, attrs, builder.can_be_empty_element(name))
        self.out.append(self._start_tag(element) if attrs else _BARE_START[element.is_empty_element].format(name))
        self.open.append(element)
        self.open_names[name] = self.open_names.get(name, 0) + 1
        if name in builder.preserve_whitespace_tags:
            self.preserving += 1
        return element

    def handle_endtag(self, name, nsprefix=None):
        self.endData()
        if not self.open_names.get(name):
            return  # BeautifulSoup ignores an end tag with no open element of that name
        while self.open:
            if self._pop().name == name:
                break

    def handle_data(self, data):
        self.current_data.append(data)

    def endData(self, containerClass=None):
        if not self.current_data:
            return
        data = "".join(self.current_data)
        self.current_data = []
        if not self.preserving and all(c in self.ASCII_SPACES for c in data):
            data = "\n" if "\n" in data else " "
        if containerClass is not None:  # comment, doctype, CDATA...: written as they are
            self.out.append(containerClass.PREFIX + data + containerClass.SUFFIX)
        elif self.open and self.open[-1].name in _FORMATTER.cdata_containing_tags:
            self.out.append(data)  # <script>, <style>
        else:
            self.out.append(_SUBSTITUTE(data))

    # -- helpers --------------------------------------------------------------------------------

    def finish(self) -> str:
        self.endData()
        while self.open:
            self._pop()
        return "".join(self.out)

    def _pop(self) -> _Element:
        element = self.open.pop()
        self.open_names[element.name] -= 1
        if element.name in self.builder.preserve_whitespace_tags:
            self.preserving -= 1
        if not element.is_empty_element:
            self.out.append(f"</{element.name}>")
        return element

    @staticmethod
    def _start_tag(element: _Element) -> str:
        """bs4's Tag._format_tag for an opening tag (no namespace prefixes with html.parser)."""
        pieces = ["<", element.name]
        for key, value in _FORMATTER.attributes(element):
            if value is None:
                pieces.append(f" {key}")
                continue
            if isinstance(value, (list, tuple)):
                value = " ".join(value)
            elif not isinstance(value, str):
                value = str(value)
            pieces.append(f" {key}={_FORMATTER.quoted_attribute_value(_FORMATTER.attribute_value(value))}")
        if element.is_empty_element:
            pieces.append(_FORMATTER.void_element_close_prefix or "")
        pieces.append(">")
        return "".join(pieces)


def stream_rewrite(html: str, on_tag: TagHook | None = None) -> str:
    """``html`` serialised as BeautifulSoup(html, "html.parser") would be, after ``on_tag`` saw
    (and possibly changed) every element's attributes in document order. Raises Unsupported, or
    whatever html.parser raises on markup it rejects."""
    soup = _WritingSoup(on_tag)
    parser = BeautifulSoupHTMLParser(soup, convert_charrefs=False)
    parser.feed(html)
    parser.close()
    return soup.finish()

