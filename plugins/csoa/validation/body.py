"""Checks on the markdown body: image alt text, internal links and required section headings.

Lines inside fenced code blocks and inline code spans are skipped: examples are not content.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+).*?\1")
EMPTY_ALT_IMAGE_RE = re.compile(r"!\[\s*\]\s*(?:\((?P<src>[^)]*)\)|\[(?P<ref>[^\]]*)\])")
IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_ATTR_RE = re.compile(r"\balt\s*=", re.IGNORECASE)
# Pelican's INTRASITE_LINK_REGEX "[{|](?P<what>.*?)[|}]" followed by the path, as written in markdown or HTML
INTERNAL_LINK_RE = re.compile(r"[{|](?P<what>filename|static|attach)[}|](?P<path>[^\s)\"'>\]]+)")
ATX_RE = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def content_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line number, text) of body lines outside fenced code, with inline code spans blanked out."""
    fence = None
    for offset, line in enumerate(body.split("\n")):
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield first_line + offset, CODE_SPAN_RE.sub("", line)


def image_problems(lines) -> Iterator[tuple[int, str]]:
    for number, line in lines:
        if "![" not in line and "<" not in line:
            continue  # what both patterns need (most lines: the check is the speed of `invoke check`)
        for match in EMPTY_ALT_IMAGE_RE.finditer(line):
            target = (match.group("src") or match.group("ref") or "").strip()
            yield (
                number,
                f"expected alt text for the image {target!r} like ![what it shows]({target}), got {match.group(0)!r}",
            )
        for tag in IMG_TAG_RE.findall(line):
            if not ALT_ATTR_RE.search(tag):
                yield number, f"expected an alt attribute on the image, got {tag!r}"


def resolve_internal(path: str, source: Path, content_root: Path) -> Path:
    """Where Pelican looks for ``{filename}path``: from the content root if absolute, else beside the file.

    Normalised lexically (no symlinks followed), as Pelican does with os.path.
    """
    path = unquote(path.split("#", 1)[0].split("?", 1)[0])
    base = content_root if path.startswith("/") else source.parent
    return Path(os.path.normpath(os.path.join(os.path.abspath(base), path.lstrip("/"))))


def internal_links(lines, source: Path, content_root: Path) -> Iterator[tuple[int, str, str, Path]]:
    """(line, the link as written, its kind: filename|static|attach, the file it names) of every internal link."""
    for number, line in lines:
        if "filename" not in line and "static" not in line and "attach" not in line:
            continue  # the pattern needs one of these words
        for match in INTERNAL_LINK_RE.finditer(line):
            yield (
                number,
                match.group(0),
                match.group("what"),
                resolve_internal(match.group("path"), source, content_root),
            )


def link_problem(written: str, target: Path, content_root: Path, is_file=Path.is_file) -> str | None:
    """What is wrong with a link to ``target`` (None: nothing). ``content_root`` must be absolute."""
    if not target.is_relative_to(content_root):
        return f"expected {written!r} to name a file under {content_root.name}/, got a path outside the content folder"
    if not is_file(target):
        where = target.relative_to(content_root).as_posix()
        return f"expected {written!r} to name an existing file under {content_root.name}/, got a link to {where!r}, which does not exist"
    return None


def headings(lines) -> dict[str, str]:
    """Every ATX (``## x``) and setext (``x`` over ``---``) heading: normalised text -> text as written."""
    found, previous = {}, ""
    for _, line in lines:
        match = ATX_RE.match(line)
        if match:
            found.setdefault(normalise_heading(match.group("text")), match.group("text").strip())
        elif SETEXT_RE.match(line) and previous.strip():
            found.setdefault(normalise_heading(previous), previous.strip())
        previous = line
    return found


def normalise_heading(text: str) -> str:
    return " ".join(text.strip().rstrip(":?!.").split()).lower()
