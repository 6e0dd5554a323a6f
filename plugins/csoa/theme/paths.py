"""Metadata paths (e.g. ``Image``) as site-relative URLs: editors may write ``images/a.jpg``,
``/images/a.jpg`` or ``{static}/images/a.jpg``; templates always get ``images/a.jpg``."""

from __future__ import annotations

import re

LINK_PREFIX = re.compile(r"^\{(static|attach|filename)\}")


def site_path(value) -> str:
    if not value:
        return ""
    return LINK_PREFIX.sub("", str(value).strip()).lstrip("/")


def is_yes(value) -> bool:
    """Metadata flags arrive as text: yes/true/1 (any case) or an already-converted bool."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"yes", "true", "1"}
