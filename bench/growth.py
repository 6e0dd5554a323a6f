"""Growth exponents: how a figure grows with the corpus size N.

The exponent is the least-squares slope of log(figure) on log(N) over the sizes measured: 1 means
the figure grows linearly with N (twice the items, twice the time), 2 quadratically, below 1 less
than linearly (a fixed cost dominates at the small sizes).
"""

from __future__ import annotations

import math

# (row key, label) of every series whose growth the report shows; times first, then memory.
SERIES = [
    ("ours_s", "ours, cold build (s)"),
    ("pelican_s", "vanilla Pelican, cold build (s)"),
    ("hugo_s", "Hugo, cold build (s)"),
    ("rebuild_s", "ours, one-edit rebuild: dev loop (s)"),
    ("pelican_rebuild_s", "vanilla Pelican, one-edit rebuild: content cache (s)"),
    ("hugo_rebuild_s", "Hugo, one-edit rebuild: run again (s)"),
    ("ours_tree_peak_mb", "ours, peak PSS of the process tree (MB)"),
    ("ours_peak_mb", "ours, max RSS of one process (MB)"),
    ("pelican_tree_peak_mb", "vanilla Pelican, peak PSS (MB)"),
    ("pelican_peak_mb", "vanilla Pelican, max RSS (MB)"),
    ("hugo_tree_peak_mb", "Hugo, peak PSS (MB)"),
    ("hugo_peak_mb", "Hugo, max RSS (MB)"),
    ("rebuild_peak_mb", "ours, dev loop max RSS (MB)"),
]


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of log(y) on log(x) by least squares; None with fewer than two distinct sizes or a
    non-positive figure (no logarithm)."""
    points = [(x, y) for x, y in points if x and y and x > 0 and y > 0]
    if len({x for x, _ in points}) < 2:
        return None
    logs = [(math.log(x), math.log(y)) for x, y in points]
    mean_x = sum(x for x, _ in logs) / len(logs)
    mean_y = sum(y for _, y in logs) / len(logs)
    num = sum((x - mean_x) * (y - mean_y) for x, y in logs)
    den = sum((x - mean_x) ** 2 for x, _ in logs)
    return num / den


def growth(rows: list[dict]) -> dict[str, float]:
    """The exponent of every series measured at two sizes or more, rounded to two decimals."""
    found = {}
    for key, _ in SERIES:
        value = exponent([(r["n"], r.get(key)) for r in rows if r.get(key) is not None])
        if value is not None:
            found[key] = round(value, 2) + 0.0  # no -0.0
    return found
