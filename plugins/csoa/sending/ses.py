"""A thin wrapper over boto3's SESv2 client: one send call, errors sorted into what the sender does next.

Credentials and the endpoint come from the standard AWS chain (AWS_ENDPOINT_URL points boto3 at a
local moto server). SDK retries are off for sends: the sender decides what to retry.
"""

from __future__ import annotations

from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

THROTTLE_CODES = {"Throttling", "ThrottlingException", "TooManyRequestsException"}
REJECT_CODES = {"MessageRejected", "InvalidParameterValue", "BadRequestException"}


class SendError(Exception):
    """Base of the outcomes other than success."""


class Throttled(SendError):
    """SES refused for rate: certainly not sent; retry after a backoff."""


class Uncertain(SendError):
    """Timeout, dropped connection or 5xx after the request left: SES may or may not have it."""


class Rejected(SendError):
    """SES refused this message (usually the address): fail this row only."""


class Systemic(SendError):
    """Account, sender, credentials, quota or endpoint problem: pause the run. Certainly not sent."""


@dataclass
class Account:
    sending_enabled: bool | None
    max_24h: float
    max_rate: float
    sent_24h: float
    production: bool | None  # None: the endpoint cannot tell (e.g. a local emulator)


def make_sesv2(max_pool: int = 10, read_timeout: float = 15.0):
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5,
                    read_timeout=read_timeout, max_pool_connections=max_pool)
    return boto3.client("sesv2", config=config)


def make_sesv1():
    return boto3.client("ses", config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))


def classify(exc: Exception) -> SendError:
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, (ConnectTimeoutError, EndpointConnectionError)) and not isinstance(exc, ReadTimeoutError):
        return Systemic(f"cannot reach SES: {exc}")
    if isinstance(exc, (ReadTimeoutError, ConnectionClosedError)):
        return Uncertain(f"no answer: {type(exc).__name__}")
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "")
        message = error.get("Message", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in THROTTLE_CODES or status == 429 or "rate exceeded" in message.lower():
            if "daily" in message.lower() or "quota" in message.lower():
                return Systemic(f"daily quota exhausted: {code}: {message}")
            return Throttled(f"{code}: {message}")
        if status >= 500:
            return Uncertain(f"{status} {code}: {message}")
        if code in REJECT_CODES and "authority to send" not in message:
            return Rejected(f"{code}: {message}")
        return Systemic(f"{code or status}: {message}")
    return Uncertain(f"{type(exc).__name__}: {exc}")


class SesClient:
    def __init__(self, sesv2=None, sesv1=None, configuration_set: str | None = None,
                 contact_list: str = "members", tags: dict[str, str] | None = None):
        self.v2 = sesv2 or make_sesv2()
        self.v1 = sesv1
        self.configuration_set = configuration_set
        self.contact_list = contact_list
        self.tags = tags or {}

    def list_management(self, topic: str | None) -> dict:
        """The ListManagementOptions that make SES host the unsubscribe for this contact list and topic."""
        return {"ContactListName": self.contact_list, **({"TopicName": topic} if topic else {})}

    def send(self, sender: str, recipient: str, content: dict, list_management: dict | None, tags: dict[str, str]) -> str:
        request = {
            "FromEmailAddress": sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": content,
            "EmailTags": [{"Name": k, "Value": v} for k, v in {**self.tags, **tags}.items()],
        }
        if list_management:
            request["ListManagementOptions"] = list_management
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        try:
            return self.v2.send_email(**request)["MessageId"]
        except Exception as exc:  # sorted into Throttled / Uncertain / Rejected / Systemic
            raise classify(exc) from exc

    # --- preflight -------------------------------------------------------------------------
    def account(self) -> Account:
        try:
            data = self.v2.get_account()
            quota = data.get("SendQuota", {})
            return Account(data.get("SendingEnabled"), quota.get("Max24HourSend", 0.0), quota.get("MaxSendRate", 0.0),
                           quota.get("SentLast24Hours", 0.0), data.get("ProductionAccessEnabled"))
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") not in (404, 501):
                raise
        # The endpoint has no SESv2 GetAccount (moto): the classic quota call tells the same numbers.
        v1 = self.v1 or make_sesv1()
        quota = v1.get_send_quota()
        enabled = None
        try:
            enabled = v1.get_account_sending_enabled().get("Enabled")
        except Exception:  # not implemented by the emulator: unknown, reported as such
            enabled = None
        return Account(enabled, quota["Max24HourSend"], quota["MaxSendRate"], quota["SentLast24Hours"], None)

    def sender_verified(self, sender: str) -> bool:
        address = sender.rpartition("<")[2].rstrip(">").strip()
        domain = address.rpartition("@")[2]
        v1 = self.v1 or make_sesv1()
        attrs = v1.get_identity_verification_attributes(Identities=[address, domain])["VerificationAttributes"]
        return any(attrs.get(i, {}).get("VerificationStatus") == "Success" for i in (address, domain))
