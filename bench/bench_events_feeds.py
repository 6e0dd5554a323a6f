"""Benchmark of the events and feeds area's plain modules at site scale.

Parses N event headers, builds one calendar of N events (with VTIMEZONEs), absolutises the URLs of
M feed items and builds the Atom and RSS documents of M items. Median of REPEATS runs each; peak
Python memory with tracemalloc. Also times the feeds generator (FeedsGenerator.generate_output) in
real builds of the benchmark corpus: the first build of a process (cold) and the next ones in the
same process (warm: what the dev loop pays on every rebuild). Writes bench/results/events_feeds.json.

    .venv/bin/python bench/bench_events_feeds.py [--events 1000] [--items 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from csoa.events.ical import CalendarEntry, _build_calendar, build_calendar
from csoa.util.memo import LastBuildMemo
from csoa.feeds.absolute import absolutize_html
from csoa.feeds.build import Category, FeedChannel, FeedItem, build_atom, build_rss
from csoa.model.events import parse_event
from csoa.model.stable_ids import tag_uri

SITE = "https://www.csoalliance.com"
ZONES = ["Europe/London", "Asia/Nicosia", "Asia/Singapore", "Africa/Lagos", "Europe/Athens", "UTC"]
HTML = (
    '<p>Read <a href="/files/report-{n}.pdf">the report</a> and <a href="notes.html">notes</a>.</p>'
    '<img src="/images/chart-{n}.png" srcset="/images/chart-{n}.png 1x, /images/chart-{n}@2x.png 2x" alt="">'
) * 5


def event_metas(n):
    start = datetime(2019, 1, 1, 9)
    for i in range(n):
        day = start + timedelta(days=i % 3000, hours=i % 5)
        all_day = i % 4 == 0
        yield {
            "title": f"Event {i}",
            "date": "2018-12-01 09:00",
            "summary": "A benchmark event.",
            "start": day.strftime("%Y-%m-%d" if all_day else "%Y-%m-%d %H:%M"),
            "end": (day + timedelta(days=i % 3 if all_day else 0, hours=0 if all_day else 3)).strftime(
                "%Y-%m-%d" if all_day else "%Y-%m-%d %H:%M"
            ),
            "timezone": ZONES[i % len(ZONES)],
            "city": "London",
            "country": "GB",
            "uid": f"bench-{i}",
        }


def measure(fn, repeats):
    """Median wall time of ``repeats`` plain runs, then one more run under tracemalloc for the peak."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"seconds": round(statistics.median(times), 4), "peak_mb": round(peak, 1)}, result


def site_build_cost(n: int, repeats: int) -> dict:
    """Whole builds of the benchmark corpus, with every plugin and without the events and feeds ones."""
    import os
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus
    from measure import median_run, run_measured

    sys.path.insert(0, str(ROOT))
    import pelicanconf

    plugins = list(pelicanconf.PLUGINS)
    without = [p for p in plugins if p.rsplit(".", 1)[-1] not in ("events", "feeds")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1562544000", "PYTHONHASHSEED": "0"}
    row = {"news_items": n}
    with tempfile.TemporaryDirectory() as tmp:
        content = write_corpus(Path(tmp), n)
        for label, chosen in (("with_events_feeds", plugins), ("without_events_feeds", without)):
            code = (
                "from csoa.engine.build import build_site;"
                f"build_site('pelicanconf.py', {{'PATH': {str(content)!r}, 'OUTPUT_PATH': {tmp + '/out-' + label!r},"
                f" 'CACHE_PATH': {tmp + '/cache'!r}, 'PLUGINS': {chosen!r}}})"
            )
            run = median_run([run_measured([sys.executable, "-c", code], cwd=ROOT, env=env) for _ in range(repeats)])
            row[label] = {"seconds": round(run.seconds, 2), "peak_mb": round(run.peak_mb, 1)}
    return row


def generator_cost(n: int, repeats: int, builds: int = 3) -> dict:
    """FeedsGenerator.generate_output seconds in ``builds`` builds of one process; each process is
    a fresh one (a child), ``repeats`` of them; medians."""
    import os
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import write_corpus

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1562544000", "PYTHONHASHSEED": "0"}
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), n)
        for _ in range(repeats):
            child = [sys.executable, __file__, "--generator-child", tmp, "--builds", str(builds)]
            done = subprocess.run(child, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "news_items": n,
        "builds_per_process": builds,
        "cold_seconds": round(statistics.median(r[0] for r in runs), 4),
        "warm_seconds": round(statistics.median(t for r in runs for t in r[1:]), 4),
    }


def generator_child(tmp: str, builds: int) -> None:
    """In the child: ``builds`` real builds of the corpus under ``tmp``; print the feeds generator's
    seconds in each as a JSON list."""
    sys.path.insert(0, str(ROOT))
    from csoa.engine.build import load_settings, run_pelican
    from csoa.plugins import feeds as feeds_generator
    from csoa.util.session import BuildSession

    seconds = []
    original = feeds_generator.FeedsGenerator.generate_output

    def timed(self, writer):
        t0 = time.perf_counter()
        try:
            return original(self, writer)
        finally:
            seconds.append(time.perf_counter() - t0)

    feeds_generator.FeedsGenerator.generate_output = timed
    session = BuildSession()  # kept from build to build, as a long-lived process does: warm memos
    for i in range(builds):
        overrides = {"PATH": f"{tmp}/content", "OUTPUT_PATH": f"{tmp}/out-{i}", "CACHE_PATH": f"{tmp}/cache"}
        run_pelican(load_settings(ROOT / "pelicanconf.py", overrides), session)
    print(json.dumps(seconds))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--site", type=int, default=2000, help="news items of the whole-build corpus (0: skip)")
    ap.add_argument("--generator", type=int, default=2000, help="news items for the feeds generator timing (0: skip)")
    ap.add_argument("--builds", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--generator-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generator_child:
        generator_child(args.generator_child, args.builds)
        return 0
    metas = list(event_metas(args.events))
    results = {"events": args.events, "items": args.items, "repeats": args.repeats}

    results["parse_events"], events = measure(
        lambda: [parse_event(m, default_uid="x", default_timezone="UTC") for m in metas], args.repeats
    )
    stamp = datetime(2019, 1, 1, tzinfo=timezone.utc)
    entries = [CalendarEntry(e, f"{SITE}/events/{e.uid}/", "Description", stamp) for e in events]
    calendar_args = dict(name="Bench", prodid="-//CSO Alliance//Bench//EN", domain="www.csoalliance.com")
    # built from scratch every time (build_calendar remembers results; that is timed separately)
    results["calendar"], data = measure(lambda: _build_calendar(entries, **calendar_args), args.repeats)
    results["calendar"]["bytes"] = len(data)
    memo = LastBuildMemo()  # a build session's
    build_calendar(entries, **calendar_args, memo=memo)
    results["calendar_remembered"], _ = measure(lambda: build_calendar(entries, **calendar_args, memo=memo), args.repeats)

    results["absolutize_items"], bodies = measure(
        lambda: [absolutize_html(HTML.format(n=i), f"{SITE}/news/item-{i}/") for i in range(args.items)], args.repeats
    )
    base = datetime(2016, 1, 1, tzinfo=timezone.utc)
    items = [
        FeedItem(
            title=f"Item {i}",
            link=f"{SITE}/news/item-{i}/",
            id=tag_uri(f"news/item-{i}", SITE),
            published=base + timedelta(hours=i),
            updated=base + timedelta(hours=i),
            authors=("CSO Alliance",),
            categories=(Category("news", "News"),),
            summary_html="<p>Summary</p>",
            content_html=bodies[i],
        )
        for i in range(args.items)
    ]
    channel = FeedChannel(
        title="Bench",
        description="Bench",
        site_link=f"{SITE}/",
        atom_url=f"{SITE}/a.xml",
        rss_url=f"{SITE}/r.xml",
        id="tag:bench",
        author="CSO Alliance",
        author_uri=f"{SITE}/",
    )
    results["atom_and_rss"], docs = measure(
        lambda: (build_atom(channel, items), build_rss(channel, items)), args.repeats
    )
    results["atom_and_rss"]["bytes"] = sum(len(d) for d in docs)

    if args.site:
        results["site_build"] = site_build_cost(args.site, args.repeats)
    if args.generator:
        results["feeds_generator"] = generator_cost(args.generator, args.repeats, args.builds)

    out = ROOT / "bench" / "results" / "events_feeds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
