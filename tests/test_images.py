"""Responsive images: variants written, srcset/sizes/width/height set, missing alt text fails the build."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sites import build, soup

from csoa.engine.build import BuildFailed
from csoa.images.variants import target_widths
from csoa.linkcheck import check_site


def jpeg(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 128) for y in range(height) for x in range(width)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def article(body: str, title: str = "Tanker boarded off Lagos") -> str:
    return f"""\
Title: {title}
Date: 2016-07-08 09:00 +01:00
Summary: A boarding.

{body}
"""


@pytest.fixture(scope="module")
def large_jpeg():
    return jpeg(2000, 1000)


def test_variants_srcset_sizes_width_and_height(tmp_path, large_jpeg):
    out = build(tmp_path, {
        "images/tanker.jpg": large_jpeg,
        "images/small.jpg": jpeg(300, 200),
        "news/boarding.md": article(
            "Boarded at anchor.\n\n"  # words: search indexes the body, not the item's header
            "![A tanker at anchor off Lagos]({static}/images/tanker.jpg)\n\n"
            "![A small chart of the anchorage]({static}../images/small.jpg)\n\n"
            "![The MSCHOA logo](https://example.org/logo.png)\n"),
    })
    page = soup(out / "news/tanker-boarded-off-lagos/index.html")
    tanker, small, external = page.select("article img")
    widths = [480, 800, 1200, 1600]
    candidates = [c.strip().split() for c in tanker["srcset"].split(",")]
    assert [int(w[:-1]) for _url, w in candidates] == widths
    for url, descriptor in candidates:
        with Image.open(out / url.lstrip("/")) as variant:
            assert variant.size == (int(descriptor[:-1]), int(descriptor[:-1]) // 2)
            assert variant.format == "JPEG"
    assert tanker["src"] == candidates[-1][0]
    assert (tanker["width"], tanker["height"]) == ("1600", "800")
    assert tanker["sizes"] and tanker["alt"] == "A tanker at anchor off Lagos"
    assert tanker["loading"] == "lazy"
    assert (out / "images/tanker.jpg").is_file()  # the committed original is still published
    # never upscaled: a small image keeps its own size
    assert small["srcset"].split()[-1] == "300w" and (small["width"], small["height"]) == ("300", "200")
    assert "srcset" not in external.attrs and external["src"] == "https://example.org/logo.png"
    assert check_site(out) == []  # every srcset candidate resolves


def test_variant_names_change_with_the_image(tmp_path, large_jpeg):
    files = {"images/tanker.jpg": large_jpeg, "news/b.md": article("Intro line.\n\n![A tanker]({static}/images/tanker.jpg)")}
    out = build(tmp_path, files)
    first = soup(out / "news/tanker-boarded-off-lagos/index.html").select_one("article img")["src"]
    out = build(tmp_path, {"images/tanker.jpg": jpeg(1800, 900)})
    second = soup(out / "news/tanker-boarded-off-lagos/index.html").select_one("article img")["src"]
    assert first != second and first.split(".")[-2] != second.split(".")[-2]


@pytest.mark.parametrize("body", [
    "Intro line.\n\n![]({static}/images/tanker.jpg)",
    'Intro line.\n\n<img src="{static}/images/tanker.jpg">',
    'Intro line.\n\n<img src="{static}/images/tanker.jpg" alt="  ">',
])
def test_missing_alt_text_fails_the_build_and_keeps_the_old_site(tmp_path, large_jpeg, body):
    good = build(tmp_path, {"images/tanker.jpg": large_jpeg,
                            "news/b.md": article("Intro line.\n\n![A tanker]({static}/images/tanker.jpg)")})
    before = {p: p.read_bytes() for p in good.rglob("*") if p.is_file()}
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path, {"news/b.md": article(body)})
    message = str(failed.value)
    assert "news/b.md:7" in message  # the file and the line of the image
    assert "alt" in message and "/images/tanker.jpg" in message
    assert {p: p.read_bytes() for p in good.rglob("*") if p.is_file()} == before


def test_target_widths_never_upscale():
    assert target_widths(2000) == [480, 800, 1200, 1600]
    assert target_widths(1000) == [480, 800, 1000]
    assert target_widths(300) == [300]
    assert target_widths(1600) == [480, 800, 1200, 1600]


def test_template_filter_makes_a_responsive_hero_image(tmp_path, large_jpeg):
    import shutil

    from sites import ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article_template = theme / "templates" / "article.html"
    article_template.write_text(article_template.read_text().replace(
        "{% block content %}",
        "{% block content %}{% if article.image %}{{ article.image | responsive_img(article.image_alt) }}{% endif %}", 1))
    hero = "Image: /images/tanker.jpg\nImage_alt: A tanker at anchor\n"
    out = build(tmp_path, {"images/tanker.jpg": large_jpeg,
                           "news/b.md": article("Body.").replace("Summary:", hero + "Summary:")}, THEME=str(theme))
    img = soup(out / "news/tanker-boarded-off-lagos/index.html").find("img")
    assert img["alt"] == "A tanker at anchor" and (img["width"], img["height"]) == ("1600", "800")
    assert img["srcset"].count("w,") == 3 and check_site(out) == []
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path, {"news/b.md": article("Body.").replace("Summary:", "Image: /images/tanker.jpg\nSummary:")},
              THEME=str(theme))
    assert "news/b.md:3: image_alt: expected alt text" in str(failed.value)
