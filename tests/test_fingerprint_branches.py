"""The digester remembers, by type, which branch of its digest a value takes: that must never change a
digest. Each value is digested by a fresh digester and by one that has already seen every other kind of
value (its type memo full), including proxies whose ``__class__`` is the wrapped value's."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from csoa.engine.fastbuild.fingerprint import Digester


class Text(str):
    pass


class Number(int):
    pass


class Stamp(dt.datetime):
    pass


class Plain:
    def __init__(self, value):
        self.value = value


class Proxy:
    """A lazy proxy: ``__class__`` (and so isinstance) is the wrapped value's, differing from one
    instance to the next while type(x) is always Proxy."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    @property
    def __class__(self):  # noqa: A003
        return type(self.wrapped)

    def encode(self, *args):
        return self.wrapped.encode(*args)

    def __repr__(self):
        return f"Proxy({self.wrapped!r})"


def values():
    when = dt.datetime(2016, 7, 8, 9, 0, tzinfo=dt.timezone.utc)
    return [
        1.5, 2j, Decimal("1.25"), Number(3), True, "text", Text("text"), b"bytes", when, Stamp(2016, 7, 8),
        when.date(), when.time(), dt.timedelta(hours=2), len, os.path.join, dt, Plain,
        {"a": 1, "b": [1, 2]}, [Text("x"), 2.5] * 12, ("a", 1.5), {3, 1, 2}, frozenset({"b", "a"}),
        Plain(Text("inner")), Plain([Plain(1.5)] * 20), Proxy("text"), Proxy(2.5), [Proxy("x"), Proxy(1.5), Text("x")],
    ]


def test_remembering_branches_by_type_changes_no_digest():
    seasoned = Digester()
    for value in values():  # every type's branch remembered
        seasoned.digest(value)
    for value in values():
        assert seasoned.digest(value) == Digester().digest(value), value


def test_values_of_different_types_still_differ():
    digest = Digester().digest
    assert digest("text") != digest(Text("text"))  # the type is part of a non-plain value's digest
    assert digest(1.5) != digest("1.5")
    assert digest(frozenset({"a", "b"})) != digest(("a", "b"))
