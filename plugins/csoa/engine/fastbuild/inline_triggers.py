"""Which inline patterns of Python-Markdown can match a piece of text. Plain module.

Markdown tries each of its ~15 inline patterns on every piece of text, one regular-expression
search after another, even when the text holds none of the characters a pattern starts with: most
of a plain paragraph's inline time. Each built-in pattern needs one of a few literal strings (a
link needs ``[``, emphasis ``*`` or ``_``...); a pattern whose strings are all absent from the text
is skipped exactly as when its search finds nothing (pelican_internals.TriggeredInlineProcessor,
which overrides Markdown's private loop). A pattern is skipped only if its name *and* its regular
expression are the ones listed here, so a pattern added by an extension, or changed by a new
Markdown release, is always tried.
"""

from __future__ import annotations

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


def needs(name: str, pattern) -> int | None:
    """The bits of the strings one of which text must hold for ``pattern`` to match; None: always try it."""
    known = TRIGGERS.get(name)
    if known is None or getattr(pattern, "pattern", None) != known[0]:
        return None
    return sum(1 << _STRINGS.index(s) for s in known[1])


def present(data: str) -> int:
    """The bits of the trigger strings ``data`` holds."""
    bits = 0
    for bit, string in _BITS:
        if string in data:
            bits |= bit
    return bits
