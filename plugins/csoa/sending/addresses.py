"""Email address validation for sending through SES (which has no SMTPUTF8: the local part must be ASCII)."""

from __future__ import annotations

import re

# RFC 5322 dot-atom local part (no quoted strings: SES and many receivers reject them).
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def address_problem(address: str) -> str | None:
    """None if ``address`` can be sent to through SES, else what is wrong with it."""
    if not address or address != address.strip():
        return "empty or surrounded by spaces"
    if address.count("@") != 1:
        return "expected exactly one @"
    local, domain = address.split("@")
    if not local:
        return "empty local part"
    if not local.isascii():
        return "non-ASCII local part (SES has no SMTPUTF8)"
    if len(local) > 64 or not _LOCAL.match(local):
        return "invalid characters in the local part"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "invalid domain"
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        return "invalid domain"
    if labels[-1].isdigit():
        return "invalid domain"
    return None


def normalise(address: str) -> str:
    """The form we store and compare: IDNA domain, lower-case domain (local part kept as given)."""
    local, _, domain = address.strip().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain.lower()}"
