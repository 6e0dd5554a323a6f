"""Write the benchmark results: results.json, RESULTS.md (a table with ratios) and a PNG plot.

The other areas' benchmarks write bench/results/<area>.json; they are collected here too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


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
    """Each builder's time in every round, and our ratio to Hugo round by round (the rounds are
    side by side in time, so their ratios show how much the machine's drift moves the figure)."""
    runs = r.get("runs_s")
    if not runs:
        return ""
    text = "rounds (s): " + "; ".join(f"{name} {', '.join(map(str, times))}" for name, times in runs.items())
    if runs.get("hugo"):
        ratios = [round(o / h, 2) for o, h in zip(runs["ours"], runs["hugo"]) if h]
        text += f"; ours / Hugo round by round {', '.join(f'{x}x' for x in ratios)}"
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
        f"(warm first build {r['devloop_warm_build_s']} s)."
    )


def _flat(figures: dict, prefix: str = ""):
    """(dotted key, value) for every number or text in nested figures (lists are left out)."""
    for key, value in figures.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        elif not isinstance(value, list):
            yield f"{prefix}{key}", value


def markdown_table(results: dict) -> str:
    lines = [
        f"Machine: {results['machine']['platform']}, {results['machine']['cpus']} CPUs, Python {results['machine']['python']}  ",
        f"Date: {results['date']}; Hugo: {results.get('hugo') or 'not measured'}; median of {results['repeats']} runs.",
        "",
        "| N | ours (s) | vanilla Pelican (s) | Hugo (s) | ours / Pelican | ours / Hugo | rebuild after 1 edit (s) | + search index (s) | rebuild = clean build | ours peak MB | Pelican peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in results["build"]:
        lines.append(
            f"| {r['n']} | {r['ours_s']} | {r['pelican_s']} | {r.get('hugo_s') or 'n/a'} | "
            f"{_ratio(r['ours_s'], r['pelican_s'])} | {_ratio(r['ours_s'], r.get('hugo_s'))} | "
            f"{r['rebuild_s']} | {r.get('rebuild_search_catch_up_s', 'n/a')} | {'yes' if r['rebuild_identical'] else 'NO'} | {r['ours_peak_mb']} | {r['pelican_peak_mb']} |"
        )
    notes = [_row_note(r) for r in results["build"] if "ours_tree_peak_mb" in r and "rebuild_rendered" in r]
    if notes:
        lines += ["", *notes]
    for area, figures in results.get("areas", {}).items():
        lines += ["", f"### {area}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in _flat(figures)]
    return "\n".join(lines) + "\n"


def plot_png(results: dict) -> bytes:
    import vl_convert as vlc

    values = []
    for r in results["build"]:
        for key, label in (("ours_s", "ours"), ("pelican_s", "vanilla Pelican"), ("hugo_s", "Hugo"), ("rebuild_s", "ours, rebuild")):
            if r.get(key) is not None:
                values.append({"n": r["n"], "seconds": r[key], "builder": label})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Build time against number of news items",
        "width": 480, "height": 300,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "n", "type": "quantitative", "title": "news items"},
            "y": {"field": "seconds", "type": "quantitative", "title": "seconds (median)"},
            "color": {"field": "builder", "type": "nominal"},
        },
    }
    return vlc.vegalite_to_png(spec, scale=2)


def write_reports(results: dict, bench: Path) -> None:
    results = {**results, "areas": collect_area_results(bench)}
    (bench / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (bench / "RESULTS.md").write_text("# Benchmark results\n\n" + markdown_table(results), encoding="utf-8")
    (bench / "build_times.png").write_bytes(plot_png(results))
