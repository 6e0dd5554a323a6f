"""The content check (csoa.validation) with the rules Pelican itself applies: its slugify with the site's slug
settings (duplicate slugs are found exactly as Pelican makes them) and its own theme's templates
(its loader falls back to them). Used by the build (plugins/content_schema) and `invoke check`
(apps/check_content) alike; Pelican is used here as a library, never run."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import pelican
from pelican.utils import slugify

from csoa.model.parse import Parsed, Site, parse_text
from csoa.model.schema import Kind
from csoa.util.session import current
from csoa.validation.remembered import CheckedFilesMemory
from csoa.validation.report import Report
from csoa.validation.validate import validate_settings


def pelican_slugify(settings: Mapping) -> Callable[[str], str]:
    return partial(
        slugify,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def pelican_template_dirs() -> list[str]:
    """Pelican's own theme: its loader falls back to it for a template the site's theme lacks."""
    return [os.path.join(os.path.dirname(pelican.__file__), "themes", "simple", "templates")]


def check_content(settings: Mapping, memory: CheckedFilesMemory | None = None) -> Report:
    """Every content error and info of the site with these settings (``memory``: what the build
    session remembers of each file's checks, so that the dev loop re-checks edited files only)."""
    return validate_settings(settings, slugify=pelican_slugify(settings), template_dirs=pelican_template_dirs(),
                             memory=memory)


CHECKED_FILES = "content.checked_files"  # the build session's CheckedFilesMemory: the content check's findings


def checked_files(session) -> CheckedFilesMemory:
    """What the build session remembers of the content check (made on first use)."""
    return session.keep(CHECKED_FILES, CheckedFilesMemory)


def typed_header(settings: Mapping, path: str | os.PathLike, kind: Kind) -> Parsed:
    """A content file's header typed as ``kind``: the content check's result of this build (every
    file is typed once, before Pelican reads anything), else parsed here (a bare Pelican run, a file
    changed since the check, or one the check did not type)."""
    session = current()
    if session is not None:
        typed = checked_files(session).typed_header(Path(path), kind.name)
        if typed is not None:
            return typed
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return parse_text(text, kind, Site.from_settings(settings))
