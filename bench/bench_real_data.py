"""Real data at full size (issue 16): the site with the whole NGA ASAM export as its incident table,
beside the sample site, and where the output's bytes go. Writes bench/results/real_data.json.

For the sample site and the real-data site: the cold build (publishconf.py, in a child process, its
peak memory measured like bench_build's), the one-edit rebuild of the dev loop
(bench/devloop_rebuild.py: pelicanconf.py, one news item edited), the statistics pages (how many,
their bytes) and the output: files and bytes, by top folder and by kind. The same breakdown for a
synthetic table of 100,000 incidents, built with the statistics plugin only (as bench_stats.py does).

The licensed export is read from ../shared/data (bench/real_site.py) into a temporary folder, never
into the project; without it the real-data part is skipped with the reason.

Run: .venv/bin/python bench/bench_real_data.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from measure import run_measured  # noqa: E402
from real_site import ASAM, BUILT_ON, real_content, real_data_present, synthetic_content  # noqa: E402
from report import write_area_results  # noqa: E402

RESULTS = BENCH / "results" / "real_data.json"
SAMPLE_EPOCH = "1562544000"  # the golden outputs' and bench_build's pinned date
REPEATS = 3  # dev-loop edits per site


def kind_of(relpath: str) -> str:
    """The kind of an output file, for the breakdown: what a reader or a download uses it for."""
    name = relpath.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if relpath.startswith("pagefind/"):
        return "Pagefind bundle"
    if relpath.startswith("feeds/") or ext in ("atom", "rss"):
        return "feeds"
    if ext == "ics":
        return "calendars"
    if ext == "csv":
        return "CSV downloads"
    if ext == "geojson":
        return "GeoJSON"
    if ext == "json" and relpath.startswith("statistics/data/"):
        return "JSON the list and the map load"
    if ext == "json" and relpath.startswith("statistics/"):
        return "JSON downloads"
    if ext == "json":
        return "JSON (other)"
    if ext in ("html", "htm"):
        return "HTML"
    if ext in ("png", "svg", "jpg", "jpeg", "webp", "gif", "ico"):
        return "images (PNG/SVG/...)"
    if ext == "xml":
        return "XML (sitemap)"
    if ext in ("css", "js", "woff", "woff2"):
        return "theme (CSS/JS/fonts)"
    return "other"


def breakdown(output: Path) -> dict:
    """Files and bytes of an output folder, by top folder and by kind; the statistics pages."""
    folders, kinds = Counter(), Counter()
    folder_files, kind_files = Counter(), Counter()
    stats_pages = stats_page_bytes = 0
    for folder, _, files in os.walk(output):
        for name in files:
            path = Path(folder) / name
            rel = path.relative_to(output).as_posix()
            size = path.stat().st_size
            top = rel.split("/", 1)[0] if "/" in rel else "(top level)"
            kind = kind_of(rel)
            folders[top] += size
            folder_files[top] += 1
            kinds[kind] += size
            kind_files[kind] += 1
            if rel.startswith("statistics/") and name == "index.html":
                stats_pages += 1
                stats_page_bytes += size
    return {
        "files": sum(folder_files.values()), "bytes": sum(folders.values()),
        "statistics_pages": stats_pages, "statistics_pages_bytes": stats_page_bytes,
        "by_folder": {k: {"files": folder_files[k], "bytes": v} for k, v in folders.most_common()},
        "by_kind": {k: {"files": kind_files[k], "bytes": v} for k, v in kinds.most_common()},
    }


def largest_files(output: Path, count: int = 12) -> dict:
    sizes = [(p.stat().st_size, p.relative_to(output).as_posix()) for p in output.rglob("*") if p.is_file()]
    return {rel: size for size, rel in sorted(sizes, reverse=True)[:count]}


def cold_build(content: Path, work: Path, epoch: str) -> tuple[dict, Path]:
    out = work / "output"
    code = ("from csoa.engine.build import build_site_then_exit;"
            f"build_site_then_exit('publishconf.py', {{'PATH': {str(content)!r}, 'OUTPUT_PATH': {str(out)!r}, "
            f"'CACHE_PATH': {str(work / 'cache')!r}}})")
    os.sync()
    run = run_measured([sys.executable, "-c", code], cwd=ROOT, env=_env(epoch))
    return {"seconds": round(run.seconds, 3), "cpu_s": round(run.cpu_s, 3), "peak_mb": round(run.peak_mb, 1),
            "tree_peak_mb": round(run.tree_peak_mb, 1)}, out


def devloop_rebuild(content: Path, work: Path, epoch: str) -> dict:
    article = sorted((content / "news").glob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    try:
        run = run_measured([sys.executable, str(BENCH / "devloop_rebuild.py"), "--content", str(content),
                            "--output", str(work / "dev" / "output"), "--article", str(article),
                            "--repeats", str(REPEATS)], cwd=ROOT, env=_env(epoch), capture=True)
    finally:
        article.write_text(original, encoding="utf-8")
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return {"rebuild_s": round(figures["rebuild_s"], 3), "rebuild_runs_s": [round(t, 3) for t in figures["rebuild_runs_s"]],
            "search_catch_up_s": round(figures["search_s"], 3), "rendered": figures["rendered"],
            "kept": figures["kept"], "warm_build_s": round(figures["warm_build_s"], 3), "peak_mb": round(run.peak_mb, 1)}


def _env(epoch: str) -> dict:
    return {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "0"}


def measure_site(content: Path, work: Path, epoch: str) -> dict:
    cold, out = cold_build(content, work, epoch)
    return {"cold_build": cold, "output": breakdown(out), "largest_files": largest_files(out),
            "dev_loop": devloop_rebuild(content, work, epoch)}


def synthetic_100k(work: Path) -> dict:
    """The statistics section of 100,000 synthetic incidents (the statistics plugin alone)."""
    from datetime import datetime, timezone

    from csoa.engine.build import build_site

    content, count = synthetic_content(work)
    build_site(ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(work / "output"),
                                         "CACHE_PATH": str(work / "cache"), "PLUGINS": ["csoa.plugins.crime_stats"],
                                         "BUILD_NOW": datetime(2019, 7, 8, tzinfo=timezone.utc)})
    return {"incidents": count, "output": breakdown(work / "output"),
            "largest_files": largest_files(work / "output")}


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="cso-real-") as tmp:
        work = Path(tmp)
        sample = shutil.copytree(ROOT / "content", work / "sample" / "content")  # the edit never touches content/
        results = {"sample_site": measure_site(sample, work / "sample", SAMPLE_EPOCH)}
        if real_data_present():
            (work / "real").mkdir()
            content, report = real_content(work / "real")
            print(f"imported {report.accepted} of {report.read} ASAM rows", flush=True)
            results["real_data_site"] = measure_site(content, work / "real", str(int(BUILT_ON.timestamp())))
        else:
            results["real_data_site"] = {"skipped": f"{ASAM} is absent"}
        (work / "synthetic").mkdir()
        results["synthetic_100k_statistics"] = synthetic_100k(work / "synthetic")
    return write_area_results(RESULTS, results)


if __name__ == "__main__":
    main()
