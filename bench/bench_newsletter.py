"""Newsletter benchmarks -> bench/results/newsletter.json.

  render      compose + render (HTML via MJML, text) per issue, ms        target <= 50
  pipeline    sender throughput against a zero-latency client, msg/s/core target >= 2000
  moto        sustained rate against moto's server over HTTP, % of set    target >= 95
  memory      peak memory (VmHWM) of one send to 100,000 members, MB        target <= 100
              over HTTP with the real boto3 client, 32 worker threads, to moto's server behind the
              fault proxy, which answers SendEmail itself (moto would keep every message's HTML:
              gigabytes at this size); and in-process against a zero-latency client
  throttle    through the fault proxy in front of moto (tests/ses_fault_proxy.py), at the set rate:
              fault-free; 10% of calls throttled at random (target >= 80% of set);
              SES's real limit at half the set rate (target: accepted rate >= 90% of that limit)

Usage: python bench/bench_newsletter.py [--duration 60] [--rate 100] [--throttle-duration 30]
                                        [--members 100000] [--parts render,pipeline,moto,memory,throttle]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]


class ZeroLatencySES:
    """Answers SendEmail at once: measures our pipeline, not the network."""

    def send_email(self, **request):
        return {"MessageId": uuid.uuid4().hex}

    def get_account(self):
        return {"SendingEnabled": True, "ProductionAccessEnabled": True,
                "SendQuota": {"Max24HourSend": -1, "MaxSendRate": 1e9, "SentLast24Hours": 0}}

    def get_identity_verification_attributes(self, Identities):
        return {"VerificationAttributes": {i: {"VerificationStatus": "Success"} for i in Identities}}


def _site(tmp: Path) -> Path:
    from newsletter_site import build_fixture_site

    return build_fixture_site(tmp / "site")


def bench_render(site: Path) -> dict:
    from csoa.apps.newsletter import load
    from csoa.email.render import render_html, render_text
    from csoa.email.site import email_template_dir, site_info

    settings = load(ROOT / "pelicanconf.py")
    issue = json.loads((site / "newsletters" / "july-2019" / "issue.json").read_text())
    site_ = site_info(settings)
    templates = email_template_dir(settings)
    render_html(issue, site_, templates)  # warm the template cache
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        html = render_html(issue, site_, templates)
        render_text(issue, site_)
    ms = (time.perf_counter() - started) / runs * 1000
    return {"ms_per_issue": round(ms, 2), "html_bytes": len(html.encode()), "target_ms": 50, "ok": ms <= 50}


def _send(site: Path, db_path: Path, members: int, sesv2, rate: float, reports: Path, before_sending=None):
    from csoa.apps import newsletter as commands
    from csoa.sending import db
    from csoa.sending.members import add_member
    from csoa.sending.sender import send_issue

    conn = db.connect(db_path)
    conn.execute("BEGIN")
    for i in range(members):
        add_member(conn, f"bench{i}@example.org", regions=("asia",) if i % 3 == 0 else ())
    conn.execute("COMMIT")
    os.environ["NEWSLETTER_SES_QUOTA"] = f"{members * 10}:{rate}"
    settings = commands.load(ROOT / "pelicanconf.py")
    issue = commands.load_issue(settings, "july-2019", site)
    config = commands.send_config(settings, progress=False, reports_dir=reports, rate=rate)
    client = commands.make_client(settings, sesv2)
    if isinstance(sesv2, ZeroLatencySES):
        client.v1 = sesv2
    if before_sending:
        before_sending()
    started, cpu0 = time.perf_counter(), _cpu()
    report = send_issue(conn, "july-2019", issue["subject"], commands.issue_regions(issue),
                        commands.editions_for(issue, settings), client, config)
    return report, time.perf_counter() - started, _cpu() - cpu0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_pipeline(site: Path, tmp: Path, members: int = 20000) -> dict:
    report, wall, cpu = _send(site, tmp / "pipeline.sqlite3", members, ZeroLatencySES(), 1e9, tmp / "reports")
    per_core = report.sent / cpu if cpu else 0
    return {"messages": report.sent, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "msg_per_s_wall": round(report.sent / wall), "msg_per_cpu_s": round(per_core),
            "target": 2000, "ok": per_core >= 2000}


def bench_moto(site: Path, tmp: Path, rate: float, duration: float) -> dict:
    from csoa.model.regions import Region
    from csoa.sending.localaws import FAKE_CREDENTIALS, provision, start_moto_process
    from csoa.sending.ses import make_sesv2

    os.environ.update(FAKE_CREDENTIALS)
    proc, url = start_moto_process()
    try:
        os.environ["AWS_ENDPOINT_URL"] = url
        provision(url, "newsletter@csoalliance.com", "members", [Region("asia", "Asia", "asia", True)], "newsletter")
        members = int(rate * duration)
        report, wall, _ = _send(site, tmp / "moto.sqlite3", members, make_sesv2(max_pool=64), rate, tmp / "reports")
    finally:
        proc.kill()
        proc.wait()
    achieved = report.sent / wall
    return {"set_rate": rate, "duration_s": round(wall, 1), "sent": report.sent, "achieved_rate": round(achieved, 1),
            "percent_of_set": round(100 * achieved / rate, 1), "throttles": report.throttles, "target_percent": 95,
            "ok": achieved >= 0.95 * rate}


def _proxy(upstream: str, *flags: str) -> tuple[subprocess.Popen, str]:
    """The fault proxy in its own process: its CPU does not share the sender's GIL."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ses_fault_proxy.py"), upstream, *flags],
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def _proxy_stats(url: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(url + "/fault-proxy/stats", timeout=10) as response:
        return json.load(response)


THROTTLE_SCENARIOS = {  # name: (proxy flags, what the accepted rate is measured against, target share)
    "fault_free": ((), "set", 0.95),
    "random_10_percent": (("--throttle", "0.1"), "set", 0.80),
    "limit_half_of_set": (("--limit", "{half}"), "limit", 0.90),
}


def bench_throttle(site: Path, tmp: Path, rate: float, duration: float) -> dict:
    from csoa.model.regions import Region
    from csoa.sending.localaws import FAKE_CREDENTIALS, provision, start_moto_process
    from csoa.sending.ses import make_sesv2

    os.environ.update(FAKE_CREDENTIALS)
    moto, moto_url = start_moto_process()
    results = {"set_rate": rate, "duration_s": duration,
               "before_the_fix": "the code before issue 12's fix (23f6bb2), same proxy and moto, set to 100 msg/s: "
                                 "10% random throttling 9.7 msg/s (the issue measured 8.6); "
                                 "a real limit of 50 msg/s 44.4 msg/s accepted"}
    try:
        provision(moto_url, "newsletter@csoalliance.com", "members", [Region("asia", "Asia", "asia", True)], "newsletter")
        for name, (flags, against, share) in THROTTLE_SCENARIOS.items():
            proxy, url = _proxy(moto_url, *(f.format(half=rate / 2) for f in flags))
            try:
                os.environ["AWS_ENDPOINT_URL"] = url
                report, wall, _ = _send(site, tmp / f"throttle-{name}.sqlite3", int(rate * duration),
                                        make_sesv2(max_pool=64), rate, tmp / "reports")
                stats = _proxy_stats(url)
            finally:
                proxy.kill()
                proxy.wait()
            reference = rate if against == "set" else rate / 2
            achieved = report.sent / report.duration_s  # the sending phase (freeze and preflight are not throttled)
            results[name] = {"sent": report.sent, "wall_s": round(wall, 1), "sending_s": round(report.duration_s, 1),
                             "achieved_rate": round(achieved, 1),
                             "reference_rate": reference, "percent_of_reference": round(100 * achieved / reference, 1),
                             "target_percent": round(100 * share), "ok": achieved >= share * reference,
                             "throttles": report.throttles, "rate_cuts": report.rate_cuts,
                             "final_rate": report.final_rate, "proxy": stats,
                             "ledger": report.ledger, "load_average_1min": round(os.getloadavg()[0], 1)}
    finally:
        moto.kill()
        moto.wait()
    return results


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (this process's peak since exec) from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    raise KeyError(field)


def memory_child(site: str, tmp: str, members: int, over_http: bool) -> dict:
    """One send in this (fresh) process: the peak, the memory once everything is set up, and the highest
    RSS in the first and the second half of the sending (equal when nothing grows with the audience)."""
    from csoa.sending.ses import make_sesv2

    samples: list[tuple[float, float]] = []
    marks: dict = {}

    def sample():
        while "done" not in marks:
            samples.append((time.monotonic(), _status_mb("VmRSS")))
            time.sleep(0.25)

    threading.Thread(target=sample, daemon=True).start()
    sesv2 = make_sesv2(max_pool=64) if over_http else ZeroLatencySES()
    report, wall, _ = _send(Path(site), Path(tmp) / f"memory-{over_http}.sqlite3", members, sesv2, 1e9,
                            Path(tmp) / "reports",
                            before_sending=lambda: marks.update(setup_mb=_status_mb("VmRSS"), start=time.monotonic()))
    marks["done"] = time.monotonic()
    middle = (marks["start"] + marks["done"]) / 2
    halves = [[mb for t, mb in samples if lo <= t < hi] or [0.0]
              for lo, hi in ((marks["start"], middle), (middle, marks["done"]))]
    peak = max(_status_mb("VmHWM"), *halves[0], *halves[1])  # the kernel updates VmHWM lazily
    return {"sent": report.sent, "wall_s": round(wall, 1), "peak_rss_mb": peak,
            "rss_before_sending_mb": marks["setup_mb"], "send_first_half_peak_mb": max(halves[0]),
            "send_second_half_peak_mb": max(halves[1]), "ledger": report.ledger}


def _memory_run(site: Path, tmp: Path, members: int, endpoint: str | None) -> dict:
    """memory_child in a fresh interpreter. Its peak is read from VmHWM: ru_maxrss would also count this
    process's own peak (the fixture site's build), which Linux carries across fork and exec."""
    code = (f"import sys, json; sys.path[:0] = {[str(ROOT / 'bench'), str(ROOT / 'tests')]!r}\n"
            "import bench_newsletter as b\n"
            f"print(json.dumps(b.memory_child({str(site)!r}, {str(tmp)!r}, {members}, {endpoint is not None})))\n")
    env = {**os.environ, **({"AWS_ENDPOINT_URL": endpoint} if endpoint else {})}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


BEFORE_MEMORY = ("the code before issue 16's sender-memory work (c327515), 100,000 members, measured the same way on "
                 "the same machine: over HTTP 91.4 MB (72.8 MB before sending), in-process 74.8 MB. The 183.9 MB of "
                 "earlier runs was ru_maxrss, which carries this benchmark process's own peak (building the fixture "
                 "site) into the child across fork and exec: measured that way the old code gave 172.6 MB here")


def bench_memory(site: Path, tmp: Path, members: int = 100000) -> dict:
    from csoa.model.regions import Region
    from csoa.sending.localaws import FAKE_CREDENTIALS, provision, start_moto_process

    os.environ.update(FAKE_CREDENTIALS)
    moto, moto_url = start_moto_process()
    try:
        provision(moto_url, "newsletter@csoalliance.com", "members", [Region("asia", "Asia", "asia", True)], "newsletter")
        proxy, url = _proxy(moto_url, "--sink")
        try:
            over_http = _memory_run(site, tmp, members, url)
            over_http["proxy"] = _proxy_stats(url)
        finally:
            proxy.kill()
            proxy.wait()
    finally:
        moto.kill()
        moto.wait()
    in_process = _memory_run(site, tmp, members, None)
    peak = max(over_http["peak_rss_mb"], in_process["peak_rss_mb"])
    return {"members": members, "workers": 32, "target_mb": 100, "ok": peak <= 100, "peak_rss_mb": peak,
            "over_http": over_http, "in_process_zero_latency": in_process, "before_the_fix": BEFORE_MEMORY}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--throttle-duration", type=float, default=30.0)
    parser.add_argument("--members", type=int, default=100000, help="audience of the memory part")
    parser.add_argument("--parts", default="render,pipeline,moto,memory,throttle")
    args = parser.parse_args()
    parts = args.parts.split(",")
    results_path = ROOT / "bench" / "results" / "newsletter.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.chdir(tmp)
        site = _site(tmp)
        if "render" in parts:
            results["render"] = bench_render(site)
        if "pipeline" in parts:
            results["pipeline"] = bench_pipeline(site, tmp)
        if "moto" in parts:
            result = bench_moto(site, tmp, args.rate, args.duration)
            results.setdefault("moto_by_rate", {})[f"{args.rate:g}"] = result
            if args.rate == 100:  # the headline figure: 100 msg/s for 60 s
                results["moto"] = result
        if "memory" in parts:
            results["memory"] = bench_memory(site, tmp, args.members)
        if "throttle" in parts:
            results["throttling"] = bench_throttle(site, tmp, args.rate, args.throttle_duration)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
