"""The dev-loop rebuild benchmark: load a DevBuilder, build warm, edit one article, time rebuild().

Prints one JSON line: {"rebuild_s": median, "search_s": ..., "rendered": ..., "kept": ..., "warm_build_s": ...}.
``rebuild_s`` ends when the rebuilt output is in place (the edited page is live); ``search_s`` is how
much later the background jobs (the search index) are done. The editor pauses until then before the next
edit, so each rebuild is timed without a search indexer competing for the cores.
``--vary`` edits a different article each round (news items 1, 2, 3...) instead of the same one.
``search_runs`` gives, for each round, what the search index did (``full``: made anew from the
folder; ``replaced``: pages handed to Pagefind's service) and where its time went.
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
    parser.add_argument("--vary", action="store_true", help="edit a different article each round")
    parser.add_argument("--keep-edits", action="store_true",
                        help="leave the edited articles as the last rebuild saw them (the caller compares a clean build of them, then restores)")
    args = parser.parse_args(argv)

    from csoa.engine.devloop import DevBuilder

    builder = DevBuilder(args.settings, {"PATH": args.content, "OUTPUT_PATH": args.output,
                                         "CACHE_PATH": str(Path(args.output).parent / "dev-cache")})
    started = time.perf_counter()
    builder.build()
    warm = time.perf_counter() - started
    builder.wait_for_background()
    first = Path(args.article)
    articles = [first.with_name(f"item-{n:05d}.md") for n in range(1, args.repeats + 1)] if args.vary else [first]
    originals = {article: article.read_text(encoding="utf-8") for article in articles}
    times, search_times, search_runs, reports = [], [], [], []
    try:
        for i in range(args.repeats):
            article = articles[i % len(articles)]
            article.write_text(originals[article] + f"\nEdited paragraph number {i}.\n", encoding="utf-8")
            started = time.perf_counter()
            report = builder.rebuild([article])
            times.append(time.perf_counter() - started)
            reports.append(report)
            started = time.perf_counter()
            builder.wait_for_background()
            search_times.append(time.perf_counter() - started)
            search_runs.append(_search_run(builder))
    except BaseException:
        restore(originals)
        raise
    finally:
        builder.close()
    if not args.keep_edits:
        restore(originals)
    last = reports[-1]
    print(json.dumps({"rebuild_s": statistics.median(times), "rebuild_runs_s": times, "warm_build_s": warm,
                      "search_s": statistics.median(search_times), "search_runs_s": search_times,
                      "search_runs": search_runs, "reused_output": last.reused_output,
                      "finalize_s": statistics.median(r.finalize_seconds for r in reports),
                      "parsed": last.parsed, "rendered": len(last.rendered), "kept": len(last.kept)}))
    return 0


def restore(originals: dict) -> None:
    for article, text in originals.items():
        article.write_text(text, encoding="utf-8")


def _search_run(builder) -> dict | None:
    """What the search plugin's background job did last (None without it)."""
    job = builder.session._jobs.get("search")
    last = getattr(job, "last", None)
    if last is None:
        return None
    return {"full": last.full, "replaced": last.replaced,
            "seconds": {name: round(value, 3) for name, value in last.seconds.items()}}


if __name__ == "__main__":
    sys.exit(main())
