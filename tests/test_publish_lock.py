"""Two publishes never hold one bucket at once: the lock object, against moto's real S3 API."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from aws_local import fake_aws_env, moto_server
from rich.console import Console
from sites import ROOT, site_settings

from csoa.apps import publish as deploy
from csoa.apps.publish import publish
from csoa.publishing.bucket_lock import BucketLock, BucketLocked, lock_key

NEWS = "Title: Lock test\nDate: 2016-07-08 09:00 +01:00\nSummary: A page.\n\nBody.\n"


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


@pytest.fixture
def s3(endpoint, monkeypatch):
    fake_aws_env(monkeypatch, endpoint)
    client = boto3.client("s3")
    client.create_bucket(Bucket="lock-site")
    yield client
    for item in client.list_objects_v2(Bucket="lock-site").get("Contents", []):
        client.delete_object(Bucket="lock-site", Key=item["Key"])
    client.delete_bucket(Bucket="lock-site")


def test_a_second_holder_is_refused_while_the_first_holds_the_lock(s3):
    first = BucketLock(s3, "lock-site", "live/").acquire()
    with pytest.raises(BucketLocked, match=r"another publish holds s3://lock-site/live/.publish-lock.json: .* pid"):
        BucketLock(s3, "lock-site", "live/").acquire()
    first.release()
    BucketLock(s3, "lock-site", "live/").acquire().release()  # free again
    assert "Contents" not in s3.list_objects_v2(Bucket="lock-site")


def test_of_many_racing_publishes_exactly_one_gets_the_lock(s3):
    results = []
    barrier = threading.Barrier(8)

    def race():
        barrier.wait()
        try:
            results.append(BucketLock(s3, "lock-site", "").acquire())
        except BucketLocked:
            results.append(None)

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r]) == 1


def test_a_dead_holder_blocks_until_its_lease_ends_or_the_lock_is_broken(s3):
    clock = [datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)]
    dead = BucketLock(s3, "lock-site", "", lease=timedelta(hours=1), now=lambda: clock[0]).acquire()
    assert dead.etag  # and then the process is killed: it never releases
    with pytest.raises(BucketLocked, match="until 2026-12-02T07:00:00"):
        BucketLock(s3, "lock-site", "", now=lambda: clock[0]).acquire()
    broken = BucketLock(s3, "lock-site", "", now=lambda: clock[0], break_lock=True).acquire()
    broken.release()
    dead2 = BucketLock(s3, "lock-site", "", lease=timedelta(hours=1), now=lambda: clock[0]).acquire()
    clock[0] += timedelta(hours=1, seconds=1)
    taken = BucketLock(s3, "lock-site", "", now=lambda: clock[0]).acquire()
    dead2.release()  # the dead run's late release must not free the new holder's lock
    with pytest.raises(BucketLocked):
        BucketLock(s3, "lock-site", "", now=lambda: clock[0]).acquire()
    taken.release()


def test_publish_refuses_while_another_publish_holds_the_bucket_and_changes_nothing(s3, tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_BUCKET", "lock-site")
    monkeypatch.setenv("SITE_PREFIX", "")
    monkeypatch.delenv("CLOUDFRONT_DISTRIBUTION_ID", raising=False)
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "content" / "news" / "a.md").write_text(NEWS)
    console = Console(file=io.StringIO(), width=200)
    holder = BucketLock(s3, "lock-site", "").acquire()
    built = []
    real_build = deploy.build_and_minify
    monkeypatch.setattr(deploy, "build_and_minify", lambda *a: built.append(a))  # must not even be reached
    with pytest.raises(BucketLocked):
        publish(ROOT / "publishconf.py", overrides=site_settings(tmp_path), console=console)
    assert not built
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="lock-site")["Contents"]] == [lock_key("")]

    holder.release()  # the other publish is done: this one goes through and leaves no lock behind
    monkeypatch.setattr(deploy, "build_and_minify", real_build)
    report = publish(ROOT / "publishconf.py", overrides=site_settings(tmp_path), console=console)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="lock-site")["Contents"]]
    assert "news/lock-test/index.html" in report.uploaded
    assert lock_key("") not in keys and ".publish-manifest.json" in keys
