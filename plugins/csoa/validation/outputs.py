"""Every output path is claimed once: where each content file is written, and which paths the build
generates itself (pages, feeds, calendars, statistics, search, sitemap, robots.txt, newsletters).

Pelican lets a page's ``Save_as`` silently replace a generated page (``index.html``), and a plugin
writing its own file silently replaces the page (``robots.txt``, ``events/calendar.ics``). The
generated paths are declared here from the settings and the enabled plugins, so ``invoke check``
names both sides before anything is built; csoa.engine.output_guard catches, while building, any
double write this list does not foresee. Plain Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from csoa.util.settings import plugin_names

FIELD_RE = re.compile(r"\{[^{}]*\}")
DIRECT_TEMPLATE_NAMES = {"index": "the home page", "tags": "the tags index", "categories": "the sections index",
                         "archives": "the archives", "authors": "the authors index", "404": "the 404 page"}
PELICAN_FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS", "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS",
                 "TAG_FEED_ATOM", "TAG_FEED_RSS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TRANSLATION_FEED_ATOM",
                 "TRANSLATION_FEED_RSS")
# What the project's plugins write whatever the settings say (their own modules hard-code these).
PLUGIN_OUTPUTS = {
    "sitemap": [("sitemap.xml", "the sitemap"), ("robots.txt", "robots.txt")],
    "feeds": [("feeds/{name}", "the feeds")],
    "events": [("events/index.html", "the events list"), ("events/calendar.ics", "the events calendar")],
    "crime_stats": [("statistics/{name}", "the statistics pages")],
    "newsletter": [("newsletters/{name}", "the newsletter pages")],
    "search": [("pagefind/{name}", "the search index")],
}


def _regex(pattern: str) -> str:
    """A SAVE_AS pattern as a regular expression: each ``{field}`` is one path segment or more."""
    parts = FIELD_RE.split(pattern)
    return "(?:[^/]+/)*[^/]+".join(re.escape(part) for part in parts) if len(parts) > 1 else re.escape(pattern)


class Reserved:
    """The paths the build generates: ``owner(path)`` names what writes ``path`` (None: nothing)."""

    def __init__(self, entries: list[tuple[str, str]]):
        self.exact: dict[str, str] = {}
        self.owners: list[str] = []
        alternatives = []
        for pattern, owner in entries:
            if not pattern or pattern.startswith("{"):
                continue  # not written, or no fixed part to recognise it by (the write guard watches it)
            if FIELD_RE.search(pattern):
                alternatives.append(f"(?P<g{len(self.owners)}>{_regex(pattern)})")
                self.owners.append(owner)
            else:
                self.exact.setdefault(pattern, owner)
        self.regex = re.compile("|".join(alternatives) + r"\Z") if alternatives else None

    def owner(self, path: str) -> str | None:
        if path in self.exact:
            return self.exact[path]
        match = self.regex.match(path) if self.regex else None
        return self.owners[int(match.lastgroup[1:])] if match else None


def _later_pages(save_as: str, settings: Mapping) -> list[str]:
    """The save_as of a paginated list's pages after the first (Pelican's PAGINATION_PATTERNS)."""
    found = []
    for rule in settings.get("PAGINATION_PATTERNS", ()):
        if rule[0] > 1 and isinstance(rule[2], str):
            base = os.path.dirname(save_as)
            later = rule[2].replace("{base_name}", base)
            for name, value in (("{save_as}", save_as), ("{name}", os.path.splitext(save_as)[0]),
                                ("{extension}", os.path.splitext(save_as)[1])):
                later = later.replace(name, value)
            found.append(later.removeprefix("/"))
    return found


def reserved_outputs(settings: Mapping, article_kinds, content_root) -> Reserved:
    """What the build generates with these settings, each with what writes it."""
    paginated = settings.get("PAGINATED_TEMPLATES", {})
    lists: list[tuple[str, str, str]] = []  # (save_as, owner, template name for pagination)
    for template in settings.get("DIRECT_TEMPLATES", ()):
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        lists.append((save_as, DIRECT_TEMPLATE_NAMES.get(template, f"the {template} page"), template))
    lists.append((settings.get("TAG_SAVE_AS", ""), "a tag page", "tag"))
    lists.append((settings.get("AUTHOR_SAVE_AS", ""), "an author page", "author"))
    for kind in article_kinds:
        lists.append((settings.get("CATEGORY_SAVE_AS", "").replace("{slug}", kind), f"the {kind} section", "category"))
    for period in ("YEAR", "MONTH", "DAY"):
        lists.append((settings.get(f"{period}_ARCHIVE_SAVE_AS", ""), "an archive by date", "period_archives"))
    plugins = plugin_names(settings)
    if "regions" in plugins:
        lists.append((settings.get("REGION_SAVE_AS", "regions/{slug}/index.html"), "a region page", "region"))
        lists.append((settings.get("REGIONS_SAVE_AS", "regions/index.html"), "the regions index", "regions"))
    if "search" in plugins:
        lists.append((settings.get("SEARCH_SAVE_AS", "search/index.html"), "the search page", "search"))
    entries = []
    for save_as, owner, template in lists:
        entries.append((save_as, owner))
        if save_as and template in paginated:
            entries += [(later, f"{owner} (a later page)") for later in _later_pages(save_as, settings)]
    entries += [(settings.get(key) or "", "a Pelican feed") for key in PELICAN_FEEDS]
    entries.append((f"{settings.get('THEME_STATIC_DIR', 'theme')}/{{name}}", "the theme's files"))
    for folder in settings.get("STATIC_PATHS", ()):
        is_folder = os.path.isdir(os.path.join(content_root, folder))
        entries.append((f"{folder.rstrip('/')}/{{name}}" if is_folder else folder, f"the static files of content/{folder}"))
    for source, extra in sorted(settings.get("EXTRA_PATH_METADATA", {}).items()):
        entries.append((extra.get("save_as", ""), f"the static file content/{source}"))
    for plugin in sorted(plugins & set(PLUGIN_OUTPUTS)):
        entries += PLUGIN_OUTPUTS[plugin]
    return Reserved(entries)
