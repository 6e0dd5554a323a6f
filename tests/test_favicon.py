"""/favicon.ico: a real icon at the site's root, linked from every page, drawn from the theme's SVG."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from sites import ROOT, soup
from static_server import require_chromium
from csoa.theme.favicon import ICON, ICON_SIZES, SOURCE, draw_svg


def test_the_site_root_has_a_real_icon_that_every_page_links(sample_site):
    icon = sample_site / "favicon.ico"
    with Image.open(icon) as image:
        assert image.format == "ICO"
        assert set(image.info["sizes"]) == {(s, s) for s in ICON_SIZES}
    for page in ["index.html", "404.html", "statistics/index.html", "news/index.html", "join-now/index.html"]:
        links = soup(sample_site / page).select('head link[rel="icon"]')
        assert "/favicon.ico" in [link["href"] for link in links], page


@pytest.mark.browser
def test_the_committed_icon_is_the_svg_as_drawn_today():
    """Each frame of favicon.ico is favicon.svg drawn at that size: edit the SVG, and this fails until
    `invoke favicon` draws the icon again."""
    require_chromium()
    static = ROOT / "theme" / "static"
    with Image.open(static / ICON) as icon:
        for size in ICON_SIZES:
            icon.size = (size, size)  # the ICO plugin picks the frame of that size
            frame = icon.convert("RGBA")
            drawn = draw_svg(static / SOURCE, size)
            worst = max(hi for _, hi in ImageChops.difference(frame, drawn).getextrema())
            assert worst <= 8, f"{size}px frame differs from the SVG by up to {worst}/255"
