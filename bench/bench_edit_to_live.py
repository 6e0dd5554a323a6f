"""Edit to live page: from a file's save to the rebuilt page being served, seen from outside the server.

Run with `python bench/bench_edit_to_live.py [--n 2000] [--rounds 7] [--no-hugo] [--baseline CHECKOUT]`
(--baseline: also the editor's loop of another checkout, e.g. an export of main, in the same rounds).
Writes bench/results/edit_to_live.json (folded into RESULTS.md by bench/report.py).

It writes the N-item corpus (bench/corpus.py) to a temporary folder, starts the editor's loop
(`python -m csoa.apps.editor_loop`, what `invoke livereload` runs) and `hugo server` on the same corpus
(converted by bench/hugo_site.py) as subprocesses, and waits until both serve. Then, round robin,
each round writes a unique marker into an article and, from this process, GETs that article's URL
in a tight loop (one request every --poll-interval seconds, as a reload request would) until the
response contains the marker: save -> served. Two series: the same article every round, and a
different article each round. Between rounds it waits until the server's process tree is idle
(the editor reads the page; our background search index catches up; see settle()).

Hugo runs with `--disableFastRender`: without it, Hugo re-renders only the pages the browser
visited lately and leaves every other page (listings, tag pages, with the item's summary) stale
until visited, while our loop rebuilds the whole site to the same bytes as a clean build; the
default mode is measured as a third series for reference (--no-hugo-fast to skip it).

CPU time: utime + stime (own and reaped children) of each server's process tree, read from /proc
at the save and when the page is served, and again after the settle (background work included;
a background process's time counts once it has ended and been reaped).
Every server is stopped on any exit (its own process group is killed).
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH)]

from corpus import write_corpus  # noqa: E402
from hugo_site import convert  # noqa: E402
from report import write_area_results  # noqa: E402

HUGO = shutil.which("hugo") or "/usr/bin/hugo"
TICKS = os.sysconf("SC_CLK_TCK")
_SERVERS: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_servers() -> None:
    """Kill every server's process group (the editor's loop has a build worker and Pagefind below it)."""
    while _SERVERS:
        process = _SERVERS.pop()
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with _suppress():
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with _suppress():  # a worker left behind by a crashed server
            os.killpg(process.pid, signal.SIGKILL)


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


def _on_signal(signum, _frame):
    stop_servers()
    sys.exit(128 + signum)


def start_server(cmd: list[str], log: Path, env=None, cwd=None) -> subprocess.Popen:
    handle = open(log, "w")
    process = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
    handle.close()
    _SERVERS.append(process)
    return process


class Poller:
    """GETs one URL over a kept-alive connection, like the browser's reload request."""

    def __init__(self, port: int):
        self.port, self.conn = port, None

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, str]:
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
                self.conn.request("GET", path, headers={"Cache-Control": "no-cache"})
                response = self.conn.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        return 0, ""

    def wait_for(self, path: str, marker: str, timeout: float, interval: float) -> float | None:
        """Seconds until the page contains ``marker`` (None: timed out), from the call."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            status, body = self.get(path)
            if status == 200 and marker in body:
                return time.perf_counter() - started
            time.sleep(interval)
        return None


def tree_cpu_seconds(pid: int) -> float:
    """utime + stime, own and of reaped children, summed over ``pid`` and its live descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return total / TICKS


class Target:
    """One server and the articles it serves: ``url_of(stem)`` and the source file of a stem."""

    def __init__(self, name: str, process: subprocess.Popen, port: int, source_dir: Path, log: Path):
        self.name, self.process, self.port, self.source_dir, self.log = name, process, port, source_dir, log
        self.poller = Poller(port)

    def path_of(self, stem: str) -> Path:
        return self.source_dir / f"{stem}.md"

    def wait_until_serving(self, timeout: float) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}:\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            if self.poller.get(url_of("item-00000"), timeout=5)[0] == 200:
                return time.perf_counter() - started
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not serve within {timeout}s; see {self.log}")


def url_of(stem: str) -> str:
    return f"/news/{stem}/"  # ARTICLE_URL = "{category}/{slug}/" in ours; section/slug in Hugo


def start_ours(name: str, tree: Path, work: Path, content: Path) -> Target:
    """The editor's loop of the checkout ``tree`` (its plugins, settings and theme) on ``content``."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree / "plugins")}
    cmd = [sys.executable, "-m", "csoa.apps.editor_loop", str(tree / "pelicanconf.py"), "--port", str(port),
           "--content", str(content), "--output", str(work / f"{name}-output"), "--cache", str(work / f"{name}-cache")]
    log = work / f"{name}.log"
    return Target(name, start_server(cmd, log, env=env, cwd=tree), port, content / "news", log)


def start_hugo(name: str, site: Path, work: Path, fast_render: bool) -> Target:
    port = free_port()
    cmd = [HUGO, "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port),
           "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false", "--quiet"]
    if not fast_render:
        cmd.append("--disableFastRender")
    log = work / f"{name}.log"
    return Target(name, start_server(cmd, log), port, site / "content" / "news", log)


def edit_round(target: Target, stem: str, marker: str, args) -> dict:
    """Save ``marker`` into the article, then poll its URL until served; restore nothing (the next
    round writes its own marker)."""
    source = target.path_of(stem)
    original = source.read_text(encoding="utf-8").split("\n\nEdit marker ", 1)[0]
    cpu_before = tree_cpu_seconds(target.process.pid)
    with open(source, "w", encoding="utf-8") as handle:  # an editor's save: written in place
        handle.write(f"{original}\n\nEdit marker {marker}.\n")
    seconds = target.poller.wait_for(url_of(stem), marker, args.round_timeout, args.poll_interval)
    cpu_served = tree_cpu_seconds(target.process.pid)
    settled = settle(target, args)
    cpu_after = tree_cpu_seconds(target.process.pid)
    return {"seconds": None if seconds is None else round(seconds, 4), "settle_s": settled,
            "cpu_to_served_s": round(cpu_served - cpu_before, 3), "cpu_round_s": round(cpu_after - cpu_before, 3)}


def settle(target: Target, args) -> float:
    """Wait --settle seconds, then until the server's process tree is idle (under 5% of a core for
    half a second: our search index has caught up), at most --settle-max: the editor reads the page
    before the next save, and no round starts with the last one's background work still running."""
    started = time.perf_counter()
    time.sleep(args.settle)
    while time.perf_counter() - started < args.settle_max:
        before = tree_cpu_seconds(target.process.pid)
        time.sleep(0.5)
        if tree_cpu_seconds(target.process.pid) - before < 0.025:
            break
    return round(time.perf_counter() - started, 2)


def series_summary(rounds: list[dict]) -> dict:
    times = [r["seconds"] for r in rounds if r["seconds"] is not None]
    cpu = [r["cpu_to_served_s"] for r in rounds]
    return {
        "median_s": round(statistics.median(times), 4) if times else None,
        "min_s": min(times, default=None), "max_s": max(times, default=None),
        "timeouts": len(rounds) - len(times),
        "rounds_s": ", ".join("timeout" if r["seconds"] is None else str(r["seconds"]) for r in rounds),
        "median_cpu_to_served_s": round(statistics.median(cpu), 3) if cpu else None,
        "cpu_to_served_rounds_s": ", ".join(map(str, cpu)),
        "cpu_per_edit_with_background_rounds_s": ", ".join(str(r["cpu_round_s"]) for r in rounds),
        "rounds": rounds,
    }


def run_rounds(targets: list[Target], args) -> dict:
    """Round robin over the servers and the two series, so the machine's drift hits all alike."""
    results = {t.name: {"same_article": [], "different_article": []} for t in targets}
    for i in range(args.rounds):
        for series, stem in (("same_article", "item-00007"), ("different_article", f"item-{(100 + 37 * i) % args.n:05d}")):
            for target in targets:
                marker = f"marker{i}x{uuid.uuid4().hex}"  # one word: no markdown in it
                results[target.name][series].append(edit_round(target, stem, marker, args))
                print(f"{target.name} {series} round {i}: {results[target.name][series][-1]}", flush=True)
    return {name: {s: series_summary(r) for s, r in by_series.items()} for name, by_series in results.items()}


def hugo_version() -> str | None:
    try:
        return subprocess.run([HUGO, "version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def measure(args, work: Path) -> dict:
    content = write_corpus(work, args.n)
    targets, notes = [start_ours("ours", ROOT, work, content)], []
    if args.baseline:  # another checkout's loop, on its own copy of the corpus, in the same rounds
        shutil.copytree(content, work / "baseline-content")
        targets.append(start_ours("ours_baseline", args.baseline.resolve(), work, work / "baseline-content"))
    version = None if args.no_hugo else hugo_version()
    if version:
        convert(content, work / "hugo")
        targets.append(start_hugo("hugo", work / "hugo", work, fast_render=False))
        if not args.no_hugo_fast:
            shutil.copytree(work / "hugo", work / "hugo-fast")
            targets.append(start_hugo("hugo_fast_render", work / "hugo-fast", work, fast_render=True))
    elif not args.no_hugo:
        notes.append(f"Hugo skipped: no working hugo at {HUGO}")
        print(notes[-1], file=sys.stderr)
    startup = {t.name: round(t.wait_until_serving(args.start_timeout), 2) for t in targets}
    for target in targets:
        settle(target, args)  # the first build's background work (search index) is done
    load_before = [round(x, 2) for x in os.getloadavg()]
    series = run_rounds(targets, args)
    return {"n": args.n, "rounds": args.rounds, "baseline": str(args.baseline or ""),
            "poll_interval_s": args.poll_interval,
            "settle": f"at least {args.settle} s, then until the server is idle (at most {args.settle_max} s)",
            "hugo_version": version, "hugo_flags": "--disableFastRender (hugo); default fast render (hugo_fast_render)",
            "seconds_until_first_served": startup, "load_average_before": load_before,
            "load_average_after": [round(x, 2) for x in os.getloadavg()], "notes": "; ".join(notes),
            "python": platform.python_version(), **series}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="news items in the corpus")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--poll-interval", type=float, default=0.005, help="seconds between two GETs")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds at least between rounds")
    parser.add_argument("--settle-max", type=float, default=60.0, help="seconds at most waiting for an idle server")
    parser.add_argument("--round-timeout", type=float, default=60.0)
    parser.add_argument("--start-timeout", type=float, default=900.0)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-hugo-fast", action="store_true", help="skip Hugo's default (fast render) mode")
    parser.add_argument("--baseline", type=Path, help="also measure the editor's loop of this checkout (e.g. main)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "edit_to_live.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its server logs)")
    args = parser.parse_args(argv)
    atexit.register(stop_servers)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    work = Path(tempfile.mkdtemp(prefix="cso-edit-to-live-"))
    try:
        results = measure(args, work)
    finally:
        stop_servers()
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    write_area_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
