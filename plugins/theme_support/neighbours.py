"""Previous/next within the same kind and related items by shared tags. Knows nothing of Pelican:
items are any objects with ``date``, ``slug``, ``category`` and ``tags`` attributes."""

from __future__ import annotations

from collections import defaultdict


def chronological(items):
    """Oldest first; the slug breaks ties so the order never depends on the file system."""
    return sorted(items, key=lambda item: (item.date, item.slug))


def neighbours_by_kind(items) -> dict:
    """Map each item to ``(older, newer)`` within its own kind (``None`` at either end)."""
    by_kind = defaultdict(list)
    for item in items:
        by_kind[str(item.category)].append(item)
    links = {}
    for group in by_kind.values():
        ordered = chronological(group)
        for i, item in enumerate(ordered):
            older = ordered[i - 1] if i > 0 else None
            newer = ordered[i + 1] if i + 1 < len(ordered) else None
            links[id(item)] = (older, newer)
    return links


def related_items(item, items, limit: int = 3) -> list:
    """Items sharing at least one tag with ``item``: most shared tags first, then newest first."""
    own = {str(tag) for tag in getattr(item, "tags", None) or []}
    if not own:
        return []
    scored = []
    for other in items:
        if other is item:
            continue
        shared = len(own & {str(tag) for tag in getattr(other, "tags", None) or []})
        if shared:
            scored.append((shared, other))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].date.timestamp(), pair[1].slug))
    return [other for _, other in scored[:limit]]
