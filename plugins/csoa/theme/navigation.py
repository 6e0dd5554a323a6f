"""The main navigation: pages that have a ``nav_order``, in numeric order (10 after 9, not after 1)."""

from __future__ import annotations


def nav_order(page) -> int | None:
    value = getattr(page, "nav_order", None)
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None  # the content schema reports the bad value with its file and line


def nav_pages(pages) -> list:
    keyed = [(nav_order(page), str(getattr(page, "title", "")), page) for page in pages]
    keyed = [entry for entry in keyed if entry[0] is not None]
    keyed.sort(key=lambda entry: entry[:2])
    return [page for _, _, page in keyed]
