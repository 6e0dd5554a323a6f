"""moto's real S3/CloudFront HTTP API on 127.0.0.1 for the publishing tests."""

from __future__ import annotations

import contextlib

from moto.server import ThreadedMotoServer


@contextlib.contextmanager
def moto_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def fake_aws_env(monkeypatch, endpoint: str) -> None:
    """Fake credentials for moto, passed the way real ones are: through the standard env chain."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDFRONT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)


def create_distribution(cloudfront, bucket: str) -> str:
    config = {
        "CallerReference": f"test-{bucket}",
        "Comment": "test",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [{"Id": "site", "DomainName": f"{bucket}.s3.amazonaws.com",
                       "S3OriginConfig": {"OriginAccessIdentity": ""}}],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "MinTTL": 0,
        },
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]
