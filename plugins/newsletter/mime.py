"""Raw MIME messages: built once per edition, then only the recipient's fields are filled in.

multipart/alternative (text first, then HTML), both UTF-8 in base64, with RFC 8058 one-click
unsubscribe headers. The per-recipient work is string replacement plus base64 of the two parts.
"""

from __future__ import annotations

import base64
from email.header import Header
from email.utils import formatdate

CRLF = "\r\n"
PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"  # replaced per recipient in both parts and the header


def _b64(text: str) -> bytes:
    return base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")  # 76-character CRLF lines


class MessageTemplate:
    def __init__(self, sender: str, subject: str, html: str, text: str, unsubscribe_mailto: str,
                 list_id: str, boundary: str = "=_cso_alliance_newsletter_boundary"):
        self.html_parts = html.split(PLACEHOLDER)
        self.text_parts = text.split(PLACEHOLDER)
        self.boundary = boundary
        self.mailto = unsubscribe_mailto
        encoded_subject = Header(subject, "utf-8").encode(linesep=CRLF)
        self.head = (
            f"From: {sender}\r\n"
            f"Subject: {encoded_subject}\r\n"
            f"Date: {formatdate(usegmt=True)}\r\n"
            f"List-Id: {list_id}\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
        )

    def render(self, recipient: str, unsubscribe_url: str) -> bytes:
        html = unsubscribe_url.join(self.html_parts)
        text = unsubscribe_url.join(self.text_parts)
        b = self.boundary
        head = (
            f"{self.head}To: {recipient}\r\n"
            f"List-Unsubscribe: <{unsubscribe_url}>, <{self.mailto}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n"
        )
        return b"".join((
            head.encode("ascii"),
            f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode(),
            _b64(text),
            f"--{b}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode(),
            _b64(html),
            f"--{b}--\r\n".encode(),
        ))
