"""Resized variants of one large image, written with Pillow.

Variant names carry a hash of the source bytes ("ship-800w.3fa2c1d9e0.jpg"), so they can be cached
for a year and a re-committed image gets new URLs. Variants are cached between builds in CACHE_PATH.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
RESIZABLE = {".jpg", ".jpeg", ".png", ".webp"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80},
}


@dataclass(frozen=True)
class Variant:
    path: str  # site-relative POSIX path, e.g. "images/ship-800w.3fa2c1d9e0.jpg"
    width: int
    height: int


def target_widths(original_width: int, widths=DEFAULT_WIDTHS) -> list[int]:
    """The configured widths narrower than the original, plus the original when it is the narrowest
    or falls below the largest configured width (never upscale)."""
    chosen = sorted(w for w in widths if w < original_width)
    if original_width <= max(widths):
        chosen.append(original_width)
    return chosen or [min(max(widths), original_width)]


def variant_name(source: Path, digest: str, width: int) -> str:
    return f"{source.stem}-{width}w.{digest}{source.suffix.lower()}"


def make_variants(source: Path, rel_dir: str, output: Path, cache: Path | None,
                  widths=DEFAULT_WIDTHS) -> list[Variant]:
    """Write the variants of ``source`` into ``output/rel_dir``; return them narrowest first."""
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:10]
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)  # phone photos: honour the camera's orientation
        image_format = opened.format
        original_width, original_height = image.size
        variants = []
        for width in target_widths(original_width, widths):
            height = round(original_height * width / original_width)
            rel = PurePosixPath(rel_dir, variant_name(source, digest, width)).as_posix()
            destination = output / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            cached = cache / rel if cache else None
            if cached and cached.is_file():
                shutil.copyfile(cached, destination)
            else:
                resized = image if width == original_width else image.resize((width, height), Image.LANCZOS)
                if image_format == "JPEG" and resized.mode not in ("RGB", "L"):
                    resized = resized.convert("RGB")
                resized.save(destination, image_format, **SAVE_OPTIONS.get(image_format, {}))
                if cached:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(destination, cached)
            variants.append(Variant(rel, width, height))
    return variants
