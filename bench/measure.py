"""Run a command in a child process and measure its wall time and peak memory.

``peak_mb`` is the max RSS of the process (wait4: the largest single process of the tree).
``tree_peak_mb`` (with ``tree=True``) is the peak of the summed PSS of the process and all its
descendants, sampled every 100 ms from /proc/PID/smaps_rollup (cheap: the sampler must not slow the
build it measures; every builder is sampled alike): the honest figure for a build that forks
workers (PSS shares copy-on-write pages between the processes instead of counting them once each).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    seconds: float
    peak_mb: float
    tree_peak_mb: float | None = None
    stdout: str = ""
    cpu_s: float = 0.0  # user + system time of the process and the children it waited for


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        found.append(parent)
        try:
            with open(f"/proc/{parent}/task/{parent}/children", encoding="ascii") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return found


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.1):
            self.peak = max(self.peak, sum(_pss_kib(p) for p in _descendants(self.pid)) * 1024)


def run_measured(cmd: list[str], cwd=None, env=None, tree: bool = True, capture: bool = False) -> Run:
    """Run ``cmd``; raise CalledProcessError on failure. Peak memory is the child's max RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    sampler = _TreeSampler(proc.pid) if tree else None
    if sampler:
        sampler.start()
    out = proc.stdout.read().decode(errors="replace") if capture else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if sampler:
        sampler.done.set()
        sampler.join()
    if capture:
        proc.stdout.close()
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise subprocess.CalledProcessError(code, cmd, stderr=stderr)
    return Run(seconds=elapsed, peak_mb=usage.ru_maxrss / 1024,
               tree_peak_mb=sampler.peak / 2**20 if sampler else None, stdout=out,
               cpu_s=usage.ru_utime + usage.ru_stime)


def median_run(runs: list[Run]) -> Run:
    trees = [r.tree_peak_mb for r in runs if r.tree_peak_mb is not None]
    return Run(
        seconds=statistics.median(r.seconds for r in runs),
        peak_mb=max(r.peak_mb for r in runs),
        tree_peak_mb=max(trees) if trees else None,
        cpu_s=statistics.median(r.cpu_s for r in runs),
    )
