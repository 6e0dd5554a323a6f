"""Build the project's real sample content (content/) with a pinned "now", for whole-site tests."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from csoa.engine.build import build_site

ROOT = Path(__file__).resolve().parents[1]
PINNED_EPOCH = 1562544000  # 2019-07-08 00:00 UTC, as in conftest.PINNED_EPOCH


@contextmanager
def pinned_epoch(epoch: int):
    """SOURCE_DATE_EPOCH set for the duration (plugins that read BUILD_NOW see the same instant)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def build_sample_site(workdir: Path, epoch: int = PINNED_EPOCH) -> Path:
    """Build content/ into ``workdir/output``; return the output directory."""
    with pinned_epoch(epoch):
        return build_site(
            ROOT / "pelicanconf.py",
            {
                "OUTPUT_PATH": str(workdir / "output"),
                "CACHE_PATH": str(workdir / "cache"),
                "BUILD_NOW": datetime.fromtimestamp(epoch, tz=timezone.utc),
            },
        )
