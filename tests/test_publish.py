"""Deploy: the sync plan and the S3/CloudFront sync, against moto's server over HTTP."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from aws_local import create_distribution, fake_aws_env, moto_server
from PIL import Image
from rich.console import Console

from csoa.apps.publish import Target, sync_output
from csoa.publishing.content_types import FINGERPRINT, UnknownContentType, is_fingerprinted
from csoa.publishing.manifest import MANIFEST_NAME
from csoa.publishing.s3sync import DeletionRefused, UploadFailed

SHORT = "public, max-age=300, must-revalidate"
MEDIUM = "public, max-age=86400"
LONG = "public, max-age=31536000, immutable"
HTML = "text/html; charset=utf-8"

# The expected type and cache policy of every kind of file the site produces, written out by hand.
EXPECTED = {
    "index.html": (HTML, SHORT),
    "news/a-news-item/index.html": (HTML, SHORT),
    "search/index.html": (HTML, SHORT),
    "theme/css/site.css": ("text/css; charset=utf-8", MEDIUM),
    "theme/js/menu.js": ("text/javascript; charset=utf-8", MEDIUM),
    "feeds/all.atom.xml": ("application/atom+xml; charset=utf-8", SHORT),
    "feeds/all.rss.xml": ("application/rss+xml; charset=utf-8", SHORT),
    "sitemap.xml": ("application/xml; charset=utf-8", SHORT),
    "events/calendar.ics": ("text/calendar; charset=utf-8", SHORT),
    "data/figures.json": ("application/json", SHORT),
    "data/regions.geojson": ("application/geo+json", SHORT),
    "images/chart.png": ("image/png", MEDIUM),
    "images/ship-480w.3fa2c1d9e0.png": ("image/png", LONG),
    "images/logo.svg": ("image/svg+xml", MEDIUM),
    "files/report.pdf": ("application/pdf", MEDIUM),
    "pagefind/pagefind-entry.json": ("application/json", SHORT),
    "pagefind/pagefind-ui.js": ("text/javascript; charset=utf-8", SHORT),
    "pagefind/pagefind-ui.css": ("text/css; charset=utf-8", SHORT),
}


def page(title: str, body: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="stylesheet" href="/theme/css/site.css"></head><body>'
            f"<main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>")


def png_bytes(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_site(root: Path) -> Path:
    files = {
        "index.html": page("Home"),
        "news/a-news-item/index.html": page("A news item", "BIMCO workshop"),
        "search/index.html": page("Search"),
        "theme/css/site.css": "body { color: #111; }\n",
        "theme/js/menu.js": "document.documentElement.classList.add('js');\n",
        "feeds/all.atom.xml": '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        "feeds/all.rss.xml": '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel></channel></rss>',
        "sitemap.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
        "events/calendar.ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nEND:VCALENDAR\r\n",
        "data/figures.json": '{"incidents": 3}',
        "data/regions.geojson": '{"type": "FeatureCollection", "features": []}',
        "images/chart.png": png_bytes("red"),
        "images/ship-480w.3fa2c1d9e0.png": png_bytes("blue"),
        "images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>',
        "files/report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    }
    out = root / "output"
    for rel, body in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
    # a real Pagefind bundle, as the search plugin makes it
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent"], check=True)
    return out


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


@pytest.fixture
def aws(endpoint, monkeypatch):
    """Clients made by the test from the same env chain the code under test uses (no endpoint_url arg)."""
    fake_aws_env(monkeypatch, endpoint)
    s3, cloudfront = boto3.client("s3"), boto3.client("cloudfront")
    bucket = f"site-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    distribution = create_distribution(cloudfront, bucket)
    return s3, cloudfront, bucket, distribution


def keys(s3, bucket, prefix="", manifest=False):
    """The bucket's objects and ETags; without the publish manifest unless ``manifest``."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    found = {o["Key"]: o["ETag"] for p in pages for o in p.get("Contents", [])}
    return {k: e for k, e in found.items() if manifest or not k.endswith(MANIFEST_NAME)}


def invalidations(cloudfront, distribution):
    items = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", [])
    return [cloudfront.get_invalidation(DistributionId=distribution, Id=i["Id"])["Invalidation"] for i in items]


def quiet():
    return Console(file=io.StringIO(), width=200)


def deploy(out, bucket, distribution=None, prefix="", **kwargs):
    kwargs.setdefault("console", quiet())
    return sync_output(out, Target(bucket, prefix, distribution), **kwargs)


def local_files(out):
    return {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}


def test_first_deploy_uploads_everything_with_types_cache_and_no_public_acl(tmp_path, aws):
    s3, _cf, bucket, distribution = aws
    out = make_site(tmp_path)
    report = deploy(out, bucket, distribution)  # clients come from the env chain: AWS_ENDPOINT_URL -> moto
    files = local_files(out)
    assert sorted(report.uploaded) == sorted(files)
    assert set(keys(s3, bucket)) == set(files)
    pagefind_chunks = [k for k in files if k.endswith((".pf_fragment", ".pf_index", ".pf_meta"))]
    assert pagefind_chunks, "the Pagefind bundle has fingerprinted chunks"
    expected = dict(EXPECTED)
    expected.update({k: ("application/octet-stream", LONG) for k in pagefind_chunks})
    expected.update({k: ("application/octet-stream", SHORT) for k in files if k.startswith("pagefind/wasm.")})
    for key, (ctype, cache) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (key, head["ContentType"], head["CacheControl"]) == (key, ctype, cache)
        assert head["Metadata"]["sha256"] == hashlib.sha256(files[key].read_bytes()).hexdigest()
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == files[key].read_bytes()
    for key in files:
        grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        assert all("URI" not in g["Grantee"] for g in grants), f"{key} has a group (public) grant"


def test_unchanged_second_deploy_uploads_nothing(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    before = keys(s3, bucket)
    count = len(invalidations(cloudfront, distribution))
    report = deploy(out, bucket, distribution)
    assert report.uploaded == [] and report.deleted == [] and report.invalidation_id is None
    assert keys(s3, bucket) == before
    assert len(invalidations(cloudfront, distribution)) == count
    # --full re-uploads everything (the hashes cannot see a change of type or cache policy)
    assert sorted(deploy(out, bucket, distribution, full=True).uploaded) == sorted(local_files(out))


def test_edit_uploads_exactly_the_changed_files_assets_first_and_invalidates_them(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    (out / "news/a-news-item/index.html").write_text(page("A news item", "edited"))
    (out / "theme/css/site.css").write_text("body { color: #000; }\n")
    (out / "files/new.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    report = deploy(out, bucket, distribution)
    assert sorted(report.uploaded) == ["files/new.pdf", "news/a-news-item/index.html", "theme/css/site.css"]
    assert report.uploaded.index("theme/css/site.css") < report.uploaded.index("news/a-news-item/index.html")
    assert s3.get_object(Bucket=bucket, Key="theme/css/site.css")["Body"].read() == b"body { color: #000; }\n"
    latest = [i for i in invalidations(cloudfront, distribution) if i["Id"] == report.invalidation_id]
    assert len(latest) == 1
    assert sorted(latest[0]["InvalidationBatch"]["Paths"]["Items"]) == [
        "/files/new.pdf", "/news/a-news-item/", "/news/a-news-item/index.html", "/theme/css/site.css"]


def test_deletions_are_made_and_the_guard_refuses_mass_deletion(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    total = len(keys(s3, bucket))
    (out / "files/report.pdf").unlink()
    report = deploy(out, bucket, distribution, max_delete_share=0.1)
    assert report.deleted == ["files/report.pdf"]
    assert "files/report.pdf" not in keys(s3, bucket)
    inv = [i for i in invalidations(cloudfront, distribution) if i["Id"] == report.invalidation_id][0]
    assert inv["InvalidationBatch"]["Paths"]["Items"] == ["/files/report.pdf"]

    # a broken build that lost most of the site: refused, and nothing at all is touched
    for rel in ["news/a-news-item/index.html", "search/index.html", "images/chart.png", "images/logo.svg",
                "data/figures.json", "data/regions.geojson"]:
        (out / rel).unlink()
    (out / "index.html").write_text(page("Home", "changed"))
    before = keys(s3, bucket)
    with pytest.raises(DeletionRefused) as refused:
        deploy(out, bucket, distribution, max_delete_share=0.1)
    stable = [k for k in keys(s3, bucket) if not is_fingerprinted(k)]
    assert f"6 of the {len(stable)} pages and other files with stable names" in str(refused.value)
    assert "--force-delete" in str(refused.value)
    assert keys(s3, bucket) == before

    report = deploy(out, bucket, distribution, max_delete_share=0.1, force_delete=True)
    assert len(report.deleted) == 6 and report.uploaded == ["index.html"]
    assert set(keys(s3, bucket)) == set(local_files(out))


def test_superseded_fingerprinted_files_do_not_count_against_the_deletion_guard(tmp_path, aws):
    """New figures change every Pagefind chunk: the old chunks go without tripping the guard, which
    measures only files with stable names (the sign of a build that lost pages)."""
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    before = keys(s3, bucket)
    chunks = [k for k in before if is_fingerprinted(k)]
    for rel in chunks:  # as a re-index after new figures does: every chunk gets a new content hash
        old = out / rel
        name = FINGERPRINT.sub(lambda m: m.group(0)[0] + "f00d" + m.group(0)[5:], old.name)
        old.rename(old.with_name(name))
    superseded = set(chunks) - set(local_files(out))
    assert len(superseded) > 0.1 * len(before)  # the old guard would have refused this publish
    report = deploy(out, bucket, distribution, max_delete_share=0.1)
    assert set(report.deleted) & set(chunks)
    assert all(is_fingerprinted(k) for k in report.deleted)
    assert set(keys(s3, bucket)) == set(local_files(out))


def test_prefix_keeps_objects_outside_it(tmp_path, aws):
    s3, _cf, bucket, _dist = aws
    s3.put_object(Bucket=bucket, Key="other/keep.txt", Body=b"not ours")
    out = make_site(tmp_path)
    report = deploy(out, bucket, prefix="/staging/")
    assert set(keys(s3, bucket, "staging/")) == {f"staging/{k}" for k in local_files(out)}
    assert report.deleted == [] and "other/keep.txt" in keys(s3, bucket)


def test_dry_run_prints_the_plan_and_touches_nothing(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    (out / "stale.html").write_text(page("Stale"))
    deploy(out, bucket)  # an earlier publish put stale.html there
    (out / "stale.html").unlink()
    (out / "news/a-news-item/index.html").write_text(page("A news item", "edited"))
    s3.put_object(Bucket=bucket, Key="backups/db.sql", Body=b"not the site's")
    before = keys(s3, bucket, manifest=True)
    console = Console(file=io.StringIO(), width=300)
    report = deploy(out, bucket, distribution, dry_run=True, console=console, max_delete_share=0.01)
    printed = console.file.getvalue()
    assert report.dry_run and report.uploaded == [] and report.deleted == []
    assert report.left_alone == ["backups/db.sql"]
    assert keys(s3, bucket, manifest=True) == before
    assert invalidations(cloudfront, distribution) == []
    assert "upload  news/a-news-item/index.html  (text/html; charset=utf-8" in printed
    assert "delete  stale.html" in printed and "delete  backups/" not in printed
    assert "Left alone: 1 objects that no publish uploaded (backups/ 1)" in printed
    assert "invalidate  /news/a-news-item/" in printed
    assert "Dry run: nothing was uploaded" in printed
    assert "A real run would stop here: refusing to delete 1 of the " in printed


class FailingPuts:
    """Fault injection: the real client, except that put_object fails for chosen keys (as a network
    error or throttling would; moto cannot be told to fail one upload)."""

    def __init__(self, client, failing_keys):
        self._client, self._failing = client, set(failing_keys)

    def put_object(self, **kwargs):
        if kwargs["Key"] in self._failing:
            raise ConnectionResetError(f"injected failure for {kwargs['Key']}")
        return self._client.put_object(**kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_a_failed_upload_leaves_the_site_consistent_and_says_what_to_rerun(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    old_page = s3.get_object(Bucket=bucket, Key="news/a-news-item/index.html")["Body"].read()
    (out / "theme/css/site.css").write_text("body { color: navy; }\n")
    (out / "images/chart.png").write_bytes(png_bytes("green"))
    (out / "news/a-news-item/index.html").write_text(page("A news item", "uses the new chart"))
    (out / "files/report.pdf").unlink()
    count = len(invalidations(cloudfront, distribution))

    faulty = FailingPuts(s3, {"theme/css/site.css"})
    with pytest.raises(UploadFailed) as failed:
        # one worker: uploads in plan order, so chart.png (sorted before theme/) is done before the failure
        deploy(out, bucket, distribution, s3=faulty, cloudfront=cloudfront, max_delete_share=0.5, workers=1)
    message = str(failed.value)
    assert "theme/css/site.css: ConnectionResetError: injected failure" in message
    assert "re-run `invoke publish`" in message
    # the page that needs the new assets was not uploaded, nothing was deleted, nothing invalidated
    assert s3.get_object(Bucket=bucket, Key="news/a-news-item/index.html")["Body"].read() == old_page
    assert "files/report.pdf" in keys(s3, bucket)
    assert len(invalidations(cloudfront, distribution)) == count

    report = deploy(out, bucket, distribution, max_delete_share=0.5)  # the re-run finishes the job
    assert "theme/css/site.css" in report.uploaded and "news/a-news-item/index.html" in report.uploaded
    assert "images/chart.png" not in report.uploaded  # already uploaded by the failed run
    assert report.deleted == ["files/report.pdf"]
    assert set(keys(s3, bucket)) == set(local_files(out))


def test_a_file_without_a_known_type_stops_the_deploy_before_any_upload(tmp_path, aws):
    s3, _cf, bucket, _dist = aws
    out = make_site(tmp_path)
    (out / "files/notes.docx").write_bytes(b"PK")
    with pytest.raises(UnknownContentType) as unknown:
        deploy(out, bucket)
    assert "files/notes.docx" in str(unknown.value) and "CONTENT_TYPES" in str(unknown.value)
    assert keys(s3, bucket) == {}


class OpaqueEtags:
    """Fault injection: a bucket whose ETags are not MD5s (SSE-KMS or multipart uploads), which moto's
    S3 does not produce for put_object: the list responses carry other ETags."""

    def __init__(self, client):
        self._client = client

    def get_paginator(self, name):
        real = self._client.get_paginator(name)

        class Paginator:
            def paginate(self, **kwargs):
                for page in real.paginate(**kwargs):
                    for obj in page.get("Contents", []):
                        obj["ETag"] = '"' + hashlib.md5(obj["ETag"].encode()).hexdigest() + '-2"'
                    yield page

        return Paginator()

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_objects_whose_etag_is_no_md5_are_compared_by_the_recorded_sha256(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    opaque = OpaqueEtags(s3)
    assert deploy(out, bucket, distribution, s3=opaque, cloudfront=cloudfront).uploaded == []
    (out / "theme/js/menu.js").write_text("/* changed */\n")
    assert deploy(out, bucket, distribution, s3=opaque, cloudfront=cloudfront).uploaded == ["theme/js/menu.js"]
    # an object changed behind our back (no sha256 of ours) is replaced
    s3.put_object(Bucket=bucket, Key="images/logo.svg", Body=b"<svg/>")
    assert deploy(out, bucket, distribution, s3=opaque, cloudfront=cloudfront).uploaded == ["images/logo.svg"]


def test_a_missing_bucket_is_a_clear_error(tmp_path, aws):
    from csoa.publishing.s3sync import PublishError

    out = make_site(tmp_path)
    with pytest.raises(PublishError) as failed:
        deploy(out, "no-such-bucket-here")
    assert "cannot list s3://no-such-bucket-here/" in str(failed.value) and "NoSuchBucket" in str(failed.value)


def test_plan_orders_assets_before_pages_and_maps_paths_to_urls(tmp_path):
    from csoa.publishing.manifest import Ownership
    from csoa.publishing.plan import RemoteObject, make_plan

    out = tmp_path / "site"
    for rel in ["index.html", "a/index.html", "pagefind/pagefind-entry.json", "pagefind/index/en_1234567.pf_index",
                "files/annual report é.pdf", "theme/css/site.css"]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel)
    from csoa.publishing.plan import scan_output

    local = scan_output(out)
    same = next(f for f in local if f.path == "theme/css/site.css")
    remote = {"live/theme/css/site.css": RemoteObject("live/theme/css/site.css", same.md5),
              "live/old/index.html": RemoteObject("live/old/index.html", "0" * 32),
              "live/backups/site.tar": RemoteObject("live/backups/site.tar", "1" * 32)}
    owned = Ownership.of(["theme/css/site.css", "old/index.html"])  # recorded by an earlier publish
    plan = make_plan(local, remote, "live", owned=owned)
    assert [f.path for f in plan.uploads] == [
        "files/annual report é.pdf", "pagefind/index/en_1234567.pf_index",  # assets
        "pagefind/pagefind-entry.json",  # then the Pagefind entry that names the chunks
        "a/index.html", "index.html",  # pages last
    ]
    assert plan.unchanged == 1 and plan.deletions == ["live/old/index.html"]
    assert plan.left_alone == ["live/backups/site.tar"] and plan.remote_count == 2
    assert "/backups/site.tar" not in plan.invalidations
    assert "/files/annual%20report%20%C3%A9.pdf" in plan.invalidations
    assert {"/", "/index.html", "/a/", "/old/", "/old/index.html"} <= set(plan.invalidations)


def test_only_hash_like_names_count_as_fingerprinted():
    from csoa.publishing.content_types import cache_control

    assert cache_control("images/ship-480w.3fa2c1d9e0.jpg") == LONG
    assert cache_control("pagefind/fragment/en_1afd474.pf_fragment") == LONG
    assert cache_control("files/circular-20160708.pdf") == MEDIUM  # a date, not a hash
    assert cache_control("files/defaced.pdf") == MEDIUM
    assert cache_control("news/a/index.html") == SHORT
