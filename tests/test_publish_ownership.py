"""A publish deletes only what an earlier publish uploaded (the publish manifest), against moto's server."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from test_publish import FailingPuts, aws, deploy, endpoint, invalidations, keys, local_files, make_site, page  # noqa: F401 (fixtures)

from csoa.publishing.manifest import MANIFEST_NAME, path_digest
from csoa.publishing.plan import scan_output
from csoa.publishing.s3sync import PublishError, UploadFailed, upload_one


def loud():
    return Console(file=io.StringIO(), width=300)


def put_backups(s3, bucket, count, folder="backups/"):
    for n in range(count):
        s3.put_object(Bucket=bucket, Key=f"{folder}2016-07-{n:03d}.tar", Body=f"backup {n}".encode())


def test_objects_no_publish_uploaded_are_left_alone_with_an_empty_prefix(tmp_path, aws):
    """The issue's case: 60 unrelated backups/ objects, 14 % of the bucket (under the 20 % guard)."""
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    for n in range(340):  # with the site's 32 files: 60 of 432 objects = 14 %
        (out / f"files/circular-{n:03d}.txt").write_text(f"circular {n}\n")
    deploy(out, bucket, distribution)
    put_backups(s3, bucket, 60)
    backups = {k: e for k, e in keys(s3, bucket).items() if k.startswith("backups/")}
    assert len(backups) == 60 and 0.13 < 60 / len(keys(s3, bucket)) < 0.15

    (out / "index.html").write_text(page("Home", "edited"))
    console = loud()
    report = deploy(out, bucket, distribution, console=console)
    assert report.uploaded == ["index.html"] and report.deleted == []
    assert sorted(report.left_alone) == sorted(backups)
    assert "Left alone: 60 objects that no publish uploaded (backups/ 60)" in console.file.getvalue()
    assert "60 left alone" in console.file.getvalue()

    # a page the site no longer has is still deleted; the backups still are not
    (out / "files/report.pdf").unlink()
    report = deploy(out, bucket, distribution)
    assert report.deleted == ["files/report.pdf"]
    remaining = keys(s3, bucket)
    assert {k: remaining.get(k) for k in backups} == backups  # same objects, same bytes
    assert set(remaining) == set(local_files(out)) | set(backups)
    for inv in invalidations(cloudfront, distribution):
        assert not any("backups" in p for p in inv["InvalidationBatch"]["Paths"]["Items"])


def publish_like_the_old_version(s3, bucket, out):
    """What the previous publisher left: the site's objects (with its sha256 metadata), no manifest."""
    for file in scan_output(out):
        upload_one(s3, bucket, file.path, file)


def test_the_first_publish_over_an_old_bucket_deletes_nothing_and_adopts_the_build(tmp_path, aws):
    s3, _cf, bucket, distribution = aws
    out = make_site(tmp_path)
    (out / "news/old-item/index.html").parent.mkdir(parents=True)
    (out / "news/old-item/index.html").write_text(page("An item the site has dropped since"))
    publish_like_the_old_version(s3, bucket, out)
    (out / "news/old-item/index.html").unlink()
    put_backups(s3, bucket, 3)
    assert MANIFEST_NAME not in keys(s3, bucket, manifest=True)

    console = loud()
    report = deploy(out, bucket, distribution, console=console)
    printed = console.file.getvalue()
    assert report.deleted == [] and report.uploaded == []
    assert sorted(report.left_alone) == [f"backups/2016-07-00{n}.tar" for n in range(3)] + ["news/old-item/index.html"]
    assert f"No publish manifest at s3://{bucket}/{MANIFEST_NAME} yet" in printed and "nothing is deleted" in printed
    assert "Left alone: 4 objects that no publish uploaded (backups/ 3, news/ 1)" in printed
    assert "news/old-item/index.html" in keys(s3, bucket)
    assert MANIFEST_NAME in keys(s3, bucket, manifest=True)

    # the build's files are now the site's: one the build drops is deleted by the next publish
    (out / "files/report.pdf").unlink()
    report = deploy(out, bucket, distribution)
    assert report.deleted == ["files/report.pdf"]
    assert len(report.left_alone) == 4 and "news/old-item/index.html" in keys(s3, bucket)


def test_the_manifest_names_no_path_and_is_not_cached(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    got = s3.get_object(Bucket=bucket, Key=MANIFEST_NAME)
    body = got["Body"].read()
    assert got["CacheControl"] == "no-store" and got["ContentType"] == "application/json"
    assert got["Metadata"] == {"published-by": "cso-alliance-publisher"}
    recorded = json.loads(body)["paths"]
    assert sorted(recorded) == sorted(path_digest(p) for p in local_files(out))
    for word in ("news", "index", "html", "theme", "report", "pagefind"):  # CloudFront can serve it: no path in it
        assert word.encode() not in body
    for inv in invalidations(cloudfront, distribution):
        assert not any(MANIFEST_NAME in p for p in inv["InvalidationBatch"]["Paths"]["Items"])
    # an unchanged site writes no new manifest (same paths, same bytes)
    etag = keys(s3, bucket, manifest=True)[MANIFEST_NAME]
    deploy(out, bucket, distribution)
    assert keys(s3, bucket, manifest=True)[MANIFEST_NAME] == etag

    (out / MANIFEST_NAME).write_text("{}")
    with pytest.raises(ValueError, match="reserved for the publish manifest"):
        deploy(out, bucket, distribution)


def test_a_run_stopped_mid_upload_still_owns_what_it_uploaded(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    deploy(out, bucket, distribution)
    (out / "files/new.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (out / "index.html").write_text(page("Home", "links the new PDF"))
    with pytest.raises(UploadFailed):  # the assets went up, the page did not
        deploy(out, bucket, distribution, s3=FailingPuts(s3, {"index.html"}), cloudfront=cloudfront)
    assert "files/new.pdf" in keys(s3, bucket)

    (out / "files/new.pdf").unlink()  # the editor changes their mind before the re-run
    report = deploy(out, bucket, distribution)
    assert report.deleted == ["files/new.pdf"] and report.left_alone == []


def test_a_damaged_manifest_stops_the_publish_before_any_change(tmp_path, aws):
    s3, _cf, bucket, _dist = aws
    out = make_site(tmp_path)
    deploy(out, bucket)
    s3.put_object(Bucket=bucket, Key=MANIFEST_NAME, Body=b'{"paths": ["news/a/index.html"]}')
    (out / "files/report.pdf").unlink()
    before = keys(s3, bucket, manifest=True)
    with pytest.raises(PublishError) as failed:
        deploy(out, bucket)
    message = str(failed.value)
    assert f"s3://{bucket}/{MANIFEST_NAME} is not a publish manifest" in message
    assert "Nothing was uploaded or deleted" in message and "delete it and re-run" in message
    assert keys(s3, bucket, manifest=True) == before


def test_a_site_at_the_bucket_root_leaves_another_prefix_alone(tmp_path, aws):
    s3, _cf, bucket, _dist = aws
    staging = make_site(tmp_path / "staging")
    deploy(staging, bucket, prefix="staging")
    root_site = make_site(tmp_path / "root")
    deploy(root_site, bucket)
    (root_site / "files/report.pdf").unlink()
    report = deploy(root_site, bucket)
    assert report.deleted == ["files/report.pdf"]
    staged = {f"staging/{p}" for p in local_files(staging)} | {f"staging/{MANIFEST_NAME}"}
    assert set(keys(s3, bucket, "staging/", manifest=True)) == staged
    assert sorted(report.left_alone) == sorted(staged)


def test_a_manifest_that_cannot_be_written_stops_the_publish_before_any_upload(tmp_path, aws):
    s3, cloudfront, bucket, distribution = aws
    out = make_site(tmp_path)
    failing = FailingPuts(s3, {MANIFEST_NAME})  # as a missing s3:PutObject grant for it would
    with pytest.raises(PublishError) as failed:
        deploy(out, bucket, distribution, s3=failing, cloudfront=cloudfront)
    assert f"cannot write s3://{bucket}/{MANIFEST_NAME}" in str(failed.value)
    assert "Nothing was uploaded or deleted" in str(failed.value)
    assert keys(s3, bucket, manifest=True) == {} and invalidations(cloudfront, distribution) == []
