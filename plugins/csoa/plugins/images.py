"""Pelican glue: rewrite each article's and page's images right after it is read."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from pelican import signals

from csoa.images.rewrite import DEFAULT_SIZES, rewrite_images
from csoa.images.variants import DEFAULT_WIDTHS, RESIZABLE, make_variants

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


def image_settings(settings):
    root = Path(settings["PATH"]).resolve()
    output = Path(settings["OUTPUT_PATH"])
    cache = Path(settings["CACHE_PATH"]) / "image-variants" if settings.get("CACHE_PATH") else None
    widths = tuple(settings.get("IMAGE_WIDTHS", DEFAULT_WIDTHS))
    return root, output, cache, widths


def variants_finder(settings, source_path):
    root, output, cache, widths = image_settings(settings)

    def variants_for(src):
        image = local_image(src, source_path, root)
        if image is None or image.suffix.lower() not in RESIZABLE:
            return None
        rel_dir = image.parent.relative_to(root).as_posix()
        return make_variants(image, rel_dir, output, cache, widths)

    return variants_for


class ResponsiveImgFilter:
    """Jinja filter for images named in templates (e.g. an article's `Image:` metadata):
    `{{ article.image | responsive_img(article.image_alt) }}` -> <img> with srcset, sizes, width, height."""

    def __init__(self, settings):
        self.settings = settings

    def __call__(self, src, alt=None, sizes=None):
        from markupsafe import Markup, escape

        src = str(src)
        external = "://" in src or src.startswith("//")
        path = src if external or LINK_MARKER.match(src) else "/" + src.lstrip("/")
        siteurl = self.settings.get("SITEURL", "")
        variants = None if external else variants_finder(self.settings, self.settings["PATH"])(path)
        url = src if external or not variants else siteurl + path
        html = f'<img src="{escape(url)}"' + (f' alt="{escape(alt)}"' if alt is not None else "") + ">"
        result, problems = rewrite_images(html, lambda _src: variants, siteurl,
                                          sizes or self.settings.get("IMAGE_SIZES", DEFAULT_SIZES))
        for problem in problems:
            logger.error("template image %s %s (set the alt text in the content's metadata)", src, problem.message)
        return Markup(result)


def add_template_filter(generator) -> None:
    generator.env.filters["responsive_img"] = ResponsiveImgFilter(generator.settings)


def process_content_images(content) -> None:
    html = getattr(content, "_content", None)
    source_path = getattr(content, "source_path", None)
    if not html or not source_path or "<img" not in html:
        return
    settings = content.settings
    variants_for = variants_finder(settings, source_path)

    content._content, problems = rewrite_images(
        html, variants_for, settings.get("SITEURL", ""), settings.get("IMAGE_SIZES", DEFAULT_SIZES)
    )
    for problem in problems:
        line = line_of(source_path, problem.src.split("}")[-1].split("|")[-1]) if problem.src else None
        where = f"{source_path}:{line}" if line else source_path
        logger.error("%s: image %s %s", where, problem.src or "(no src)", problem.message)


def register():
    signals.content_object_init.connect(process_content_images)
    signals.generator_init.connect(add_template_filter)
