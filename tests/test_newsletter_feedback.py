"""SES bounce/complaint notifications (hand-written, in SES's documented shape) suppress exactly
those addresses from the next issue: from files and from a real SQS queue on moto's server."""

from __future__ import annotations

import json

import boto3

from csoa.sending import db
from csoa.sending.feedback import drain_queue, from_directory
from csoa.sending.members import add_member, suppressed
from csoa.sending.sender import freeze


def bounce(addresses, kind="Permanent", fid="b-1", at="2019-07-09T10:00:00.000Z"):
    return {"notificationType": "Bounce",
            "bounce": {"bounceType": kind, "bounceSubType": "General", "feedbackId": fid, "timestamp": at,
                       "bouncedRecipients": [{"emailAddress": a, "action": "failed", "status": "5.1.1"} for a in addresses]},
            "mail": {"timestamp": at, "messageId": "m-1", "source": "newsletter@csoalliance.com",
                     "destination": addresses}}


def complaint(addresses, fid="c-1", at="2019-07-09T11:00:00.000Z"):
    return {"notificationType": "Complaint",
            "complaint": {"complainedRecipients": [{"emailAddress": a} for a in addresses], "feedbackId": fid,
                          "timestamp": at, "complaintFeedbackType": "abuse"},
            "mail": {"timestamp": at, "messageId": "m-2", "destination": addresses}}


def sns(message):
    return {"Type": "Notification", "MessageId": "sns-1", "TopicArn": "arn:aws:sns:eu-west-1:123:ses",
            "Message": json.dumps(message)}


def test_notifications_from_files_suppress_exactly_those_members(tmp_path):
    conn = db.connect(tmp_path / "n.sqlite3")
    for i in range(10):
        add_member(conn, f"m{i}@example.org")
    folder = tmp_path / "feedback"
    folder.mkdir()
    files = {
        "1.json": bounce(["m1@example.org"]),
        "2.json": sns(complaint(["m2@example.org"])),
        "3.json": bounce(["m3@example.org"], kind="Transient", fid="s-1", at="2019-06-01T00:00:00Z"),
        "4.json": bounce(["m3@example.org"], kind="Transient", fid="s-2", at="2019-06-10T00:00:00Z"),
        "5.json": bounce(["m3@example.org"], kind="Transient", fid="s-3", at="2019-06-20T00:00:00Z"),
        # two soft bounces 40 days apart plus one: never 3 within 30 days
        "6.json": bounce(["m4@example.org"], kind="Transient", fid="s-4", at="2019-04-01T00:00:00Z"),
        "7.json": bounce(["m4@example.org"], kind="Transient", fid="s-5", at="2019-05-11T00:00:00Z"),
        "8.json": bounce(["m4@example.org"], kind="Transient", fid="s-6", at="2019-06-11T00:00:00Z"),
        "9.json": bounce(["m1@example.org"]),  # the same notification delivered twice
        "10.json": {"notificationType": "Delivery", "mail": {}},
    }
    for name, body in files.items():
        (folder / name).write_text(json.dumps(body))
    (folder / "broken.json").write_text("{not json")
    report = from_directory(conn, folder)
    assert suppressed(conn) == {"m1@example.org": "hard-bounce", "m2@example.org": "complaint",
                                "m3@example.org": "soft-bounces"}
    assert report.suppressed == {"hard-bounce": 1, "complaint": 1, "soft-bounces": 1}
    assert report.duplicates == 1 and report.ignored == 1
    assert len(report.errors) == 1 and "broken.json" in report.errors[0]
    counts = freeze(conn, "next", "Next", [])
    assert counts == {"pending": 7, "skipped": 3}
    skipped = {r["email"] for r in conn.execute("SELECT email FROM ledger WHERE state='skipped'")}
    assert skipped == {"m1@example.org", "m2@example.org", "m3@example.org"}


def test_notifications_drained_from_sqs(tmp_path, monkeypatch):
    from newsletter_site import moto_ses

    conn = db.connect(tmp_path / "n.sqlite3")
    for i in range(5):
        add_member(conn, f"m{i}@example.org")
    with moto_ses(monkeypatch) as url:
        sqs = boto3.client("sqs")
        queue = sqs.create_queue(QueueName="feedback")["QueueUrl"]
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(sns(bounce(["m0@example.org"]))))
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(complaint(["m4@example.org"])))
        sqs.send_message(QueueUrl=queue, MessageBody="garbage")
        report = drain_queue(conn, sqs, queue)
        attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages",
                                                                         "ApproximateNumberOfMessagesNotVisible"])
    assert suppressed(conn) == {"m0@example.org": "hard-bounce", "m4@example.org": "complaint"}
    assert len(report.errors) == 1 and "left in the queue" in report.errors[0]
    left = sum(int(v) for v in attrs["Attributes"].values())
    assert left == 1  # only the unreadable message stays
