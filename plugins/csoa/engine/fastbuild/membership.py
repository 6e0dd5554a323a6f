"""Lists whose ``in`` is a set lookup, for Pelican's per-tag, per-category and per-author lists.

Pelican writes each tag page with ``[a for a in self.dates if a in articles]``: every article
tested against the tag's whole list, for every tag (0.1 s at 2,000 items and 45 tags, on every
build and every dev-loop rebuild). Content items compare by identity (no ``__eq__``), so for them
``in`` can ask a set of ids; anything else is looked up as a plain list does. Every mutating
method drops the set, so it is never stale. pelican_internals.use_membership_lists puts them in place
of the generator's lists at ``article_generator_pretaxonomy`` during a fast run.
"""

from __future__ import annotations


class MembershipList(list):
    __slots__ = ("_ids",)

    def __init__(self, *args):
        super().__init__(*args)
        self._ids = None

    def __contains__(self, item) -> bool:
        if type(item).__eq__ is not object.__eq__:
            return list.__contains__(self, item)
        if self._ids is None:
            self._ids = {id(element) for element in self}
        return id(item) in self._ids


def _dropping_ids(name):
    method = getattr(list, name)

    def mutate(self, *args, **kwargs):
        self._ids = None
        return method(self, *args, **kwargs)

    mutate.__name__ = name
    return mutate


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "__setitem__", "__delitem__",
              "__iadd__", "__imul__"):
    setattr(MembershipList, _name, _dropping_ids(_name))
