"""Minify the built HTML, CSS and JS in place with minify-html (a post-build step of the publish flow).

minify-html minifies documents; a stylesheet or script file is minified as the body of a <style> or
<script> element and unwrapped again. Pagefind's bundle is already minified and left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import minify_html

OPTIONS = dict(
    minify_css=True,
    minify_js=True,
    keep_closing_tags=True,  # conservative output that every HTML parser reads the same way
    keep_html_and_head_opening_tags=True,
)
WRAPPERS = {".css": ("<style>", "</style>"), ".js": ("<script>", "</script>")}
SKIP_DIRS = {"pagefind"}


@dataclass
class MinifyReport:
    files: int = 0
    bytes_before: int = 0
    bytes_after: int = 0


def minify_text(text: str, suffix: str) -> str:
    if suffix == ".html":
        return minify_html.minify(text, **OPTIONS)
    opening, closing = WRAPPERS[suffix]
    if closing in text:  # would end the wrapper early; leave such a file as it is
        return text
    result = minify_html.minify(opening + text + closing, **OPTIONS)
    if not (result.startswith(opening) and result.endswith(closing)):
        return text
    return result[len(opening) : -len(closing)]


def minify_tree(output: Path) -> MinifyReport:
    report = MinifyReport()
    output = Path(output)
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output)
        if not path.is_file() or path.suffix not in (".html", *WRAPPERS) or rel.parts[0] in SKIP_DIRS:
            continue
        before = path.read_text(encoding="utf-8")
        after = minify_text(before, path.suffix)
        report.files += 1
        report.bytes_before += len(before.encode())
        report.bytes_after += len(after.encode())
        if after != before:
            tmp = path.with_name(f".{path.name}.min")
            tmp.write_text(after, encoding="utf-8")
            os.replace(tmp, path)  # a file is either the old or the new version, never half written
    return report
