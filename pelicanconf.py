"""Pelican settings for the CSO Alliance site (development build).

publishconf.py layers the production settings on top of these.
"""

import os
from datetime import datetime, timezone

from csoa.engine.html_values import PelicanHtml

# The theme's Jinja filters and tests, available whichever plugins a build loads.
from csoa.theme.filters import JINJA_FILTERS, JINJA_TESTS  # noqa: F401

HERE = os.path.dirname(os.path.abspath(__file__))

# Metadata is text: templates escape every value, except HTML by construction (csoa/engine/html_values.py).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": [PelicanHtml]}
FORMATTED_FIELDS = []  # Summary: is text, not markdown (theme_support turns it into a paragraph of HTML)

AUTHOR = "CSO Alliance"
SITENAME = "CSO Alliance"
SITE_DESCRIPTION = (
    "The alliance of maritime Company Security Officers: connecting CSOs, "
    "confirming crime and collaborating globally."
)
SITEURL = ""
PUBLIC_SITEURL = "https://www.csoalliance.com"  # canonical, Open Graph and feed URLs are always absolute
CONTACT_ADDRESS = "CSO Alliance, 1 Maritime House, London EC3N 4AB, United Kingdom"
CONTACT_EMAIL = "info@csoalliance.com"

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# "Now" is pinned so that builds are reproducible: SOURCE_DATE_EPOCH when set, else the clock.
_epoch = os.environ.get("SOURCE_DATE_EPOCH")
BUILD_NOW = (
    datetime.fromtimestamp(int(_epoch), tz=timezone.utc)
    if _epoch
    else datetime.now(tz=timezone.utc).replace(microsecond=0)
)

# Content kinds: one folder each; the folder is the kind and the category.
CONTENT_KINDS = {
    "news": "News",
    "workshops": "Workshop reports",
    "reports": "First response reports",
    "intelligence": "Regional intelligence",
    "events": "Events",
}
# Regions, defined once. The key is what content says (`Region: gulf_of_aden`) and incidents.csv
# stores; the label is what every page, feed, email and SES topic shows; the slug is the one URL
# form (/regions/<slug>/, /statistics/regions/<slug>/, /feeds/regions/<slug>.*, SES topic
# region-<slug>). `filing`: content, feeds and newsletter segments may use it; statistics-only
# regions are counted but no report is filed there. `former_slugs`: URL slugs used before, where a
# small page now points to the new URL. `nga_subregions`: the NGA ASAM subregions that lie in it
# (62 spans two regions), to compare the polygons with NGA's own filing. Polygons: one feature per
# key in REGION_POLYGONS (first match wins), except "other", the waters no polygon covers.
REGION_TABLE = {
    "asia": {"label": "Asia", "slug": "asia", "filing": True,
             "nga_subregions": [63, 71, 72, 73, 74, 91, 92, 93, 94, 95, 96, 97]},
    "west_africa": {"label": "West Africa", "slug": "west-africa", "filing": True, "former_slugs": ["west_africa"],
                    "nga_subregions": [51, 57]},
    "gulf_of_aden": {"label": "Gulf of Aden", "slug": "gulf-of-aden", "filing": True, "former_slugs": ["gulf_of_aden"],
                     "nga_subregions": [61, 62]},
    "arabian_gulf": {"label": "Arabian Gulf and Gulf of Oman", "slug": "arabian-gulf", "filing": True,
                     "nga_subregions": [62]},
    "mediterranean": {"label": "Mediterranean", "slug": "mediterranean", "filing": True,
                      "nga_subregions": [52, 53, 54, 55, 56]},
    "americas": {"label": "Americas", "slug": "americas", "filing": False,  # no regional intelligence yet
                 "nga_subregions": list(range(11, 30))},
    "other": {"label": "Other waters", "slug": "other", "filing": False},
}
REGION_POLYGONS = os.path.join(HERE, "plugins", "csoa", "model", "data", "regions.geojson")
# Where content is filed, for the templates' labels (the regions plugin sets it again from the table the
# build really has); the Python code reads the table itself: csoa.model.regions.site_regions(settings).
REGIONS = {key: r["label"] for key, r in REGION_TABLE.items() if r["filing"]}
# The main navigation (theme_support/navigation.py: the header menu, the footer, /sections/). The
# alliance's pages (pages with Nav_order) come first, for a visitor who is not a member yet; then
# these resources, which members come back for, each reachable from any page in two clicks on a
# phone (Menu, then the link). `requires`: a name that the plugin writing the page puts in the
# template context; a build without that plugin leaves the link out. `links`: a resource's own
# pages, listed beside it.
NAV_ALLIANCE_TITLE = "The Alliance"
NAV_RESOURCES_TITLE = "Resources"
NAV_RESOURCES = [
    {"title": "Statistics", "url": "statistics/", "requires": "statistics_summary",
     "description": "The running total of maritime crime since 2013: figures by year, region, country and port.",
     "links": [
         {"title": "Incident list", "url": "statistics/incidents/"},
         {"title": "Crime map", "url": "statistics/map/"},
         {"title": "Regional crime summaries", "url": "statistics/regions/"},
         {"title": "Port risk", "url": "statistics/ports/"},
     ]},
    {"title": "Regions", "url": "regions/", "requires": "regions_index",
     "description": "The latest regional intelligence and first response reports, region by region."},
    {"title": "Events", "url": "events/", "requires": "events_calendar_url",
     "description": "Conferences, workshops and courses for CSOs, with calendar files to subscribe to."},
    {"title": "Newsletters", "url": "newsletters/", "requires": "newsletters",
     "description": "Every issue of the members' newsletter, and how to receive it."},
    {"title": "Feeds", "url": "feeds/", "requires": "feed_catalogue",
     "description": "Follow everything, one section or one region in a feed reader or a calendar."},
]
# Joining (theme_support/membership.py): what the "Join now" page (Template: join) and the
# newsletter's sign-up lines show. apply_url: the application form (https://) or a mailto: address.
MEMBERSHIP = {
    "apply_url": "mailto:info@csoalliance.com?subject=Membership%20application"
                 "&body=Name%3A%0ACompany%3A%0AFleet%20you%20are%20responsible%20for%3A%0A",
    "apply_label": "Apply by email",
    "apply_note": "Write from your company address, giving your name, your company and the fleet you are "
                  "responsible for.",
    "members": 425,
    "members_as_of": "2016-07-08",  # the count the alliance last published (news: Membership passes 425)
    "eligibility": [
        "Company Security Officers of shipping companies.",
        "Their deputies, who stand in for the CSO.",
    ],
    "benefits": [
        {"title": "A community of peers",
         "text": "CSOs who face the same risks, in CSO Chatter, in the groups and at our workshops.",
         "url": "connecting-csos/"},
        {"title": "Confirmed crime data",
         "text": "The running total of maritime crime since 2013, as a list or a map, for port risk assessments.",
         "url": "statistics/"},
        {"title": "Regional intelligence",
         "text": "The latest intelligence and first response reports for your regions.",
         "url": "regions/"},
        {"title": "The newsletter",
         "text": "News, figures and the intelligence of the regions you choose, by email.",
         "url": "newsletters/"},
        {"title": "A voice with the authorities",
         "text": "We raise members' concerns with navies, reporting centres, flag states and industry bodies.",
         "url": "communicating-challenging/"},
    ],
    "steps": [
        "Apply from your company address with your name, your company and your fleet.",
        "We confirm your role as CSO or deputy, so that the community stays trusted.",
        "You get access to the platform, and the newsletter by email.",
    ],
    "newsletter": "Members receive the newsletter by email, with the regional intelligence of the regions "
                  "they choose. Anyone can read past issues on this site and follow them in a feed reader.",
}
ARTICLE_PATHS = [kind for kind in CONTENT_KINDS if kind != "events"]  # events have their own generator
EVENT_PATHS = ["events"]  # read by plugins/events (pages, calendars, home page list)
PAGE_PATHS = ["pages"]
# markdown that plugin generators read too (events; newsletters, NEWSLETTER_PATH's default): parsed
# with the articles by the fast engine (csoa.engine.fastbuild), in parallel, and once per edit in the dev loop
FASTBUILD_READ_PATHS = [*EVENT_PATHS, "newsletters"]
STATIC_PATHS = ["images", "files", "data"]
PATH_METADATA = r"(?P<category>news|workshops|reports|intelligence|events)/.*"
USE_FOLDER_AS_CATEGORY = False
WITH_FUTURE_DATES = True  # the publication plugin hides future items against BUILD_NOW instead of the clock
SUMMARY_MAX_LENGTH = 60

# Directory-style URLs everywhere; paginated lists add /page/N/.
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_URL = "sections/"
CATEGORIES_SAVE_AS = "sections/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "404"]
PAGINATED_TEMPLATES = {"index": 12, "tag": None, "category": None, "period_archives": None, "region": None}
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Pelican's own feeds are off: the feeds plugin builds them with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

THEME = os.path.join(HERE, "theme")
THEME_STATIC_DIR = "theme"
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

PLUGINS = [
    # one plugin per line (the build engine, csoa.engine, is not a plugin: see FASTBUILD)
    "csoa.plugins.content_schema",
    "csoa.plugins.publication",
    "csoa.plugins.search",
    "csoa.plugins.images",
    "csoa.plugins.theme_support",
    "csoa.plugins.regions",
    "csoa.plugins.sitemap",
    "csoa.plugins.crime_stats",
    "csoa.plugins.newsletter",
    "csoa.plugins.events",
    "csoa.plugins.feeds",
]

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
