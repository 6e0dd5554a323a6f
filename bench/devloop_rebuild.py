"""The dev-loop rebuild benchmark: load a DevBuilder, build warm, edit one article, time rebuild().

Prints one JSON line: {"rebuild_s": median, "search_s": ..., "rendered": ..., "kept": ..., "warm_build_s": ...}.
``rebuild_s`` ends when the rebuilt output is in place (the edited page is live); ``search_s`` is how
much later the background jobs (the search index) are done. The editor pauses until then before the next
edit, so each rebuild is timed without a search indexer competing for the cores.
Run by bench_build.bench_rebuild in its own process (so its peak memory is measured too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--article", required=True, help="the markdown file to edit")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    from csoa.engine.devloop import DevBuilder

    builder = DevBuilder(args.settings, {"PATH": args.content, "OUTPUT_PATH": args.output,
                                         "CACHE_PATH": str(Path(args.output).parent / "dev-cache")})
    started = time.perf_counter()
    builder.build()
    warm = time.perf_counter() - started
    builder.wait_for_background()
    article = Path(args.article)
    original = article.read_text(encoding="utf-8")
    times, search_times, reports = [], [], []
    for i in range(args.repeats):
        article.write_text(original + f"\nEdited paragraph number {i}.\n", encoding="utf-8")
        started = time.perf_counter()
        report = builder.rebuild([article])
        times.append(time.perf_counter() - started)
        reports.append(report)
        started = time.perf_counter()
        builder.wait_for_background()
        search_times.append(time.perf_counter() - started)
    last = reports[-1]
    print(json.dumps({"rebuild_s": statistics.median(times), "rebuild_runs_s": times, "warm_build_s": warm,
                      "search_s": statistics.median(search_times), "reused_output": last.reused_output,
                      "finalize_s": statistics.median(r.finalize_seconds for r in reports),
                      "parsed": last.parsed, "rendered": len(last.rendered), "kept": len(last.kept)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
