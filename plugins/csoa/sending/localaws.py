"""A local SES/SQS for development and tests: moto's server on 127.0.0.1, provisioned with a
verified sender, the contact list with its topics and the configuration set."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence

import boto3

from csoa.model.regions import Region
from csoa.sending.sync import ensure_contact_list

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto_process(port: int | None = None, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """``moto_server`` as a child process; returns (process, endpoint URL) once it answers."""
    port = port or free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("moto_server exited at start")
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto_server did not answer within 30 s")


def provision(endpoint: str, sender: str, contact_list: str, regions: Sequence[Region], configuration_set: str | None,
              queue_name: str | None = "ses-feedback") -> dict:
    """Create what a send needs; return the names/URLs created. ``regions``: the site's filing
    regions (SiteRegions.filing_regions), one topic each."""
    kwargs = {"endpoint_url": endpoint, "region_name": os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")}
    v1 = boto3.client("ses", **kwargs)
    v2 = boto3.client("sesv2", **kwargs)
    address = sender.rpartition("<")[2].rstrip(">").strip()
    v1.verify_email_identity(EmailAddress=address)
    ensure_contact_list(v2, contact_list, regions)
    if configuration_set:
        try:
            v2.create_configuration_set(ConfigurationSetName=configuration_set)
        except v2.exceptions.ClientError as exc:
            if "AlreadyExists" not in exc.response["Error"]["Code"]:
                raise
    out = {"endpoint": endpoint, "sender": address, "contact_list": contact_list}
    if queue_name:
        out["queue_url"] = boto3.client("sqs", **kwargs).create_queue(QueueName=queue_name)["QueueUrl"]
    return out
