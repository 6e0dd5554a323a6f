"""Run a command in a child process and measure its wall time and peak memory (max RSS)."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    peak_mb: float


def run_measured(cmd: list[str], cwd=None, env=None) -> Run:
    """Run ``cmd``; raise CalledProcessError on failure. Peak memory is the child's max RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise subprocess.CalledProcessError(code, cmd, stderr=stderr)
    return Run(seconds=elapsed, peak_mb=usage.ru_maxrss / 1024)


def median_run(runs: list[Run]) -> Run:
    return Run(
        seconds=statistics.median(r.seconds for r in runs),
        peak_mb=max(r.peak_mb for r in runs),
    )
