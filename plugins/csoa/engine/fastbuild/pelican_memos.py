"""Memos for two pure Pelican helpers that every build calls thousands of times with the same
arguments: slugify (for every category and tag object of every item: each item makes its own) and
the relative source path of an item (os.path.relpath over two abspaths, three times per item).

Both results depend only on their arguments (and the working directory for the second), so a
process-wide memo returns what Pelican would compute. Bounded: a site has one entry per name and
per source file.
"""

from __future__ import annotations

import functools
import os

_MAX_ENTRIES = 200_000
_active = False  # off in a build with FASTBUILD = False, so that one stays plain Pelican


def use(active: bool) -> None:
    """Switch the memos on or off for the build that starts (installs them the first time)."""
    global _active
    install()
    _active = active


def install() -> None:
    import pelican.contents
    import pelican.urlwrappers
    import pelican.utils

    if getattr(pelican.urlwrappers, "_fastbuild_memos", False):
        return
    compute_slug = pelican.utils.slugify

    @functools.lru_cache(maxsize=_MAX_ENTRIES)
    def cached_slug(value, regex_subs, preserve_case, use_unicode):
        return compute_slug(value, list(regex_subs), preserve_case, use_unicode)

    def slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
        if not _active:
            return compute_slug(value, regex_subs, preserve_case, use_unicode)
        try:
            key_subs = tuple(tuple(pair) for pair in regex_subs)
            return cached_slug(value, key_subs, preserve_case, use_unicode)
        except TypeError:  # something unhashable: compute as Pelican does
            return compute_slug(value, regex_subs, preserve_case, use_unicode)

    pelican.urlwrappers.slugify = slugify  # the module that calls it per category/tag object

    Content = pelican.contents.Content
    compute_relative = Content.get_relative_source_path

    @functools.lru_cache(maxsize=_MAX_ENTRIES)
    def cached_relative(root, source_path, cwd):
        return pelican.utils.posixize_path(
            os.path.relpath(os.path.abspath(os.path.join(root, source_path)), os.path.abspath(root)))

    def get_relative_source_path(self, source_path=None):
        if not source_path:
            source_path = self.source_path
        if source_path is None:
            return None
        root = self.settings["PATH"]
        if not _active or type(root) is not str or type(source_path) is not str:
            return compute_relative(self, source_path)
        return cached_relative(root, source_path, os.getcwd())

    Content.get_relative_source_path = get_relative_source_path
    pelican.urlwrappers._fastbuild_memos = True
