"""Write the benchmark results: results.json, RESULTS.md (a table with ratios) and a PNG plot.

The other areas' benchmarks write bench/results/<area>.json; they are collected here too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from growth import SERIES, growth

TARGET_RATIO = 0.85  # issue 16: ours / vanilla Pelican at every size
TARGET_PEAK_MB = 1536  # issue 16: peak memory at N = 20,000 under 1.5 GB


def _ratio(a, b) -> str:
    return f"{a / b:.2f}x" if a and b else "n/a"


def write_area_results(path: Path, results: dict) -> dict:
    """An area's figures, with how busy the machine was (wall-clock figures depend on what else it
    runs), to bench/results/<area>.json; printed too."""
    results = {**results, "machine": {"cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)}}
    text = json.dumps(results, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(text, end="")
    return results


def collect_area_results(bench: Path) -> dict:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((bench / "results").glob("*.json"))}


def _rounds(r: dict) -> str:
    """Each builder's time in every round, and our ratio to vanilla Pelican and Hugo round by round (the rounds are
    side by side in time, so their ratios show how much the machine's drift moves the figure)."""
    runs = r.get("runs_s")
    if not runs:
        return ""
    text = "rounds (s): " + "; ".join(f"{name} {', '.join(map(str, times))}" for name, times in runs.items())
    for other, label in (("vanilla", "vanilla Pelican"), ("hugo", "Hugo")):
        if runs.get(other) and runs.get("ours"):
            ratios = [round(o / h, 2) for o, h in zip(runs["ours"], runs[other]) if h]
            text += f"; ours / {label} round by round {', '.join(f'{x}x' for x in ratios)}"
    return text + "; "


def _row_note(r: dict) -> str:
    baseline = (f"ours with fastbuild off {r['ours_without_fastbuild_s']} s (CPU {r['ours_without_fastbuild_cpu_s']} s); "
                if "ours_without_fastbuild_s" in r else "")
    return (
        f"- N={r['n']}: {_rounds(r)}CPU time ours {r.get('ours_cpu_s')} s, vanilla Pelican {r.get('pelican_cpu_s')} s; {baseline}"
        f"load average (1, 5, 15 min) before {r.get('load_average_before')}, after {r.get('load_average_after')}; "
        f"ours peak summed over its processes (PSS): {r['ours_tree_peak_mb']} MB; "
        f"the dev-loop rebuild re-rendered {r['rebuild_rendered']} and kept {r['rebuild_kept']} pages, "
        f"{r.get('rebuild_finalize_s')} s of it in other plugins' finalized handlers; the search index "
        f"(Pagefind, in the background after the swap) was current {r.get('rebuild_search_catch_up_s')} s later "
        f"(warm first build {r['devloop_warm_build_s']} s).{_rebuild_rounds(r)}"
    )


def _rebuild_rounds(r: dict) -> str:
    """The one-edit rebuilds' rounds of every builder, and what each wrote on a cold build."""
    parts = [f"{label} {', '.join(map(str, r[key]))}" for key, label in
             (("rebuild_runs_s", "ours (dev loop)"), ("pelican_rebuild_runs_s", "vanilla Pelican (content cache)"),
              ("hugo_rebuild_runs_s", "Hugo (run again)")) if r.get(key)]
    text = f" One-edit rebuild rounds (s): {'; '.join(parts)}." if parts else ""
    if r.get("output_mb"):
        text += " Cold-build output on disk (MB): " + ", ".join(f"{k} {v}" for k, v in r["output_mb"].items()) + "."
    if r.get("earlier_outputs_deleted_first"):
        text += " The smaller sizes' outputs were deleted before this size to leave room on the disk."
    return text


def _flat(figures: dict, prefix: str = ""):
    """(dotted key, value) for every number or text in nested figures (lists are left out)."""
    for key, value in figures.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        elif not isinstance(value, list):
            yield f"{prefix}{key}", value


def _repeats(results: dict) -> str:
    sizes = {r["n"]: r.get("repeats", results["repeats"]) for r in results["build"]}
    if len(set(sizes.values())) <= 1:
        return f"{next(iter(sizes.values()), results['repeats'])} runs"
    return "runs: " + ", ".join(f"{count} at N={n}" for n, count in sizes.items())


def _cell(value) -> str:
    return "n/a" if value is None else str(value)


def growth_section(rows: list[dict]) -> list[str]:
    """Rebuilds and memory at every size, every series' growth exponent, and issue 16's targets."""
    lines = ["### Growth with N", "",
             "| N | rounds | cold: ours / Pelican | rebuild after 1 edit: ours (s) | vanilla Pelican (s) | Hugo (s) | rebuild: ours / Pelican | "
             "ours peak PSS MB | ours max RSS MB | Pelican PSS MB | Hugo PSS MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r.get('repeats', 'n/a')} | {_ratio(r['ours_s'], r['pelican_s'])} | {_cell(r.get('rebuild_s'))} | "
            f"{_cell(r.get('pelican_rebuild_s'))} | {_cell(r.get('hugo_rebuild_s'))} | "
            f"{_ratio(r.get('rebuild_s'), r.get('pelican_rebuild_s'))} | {_cell(r.get('ours_tree_peak_mb'))} | "
            f"{_cell(r.get('ours_peak_mb'))} | {_cell(r.get('pelican_tree_peak_mb'))} | {_cell(r.get('hugo_tree_peak_mb'))} |")
    exponents = growth(rows)
    sizes = [r["n"] for r in rows]
    lines += ["", "Growth exponent: the least-squares slope of log(figure) on log(N) over the sizes measured "
              "(1 = linear, 2 = quadratic).", "",
              "| series | exponent | " + " | ".join(f"N={n}" for n in sizes) + " |",
              "|---|---:|" + "---:|" * len(sizes)]
    for key, label in SERIES:
        if key in exponents:
            lines.append(f"| {label} | {exponents[key]} | " + " | ".join(_cell(r.get(key)) for r in rows) + " |")
    return lines + ["", *targets(rows, exponents)]


def targets(rows: list[dict], exponents: dict) -> list[str]:
    """Issue 16's growth targets, each with the figures it was judged on."""
    ratios = [(r["n"], r["ours_s"] / r["pelican_s"]) for r in rows if r.get("ours_s") and r.get("pelican_s")]
    worst = max(ratios, key=lambda x: x[1]) if ratios else None
    lines = ["Targets (issue 16):"]
    if worst:
        lines.append(f"- ours <= {TARGET_RATIO}x vanilla Pelican at every size: {'met' if worst[1] <= TARGET_RATIO else '**not met**'} "
                     f"(worst {worst[1]:.2f}x at N={worst[0]}).")
    if "ours_s" in exponents:
        lines.append(f"- ours grows no faster than linearly: {'met' if exponents['ours_s'] <= 1.0 else '**not met**'} "
                     f"(cold build exponent {exponents['ours_s']}; vanilla Pelican {exponents.get('pelican_s', 'n/a')}).")
    big = [r for r in rows if r["n"] == 20000 and r.get("ours_tree_peak_mb")]
    if big:
        peak = max(big[0]["ours_tree_peak_mb"], big[0]["ours_peak_mb"])
        lines.append(f"- peak under 1.5 GB at N=20,000: {'met' if peak < TARGET_PEAK_MB else '**not met**'} "
                     f"({big[0]['ours_tree_peak_mb']} MB summed over the processes (PSS), {big[0]['ours_peak_mb']} MB "
                     "max RSS of one process).")
    return lines


REAL_DATA_SITES = (("sample_site", "sample site"), ("real_data_site", "real ASAM data"),
                   ("synthetic_100k_statistics", "100,000 synthetic (statistics only)"))


def real_data_section(figures: dict) -> list[str]:
    """bench_real_data.py's figures side by side: the sample site, the real data, 100,000 synthetic."""
    sites = [(key, label, figures[key]) for key, label in REAL_DATA_SITES if isinstance(figures.get(key), dict)]
    skipped = [f"{label}: {site['skipped']}" for _, label, site in sites if "skipped" in site]
    sites = [(k, label, site) for k, label, site in sites if "output" in site]
    lines = ["### real_data", "", f"Load average (1 min) when written: {figures.get('machine', {}).get('load_average_1m')}. "
             + " ".join(skipped), "", "| measure | " + " | ".join(label for _, label, _ in sites) + " |",
             "|---|" + "---:|" * len(sites)]

    def row(label, get):
        values = []
        for _, _, site in sites:
            try:
                values.append(_cell(get(site)))
            except (KeyError, TypeError):
                values.append("n/a")
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("cold build (s)", lambda x: x["cold_build"]["seconds"])
    row("cold build CPU (s)", lambda x: x["cold_build"]["cpu_s"])
    row("cold build peak PSS / max RSS (MB)", lambda x: f"{x['cold_build']['tree_peak_mb']} / {x['cold_build']['peak_mb']}")
    row("one-edit rebuild, dev loop (s; rounds)", lambda x: f"{x['dev_loop']['rebuild_s']} ({', '.join(map(str, x['dev_loop']['rebuild_runs_s']))})")
    row("dev loop: pages re-rendered / kept", lambda x: f"{x['dev_loop']['rendered']} / {x['dev_loop']['kept']}")
    row("output files", lambda x: x["output"]["files"])
    row("output bytes", lambda x: f"{x['output']['bytes']:,}")
    row("statistics pages (bytes)", lambda x: f"{x['output']['statistics_pages']} ({x['output']['statistics_pages_bytes']:,})")
    kinds = sorted({k for _, _, site in sites for k in site["output"]["by_kind"]})
    for kind in kinds:
        row(f"kind: {kind} (files, bytes)", lambda x, k=kind: f"{x['output']['by_kind'][k]['files']}, {x['output']['by_kind'][k]['bytes']:,}")
    folders = sorted({k for _, _, site in sites for k in list(site["output"]["by_folder"])[:8]})
    for folder in folders:
        row(f"folder: {folder} (files, bytes)", lambda x, f=folder: f"{x['output']['by_folder'][f]['files']}, {x['output']['by_folder'][f]['bytes']:,}")
    lines += ["", "Largest files: " + "; ".join(
        f"{label}: " + ", ".join(f"{name} {size:,}" for name, size in list(site["largest_files"].items())[:5])
        for _, label, site in sites)]
    return lines


def markdown_table(results: dict) -> str:
    lines = [
        f"Machine: {results['machine']['platform']}, {results['machine']['cpus']} CPUs, Python {results['machine']['python']}  ",
        f"Date: {results['date']}; Hugo: {results.get('hugo') or 'not measured'}; median of "
        f"{_repeats(results)}.",
        "",
        "| N | ours (s) | vanilla Pelican (s) | Hugo (s) | ours / Pelican | ours / Hugo | rebuild after 1 edit (s) | + search index (s) | rebuild = clean build | ours peak MB | Pelican peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in results["build"]:
        lines.append(
            f"| {r['n']} | {r['ours_s']} | {r['pelican_s']} | {r.get('hugo_s') or 'n/a'} | "
            f"{_ratio(r['ours_s'], r['pelican_s'])} | {_ratio(r['ours_s'], r.get('hugo_s'))} | "
            f"{r.get('rebuild_s', 'not run')} | {r.get('rebuild_search_catch_up_s', 'n/a')} | {_identical(r)} | {r['ours_peak_mb']} | {r['pelican_peak_mb']} |"
        )
    notes = [_row_note(r) for r in results["build"] if "ours_tree_peak_mb" in r and "rebuild_rendered" in r]
    if notes:
        lines += ["", *notes]
    if any("pelican_rebuild_s" in r for r in results["build"]):
        lines += ["", *growth_section(results["build"])]
    for area, figures in results.get("areas", {}).items():
        if area == "real_data":
            lines += ["", *real_data_section(figures)]
            continue
        lines += ["", f"### {area}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in _flat(figures)]
    return "\n".join(lines) + "\n"


def plot_png(results: dict) -> bytes:
    import vl_convert as vlc

    values = []
    for r in results["build"]:
        for key, label in (("ours_s", "ours"), ("pelican_s", "vanilla Pelican"), ("hugo_s", "Hugo"), ("rebuild_s", "ours, rebuild"),
                           ("pelican_rebuild_s", "vanilla Pelican, rebuild"), ("hugo_rebuild_s", "Hugo, rebuild")):
            if r.get(key) is not None:
                values.append({"n": r["n"], "seconds": r[key], "builder": label})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Build time against number of news items (log-log)",
        "width": 480, "height": 300,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            # log scales: a straight line's slope is the growth exponent, and 1,000 and 20,000 both show
            "x": {"field": "n", "type": "quantitative", "title": "news items", "scale": {"type": "log"}},
            "y": {"field": "seconds", "type": "quantitative", "title": "seconds (median)", "scale": {"type": "log"}},
            "color": {"field": "builder", "type": "nominal"},
        },
    }
    return vlc.vegalite_to_png(spec, scale=2)


def _identical(row: dict) -> str:
    if "rebuild_identical" not in row:
        return "not run"
    return "yes" if row["rebuild_identical"] else "NO"


def write_reports(results: dict, bench: Path) -> None:
    results = {**results, "areas": collect_area_results(bench)}
    (bench / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (bench / "RESULTS.md").write_text("# Benchmark results\n\n" + markdown_table(results), encoding="utf-8")
    (bench / "build_times.png").write_bytes(plot_png(results))
