"""What SES receives: SESv2 ``Simple`` content (subject, text + HTML parts, a few headers), built once
per edition; per recipient only the unsubscribe link can change.

Who hosts the RFC 8058 one-click unsubscribe (AWS, "Using subscription management",
https://docs.aws.amazon.com/ses/latest/dg/sending-email-subscription-management.html):

- SES, the default. The request carries ``ListManagementOptions`` (contact list + topic); SES itself adds
  ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (it overrides any we set), replaces the
  ``{{amazonSESUnsubscribeUrl}}`` placeholder (at most its first two occurrences, HTML and text content
  only) with its hosted link, and records the unsubscribe in the contact list. So we send no
  unsubscribe headers and put the placeholder once in each part.
- Our own endpoint (``NEWSLETTER_UNSUBSCRIBE_URL`` with ``{token}``, for sites that host one accepting the
  RFC 8058 POST): we substitute the member's URL and set both headers ourselves, and the request has no
  ``ListManagementOptions``, since SES would replace our headers with its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"  # where render.py puts the unsubscribe URL
SES_UNSUBSCRIBE_URL = "{{amazonSESUnsubscribeUrl}}"  # SES substitutes its hosted link for this
SES_PLACEHOLDER_LIMIT = 2  # SES replaces only the first two occurrences
ONE_CLICK = "List-Unsubscribe=One-Click"


class MessageError(ValueError):
    """A message or setting that cannot give every recipient a working unsubscribe."""


@dataclass(frozen=True)
class Unsubscribe:
    """Who hosts the unsubscribe: SES (``own_url`` None) or our endpoint (``own_url`` with ``{token}``)."""

    own_url: str | None = None
    mailto: str = ""

    def __post_init__(self):
        if self.own_url is not None:
            if not self.own_url.startswith("https://") or "{token}" not in self.own_url:
                raise MessageError(f"NEWSLETTER_UNSUBSCRIBE_URL is {self.own_url!r}: expected an https:// URL "
                                   "containing {token}, served by an endpoint that accepts the RFC 8058 one-click "
                                   "POST (or leave it unset to let SES host the unsubscribe)")

    @property
    def ses_hosted(self) -> bool:
        return self.own_url is None

    def url(self, token: str) -> str:
        return SES_UNSUBSCRIBE_URL if self.ses_hosted else self.own_url.format(token=token)

    def headers(self, token: str) -> list[dict]:
        if self.ses_hosted:
            return []  # SES adds List-Unsubscribe and List-Unsubscribe-Post itself
        targets = [f"<{self.url(token)}>"] + ([f"<{self.mailto}>"] if self.mailto else [])
        return [{"Name": "List-Unsubscribe", "Value": ", ".join(targets)},
                {"Name": "List-Unsubscribe-Post", "Value": ONE_CLICK}]


class MessageTemplate:
    def __init__(self, subject: str, html: str, text: str, list_id: str, unsubscribe: Unsubscribe):
        found = html.count(PLACEHOLDER) + text.count(PLACEHOLDER)
        if not html.count(PLACEHOLDER) or not text.count(PLACEHOLDER):
            raise MessageError("the email needs the unsubscribe link in both its HTML and its text part")
        if unsubscribe.ses_hosted and found > SES_PLACEHOLDER_LIMIT:
            raise MessageError(f"the email has {found} unsubscribe links; SES fills in only the first "
                               f"{SES_PLACEHOLDER_LIMIT}: keep one in the HTML part and one in the text part")
        self.subject, self.list_id, self.unsubscribe = subject, list_id, unsubscribe
        self.html_parts = html.split(PLACEHOLDER)
        self.text_parts = text.split(PLACEHOLDER)
        self._shared = self._build("") if unsubscribe.ses_hosted else None  # the same for every recipient

    def _build(self, token: str) -> dict:
        url = self.unsubscribe.url(token)
        return {"Simple": {
            "Subject": {"Data": self.subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": url.join(self.text_parts), "Charset": "UTF-8"},
                     "Html": {"Data": url.join(self.html_parts), "Charset": "UTF-8"}},
            "Headers": [{"Name": "List-Id", "Value": self.list_id}, *self.unsubscribe.headers(token)],
        }}

    def content(self, token: str) -> dict:
        """The SESv2 ``Content`` of one recipient's message."""
        return self._shared if self._shared is not None else self._build(token)

    def eml(self, sender: str, recipient: str, token: str, list_management: dict | None) -> bytes:
        """A dry-run preview: the message as we hand it to SES (SES adds its own headers when list-managed)."""
        simple = self.content(token)["Simple"]
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, recipient, simple["Subject"]["Data"]
        msg["Date"] = formatdate(usegmt=True)
        for header in simple["Headers"]:
            msg[header["Name"]] = header["Value"]
        if list_management:
            msg["X-Dry-Run-Note"] = ("sent with ListManagementOptions " + ", ".join(f"{k}={v}" for k, v in list_management.items())
                                     + ": SES adds List-Unsubscribe and List-Unsubscribe-Post and replaces "
                                     + SES_UNSUBSCRIBE_URL)
        msg.set_content(simple["Body"]["Text"]["Data"], cte="base64")
        msg.add_alternative(simple["Body"]["Html"]["Data"], subtype="html", cte="base64")
        return msg.as_bytes(policy=SMTP)
