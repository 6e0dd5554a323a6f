"""`invoke aws-local`: moto on 127.0.0.1 with the verified sender and the contact list, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

import boto3
from sites import ROOT

from csoa.sending.localaws import FAKE_CREDENTIALS, free_port


def test_aws_local_provisions_a_working_ses(monkeypatch):
    port = free_port()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "aws-local", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **FAKE_CREDENTIALS})
    try:
        first = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in first and "verified" in first, first
        url = f"http://127.0.0.1:{port}"
        for k, v in FAKE_CREDENTIALS.items():
            monkeypatch.setenv(k, v)
        v1 = boto3.client("ses", endpoint_url=url)
        v2 = boto3.client("sesv2", endpoint_url=url)
        status = v1.get_identity_verification_attributes(Identities=["newsletter@csoalliance.com"])
        assert status["VerificationAttributes"]["newsletter@csoalliance.com"]["VerificationStatus"] == "Success"
        topics = {t["TopicName"] for t in v2.get_contact_list(ContactListName="members")["Topics"]}
        assert topics == {"newsletter", "region-asia", "region-west-africa", "region-gulf-of-aden", "region-arabian-gulf",
                          "region-mediterranean"}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    with socket.socket() as s:  # the moto child went with it: nothing listens on the port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # its closed connections may linger in TIME_WAIT
        s.bind(("127.0.0.1", port))
        s.listen()
