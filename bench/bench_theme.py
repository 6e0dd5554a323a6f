"""Theme benchmarks: previous/next + related-items linking and the sitemap scan, at several sizes.

Run with `python bench/bench_theme.py [--sizes 1000 5000 20000] [--site 500]`.
Writes bench/results/theme.json. Figures, not pass/fail: regressions are judged by reading them.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH)]

from corpus import TAGS, write_corpus  # noqa: E402

from csoa.sitemap import collect_pages, render_sitemap
from csoa.theme.neighbours import neighbours_by_kind, related_by_item

KINDS = ["news", "workshops", "reports", "intelligence", "events"]


def synthetic_items(n: int, seed: int = 2016) -> list:
    rng = random.Random(seed)
    start = datetime(2013, 1, 1, tzinfo=timezone.utc)
    return [
        SimpleNamespace(
            slug=f"item-{i:06d}",
            date=start + timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 6)),
            category=rng.choice(KINDS),
            tags=rng.sample(TAGS, 3),
        )
        for i in range(n)
    ]


def timed(fn, *args):
    t = time.perf_counter()
    fn(*args)
    return round(time.perf_counter() - t, 4)


def bench_linking(sizes) -> list[dict]:
    rows = []
    for n in sizes:
        items = synthetic_items(n)
        rows.append({"items": n, "neighbours_s": timed(neighbours_by_kind, items), "related_s": timed(related_by_item, items, 3)})
    return rows


def bench_sitemap(n_news: int) -> dict:
    from csoa.engine.build import build_site

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        write_corpus(work, n_news)
        t = time.perf_counter()
        out = build_site(
            ROOT / "pelicanconf.py",
            {"PATH": str(work / "content"), "OUTPUT_PATH": str(work / "out"), "CACHE_PATH": str(work / "cache"),
             "BUILD_NOW": datetime(2019, 7, 8, tzinfo=timezone.utc)},
        )
        build_s = time.perf_counter() - t
        html_files = sum(1 for _ in out.rglob("*.html"))
        t = time.perf_counter()
        pages = collect_pages(out, datetime(2019, 7, 8, tzinfo=timezone.utc))  # no memo: every page read
        render_sitemap(pages)
        scan_s = time.perf_counter() - t
    return {"news_items": n_news, "html_files": html_files, "sitemap_urls": len(pages), "full_build_s": round(build_s, 2),
            "sitemap_scan_s": round(scan_s, 3), "sitemap_ms_per_page": round(1000 * scan_s / max(html_files, 1), 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--site", type=int, default=500, help="news items in the corpus built for the sitemap scan")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    result = {
        "machine": f"{platform.platform()}, Python {platform.python_version()}",
        "linking": bench_linking(args.sizes),
        "sitemap": bench_sitemap(args.site),
    }
    target = BENCH / "results" / "theme.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
