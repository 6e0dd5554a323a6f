"""Tags are pages: /tags/<slug>/. Pelican merges tags whose slugs are equal (``C++``, ``c`` and ``C#``
all become ``c``, shown under whichever name it met first) and links a tag whose slug is empty
(``++``) to /tags//. So within a file and across the site, two spellings may not share a slug, and
every tag needs one. Plain Python: the slug function is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple


class TagUse(NamedTuple):
    path: str  # content/news/x.md
    line: int
    tag: str
    slug: str


def file_problems(tags: Iterable[str], slugify: Callable[[str], str]) -> list[str]:
    """A message for each tag of one file without a slug, and for each slug that several spellings share."""
    problems, spellings = [], {}
    for tag in tags:
        slug = slugify(tag)
        if not slug:
            problems.append(f"expected a tag with letters or digits (it becomes the page /tags/<slug>/), got {tag!r}")
        elif tag not in spellings.setdefault(slug, []):
            spellings[slug].append(tag)
    for slug, written in spellings.items():
        if len(written) > 1:
            names = ", ".join(repr(t) for t in written[:-1]) + f" and {written[-1]!r}"
            problems.append(f"expected tags with distinct pages, got {names}, which all become /tags/{slug}/ "
                            "(keep one of them, written the same way everywhere)")
    return problems


def site_problems(uses: Iterable[TagUse]) -> list[tuple[TagUse, str]]:
    """(use, message) for each spelling of a tag that another file spells differently with the same slug.

    Within one file the per-file check already reported it; the first spelling met (in path order)
    is the reference.
    """
    first_by_slug: dict[str, TagUse] = {}
    problems = []
    for use in sorted(uses):
        first = first_by_slug.setdefault(use.slug, use)
        if first.tag != use.tag and first.path != use.path:
            problems.append(
                (use, f"expected tags with distinct pages, got {use.tag!r}, which becomes /tags/{use.slug}/ like "
                      f"{first.tag!r} in {first.path}:{first.line} (write the tag the same way everywhere)")
            )
    return problems
