"""Build small fixture sites into a temporary directory with the project's real settings."""

from __future__ import annotations

import textwrap
from datetime import datetime, timezone
from pathlib import Path

from bs4 import BeautifulSoup

from csoa.engine.build import build_site, load_settings

ROOT = Path(__file__).resolve().parents[1]


def write_content(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` under ``root/content`` (text is dedented)."""
    content = root / "content"
    for rel, body in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return content


def site_settings(root: Path, now: datetime | None = None, settings_file=ROOT / "pelicanconf.py", **extra) -> dict:
    overrides = {
        "PATH": str(root / "content"),
        "OUTPUT_PATH": str(root / "output"),
        "CACHE_PATH": str(root / "cache"),
        "BUILD_NOW": now or datetime(2019, 7, 8, tzinfo=timezone.utc),
        **extra,
    }
    return overrides


def build(root: Path, files: dict[str, str | bytes] | None = None, session=None, **kwargs) -> Path:
    """Write ``files`` (if given) and build the site under ``root`` (in ``session``, a build
    session kept from build to build, if given); return the output directory."""
    if files:
        write_content(root, files)
    return build_site(ROOT / "pelicanconf.py", site_settings(root, **kwargs), session)


def settings_for(root: Path, **kwargs) -> dict:
    return load_settings(ROOT / "pelicanconf.py", site_settings(root, **kwargs))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")
