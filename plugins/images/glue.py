"""Pelican glue: rewrite each article's and page's images right after it is read."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from .rewrite import DEFAULT_SIZES, rewrite_images
from .variants import DEFAULT_WIDTHS, RESIZABLE, make_variants

logger = logging.getLogger(__name__)
LINK_MARKER = re.compile(r"^(\{(static|attach|filename)\}|\|(static|attach|filename)\|)")


def local_image(src: str, source_path: str, content_root: Path) -> Path | None:
    """The file under content/ that ``src`` names, or None (external URL, or not a file of ours)."""
    marked = LINK_MARKER.match(src)
    path = src[marked.end():] if marked else src
    if "://" in path or path.startswith(("//", "data:")):
        return None
    path = path.split("?")[0].split("#")[0]
    if path.startswith("/"):
        candidate = content_root / path.lstrip("/")
    elif marked:
        candidate = Path(os.path.dirname(source_path)) / path
    else:
        return None
    candidate = candidate.resolve()
    if content_root.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def line_of(source_path: str, needle: str) -> int | None:
    try:
        for number, line in enumerate(Path(source_path).read_text(encoding="utf-8").splitlines(), 1):
            if needle and needle in line:
                return number
    except OSError:
        pass
    return None


def process_content_images(content) -> None:
    html = getattr(content, "_content", None)
    source_path = getattr(content, "source_path", None)
    if not html or not source_path or "<img" not in html:
        return
    settings = content.settings
    root = Path(settings["PATH"]).resolve()
    output = Path(settings["OUTPUT_PATH"])
    cache = Path(settings["CACHE_PATH"]) / "image-variants" if settings.get("CACHE_PATH") else None
    widths = tuple(settings.get("IMAGE_WIDTHS", DEFAULT_WIDTHS))

    def variants_for(src):
        image = local_image(src, source_path, root)
        if image is None or image.suffix.lower() not in RESIZABLE:
            return None
        rel_dir = image.parent.relative_to(root).as_posix()
        return make_variants(image, rel_dir, output, cache, widths)

    content._content, problems = rewrite_images(
        html, variants_for, settings.get("SITEURL", ""), settings.get("IMAGE_SIZES", DEFAULT_SIZES)
    )
    for problem in problems:
        line = line_of(source_path, problem.src.split("}")[-1].split("|")[-1]) if problem.src else None
        where = f"{source_path}:{line}" if line else source_path
        logger.error("%s: image %s %s", where, problem.src or "(no src)", problem.message)
