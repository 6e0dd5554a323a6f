"""Stable identities for content items, shared by feeds (Atom ids, RSS guids) and calendars (UIDs).

An item's identity must survive edits of its title, slug and date, so it never comes from them:
it is the item's ``Uid:`` metadata when the editor set one, else the path of its source file
relative to the content folder, without the extension (``news/2016-07-08-membership``). The path
survives every metadata edit but not a rename, which is why events (whose UIDs live on in members'
calendars) are asked for an explicit ``Uid:`` and ``default_uid`` suggests one.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlparse

# The date in a tag: URI says when the authority owned the domain; it must never change.
TAG_DATE = "2016"


def default_uid(relative_source_path: str) -> str:
    """``events/2019-07-10-royal-navy-course.md`` -> ``events/2019-07-10-royal-navy-course``.

    Characters a tag: URI cannot hold (spaces, accents) are percent-encoded, so every file gets a
    distinct, valid id."""
    stem, _ext = posixpath.splitext(relative_source_path.replace("\\", "/"))
    return quote(stem, safe="/._-~")


def item_uid(metadata: dict, relative_source_path: str) -> str:
    explicit = str(metadata.get("uid") or "").strip()
    return quote(explicit, safe="/._-~%") if explicit else default_uid(relative_source_path)


def domain_of(public_siteurl: str) -> str:
    return urlparse(public_siteurl).hostname or "localhost"


def tag_uri(uid: str, public_siteurl: str, tag_date: str = TAG_DATE) -> str:
    """RFC 4151 tag: URI, e.g. ``tag:www.csoalliance.com,2016:news/2016-07-08-membership``."""
    return f"tag:{domain_of(public_siteurl)},{tag_date}:{uid}"
