"""Publishing benchmarks: sync planning, S3 sync over HTTP (moto), link check, minify, image variants.

Run: .venv/bin/python bench/bench_publish.py [--pages N]; writes bench/results/publish.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from aws_local import moto_server  # noqa: E402
from PIL import Image  # noqa: E402
from rich.console import Console  # noqa: E402

from csoa.apps.publish import Target, sync_output
from csoa.images.variants import make_variants
from csoa.linkcheck import check_site
from csoa.publishing.minify import minify_tree
from csoa.publishing.plan import make_plan, scan_output


def synthetic_site(root: Path, pages: int) -> Path:
    random.seed(7)
    (root / "theme/css").mkdir(parents=True)
    (root / "theme/css/site.css").write_text("body {\n  color: #111;\n}\n" * 50)
    words = "piracy boarding tanker anchorage report workshop security officer gulf guinea".split()
    for i in range(pages):
        page = root / f"news/item-{i}/index.html"
        page.parent.mkdir(parents=True)
        links = "".join(f'<li><a href="/news/item-{random.randrange(pages)}/">related</a></li>' for _ in range(5))
        body = " ".join(random.choice(words) for _ in range(400))
        page.write_text(f'<!DOCTYPE html>\n<html lang="en">\n<head>\n  <title>Item {i}</title>\n'
                        f'  <link rel="stylesheet" href="/theme/css/site.css">\n</head>\n<body>\n'
                        f'  <main id="main">\n    <h1>Item {i}</h1>\n    <p>{body}</p>\n    <ul>{links}</ul>\n'
                        f'  </main>\n</body>\n</html>\n')
    (root / "index.html").write_text('<!DOCTYPE html><html lang="en"><title>x</title><a href="/news/item-0/">a</a></html>')
    return root


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - started, 3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    results = {"pages": args.pages}
    process = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp:
        site = synthetic_site(Path(tmp) / "site", args.pages)
        files, results["scan_seconds"] = timed(lambda: scan_output(site))
        results["files"] = len(files)
        _plan, results["plan_seconds_empty_remote"] = timed(lambda: make_plan(files, {}, ""))
        broken, results["linkcheck_seconds"] = timed(lambda: check_site(site))
        results["linkcheck_broken"] = len(broken)
        results["linkcheck_pages_per_second"] = round(args.pages / results["linkcheck_seconds"])
        report, results["minify_seconds"] = timed(lambda: minify_tree(site))
        results["minify_bytes_before"], results["minify_bytes_after"] = report.bytes_before, report.bytes_after

        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
        with moto_server() as endpoint:
            os.environ["AWS_ENDPOINT_URL"] = endpoint
            import boto3

            boto3.client("s3").create_bucket(Bucket="bench")
            quiet = Console(file=io.StringIO())
            first, results["first_deploy_seconds"] = timed(lambda: sync_output(site, Target("bench"), console=quiet))
            again, results["noop_deploy_seconds"] = timed(lambda: sync_output(site, Target("bench"), console=quiet))
            for page in list(site.glob("news/item-1*/index.html"))[:10]:
                page.write_text(page.read_text() + "<!-- edit -->")
            edit, results["ten_edits_deploy_seconds"] = timed(lambda: sync_output(site, Target("bench"), console=quiet))
            results["uploads"] = [len(first.uploaded), len(again.uploaded), len(edit.uploaded)]

        photo = Path(tmp) / "content/images/photo.jpg"
        photo.parent.mkdir(parents=True)
        Image.effect_noise((4000, 3000), 60).convert("RGB").save(photo, "JPEG", quality=90)
        variants, results["image_variants_seconds_4000x3000"] = timed(
            lambda: make_variants(photo, "images", Path(tmp) / "out", None))
        results["image_variants"] = [v.width for v in variants]
    results["peak_rss_mb"] = round(process.memory_info().rss / 2**20, 1)
    out = ROOT / "bench/results/publish.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
