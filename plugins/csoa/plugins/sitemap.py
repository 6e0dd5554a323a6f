"""Pelican glue: after the build, write sitemap.xml and robots.txt into the output directory."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from csoa.sitemap import collect_pages, render_robots, render_sitemap
from csoa.util.session import current


def write_sitemap_and_robots(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    site_url = (settings.get("PUBLIC_SITEURL") or settings.get("SITEURL") or "").rstrip("/")
    session = current()  # the dev loop's session remembers the pages it read
    pages = collect_pages(output, settings.get("BUILD_NOW"), session.memo("sitemap.pages") if session else None)
    (output / "sitemap.xml").write_bytes(render_sitemap(pages))
    disallow = ["/" + settings["DRAFT_SAVE_AS"].split("/")[0] + "/"] if settings.get("DRAFT_SAVE_AS") else []
    (output / "robots.txt").write_text(render_robots(f"{site_url}/sitemap.xml", disallow), encoding="utf-8")


def register():
    signals.finalized.connect(write_sitemap_and_robots)
