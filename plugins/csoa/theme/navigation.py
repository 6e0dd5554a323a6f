"""The site's navigation, from data: the alliance's pages (those with a ``nav_order``, in numeric
order: 10 after 9, not after 1) first, for a visitor who is not yet a member; then the resources
members come back for, from the setting ``NAV_RESOURCES``. The header menu, the footer and
/sections/ all read it, so a page added to the settings appears in all three.

A resource is listed only when the plugin that writes its page ran in this build: its ``requires``
names a value that plugin leaves in the template context (``statistics_summary``…). A build with
fewer plugins (a fixture site, another area's tests) so never links to a page it did not write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import pass_context
from jinja2.runtime import Undefined


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


@dataclass
class NavLink:
    title: str
    url: str  # site-relative, directory style ("statistics/")
    description: str = ""
    links: list[NavLink] = field(default_factory=list)  # a resource's own pages (Statistics: the list, the map…)
    current: str | None = None  # aria-current: "page" on the page itself, "true" on a page below it


@dataclass
class NavGroup:
    key: str
    title: str
    links: list[NavLink]

    def flat(self) -> list[NavLink]:
        """Every link of the group, a resource's own pages right after it (the footer's list)."""
        return [entry for link in self.links for entry in (link, *link.links)]


def _present(context, name: str | None) -> bool:
    if not name:
        return True
    value = context.get(name)
    return value is not None and not isinstance(value, Undefined) and bool(value)


def _resource(entry: dict) -> NavLink:
    return NavLink(str(entry["title"]), str(entry["url"]), str(entry.get("description", "")),
                   [_resource(child) for child in entry.get("links", [])])


def _mark_current(groups: list[NavGroup], here: str) -> None:
    """The link of this page gets aria-current="page"; failing that, the deepest link whose URL this
    page lies under gets "true" (a region page marks Regions), so one link at most is marked."""
    links = [link for group in groups for link in group.flat()]
    exact = [link for link in links if link.url == here]
    if exact:
        exact[0].current = "page"
        return
    above = [link for link in links if link.url.endswith("/") and here.startswith(link.url)]
    if above:
        max(above, key=lambda link: len(link.url)).current = "true"


def current_path(output_file: str) -> str:
    """The site-relative URL of the page being written ("statistics/incidents/index.html" ->
    "statistics/incidents/")."""
    return output_file[: -len("index.html")] if output_file.endswith("index.html") else output_file


def navigation(pages, settings: dict, present=lambda name: True, here: str = "") -> list[NavGroup]:
    """The groups of the main navigation for one page (``here``: its site-relative URL)."""
    alliance = NavGroup("alliance", settings.get("NAV_ALLIANCE_TITLE", "The Alliance"),
                        [NavLink(str(p.title), str(p.url)) for p in nav_pages(pages)])
    resources = NavGroup("resources", settings.get("NAV_RESOURCES_TITLE", "Resources"),
                         [_resource(entry) for entry in settings.get("NAV_RESOURCES", [])
                          if present(entry.get("requires"))])
    groups = [group for group in (alliance, resources) if group.links]
    _mark_current(groups, here)
    return groups


@pass_context
def site_navigation(context, pages) -> list[NavGroup]:
    """Jinja filter: ``pages | site_navigation`` in any template (the settings are in its context)."""
    output_file = context.get("output_file")
    here = current_path(output_file) if isinstance(output_file, str) else ""
    return navigation(pages or [], context, lambda name: _present(context, name), here)
