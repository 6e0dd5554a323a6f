"""Rewrite the <img> elements of rendered content: srcset, sizes, width, height; require alt text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

from csoa.images.variants import Variant

DEFAULT_SIZES = "(min-width: 48rem) 46rem, 100vw"
# Escape &, < and > as the markdown renderer did; write void elements the HTML way (<br>, not <br/>).
FORMATTER = HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix=None)


@dataclass(frozen=True)
class ImageProblem:
    src: str
    message: str


def rewrite_images(html: str, variants_for: Callable[[str], list[Variant] | None], siteurl: str,
                   sizes: str = DEFAULT_SIZES) -> tuple[str, list[ImageProblem]]:
    """Return (new html, problems). ``variants_for(src)`` gives the variants of a local image, or
    None for an image we do not resize (external, SVG, GIF)."""
    if "<img" not in html:
        return html, []
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for img in soup.find_all("img"):
        src = img.get("src", "")
        alt = img.get("alt")
        if alt is None or not alt.strip():
            problems.append(ImageProblem(src, "has no alt text: describe the image, e.g. ![A tanker at anchor off Lagos](...)"))
        variants = variants_for(src) if src else None
        if not variants:
            continue
        largest = variants[-1]
        img["src"] = f"{siteurl}/{largest.path}"
        img["srcset"] = ", ".join(f"{siteurl}/{v.path} {v.width}w" for v in variants)
        img["sizes"] = sizes
        img["width"] = str(largest.width)
        img["height"] = str(largest.height)
        img.attrs.setdefault("loading", "lazy")
        img.attrs.setdefault("decoding", "async")
    return soup.decode(formatter=FORMATTER), problems
