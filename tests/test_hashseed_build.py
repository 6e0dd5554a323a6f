"""Same content, same bytes, whatever the process: two builds of the sample site in separate
processes with different PYTHONHASHSEED values (so set and str-hash order differ) and the same
SOURCE_DATE_EPOCH give byte-identical output trees."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sample_build import PINNED_EPOCH, ROOT

pytestmark = pytest.mark.slow

HASH_SEEDS = ("0", "12345")  # two processes: enough to catch hash order, cheap enough to run

BUILD = """
import sys
from pathlib import Path
sys.path[:0] = [{tests!r}]
from sample_build import build_sample_site
build_sample_site(Path(sys.argv[1]), epoch=int(sys.argv[2]))
"""


def build_in_process(workdir: Path, seed: str) -> Path:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": str(PINNED_EPOCH)}
    code = BUILD.format(tests=str(ROOT / "tests"))
    result = subprocess.run([sys.executable, "-c", code, str(workdir), str(PINNED_EPOCH)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the build with PYTHONHASHSEED={seed} failed:\n{result.stderr[-4000:]}"
    return workdir / "output"


def digests(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_builds_with_different_hash_seeds_are_byte_identical(tmp_path):
    trees = {seed: build_in_process(tmp_path / f"seed-{seed}", seed) for seed in HASH_SEEDS}
    first, second = (digests(trees[seed]) for seed in HASH_SEEDS)
    assert "events/calendar.ics" in first and len(first) > 50
    assert sorted(first.keys() ^ second.keys()) == []
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"files that depend on the hash seed: {differing}"
