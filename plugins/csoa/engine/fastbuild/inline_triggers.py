"""Python-Markdown's inline pass, skipping the patterns that cannot match a piece of text.

Plain module (python-markdown only). Markdown tries each of its ~15 inline patterns on every piece
of text, one regular-expression search after another, even when the text holds none of the
characters a pattern starts with: most of a plain paragraph's inline time. Each built-in pattern
needs one of a few literal strings (a link needs ``[``, emphasis ``*`` or ``_``...); a pattern whose
strings are all absent from the text is skipped exactly as when its search finds nothing. A
pattern is skipped only if its name *and* its regular expression are the ones listed here, so a
pattern added by an extension, or changed by a new Markdown release, is always tried.
"""

from __future__ import annotations

from markdown import Markdown, util
from markdown.treeprocessors import InlineProcessor

# name -> (the pattern's regular expression, the strings one of which any match contains)
_LINK = r"(?<!\!)\["
_IMAGE = r"\!\["
TRIGGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    "reference": (_LINK, ("[",)),
    "link": (_LINK, ("[",)),
    "image_link": (_IMAGE, ("![",)),
    "image_reference": (_IMAGE, ("![",)),
    "short_reference": (_LINK, ("[",)),
    "short_image_ref": (_IMAGE, ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "html": (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
        r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""",
        ("<",),
    ),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}


# Each trigger string is one bit: a text's bits are looked up once, a pattern's test is one ``&``.
_STRINGS = sorted({s for _, strings in TRIGGERS.values() for s in strings})
_BITS = [(1 << i, s) for i, s in enumerate(_STRINGS)]


def _needs(name: str, pattern) -> int | None:
    """The bits of the strings one of which text must hold for ``pattern`` to match; None: always try it."""
    known = TRIGGERS.get(name)
    if known is None or getattr(pattern, "pattern", None) != known[0]:
        return None
    return sum(1 << _STRINGS.index(s) for s in known[1])


def _present(data: str) -> int:
    bits = 0
    for bit, string in _BITS:
        if string in data:
            bits |= bit
    return bits


class TriggeredInlineProcessor(InlineProcessor):
    """InlineProcessor whose per-text loop skips patterns that cannot match (same output)."""

    def run(self, tree, ancestors=None):
        registry = self.inlinePatterns
        self._patterns = list(registry)  # the registry sorts on every index: snapshot once a run
        self._needs = [_needs(entry.name, pattern) for entry, pattern in zip(registry._priority, self._patterns)]
        return super().run(tree, ancestors)

    # Overrides InlineProcessor.__handleInline (name-mangled): the same loop, with the skip.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns, needs = self._patterns, self._needs
        apply = self._InlineProcessor__applyPattern
        present = _present(data)  # matches only replace text by placeholders: never adds a string
        start = 0
        count = len(patterns)
        while patternIndex < count:
            need = needs[patternIndex]
            if need is not None and not need & present:
                patternIndex += 1
                start = 0  # what a pattern that does not match returns
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def use_triggered_inline(md: Markdown) -> Markdown:
    """Give ``md`` the skipping inline pass (in place of its own, same name and priority)."""
    if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
        priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
        md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", priority)
    return md
