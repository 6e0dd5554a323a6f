"""Shared test fixtures: a fixture-site builder, and paths to the project and the shared datasets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PINNED_EPOCH = 1562544000  # 2019-07-08 00:00 UTC: the sample events of 2019 are upcoming then
# No test is timed (speed targets live in bench/): hypothesis' per-example deadline would fail a
# correct test on a loaded machine.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


def _content_files() -> set[str]:
    return {str(p.relative_to(ROOT)) for p in (ROOT / "content").rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def content_is_left_as_it_was():
    """No test leaves a new file in the project's content/ (a send's record, an import's output)."""
    before = _content_files()
    yield
    left = sorted(_content_files() - before)
    assert not left, f"tests left files in content/: {left}"


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
