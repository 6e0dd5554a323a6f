"""The settings the validator needs, taken once from a Pelican settings mapping."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from csoa.model.parse import Site
from csoa.model.schema import ARTICLE, KINDS, Kind
from csoa.util.walk import files_under


def simple_slugify(text: str) -> str:
    """Stand-in for Pelican's slugify when none is given (the glue passes Pelican's own)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class SiteRules:
    """The settings the validator needs, taken from a Pelican settings mapping."""

    content_root: Path
    timezone: ZoneInfo
    regions: dict
    build_now: datetime
    kinds: dict[str, Kind]  # top folder -> its kind
    static_paths: list[str]
    settings: Mapping
    slugify: Callable[[str], str] = simple_slugify
    allowed_tags: dict[str, set[str]] = field(default_factory=dict)
    slugify_source: str = "title"
    templates: frozenset[str] | None = None  # names a Template: field may give (None: not checked)

    @classmethod
    def from_settings(cls, settings: Mapping, slugify: Callable[[str], str] | None = None,
                      template_dirs: list[str] | None = None) -> SiteRules:
        """``template_dirs``: where templates are found besides the theme's (Pelican's own theme)."""
        kinds = {}
        for folder in settings.get("CONTENT_KINDS", {}):
            kinds[folder] = KINDS.get(folder) or Kind(folder, dict(ARTICLE))
        for folder in settings.get("PAGE_PATHS", ["pages"]):
            kinds.setdefault(folder, KINDS["pages"])
        kinds["newsletters"] = KINDS["newsletters"]  # read by the newsletter plugin, whatever the paths say
        now = settings.get("BUILD_NOW") or datetime.now(timezone.utc)
        site = Site.from_settings(settings)  # the same zone, regions and root as the events and newsletter type with
        return cls(
            content_root=site.content_root,
            timezone=site.timezone,
            regions=site.regions,
            build_now=now if now.tzinfo else now.replace(tzinfo=timezone.utc),
            kinds=kinds,
            static_paths=list(settings.get("STATIC_PATHS", [])),
            settings=settings,
            slugify=slugify or simple_slugify,
            allowed_tags={k: set(v) for k, v in settings.get("CONTENT_SCHEMA_ALLOWED_TAGS", {}).items()},
            slugify_source=settings.get("SLUGIFY_SOURCE", "title"),
            templates=template_names(settings, template_dirs) if settings.get("THEME") else None,
        )

    def per_file_rules(self) -> tuple:
        """Everything FileCheck reads from the rules (compared with ==): a change re-checks every file.

        Not the build time, nor ``settings``: what depends on them is worked out per validation.
        """
        return (
            self.content_root,
            self.timezone,
            sorted(self.regions.items()),
            self.kinds,
            self.allowed_tags,
            self.slugify_source,
            _function_identity(self.slugify),
            self.templates,
        )


def template_names(settings: Mapping, extra_dirs: list[str] | None) -> frozenset[str]:
    """Every template a page may name, as Pelican's loader finds them (overrides, theme, extra)."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), os.path.join(settings["THEME"], "templates"),
               *(extra_dirs or [])]
    names = set()
    for suffix in settings.get("TEMPLATE_EXTENSIONS", [".html"]):
        for folder in folders:
            names.update(p.relative_to(folder).as_posix().removesuffix(suffix) for p in files_under(folder, suffix))
    return frozenset(names)


def _function_identity(function) -> tuple:
    """A partial made afresh for each build (the glue's Pelican slugify) compares by what it wraps."""
    if isinstance(function, partial):
        return (function.func, function.args, sorted(function.keywords.items()))
    return (function,)


