"""Run every area's benchmark script (each writes bench/results/<area>.json), then the build
comparison, which collects all of them into bench/results.json and bench/RESULTS.md.

    python bench/run_all.py [--no-areas] [bench_build.py's options...]   (what `invoke bench` runs)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
AREA_SCRIPTS = ["bench_stats.py", "bench_stats_browser.py", "bench_newsletter.py", "bench_events_feeds.py", "bench_publish.py",
                "bench_theme.py", "bench_edit_to_live.py", "bench_real_data.py"]


def run_area_benchmarks(scripts=AREA_SCRIPTS) -> list[str]:
    """Run each script in its own process; return the names of those that failed (reported, not hidden)."""
    failed = []
    for name in scripts:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(BENCH / name)], cwd=BENCH.parent).returncode != 0:
            failed.append(name)
    return failed


def main(build_args: list[str], areas: bool = True) -> int:
    sys.path.insert(0, str(BENCH))
    from bench_build import main as build_main

    failed = run_area_benchmarks() if areas else []
    code = build_main(build_args)
    if failed:
        print("benchmarks that failed: " + ", ".join(failed), file=sys.stderr)
    return code or (1 if failed else 0)


if __name__ == "__main__":
    argv = sys.argv[1:]
    sys.exit(main([a for a in argv if a != "--no-areas"], areas="--no-areas" not in argv))
