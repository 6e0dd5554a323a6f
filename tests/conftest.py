"""Shared test fixtures: a fixture-site builder, and paths to the project and the shared datasets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
SHARED = ROOT.parent / "shared"
PINNED_EPOCH = 1562544000  # 2019-07-08 00:00 UTC: the sample events of 2019 are upcoming then


@pytest.fixture
def pinned_now(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(PINNED_EPOCH))
    return PINNED_EPOCH


@pytest.fixture
def shared_data():
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"the licensed datasets folder {data} is absent (it sits beside the checkout)")
    return data


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The real sample site (content/) built once per session with the pinned "now"."""
    from sample_build import build_sample_site

    return build_sample_site(tmp_path_factory.mktemp("sample-site"))
