"""The sample site with the real NGA ASAM export as its incident table, built in a temporary folder,
and what a page costs a reader on first load, measured in Chromium. Shared by
bench/bench_stats_browser.py and the page-weight test (tests/test_stats_explore_real.py).

The licensed data is read from ../shared/data and never written into the project: the site's
content is copied to the temporary folder and the import writes the table there.
"""

from __future__ import annotations

import gzip
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
ASAM = SHARED_DATA / "nga-asam" / "asam_2022-06-21.csv"
BUILT_ON = datetime(2022, 6, 21, tzinfo=timezone.utc)  # the export's date
BUDGET_BYTES = 1_000_000  # compressed bytes a page may transfer on first load (issue 15)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def project_regions():
    """The project's regions (pelicanconf.py's REGION_TABLE and REGION_POLYGONS)."""
    from csoa.engine.build import load_settings
    from csoa.model.regions import site_regions

    return site_regions(load_settings(ROOT / "pelicanconf.py"))


def real_content(work: Path):
    """work/content: the project's content with the ASAM export imported in place of the sample
    table; returns (folder, the import's report)."""
    from csoa.stats.importer import import_incidents

    content = work / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("incidents.csv"))
    report = import_incidents("asam", ASAM, content / "data" / "incidents.csv", BUILT_ON.date(),
                              regions=project_regions(), ports_file=content / "data" / "ports.csv",
                              report_dir=work / "import-report")
    return content, report


def synthetic_content(work: Path, count: int = 100_000) -> tuple[Path, int]:
    """work/content holding only an incident table of ``count`` synthetic incidents (seed 1, placed in
    the project's regions) and the project's ports; returns (folder, number of incidents)."""
    from csoa.model.incident_table import write_incidents
    from csoa.stats.importer import enrich
    from csoa.stats.sample_data import generate

    records = enrich(generate(count, seed=1), None, project_regions())
    content = work / "content"
    (content / "data").mkdir(parents=True)
    write_incidents(content / "data" / "incidents.csv", records)
    shutil.copy(ROOT / "content" / "data" / "ports.csv", content / "data" / "ports.csv")
    return content, len(records)


def build_real_site(work: Path) -> Path:
    """content/ with the ASAM export imported in place of the sample table, built into work/output."""
    from csoa.engine.build import build_site

    content, _ = real_content(work)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(BUILT_ON.timestamp()))
    try:
        return build_site(ROOT / "pelicanconf.py", {"PATH": str(content), "OUTPUT_PATH": str(work / "output"),
                                                    "CACHE_PATH": str(work / "cache"), "BUILD_NOW": BUILT_ON})
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def compressed_size(body: bytes) -> int:
    """What the body costs over the wire: gzip at the level web servers and CloudFront use."""
    return len(gzip.compress(body, compresslevel=6, mtime=0))


# What marks the list and the map usable: their data is drawn (their scripts set these).
READY = {"/statistics/incidents/": "#incident-list[data-ready]", "/statistics/map/": "#interactive-map[data-loaded]"}


def first_load(page, url: str, ready: str | None = None) -> dict:
    """Open url in a page with an empty cache, wait for `ready` (a selector) and until no request
    is pending (the scripts' fetches are part of the first load); every response body, compressed.
    ("networkidle" alone is not enough: on a busy machine a script may start its fetch later.)"""
    responses, pending = [], set()
    page.on("request", lambda request: pending.add(request))  # (Playwright takes no builtins as handlers)
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    if ready:
        page.wait_for_selector(ready, state="attached")
    for _ in range(600):  # at most 30 s
        if not pending:
            break
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    resources = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        resources.append({"url": response.url, "bytes": len(body), "compressed": compressed_size(body)})
    return {"url": url, "compressed": sum(r["compressed"] for r in resources),
            "bytes": sum(r["bytes"] for r in resources), "resources": resources}


def real_data_present() -> bool:
    return ASAM.is_file()

