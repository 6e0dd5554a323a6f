"""Side-by-side build benchmark: our full build vs vanilla Pelican 4.12 vs Hugo, cold and after
one edit, at several corpus sizes (1,000, 2,000 and 5,000 news items; 10,000 and 20,000 more with
--large). Median of the rounds of each, peak memory of each, and how each figure grows with N.

Run with `invoke bench` (or `python bench/bench_build.py --sizes 1000 2000`).
Writes bench/results.json, bench/RESULTS.md and bench/build_times.png.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import write_corpus  # noqa: E402
from growth import growth  # noqa: E402
from hugo_site import convert  # noqa: E402
from measure import Run, median_run, run_measured  # noqa: E402
from other_rebuilds import hugo_rebuild, vanilla_rebuild  # noqa: E402
from report import write_reports  # noqa: E402

PINNED_EPOCH = "1562544000"
SIZES = [1000, 2000, 5000]
LARGE_SIZES = [10000, 20000]  # with --large, LARGE_REPEATS rounds each (a 20,000 round takes minutes)
LARGE_REPEATS = 3
DISK_MARGIN = 5 * 2**30  # free space to leave on the work folder's disk
VANILLA_CONF = """\
SITENAME = "CSO Alliance"
TIMEZONE = "Europe/London"
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
PAGE_PATHS = ["pages"]
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
"""


def _env() -> dict:
    return {**os.environ, "SOURCE_DATE_EPOCH": PINNED_EPOCH, "PYTHONHASHSEED": "0"}


def ours_cmd(settings: str, content: Path, output: Path, cache: Path, **extra) -> list[str]:
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache), **extra}
    code = (
        "from csoa.engine.build import build_site_then_exit;"  # what `invoke build` runs
        f"build_site_then_exit({settings!r}, {overrides!r})"
    )
    return [sys.executable, "-c", code]


def ensure_hugo() -> str | None:
    """Return the hugo binary, installing Debian's package where we can (root + apt-get)."""
    if shutil.which("hugo"):
        return shutil.which("hugo")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("hugo")


def hugo_version(hugo: str) -> str:
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b, ignore=[])  # the default ignores would skip tags/
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def bench_size(n: int, repeats: int, hugo: str | None, work: Path, baseline: bool = False) -> dict:
    corpus = work / f"corpus-{n}"
    content = write_corpus(corpus, n)
    vanilla_conf = corpus / "vanilla.py"
    vanilla_conf.write_text(VANILLA_CONF, encoding="utf-8")
    row: dict = {"n": n, "news_items": n, "repeats": repeats,
                 "load_average_before": [round(x, 2) for x in os.getloadavg()]}

    builders = {"ours": lambda out: ours_cmd("publishconf.py", content, out, work / "cache")}
    if baseline:  # the same build with fastbuild off: the "before" figure, measured in the same run
        builders["plain"] = lambda out: ours_cmd("publishconf.py", content, out, work / "cache", FASTBUILD=False)
    builders["vanilla"] = lambda out: [sys.executable, "-m", "pelican", str(content), "-o", str(out), "-s",
                                       str(vanilla_conf), "-q"]
    if hugo:
        hugo_root = convert(content, work / f"hugo-{n}")
        builders["hugo"] = lambda out: [hugo, "--source", str(hugo_root), "--destination", str(out), "--quiet"]
    runs: dict[str, list[Run]] = {name: [] for name in builders}
    # Round robin, so that a change in the machine's load hits every builder alike. Outputs are kept
    # until the whole benchmark is done: ext4 skips recently deleted inodes (for 1-5 minutes) when it
    # allocates new ones, so deleting each 3,000-9,000-file output made every later run slower than
    # the one before (ours 6.9 -> 10.4 s over five rounds), charging each builder for the others'
    # deletions. os.sync() before each run keeps the earlier rounds' writeback out of the timing.
    for i in range(repeats):
        for name, make_cmd in builders.items():
            out = work / f"out-{n}-{name}-{i}"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(work / "cache", ignore_errors=True)
            os.sync()
            runs[name].append(run_measured(make_cmd(out), cwd=ROOT, env=_env()))
    medians = {name: median_run(r) for name, r in runs.items()}
    row["runs_s"] = {name: [round(r.seconds, 3) for r in rs] for name, rs in runs.items()}  # every round, in order

    ours = medians["ours"]
    row.update(ours_s=round(ours.seconds, 3), ours_peak_mb=round(ours.peak_mb, 1),
               ours_tree_peak_mb=round(ours.tree_peak_mb, 1), ours_cpu_s=round(ours.cpu_s, 3))
    if baseline:
        plain = medians["plain"]
        row.update(ours_without_fastbuild_s=round(plain.seconds, 3), ours_without_fastbuild_cpu_s=round(plain.cpu_s, 3))
    vanilla = medians["vanilla"]
    row.update(pelican_s=round(vanilla.seconds, 3), pelican_peak_mb=round(vanilla.peak_mb, 1),
               pelican_cpu_s=round(vanilla.cpu_s, 3), pelican_tree_peak_mb=round(vanilla.tree_peak_mb, 1))
    if hugo:
        h = medians["hugo"]
        row.update(hugo_s=round(h.seconds, 3), hugo_peak_mb=round(h.peak_mb, 1),
                   hugo_tree_peak_mb=round(h.tree_peak_mb, 1), hugo_cpu_s=round(h.cpu_s, 3))
    else:
        row.update(hugo_s=None, hugo_peak_mb=None, hugo_note="not measured: hugo not installable here")
    row["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    row["output_mb"] = {name: round(disk_usage(work.glob(f"out-{n}-{name}-0")) / 2**20, 1) for name in builders}
    return row


def disk_usage(paths) -> int:
    """Bytes the files under paths take on disk (allocated blocks, as du counts them)."""
    total = 0
    for path in paths:
        for folder, _, files in os.walk(path):
            total += sum(os.lstat(os.path.join(folder, f)).st_blocks * 512 for f in files)
    return total


def make_room(work: Path, n: int, repeats: int, done: list[dict]) -> bool:
    """Delete the cold-build outputs of the sizes already measured when the next size would leave
    less than DISK_MARGIN free (estimated from the last size's outputs, scaled by items and rounds).
    Deleting makes later runs slower for a few minutes on ext4 (see bench_size), so only when needed."""
    if not done:
        return False
    last = done[-1]
    estimate = sum(last["output_mb"].values()) * 2**20 * last["repeats"] * (n / last["n"]) * (repeats / last["repeats"])
    if shutil.disk_usage(work).free - estimate >= DISK_MARGIN:
        return False
    for row in done:
        for out in work.glob(f"out-{row['n']}-*"):
            shutil.rmtree(out, ignore_errors=True)
    return True


def bench_rebuilds(row: dict, work: Path, hugo: str | None) -> dict:
    """One-edit rebuild of every builder at this size (ours: the dev loop, checked byte for byte)."""
    n, repeats = row["n"], row["repeats"]
    content = work / f"corpus-{n}" / "content"
    figures = bench_rebuild(content, work, n, repeats)
    figures.update(vanilla_rebuild(content, VANILLA_CONF, work, n, repeats, cwd=ROOT, env=_env()))
    if hugo:
        figures.update(hugo_rebuild(hugo, work / f"hugo-{n}", work, n, repeats, cwd=ROOT, env=_env()))
    return figures


def bench_rebuild(content: Path, work: Path, n: int, repeats: int) -> dict:
    """Dev loop (csoa.engine.devloop.DevBuilder, in one process: bench/devloop_rebuild.py): a warm
    build, then edit one article and time rebuild(); the result must be byte-identical to a clean
    plain-Pelican build (fastbuild off) of the edited content."""
    out = work / f"dev-{n}" / "output"
    shutil.rmtree(out.parent, ignore_errors=True)
    article = content / "news" / "item-00001.md"
    original = article.read_text(encoding="utf-8")
    try:
        run = run_measured(
            [sys.executable, str(BENCH / "devloop_rebuild.py"), "--content", str(content), "--output", str(out),
             "--article", str(article), "--repeats", str(repeats), "--keep-edits"],
            cwd=ROOT, env=_env(), capture=True,
        )
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        clean = work / f"clean-{n}"
        shutil.rmtree(clean, ignore_errors=True)
        run_measured(ours_cmd("pelicanconf.py", content, clean, work / f"clean-cache-{n}", FASTBUILD=False),
                     cwd=ROOT, env=_env())
        identical = same_tree(out, clean)
    finally:
        article.write_text(original, encoding="utf-8")
    return {"rebuild_s": round(figures["rebuild_s"], 3), "rebuild_runs_s": [round(t, 3) for t in figures["rebuild_runs_s"]],
            "rebuild_peak_mb": round(run.peak_mb, 1), "rebuild_tree_peak_mb": round(run.tree_peak_mb, 1),
            "rebuild_identical": identical, "rebuild_rendered": figures["rendered"],
            "rebuild_kept": figures["kept"], "devloop_warm_build_s": round(figures["warm_build_s"], 3),
            "rebuild_finalize_s": round(figures["finalize_s"], 3),
            "rebuild_search_catch_up_s": round(figures["search_s"], 3)}


def machine() -> dict:
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "processor": platform.machine()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--large", action="store_true", help=f"also N={', '.join(map(str, LARGE_SIZES))}")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--large-repeats", type=int, default=LARGE_REPEATS,
                        help="rounds at the sizes above 5,000 (at most --repeats)")
    parser.add_argument("--baseline", action="store_true", help="also time our build with fastbuild off")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([n for n in LARGE_SIZES if n not in args.sizes] if args.large else [])
    hugo = ensure_hugo()
    results = {
        "machine": machine(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "hugo": hugo_version(hugo) if hugo else None,
        "repeats": args.repeats,
        "build": [],
    }
    with tempfile.TemporaryDirectory(prefix="cso-bench-") as tmp:
        for n in sizes:  # every cold build first: the dev-loop runs below delete files (see bench_size)
            repeats = args.repeats if n <= 5000 else min(args.repeats, args.large_repeats)
            deleted = make_room(Path(tmp), n, repeats, results["build"])
            row = bench_size(n, repeats, hugo, Path(tmp), baseline=args.baseline)
            row["earlier_outputs_deleted_first"] = deleted
            print(json.dumps(row), flush=True)
            results["build"].append(row)
        for row in results["build"]:
            row.update(bench_rebuilds(row, Path(tmp), hugo))
            print(json.dumps(row), flush=True)
    results["growth"] = growth(results["build"])
    write_reports(results, BENCH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
