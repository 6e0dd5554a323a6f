"""/favicon.ico, which every browser asks for whatever the page links: the theme's favicon.svg drawn
at the icon sizes by Chromium (an SVG renderer; Pillow has none) and packed into one .ico by Pillow.

The .ico is made once (``invoke favicon``) and committed beside the SVG, so a build needs neither
Chromium nor network; each build copies it to the site's root (csoa.plugins.theme_support). A test
draws the SVG again and compares, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

ICON_SIZES = (16, 32, 48)
SOURCE = Path("img") / "favicon.svg"  # under the theme's static folder
ICON = Path("img") / "favicon.ico"
CHROMIUM = "/usr/bin/chromium"


def draw_svg(svg: Path, size: int, chromium: str = CHROMIUM):
    """The SVG drawn at ``size`` × ``size`` pixels on a transparent background, as a Pillow image."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    markup = svg.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(f'<html><body style="margin:0;background:transparent">'
                             f'<div style="width:{size}px;height:{size}px">{markup}</div></body></html>')
            page.eval_on_selector("svg", "s => { s.setAttribute('width', '100%'); s.setAttribute('height', '100%'); }")
            png = page.screenshot(omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size})
        finally:
            browser.close()
    return Image.open(io.BytesIO(png)).convert("RGBA")


def make_ico(svg: Path, ico: Path, sizes=ICON_SIZES) -> None:
    """Draw ``svg`` at each size and write them into one .ico (each size drawn, not scaled down)."""
    frames = [draw_svg(svg, size) for size in sizes]
    largest = frames[-1]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in sizes], append_images=frames[:-1])


def place_icon(theme: Path, output: Path) -> Path | None:
    """Copy the theme's favicon.ico to the site's root; the icon it copied (None: the theme has none)."""
    icon = Path(theme) / "static" / ICON
    if not icon.is_file():
        return None
    shutil.copyfile(icon, Path(output) / "favicon.ico")
    return icon
