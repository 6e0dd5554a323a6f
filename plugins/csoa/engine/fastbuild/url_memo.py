"""Content URLs computed once per item while pages are written.

Pelican recomputes ``item.url`` / ``item.save_as`` on every access (a copy of the metadata and a
``str.format``: ~25,000 times at 2,000 items, once per link on a listing, per prev/next/related
link, per feed entry). Once every generator has built its context the inputs of those URLs no
longer change, so from ``all_generators_finalized`` until the build ends each is computed once.
Overrides (``override_url``, set e.g. when a static file is attached to an article while its body
is rendered) are still looked up live.
"""

from __future__ import annotations

from pelican.contents import Content

_memo: dict[tuple[int, str], str] | None = None
_alive: list = []  # ids are only unique while the objects live


def install() -> None:
    if getattr(Content, "_fastbuild_url_memo", False):
        return
    compute = Content.get_url_setting

    def get_url_setting(self, key: str) -> str:
        if _memo is None or hasattr(self, "override_" + key):
            return compute(self, key)
        memo_key = (id(self), key)
        value = _memo.get(memo_key)
        if value is None:
            value = _memo[memo_key] = compute(self, key)
            _alive.append(self)
        return value

    Content.get_url_setting = get_url_setting
    Content._fastbuild_url_memo = True


def start(*_args) -> None:
    """From now on the URLs are fixed (``all_generators_finalized``)."""
    global _memo
    install()
    _memo = {}
    _alive.clear()


def stop(*_args) -> None:
    global _memo
    _memo = None
    _alive.clear()
