"""One-edit rebuilds of the other builders, for the growth comparison (bench_build.py).

* Vanilla Pelican: its own answer to a rebuild is the content cache (CACHE_CONTENT and
  LOAD_CONTENT_CACHE: the readers' results are kept by file and reused when the file's mtime is
  unchanged). One untimed run fills the cache; then each round edits one article and runs pelican
  again into the same output, the way `pelican -r` does after a change.
* Hugo: `hugo` run again into the same destination after the edit. Hugo keeps nothing between two
  runs of the command (its incremental rebuilds live only in `hugo server`'s memory, which the
  edit-to-live-page benchmark measures from outside), so a rebuild is a whole run, and a cheap one.

Each round appends a different paragraph, so every rebuild has a real change to pick up; the
article is restored afterwards. Peak memory is measured like the cold builds' (measure.py).
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from measure import Run, run_measured

VANILLA_CACHE_CONF = """
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
"""


def _rounds(cmd: list[str], article: Path, repeats: int, cwd: Path, env: dict) -> tuple[Run, list[Run]]:
    """An untimed warm run, then `repeats` edit-and-run rounds; the article is restored after."""
    original = article.read_text(encoding="utf-8")
    try:
        warm = run_measured(cmd, cwd=cwd, env=env)
        runs = []
        for i in range(repeats):
            article.write_text(original + f"\nEdited paragraph number {i}.\n", encoding="utf-8")
            os.sync()
            runs.append(run_measured(cmd, cwd=cwd, env=env))
    finally:
        article.write_text(original, encoding="utf-8")
    return warm, runs


def _figures(prefix: str, warm: Run, runs: list[Run]) -> dict:
    return {f"{prefix}_rebuild_s": round(statistics.median(r.seconds for r in runs), 3),
            f"{prefix}_rebuild_runs_s": [round(r.seconds, 3) for r in runs],
            f"{prefix}_rebuild_peak_mb": round(max(r.peak_mb for r in runs), 1),
            f"{prefix}_rebuild_tree_peak_mb": round(max(r.tree_peak_mb or 0 for r in runs), 1),
            f"{prefix}_rebuild_warm_s": round(warm.seconds, 3)}


def vanilla_rebuild(content: Path, conf_text: str, work: Path, n: int, repeats: int, cwd: Path, env: dict) -> dict:
    conf = work / f"vanilla-cached-{n}.py"
    conf.write_text(conf_text + VANILLA_CACHE_CONF.format(cache=str(work / f"vanilla-cache-{n}")), encoding="utf-8")
    cmd = [sys.executable, "-m", "pelican", str(content), "-o", str(work / f"rebuild-{n}-vanilla"), "-s", str(conf), "-q"]
    return _figures("pelican", *_rounds(cmd, content / "news" / "item-00001.md", repeats, cwd, env))


def hugo_rebuild(hugo: str, hugo_root: Path, work: Path, n: int, repeats: int, cwd: Path, env: dict) -> dict:
    cmd = [hugo, "--source", str(hugo_root), "--destination", str(work / f"rebuild-{n}-hugo"), "--quiet"]
    return _figures("hugo", *_rounds(cmd, hugo_root / "content" / "news" / "item-00001.md", repeats, cwd, env))
