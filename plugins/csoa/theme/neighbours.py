"""Previous/next within the same kind and related items by shared tags. Knows nothing of Pelican:
items are any objects with ``date``, ``slug``, ``category`` and ``tags`` attributes."""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import combinations


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


def _tag_names(item) -> set[str]:
    return {str(tag) for tag in getattr(item, "tags", None) or []}


def _rank(pair):
    shared, other = pair
    return (-shared, -other.date.timestamp(), other.slug)


def related_items(item, items, limit: int = 3) -> list:
    """Items sharing at least one tag with ``item``: most shared tags first, then newest first."""
    own = _tag_names(item)
    scored = [(len(own & _tag_names(other)), other) for other in items if other is not item]
    return [other for _, other in heapq.nsmallest(limit, [p for p in scored if p[0]], key=_rank)]


def related_by_item(items, limit: int = 3, max_tags_indexed: int = 8) -> dict:
    """``{id(item): related_items(item, items, limit)}`` for every item, without comparing every
    pair: for c = most shared tags down to 1, merge (newest first) the lists of items holding each
    c-subset of the item's tags and stop as soon as ``limit`` are found. Lists of items holding a
    set of tags are computed once and shared. Items with very many tags use the plain definition."""
    recency = sorted(items, key=lambda it: (-it.date.timestamp(), it.slug))
    position = {id(it): n for n, it in enumerate(recency)}
    by_tag = defaultdict(list)  # tag -> items holding it, newest first
    for it in recency:
        for tag in _tag_names(it):
            by_tag[tag].append(it)
    members = {tag: {id(it) for it in holders} for tag, holders in by_tag.items()}
    cache: dict[frozenset, list] = {}

    def holding(tags: frozenset) -> list:
        if tags not in cache:
            if len(tags) == 1:
                cache[tags] = by_tag[next(iter(tags))]
            else:  # filter the (cached, shorter) list of the other tags by the most common tag
                common = max(tags, key=lambda tag: (len(by_tag[tag]), tag))
                cache[tags] = [it for it in holding(tags - {common}) if id(it) in members[common]]
        return cache[tags]

    result = {}
    for item in items:
        own = sorted(_tag_names(item))
        if len(own) > max_tags_indexed:
            result[id(item)] = related_items(item, items, limit)
            continue
        chosen, taken = [], {id(item)}
        for shared in range(len(own), 0, -1):
            lists = [holding(frozenset(subset)) for subset in combinations(own, shared)]
            for other in heapq.merge(*lists, key=lambda it: position[id(it)]):
                if id(other) not in taken:
                    taken.add(id(other))
                    chosen.append(other)
                    if len(chosen) == limit:
                        break
            if len(chosen) == limit:
                break
        result[id(item)] = chosen
    return result
